package org.entente.node.policy;

import org.entente.node.testing.Staff;
import org.entente.node.config.NodeConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.entente.node.Node;
import org.entente.node.store.ObjectStore;
import org.entente.node.testing.Http;
import org.entente.node.testing.Http.Response;
import org.entente.node.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The partners, agreements and policy API over real HTTP on loopback, against a real PostgreSQL. */
class PolicyApiTest {
    static final String ADMIN_PASSWORD = "correct horse battery";
    static final String READER_PASSWORD = "reader password 1";
    static final ObjectMapper JSON = new ObjectMapper();
    static Node node;
    static Http admin;
    static Http reader;
    static String own;
    static String partner;

    @BeforeAll
    static void start() {
        node = Node.start(new NodeConfig("127.0.0.1", 0, TestPostgres.freshDatabase(), false, null, null, 64 * 1024,
                "Test node"));
        Staff users = new Staff(node.services());
        users.create("root", ADMIN_PASSWORD, true);
        users.create("reader", READER_PASSWORD, false);
        users.grant(node.services().store().collection(Node.DEFAULT_COLLECTION).orElseThrow().id(),
                "reader", true, false);
        admin = new Http(node.url(), Http.basic("root", ADMIN_PASSWORD));
        reader = admin.as(Http.basic("reader", READER_PASSWORD));
        for (JsonNode o : admin.get("/api/organisations", "application/json").json().path("organisations")) {
            if (o.path("own").asBoolean()) own = o.path("id").asText();
        }
        Response p = json(admin, "POST", "/api/organisations",
                "{\"name\":\"Partner Cybercrime Unit\",\"nation\":\"DE\",\"sector\":\"cybercrime\"}");
        assertThat(p.status()).as(p.body()).isEqualTo(201);
        partner = p.json().path("id").asText();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Response json(Http as, String method, String path, String body) {
        return send(as, method, path, body, new String[0]);
    }

    /** A request with the caller's credentials and any extra headers (name, value, …). */
    static Response send(Http as, String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url() + path.substring(1)))
                .header("Authorization", as == admin ? Http.basic("root", ADMIN_PASSWORD) : Http.basic("reader", READER_PASSWORD))
                .header("Accept", path.startsWith("/taxii2") ? Http.TAXII : "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return as.send(b.build());
    }

    static ObjectNode mou() {
        ObjectNode a = JSON.createObjectNode();
        a.put("title", "Memorandum of understanding on cybercrime cooperation");
        a.put("kind", "bilateral");
        a.putArray("parties").add(own).add(partner);
        a.putObject("legal_basis").put("text", "Budapest Convention, Art. 26");
        a.put("valid_from", "2024-01-01");
        a.put("valid_until", "2099-01-01");
        a.put("status", "active");
        ObjectNode r = a.putObject("rules");
        r.putArray("categories").add("cyber-indicators");
        r.putArray("purposes").add("detection").add("intelligence-analysis");
        r.put("max_tlp", "amber");
        r.putObject("personal_data").put("allowed", false);
        r.put("retention_days", 730);
        r.putObject("onward_sharing").put("rule", "forbidden");
        return a;
    }

    static List<String> fields(Response r) {
        List<String> out = new ArrayList<>();
        r.json().path("problems").forEach(p -> out.add(p.path("field").asText()));
        return out;
    }

