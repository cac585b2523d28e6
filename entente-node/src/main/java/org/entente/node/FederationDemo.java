package org.entente.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import org.entente.node.federation.Federation;
import org.entente.node.federation.PeerStatus;
import org.entente.node.intake.Importer;
import org.entente.node.ops.Logs;
import org.entente.node.partners.Organisation;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.HandlingCode;
import org.entente.node.store.CollectionInfo;
import org.entente.stix.Tlp;

/**
 * `entente demo federation`: three nodes on loopback, each with its own embedded PostgreSQL and data
 * folder — a national cybercrime unit, a partner CERT and a border police of three nations — bound
 * by two agreements. The unit's intelligence goes to the CERT, and onward to the border police
 * where the first agreement allows; the demo prints what went where and why, then revokes an object
 * and shows the retraction at both receivers.
 */
public final class FederationDemo {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final Path dir;
    private final boolean kept;
    private final Map<String, String> names = new LinkedHashMap<>();

    /** @param kept whether the data folder stays afterwards (then the demo says how to look into it) */
    public FederationDemo(Path dir, PrintStream out, boolean kept) {
        this.dir = dir;
        this.out = out;
        this.kept = kept;
    }

    private record Item(String id, String label) {}

    /** Runs the demo; returns true when every step showed what it should. */
    public boolean run() {
        Logs.quiet();
        out.println("Starting three nodes on loopback (each its own embedded PostgreSQL under " + dir + ") ...");
        try (Node unit = start("unit", "National Cybercrime Unit", "EE", "cybercrime");
                Node cert = start("cert", "Partner CERT", "DE", "cert");
                Node border = start("border", "Border Police", "JO", "border")) {
            Organisation u = own(unit);
            Organisation c = own(cert);
            Organisation b = own(border);
            for (Node n : List.of(unit, cert, border)) {
                out.printf("  %-26s %s  users: %s  federation: %s%n", own(n).name() + " (" + own(n).nation() + ")",
                        own(n).id(), n.url(), n.federationUrl());
            }

            out.println();
            out.println("Exchanging identity documents (entente node identity / entente peer add --identity) ...");
            pair(unit, cert);
            pair(cert, border);
            out.println("  " + u.name() + " <-> " + c.name() + ", " + c.name() + " <-> " + b.name()
                    + ": certificates pinned, signing keys known");

            out.println();
            out.println("Agreements, proposed by one node and accepted at the other (both sign every version):");
            ObjectNode mou = agreement("Memorandum on cybercrime cooperation (Budapest Convention, Art. 26)",
                    List.of(u.id(), c.id()), "amber", List.of("cyber-indicators", "malware-and-tooling"),
                    List.of("prevention", "detection", "investigation"), List.of("H0", "H1", "H2"));
            mou.with("rules").putObject("onward_sharing").put("rule", "named-parties").putArray("parties").add("nation:JO");
            Agreement ab = agree(unit, cert, mou);
            Agreement bc = agree(cert, border, agreement("Border security accord", List.of(c.id(), b.id()), "green",
                    List.of("cyber-indicators", "malware-and-tooling"), List.of("prevention", "detection", "border-control"),
                    List.of("H0", "H1")));
            names.put(ab.id(), "the memorandum");
            names.put(bc.id(), "the accord");
            out.println("  memorandum " + ab.id() + "  " + u.name() + " - " + c.name() + ": cyber indicators and malware up to"
                    + " TLP:AMBER, H0-H2; onward sharing to JO only");
            out.println("  accord     " + bc.id() + "  " + c.name() + " - " + b.name() + ": cyber indicators and malware up to"
                    + " TLP:GREEN, H0-H1");

            CollectionInfo intel = unit.services().store().collection(Node.DEFAULT_COLLECTION).orElseThrow();
            unit.services().federation().offer(c.name(), intel.id(), ab.id(), "demo");
            List<Item> items = load(unit, intel, u.id());
            out.println();
            out.println(u.name() + " loads " + items.size() + " objects of its own (each signed as it is stored) and"
                    + " offers its collection to " + c.name() + ".");

            sync(cert, u.name());
            PeerStatus fromUnit = cert.services().federation().status(u.name());
            String atCert = fromUnit.collections().get(0).localCollection();
            cert.services().federation().offer(b.name(), atCert, bc.id(), "demo");
            out.println(c.name() + " pulls it, and offers what it received to " + b.name() + ".");
            sync(border, c.name());
            String atBorder = border.services().federation().status(c.name()).collections().get(0).localCollection();

            out.println();
            out.println("What went where, and why (from each sender's audit log):");
            Map<String, String> toCert = decisions(unit, c.id());
            Map<String, String> toBorder = decisions(cert, b.id());
            out.printf("  %-42s %-42s %s%n", "object", u.name() + " -> " + c.name(), c.name() + " -> " + b.name());
            for (Item it : items) {
                out.printf("  %-42s %-42s %s%n", it.label(), toCert.getOrDefault(it.id(), "-"),
                        toBorder.getOrDefault(it.id(), toCert.getOrDefault(it.id(), "").startsWith("permitted")
                                ? "-" : "(never reached " + c.name() + ")"));
            }
            List<String> heldAtCert = ids(cert, atCert);
            List<String> heldAtBorder = ids(border, atBorder);
            out.println("  held now: " + heldAtCert.size() + " at " + c.name() + ", " + heldAtBorder.size() + " at "
                    + b.name() + " (signed by " + u.name() + ", verified at each)");

            Item revoked = items.get(0);
            out.println();
            out.println(u.name() + " revokes \"" + revoked.label() + "\" (a new version with revoked: true) ...");
            loadJson(unit, intel, List.of(indicator(revoked.id(), "198.51.100.23", Tlp.GREEN, u.id())
                    .replace("\"modified\":\"2026-01-05T00:00:00.000Z\"",
                            "\"modified\":\"2026-01-06T00:00:00.000Z\",\"revoked\":true")));
            sync(cert, u.name());
            sync(border, c.name());
            boolean goneAtCert = !ids(cert, atCert).contains(revoked.id());
            boolean goneAtBorder = !ids(border, atBorder).contains(revoked.id());
            out.println("  at " + c.name() + ": " + (goneAtCert ? "retracted" : "STILL HELD") + " (retracted so far: "
                    + cert.services().federation().status(u.name()).collections().get(0).retracted() + ")");
            out.println("  at " + b.name() + ": " + (goneAtBorder ? "retracted" : "STILL HELD")
                    + ", through " + c.name() + " (retracted so far: "
                    + border.services().federation().status(c.name()).collections().get(0).retracted() + ")");
            boolean ok = goneAtCert && goneAtBorder && heldAtCert.contains(revoked.id()) && heldAtBorder.contains(revoked.id());
            out.println();
            out.println(ok ? "Done: every step showed what it should." : "Something did not go as it should: see above.");
            out.println("Each node's audit log holds its releases, denials, receipts and retractions"
                    + (kept ? " (e.g. entente audit verify --data " + dir.resolve("unit") + ")." : "."));
            return ok;
        }
    }

