package org.entente.node.policy;

import org.entente.node.intake.Admission;
import org.entente.node.testing.Staff;
import org.entente.node.config.NodeConfig;
import org.entente.node.policy.store.Agreements;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.entente.node.Node;
import org.entente.node.audit.AuditLog;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.PreparedObject;
import org.entente.node.intake.Validation;
import org.entente.node.testing.TestPostgres;
import org.entente.stix.Problem;

/**
 * A running node for the leak tests and the means to set a world up on it (organisations,
 * agreements, collections, objects, users) and to read it back through every read path over HTTP.
 */
final class LeakHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "leak-test-password-1";
    static final String TAXII = "application/taxii+json;version=2.1";
    static final String ROOT = "/taxii2/intel/";
    static final List<String> PURPOSES = List.of("prevention", "detection", "investigation", "prosecution",
            "border-control", "intelligence-analysis");

    final Node node;
    final DataSource ds;
    final ObjectStore store;
    final Staff users;
    final Organisations organisations;
    final Agreements agreements;
    final Organisation own;
    final LeakOracle.Org ownOrg;
    final HttpClient http;
    final String base;

    LeakHarness(String ownName, String ownNation) {
        node = Node.start(new NodeConfig("127.0.0.1", 0, TestPostgres.freshDatabase(), false, null, null,
                10L * 1024 * 1024, "Leak test node", new NodeConfig.OwnOrganisation(ownName, ownNation, "cert"),
                Duration.ofHours(1)));
        ds = node.database().dataSource();
        store = node.services().store();
        users = new Staff(node.services());
        organisations = node.services().organisations();
        own = organisations.own().orElseThrow();
        agreements = node.services().agreements();
        ownOrg = new LeakOracle.Org(own.id(), own.name(), own.nation(), true);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String u = node.url();
        base = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    @Override
    public void close() {
        node.close();
    }

    // ------------------------------------------------------------------ setting a world up

    LeakOracle.Org partner(String name, String nation) {
        Organisation o = organisations.create(new Organisations.Draft(name, nation, "police", null), false, "leak-test");
        return new LeakOracle.Org(o.id(), o.name(), o.nation(), false);
    }

    /** Creates an agreement from its document and returns the oracle's reading of the same document. */
    LeakOracle.Agreement agreement(ObjectNode doc) {
        Agreement a = agreements.create(doc, "leak-test");
        return model(a.id(), doc);
    }

    LeakOracle.Agreement setStatus(LeakOracle.Agreement a, String status) {
        agreements.setStatus(a.id(), Agreement.Status.valueOf(status.toUpperCase(java.util.Locale.ROOT)), "leak-test");
        return a.withStatus(status);
    }

    /** The oracle's own reading of an agreement document (the format of POLICY.md). */
    static LeakOracle.Agreement model(String id, JsonNode doc) {
        List<String> parties = strings(doc.path("parties"));
        JsonNode r = doc.path("rules");
        JsonNode on = r.path("onward_sharing");
        return new LeakOracle.Agreement(id, parties, doc.path("status").asText("draft"),
                instant(doc.path("valid_from").asText()),
                doc.hasNonNull("valid_until") ? instant(doc.path("valid_until").asText()) : null,
                new java.util.HashSet<>(strings(r.path("categories"))), new java.util.HashSet<>(strings(r.path("purposes"))),
                LeakOracle.Tlp.valueOf(r.path("max_tlp").asText().toUpperCase(java.util.Locale.ROOT).replace('+', '_')),
                new java.util.HashSet<>(strings(r.path("handling_codes"))),
                r.path("personal_data").path("allowed").asBoolean(false)
                        && !r.path("personal_data").path("legal_basis").asText("").isBlank(),
                on.path("rule").asText("forbidden"), strings(on.path("parties")));
    }

    static Instant instant(String s) {
        return s.length() == 10 ? Instant.parse(s + "T00:00:00Z") : Instant.parse(s);
    }

    static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** An agreement document; {@code onwardParties} only for named-parties. */
    static ObjectNode agreementDoc(String title, List<String> parties, String status, Instant from, Instant until,
            List<String> categories, List<String> purposes, String maxTlp, List<String> codes, boolean personal,
            String onward, List<String> onwardParties) {
        ObjectNode d = JSON.createObjectNode();
        d.put("title", title);
        d.put("kind", parties.size() == 2 ? "bilateral" : "multilateral");
        ArrayNode ps = d.putArray("parties");
        parties.forEach(ps::add);
        d.putObject("legal_basis").put("text", "Memorandum of understanding, Art. 3").put("reference", "MOU-" + title);
        d.put("valid_from", from.toString());
        if (until != null) d.put("valid_until", until.toString());
        d.put("status", status);
        ObjectNode r = d.putObject("rules");
        ArrayNode cs = r.putArray("categories");
        categories.forEach(cs::add);
        ArrayNode xs = r.putArray("purposes");
        purposes.forEach(xs::add);
        r.put("max_tlp", maxTlp);
        ArrayNode hs = r.putArray("handling_codes");
        codes.forEach(hs::add);
        ObjectNode pd = r.putObject("personal_data").put("allowed", personal);
        if (personal) pd.put("legal_basis", "Art. 6(1)(e) GDPR / LED Art. 8");
        r.put("retention_days", 730);
        ObjectNode on = r.putObject("onward_sharing").put("rule", onward);
        if (onward.equals("named-parties")) {
            ArrayNode op = on.putArray("parties");
            onwardParties.forEach(op::add);
        }
        return d;
    }

    String collection(String title) {
        String id = UUID.randomUUID().toString();
        store.createCollection(id, null, title, null);
        return id;
    }

    void provenance(String collectionId, String providerId, String agreementId) {
        store.setProvenance(collectionId, providerId, agreementId, "leak-test");
    }

    /** Validates (the node's own validator, as on every write path) and stores objects in one collection. */
    void write(String collectionId, List<ObjectNode> objects) {
        List<PreparedObject> prepared = new ArrayList<>();
        for (ObjectNode o : objects) {
            List<Problem> errors = Validation.validator().validate(o).stream().filter(Problem::isError).toList();
            if (!errors.isEmpty()) throw new IllegalStateException("the test made an invalid object: " + errors + " " + o);
            prepared.add(Admission.prepare(o, o.toString()));
        }
        try (ObjectStore.Writer w = store.writer(collectionId)) {
            w.add(prepared);
            w.commit();
        }
    }

    /** A user (created once) that now reads as {@code orgId} and may read exactly {@code collections}. */
    void assign(String username, String orgId, List<String> collections) {
        if (users.find(username).isEmpty()) {
            users.create(username, PASSWORD, false, orgId, java.util.Set.of(org.entente.node.users.Role.ANALYST));
        }
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("UPDATE app_user SET organisation_id = ? WHERE username = ?")) {
                s.setString(1, orgId);
                s.setString(2, username);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM collection_permission WHERE user_id = (SELECT id FROM app_user WHERE username = ?)")) {
                s.setString(1, username);
                s.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        for (String col : collections) users.grant(col, username, true, false);
    }

    // ------------------------------------------------------------------ reading

    static final Map<String, java.util.concurrent.atomic.LongAdder> TIMES = new java.util.concurrent.ConcurrentHashMap<>();
    static final Map<String, java.util.concurrent.atomic.LongAdder> COUNTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Where the time of the requests went, by path: count and mean milliseconds. */
    static String timings() {
        StringBuilder b = new StringBuilder();
        TIMES.forEach((k, v) -> b.append(String.format(" %s: %d x %.2f ms;", k, COUNTS.get(k).sum(),
                v.sum() / 1e6 / COUNTS.get(k).sum())));
        return b.toString();
    }

    record Got(int status, JsonNode body) {}

    Got get(String user, String purpose, String path, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", accept)
                .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        if (purpose != null) b.header("X-Entente-Purpose", purpose);
        try {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
            String kind = path.contains("/manifest/") ? "manifest" : path.contains("/versions/") ? "versions"
                    : path.contains("/objects/?") ? "objects" : path.contains("/objects/") ? "object"
                    : path.contains("mentions") ? "mentions" : "other";
            TIMES.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.LongAdder()).add(System.nanoTime() - t0);
            COUNTS.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.LongAdder()).increment();
            JsonNode body = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
            return new Got(r.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Every object of every page of GET objects: id to the object as served. */
    Map<String, JsonNode> objects(String user, String purpose, String collection) {
        return pages(user, purpose, ROOT + "collections/" + collection + "/objects/?limit=1000", "objects");
    }

    /** Every manifest entry of every page: id to entry. */
    Map<String, JsonNode> manifest(String user, String purpose, String collection) {
        return pages(user, purpose, ROOT + "collections/" + collection + "/manifest/?limit=1000", "objects");
    }

    private Map<String, JsonNode> pages(String user, String purpose, String first, String field) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        String next = null;
        for (int guard = 0; guard < 1000; guard++) {
            Got g = get(user, purpose, first + (next == null ? "" : "&next=" + q(next)), TAXII);
            if (g.status() != 200) throw new IllegalStateException(first + " answered " + g.status() + ": " + g.body());
            for (JsonNode o : g.body().path(field)) {
                if (out.put(o.path("id").asText(), o) != null) {
                    throw new IllegalStateException(first + " served " + o.path("id").asText() + " twice");
                }
            }
            if (!g.body().path("more").asBoolean(false)) return out;
            next = g.body().path("next").asText(null);
            if (next == null) throw new IllegalStateException(first + ": more without next");
        }
        throw new IllegalStateException("too many pages: " + first);
    }

    Got object(String user, String purpose, String collection, String id) {
        return get(user, purpose, ROOT + "collections/" + collection + "/objects/" + id + "/", TAXII);
    }

    Got versions(String user, String purpose, String collection, String id) {
        return get(user, purpose, ROOT + "collections/" + collection + "/objects/" + id + "/versions/", TAXII);
    }

    /** The look-up: "collection|id" of each mention. */
    List<String> mentions(String user, String purpose, String value) {
        Got g = get(user, purpose, "/api/v1/mentions?limit=1000&value=" + q(value), "application/json");
        if (g.status() != 200) throw new IllegalStateException("mentions answered " + g.status() + ": " + g.body());
        List<String> out = new ArrayList<>();
        g.body().path("mentions").forEach(m -> out.add(m.path("collection").asText() + "|" + m.path("id").asText()));
        return out;
    }
}