    /** Audit records of a kind whose detail has {@code key} = {@code value}. */
    static int audited(String kind, String key, String value) {
        try (Connection c = node.database().dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM audit_record WHERE kind = ? AND detail ->> ? = ?")) {
            s.setString(1, kind);
            s.setString(2, key);
            s.setString(3, value);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String agreementsNow() {
        Response r = admin.get("/api/agreements", "application/json");
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    @Test
    void badAgreementsAre400NamingTheFieldsStoreNothingAndAreAudited() {
        String before = agreementsNow();
        ObjectNode reversed = mou().put("valid_from", "2030-01-01").put("valid_until", "2026-01-01");
        ObjectNode unknownParty = mou();
        unknownParty.putArray("parties").add(own).add("identity--00000000-0000-4000-8000-000000000000");
        ObjectNode tlp = mou();
        ((ObjectNode) tlp.get("rules")).put("max_tlp", "orange");
        ObjectNode personal = mou();
        ((ObjectNode) personal.get("rules")).putObject("personal_data").put("allowed", true);
        String[][] cases = {
                {reversed.toString(), "/valid_until"},
                {unknownParty.toString(), "/parties/1"},
                {tlp.toString(), "/rules/max_tlp"},
                {personal.toString(), "/rules/personal_data/legal_basis"},
                {"{\"title\": ", ""},
        };
        for (String[] c : cases) {
            int rejected = audited("rejected-request", "path", "POST /api/agreements");
            Response r = json(admin, "POST", "/api/agreements", c[0]);
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.json().path("http_status").asInt()).isEqualTo(400);
            assertThat(fields(r)).as(r.body()).contains(c[1]);
            assertThat(agreementsNow()).as("nothing stored").isEqualTo(before);
            assertThat(audited("rejected-request", "path", "POST /api/agreements")).as("the attempt is audited")
                    .isEqualTo(rejected + 1);
        }
        Response both = json(admin, "POST", "/api/agreements", reversed.deepCopy().set("rules", tlp.get("rules")).toString());
        assertThat(fields(both)).as("every problem at once").contains("/valid_until", "/rules/max_tlp");
    }

    @Test
    void onlyAdministratorsChangeAgreements() {
        String before = agreementsNow();
        int refused = audited("rejected-request", "rule", "not-administrator");
        Response r = json(reader, "POST", "/api/agreements", mou().toString());
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json().path("description").asText()).contains("only administrators");
        assertThat(agreementsNow()).isEqualTo(before);
        assertThat(audited("rejected-request", "rule", "not-administrator")).isEqualTo(refused + 1);
    }

    @Test
    void everyChangeAddsAVersion() {
        Response created = json(admin, "POST", "/api/agreements", mou().put("status", "draft").toString());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asText();
        String versions = "/api/agreements/" + id + "/versions";
        assertThat(admin.get(versions, "application/json").json().path("versions")).hasSize(1);

        ObjectNode changed = mou().put("status", "draft");
        ((ObjectNode) changed.get("rules")).put("retention_days", 90);
        Response put = json(admin, "PUT", "/api/agreements/" + id, changed.toString());
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().path("version").asInt()).isEqualTo(2);

        Response active = json(admin, "POST", "/api/agreements/" + id + "/status", "{\"status\":\"active\"}");
        assertThat(active.json().path("status").asText()).isEqualTo("active");
        Response unknown = json(admin, "POST", "/api/agreements/" + id + "/status", "{\"status\":\"paused\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(fields(unknown)).containsExactly("/status");
        json(admin, "POST", "/api/agreements/" + id + "/status", "{\"status\":\"terminated\"}");
        Response afterTermination = json(admin, "PUT", "/api/agreements/" + id, changed.toString());
        assertThat(afterTermination.status()).isEqualTo(400);

        JsonNode history = admin.get(versions, "application/json").json().path("versions");
        assertThat(history).hasSize(4);
        assertThat(history.get(0).path("document").path("status").asText()).isEqualTo("draft");
        assertThat(history.get(1).path("document").path("rules").path("retention_days").asInt()).isEqualTo(90);
        assertThat(history.get(2).path("document").path("status").asText()).isEqualTo("active");
        assertThat(history.get(3).path("document").path("status").asText()).isEqualTo("terminated");
        assertThat(history.get(3).path("changed_by").asText()).isEqualTo("root");
    }

    @Test
    void explainNamesTheParameterItCannotUse() {
        String object = URLEncoder.encode("indicator--00000000-0000-4000-8000-000000000000", StandardCharsets.UTF_8);
        String[][] cases = {
                {"/api/policy/explain?recipient=" + partner, "object"},
                {"/api/policy/explain?object=" + object + "&recipient=Nobody", "recipient"},
                {"/api/policy/explain?object=" + object + "&recipient=" + partner + "&purpose=curiosity", "purpose"},
                {"/api/policy/explain?object=" + object + "&recipient=" + partner + "&action=print", "action"},
                {"/api/policy/explain?object=" + object + "&recipient=" + partner, "object"},
        };
        for (String[] c : cases) {
            Response r = admin.get(c[0], "application/json");
            assertThat(r.status()).as(c[0] + " " + r.body()).isEqualTo(400);
            assertThat(fields(r)).as(c[0]).containsExactly(c[1]);
        }
    }

    @Test
    void aForgedOrganisationOnATaxiiReadIsRefusedAndAudited() {
        String intel = node.services().store().collection(Node.DEFAULT_COLLECTION).orElseThrow().id();
        String objects = "/taxii2/intel/collections/" + intel + "/objects/";
        int forged = audited("rejected-request", "rule", "forged-organisation");
        Response r = send(admin, "GET", objects, null, PolicyGate.ORGANISATION_HEADER, partner);
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.contentType()).isEqualTo(Http.TAXII);
        assertThat(r.json().path("title").asText()).isNotBlank();
        assertThat(r.json().path("description").asText()).contains("not for '" + partner + "'");
        assertThat(audited("rejected-request", "rule", "forged-organisation")).isEqualTo(forged + 1);

        Response honest = send(admin, "GET", objects, null, PolicyGate.ORGANISATION_HEADER, own);
        assertThat(honest.status()).as("naming one's own organisation is fine").isEqualTo(200);
    }

    @Test
    void anUnknownPurposeIs400() {
        String intel = node.services().store().collection(Node.DEFAULT_COLLECTION).orElseThrow().id();
        Response r = send(reader, "GET", "/taxii2/intel/collections/" + intel + "/objects/", null,
                PolicyGate.PURPOSE_HEADER, "curiosity");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo(Http.TAXII);
        assertThat(r.json().path("description").asText()).contains("purpose 'curiosity'").contains("intelligence-analysis");
        assertThat(audited("rejected-request", "rule", "unknown-purpose")).isPositive();
    }
}