    private Node start(String folder, String name, String nation, String sector) {
        Map<Key, String> s = new EnumMap<>(Key.class);
        s.put(Key.PORT, "0");
        s.put(Key.ORG_NAME, name);
        s.put(Key.ORG_NATION, nation);
        s.put(Key.ORG_SECTOR, sector);
        s.put(Key.SYNC_EVERY, "1h");
        s.put(Key.LOG_FORMAT, "text");
        return Node.start(NodeConfig.of(new DatabaseLocation.Embedded(dir.resolve(folder)), s));
    }

    private static Organisation own(Node n) {
        return n.services().organisations().own().orElseThrow();
    }

    private static void pair(Node x, Node y) {
        if (x.services().federation().statuses().stream().noneMatch(p -> p.organisationId().equals(own(y).id()))) {
            x.services().federation().addPeer(y.services().federation().identityDocument(), "demo");
        }
        if (y.services().federation().statuses().stream().noneMatch(p -> p.organisationId().equals(own(x).id()))) {
            y.services().federation().addPeer(x.services().federation().identityDocument(), "demo");
        }
    }

    private static ObjectNode agreement(String title, List<String> parties, String maxTlp, List<String> categories,
            List<String> purposes, List<String> codes) {
        ObjectNode d = JSON.createObjectNode();
        d.put("title", title);
        d.put("kind", "bilateral");
        ArrayNode ps = d.putArray("parties");
        parties.forEach(ps::add);
        d.putObject("legal_basis").put("text", title);
        d.put("valid_from", "2026-01-01");
        d.put("status", "active");
        ObjectNode r = d.putObject("rules");
        categories.forEach(r.putArray("categories")::add);
        purposes.forEach(r.putArray("purposes")::add);
        r.put("max_tlp", maxTlp);
        codes.forEach(r.putArray("handling_codes")::add);
        r.putObject("personal_data").put("allowed", false);
        r.putObject("onward_sharing").put("rule", "forbidden");
        return d;
    }

    private static Agreement agree(Node proposer, Node acceptor, ObjectNode doc) {
        Agreement a = proposer.services().agreements().create(doc, "demo");
        await(() -> acceptor.services().agreements().find(a.id()).map(x -> x.status() == Agreement.Status.PROPOSED)
                .orElse(false));
        acceptor.services().federation().acceptAgreement(a.id(), "demo");
        await(() -> active(proposer, a.id()) && active(acceptor, a.id()));
        return a;
    }

    private static boolean active(Node n, String id) {
        return n.services().agreements().find(id).map(x -> x.status() == Agreement.Status.ACTIVE).orElse(false);
    }

