package org.entente.node.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.testing.Http;
import org.entente.node.testing.NodeProcess;
import org.entente.node.testing.Stix;
import org.entente.node.testing.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * A request id an operator can follow: sent by the client (or made up by the node), returned in
 * the answer, on the JSON log line `entente serve` writes to standard error for the request, and
 * in the audit record of what the request released.
 */
class RequestIdTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRequestIdReachesTheJsonLogAndTheAuditRecord() throws Exception {
        DatabaseLocation.External db = TestPostgres.freshDatabase();
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=postgres&password=postgres";
        Map<String, String> env = Map.of("ENTENTE_ADMIN_USER", "ops", "ENTENTE_ADMIN_PASSWORD", "ops-password-123",
                "ENTENTE_DATABASE_URL", url, "ENTENTE_LOG_FORMAT", "json");
        try (NodeProcess serve = NodeProcess.start(env, "serve", "--port", "0")) {
            String base = serve.awaitLine("Entente node listening on ", 60).substring("Entente node listening on ".length());
            Http ops = new Http(base, Http.basic("ops", "ops-password-123"));
            String collection = ops.get("/taxii2/intel/collections/").json().path("collections").get(0).path("id").asText();
            String objects = "/taxii2/intel/collections/" + collection + "/objects/";
            assertThat(ops.post(objects, Stix.envelope(Stix.indicator("[ipv4-addr:value = '192.0.2.77']"))).status())
                    .isEqualTo(202);

            String id = "probe-7f3a.request:1";
            Http.Response r = ops.send(HttpRequest.newBuilder(URI.create(base + objects.substring(1)))
                    .header("Authorization", Http.basic("ops", "ops-password-123")).header("Accept", Http.TAXII)
                    .header("X-Request-Id", id).GET().build());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.header("X-Request-Id")).isEqualTo(id);

            JsonNode line = logLine(serve, id);
            assertThat(line.path("level").asText()).isEqualTo("INFO");
            assertThat(line.path("formattedMessage").asText()).contains("GET " + objects).contains("200");
            assertThat(line.path("kvpList").toString()).contains("\"status\":\"200\"").contains("\"user\":\"ops\"");
            assertThat(auditKinds(db, id)).contains("release");

            // An id the node cannot take as it is (spaces, too long) is replaced by one of its own, and said so.
            Http.Response odd = ops.send(HttpRequest.newBuilder(URI.create(base + "taxii2/"))
                    .header("Authorization", Http.basic("ops", "ops-password-123")).header("Accept", Http.TAXII)
                    .header("X-Request-Id", "not an id; DROP TABLE").GET().build());
            String given = odd.header("X-Request-Id");
            assertThat(given).isNotBlank().isNotEqualTo("not an id; DROP TABLE").matches("[0-9a-f-]{36}");
            assertThat(logLine(serve, given).path("formattedMessage").asText()).contains("GET /taxii2/");
        }
    }

    /** The JSON log line on standard error whose MDC holds this request id (waiting a little for it). */
    static JsonNode logLine(NodeProcess p, String requestId) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            for (String l : p.errorLines()) {
                if (!l.startsWith("{")) continue;
                try {
                    JsonNode n = JSON.readTree(l);
                    if (requestId.equals(n.path("mdc").path("request_id").asText())) return n;
                } catch (java.io.IOException e) {
                    throw new AssertionError("a log line that is not JSON: " + l, e);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no JSON log line with request id " + requestId + " in:\n"
                + String.join("\n", p.errorLines()));
    }

    static List<String> auditKinds(DatabaseLocation.External db, String requestId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                PreparedStatement s = c.prepareStatement("SELECT kind FROM audit_record WHERE detail ->> 'request_id' = ?")) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }
}
