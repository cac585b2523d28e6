package org.entente.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.entente.node.Node;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import org.entente.node.intake.Importer;
import org.entente.node.partners.Organisation;
import org.entente.node.policy.Agreement;
import org.entente.node.store.CollectionInfo;
import org.entente.node.testing.TestPostgres;

/** Real nodes on loopback for the federation tests: each with its own database, organisation and listener. */
final class Nodes {
    static final ObjectMapper M = new ObjectMapper();

    private Nodes() {}

    static Node start(String name, String nation, String sector) {
        return start(name, nation, sector, TestPostgres.freshDatabase(), Map.of());
    }

    static Node start(String name, String nation, String sector, DatabaseLocation db, Map<Key, String> more) {
        Map<Key, String> s = new EnumMap<>(Key.class);
        s.put(Key.PORT, "0");
        s.put(Key.ORG_NAME, name);
        s.put(Key.ORG_NATION, nation);
        s.put(Key.ORG_SECTOR, sector);
        s.put(Key.SYNC_EVERY, "1h");
        s.put(Key.FEDERATION_TIMEOUT, "10s");
        s.putAll(more);
        return Node.start(NodeConfig.of(db, s));
    }

    /**
     * A provider and a receiver that are peers, bound by an agreement (its terms adjusted by
     * {@code terms}) proposed by the provider and accepted by the receiver, with the provider's
     * collection "shared" offered to the receiver under it.
     */
    record Pair(Node provider, Node receiver, Agreement agreement, CollectionInfo shared) implements AutoCloseable {
        static Pair start(String provider, String receiver, java.util.function.Consumer<ObjectNode> terms) {
            Node a = Nodes.start(provider, "EE", "cybercrime");
            Node b = Nodes.start(receiver, "DE", "cert");
            pair(a, b);
            ObjectNode doc = Nodes.agreement("Agreement of " + provider + " and " + receiver, List.of(own(a).id(), own(b).id()),
                    "active");
            terms.accept(doc);
            Agreement ag = agree(a, b, doc);
            CollectionInfo shared = collection(a, "shared");
            a.services().federation().offer(own(b).name(), "shared", ag.id(), "test");
            return new Pair(a, b, ag, shared);
        }

        @Override
        public void close() {
            receiver.close();
            provider.close();
        }
    }

    static Organisation own(Node n) {
        return n.services().organisations().own().orElseThrow();
    }

    /** Each node adds the other as a peer, on the identity file it was given. */
    static void pair(Node a, Node b) {
        a.services().federation().addPeer(b.services().federation().identityDocument(), "test");
        b.services().federation().addPeer(a.services().federation().identityDocument(), "test");
    }

    static ObjectNode agreement(String title, List<String> parties, String status) {
        ObjectNode d = M.createObjectNode();
        d.put("title", title);
        d.put("kind", parties.size() == 2 ? "bilateral" : "multilateral");
        ArrayNode ps = d.putArray("parties");
        parties.forEach(ps::add);
        d.putObject("legal_basis").put("text", "Test convention, art. 1");
        d.put("valid_from", "2020-01-01");
        d.put("status", status);
        ObjectNode r = d.putObject("rules");
        r.putArray("categories").add("cyber-indicators").add("malware-and-tooling").add("reports-and-context");
        r.putArray("purposes").add("detection").add("investigation");
        r.put("max_tlp", "amber");
        r.putArray("handling_codes").add("H0").add("H1");
        r.putObject("personal_data").put("allowed", false);
        r.putObject("onward_sharing").put("rule", "forbidden");
        return d;
    }

    /** Proposes an agreement at {@code proposer} and accepts it at {@code acceptor}; waits until both hold it active. */
    static Agreement agree(Node proposer, Node acceptor, ObjectNode doc) {
        Agreement a = proposer.services().agreements().create(doc, "test");
        await("the proposal to reach " + own(acceptor).name(), () -> acceptor.services().agreements().find(a.id())
                .map(x -> x.status() == Agreement.Status.PROPOSED).orElse(false));
        acceptor.services().federation().acceptAgreement(a.id(), "test");
        await("the agreement to take effect at both", () -> active(proposer, a.id()) && active(acceptor, a.id()));
        return proposer.services().agreements().find(a.id()).orElseThrow();
    }

    static boolean active(Node n, String id) {
        return n.services().agreements().find(id).map(x -> x.status() == Agreement.Status.ACTIVE).orElse(false);
    }

    static void await(String what, BooleanSupplier done) {
        await(what, done, Duration.ofSeconds(20));
    }

    static void await(String what, BooleanSupplier done, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) return;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    static CollectionInfo collection(Node n, String alias) {
        return n.services().store().ensureCollection(alias, alias, null);
    }

    /** Imports objects into a collection of the node (signed as it stores them). */
    static Importer.Report load(Node n, String collection, List<String> objects) {
        String bundle = "{\"type\":\"bundle\",\"id\":\"bundle--" + UUID.randomUUID() + "\",\"objects\":["
                + String.join(",", objects) + "]}";
        CollectionInfo c = collection(n, collection);
        Importer.Report r = n.services().importer().importStream(new ByteArrayInputStream(
                bundle.getBytes(StandardCharsets.UTF_8)), c.id(), Importer.Mode.REJECT_FILE, Importer.silent());
        if (r.rejected()) throw new AssertionError(r.rejection());
        return r;
    }

    static String indicator(String id, String ip, String... markings) {
        StringBuilder m = new StringBuilder();
        if (markings.length > 0) {
            m.append(",\"object_marking_refs\":[");
            for (int i = 0; i < markings.length; i++) m.append(i > 0 ? "," : "").append('"').append(markings[i]).append('"');
            m.append(']');
        }
        return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2024-01-01T00:00:00.000Z\","
                + "\"modified\":\"2024-01-01T00:00:00.000Z\",\"name\":\"c2 " + ip + "\",\"pattern\":\"[ipv4-addr:value = '"
                + ip + "']\",\"pattern_type\":\"stix\",\"valid_from\":\"2024-01-01T00:00:00Z\"" + m + "}";
    }

    static String newId() {
        return "indicator--" + UUID.randomUUID();
    }

    /** The ids of the latest versions a node holds in a collection. */
    static List<String> ids(Node n, String collectionId) {
        List<String> out = new ArrayList<>();
        n.database().jdbi().useHandle(h -> out.addAll(h.createQuery("SELECT o.id FROM stix_object o JOIN collection c"
                + " ON c.num = o.collection_no WHERE c.id = :c AND o.is_latest ORDER BY o.id").bind("c", collectionId)
                .mapTo(String.class).list()));
        return out;
    }

    /** The local collection a node pulls a peer's collection into. */
    static String received(Node n, Node from, String remoteCollectionId) {
        return received(n, own(from).id(), remoteCollectionId);
    }

    static String received(Node n, String fromOrganisation, String remoteCollectionId) {
        PeerStatus s = n.services().federation().status(fromOrganisation);
        return s.collections().stream().filter(c -> c.remoteCollection().equals(remoteCollectionId)).findFirst()
                .orElseThrow(() -> new AssertionError("no collection " + remoteCollectionId + " from " + fromOrganisation
                        + " at " + own(n).name() + ": " + s)).localCollection();
    }

    static JsonNode json(String s) {
        try {
            return M.readTree(s);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