    private static void await(BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the nodes did not agree within 30 s");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void sync(Node receiver, String peer) {
        Federation.SyncResult r = receiver.services().federation().syncNow(peer);
        if (r != Federation.SyncResult.DONE) {
            throw new IllegalStateException("the sync with " + peer + " failed: "
                    + receiver.services().federation().status(peer).toJson());
        }
    }

    private List<Item> load(Node unit, CollectionInfo intel, String producer) {
        List<Item> items = new ArrayList<>();
        List<String> objects = new ArrayList<>();
        String[][] specs = {
                {"198.51.100.23", Tlp.GREEN, "", "C2 server, TLP:GREEN"},
                {"198.51.100.24", Tlp.AMBER, "", "C2 server, TLP:AMBER"},
                {"198.51.100.25", Tlp.AMBER_STRICT, "", "C2 server, TLP:AMBER+STRICT"},
                {"198.51.100.26", Tlp.GREEN, HandlingCode.H2.markingId(), "C2 server, TLP:GREEN, H2"},
                {"198.51.100.27", Tlp.RED, "", "C2 server, TLP:RED (not naming the CERT)"}};
        for (String[] s : specs) {
            String id = "indicator--" + UUID.randomUUID();
            String o = indicator(id, s[0], s[1], producer);
            if (!s[2].isEmpty()) o = o.replace("\"" + s[1] + "\"", "\"" + s[1] + "\",\"" + s[2] + "\"");
            if (s[1].equals(Tlp.RED)) o = o.replace("\"pattern_type\"", "\"x_entente_red_recipients\":[\"" + producer + "\"],\"pattern_type\"");
            objects.add(o);
            items.add(new Item(id, s[3]));
        }
        String actor = "threat-actor--" + UUID.randomUUID();
        objects.add("{\"type\":\"threat-actor\",\"spec_version\":\"2.1\",\"id\":\"" + actor + "\",\"created_by_ref\":\""
                + producer + "\",\"created\":\"2026-01-05T00:00:00.000Z\",\"modified\":\"2026-01-05T00:00:00.000Z\","
                + "\"name\":\"Ransomware crew\",\"object_marking_refs\":[\"" + Tlp.GREEN + "\"]}");
        items.add(new Item(actor, "threat actor, TLP:GREEN"));
        loadJson(unit, intel, objects);
        return items;
    }

    private static String indicator(String id, String ip, String tlp, String producer) {
        return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created_by_ref\":\"" + producer
                + "\",\"created\":\"2026-01-05T00:00:00.000Z\",\"modified\":\"2026-01-05T00:00:00.000Z\",\"name\":\"C2 "
                + ip + "\",\"pattern\":\"[ipv4-addr:value = '" + ip + "']\",\"pattern_type\":\"stix\","
                + "\"valid_from\":\"2026-01-05T00:00:00Z\",\"object_marking_refs\":[\"" + tlp + "\"]}";
    }

    private static void loadJson(Node n, CollectionInfo c, List<String> objects) {
        String bundle = "{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":["
                + String.join(",", objects) + "]}";
        Importer.Report r = n.services().importer().importStream(new ByteArrayInputStream(bundle.getBytes(StandardCharsets.UTF_8)),
                c.id(), Importer.Mode.REJECT_FILE, Importer.silent());
        if (r.rejected()) throw new IllegalStateException(r.rejection());
    }

    /** Per object, what the sender's audit log says it decided for the recipient. */
    private Map<String, String> decisions(Node sender, String recipient) {
        Map<String, String> said = new LinkedHashMap<>();
        sender.database().jdbi().useHandle(h -> h.createQuery("SELECT kind, detail::text FROM audit_record"
                        + " WHERE kind IN ('release', 'deny') AND detail->>'recipient' = :r ORDER BY seq")
                .bind("r", recipient).map((rs, ctx) -> {
                    JsonNode d = tree(rs.getString(2));
                    if (rs.getString(1).equals("release")) {
                        String agreement = d.path("by_agreement").fieldNames().hasNext()
                                ? d.path("by_agreement").fieldNames().next() : "?";
                        String by = names.getOrDefault(agreement, agreement);
                        for (JsonNode o : d.path("objects")) said.put(o.asText().replaceAll("@.*", ""), "permitted by " + by);
                    } else {
                        for (JsonNode w : d.path("withheld")) {
                            said.put(w.path("object").asText().replaceAll("@.*", ""), "denied: " + w.path("rule").asText());
                        }
                    }
                    return null;
                }).forEach(x -> { }));
        return said;
    }

    private static List<String> ids(Node n, String collection) {
        return n.database().jdbi().withHandle(h -> h.createQuery("SELECT o.id FROM stix_object o JOIN collection c"
                + " ON c.num = o.collection_no WHERE c.id = :c AND o.is_latest").bind("c", collection).mapTo(String.class).list());
    }

    private static JsonNode tree(String s) {
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
