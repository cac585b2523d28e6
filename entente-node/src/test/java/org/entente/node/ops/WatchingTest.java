package org.entente.node.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.entente.node.Node;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import org.entente.node.testing.Http;
import org.entente.node.testing.Http.Response;
import org.entente.node.testing.Staff;
import org.entente.node.testing.Stix;
import org.entente.node.testing.TestPostgres;
import org.entente.stix.Tlp;
import org.junit.jupiter.api.Test;

/** What an operator watches: /metrics (open on loopback, or for administrators only) and /health. */
class WatchingTest {
    static final String ADMIN = "metrics-admin";
    static final String ADMIN_PASSWORD = "metrics admin password";
    static final String ANALYST = "metrics-analyst";
    static final String ANALYST_PASSWORD = "metrics analyst password";

    record Running(Node node, Http admin, Http analyst, Http anonymous, String objects) implements AutoCloseable {
        @Override
        public void close() {
            node.close();
        }
    }

    static Running start(DatabaseLocation.External db, boolean openOnLoopback) {
        Map<Key, String> settings = new EnumMap<>(Key.class);
        settings.put(Key.PORT, "0");
        settings.put(Key.METRICS_OPEN_ON_LOOPBACK, Boolean.toString(openOnLoopback));
        Node node = Node.start(NodeConfig.of(db, settings));
        Staff staff = new Staff(node.services());
        staff.create(ADMIN, ADMIN_PASSWORD, true);
        staff.create(ANALYST, ANALYST_PASSWORD, false);
        String intel = node.services().store().collection(Node.DEFAULT_COLLECTION).orElseThrow().id();
        staff.grant(intel, ANALYST, true, false);
        Http anonymous = new Http(node.url(), null);
        return new Running(node, anonymous.as(Http.basic(ADMIN, ADMIN_PASSWORD)),
                anonymous.as(Http.basic(ANALYST, ANALYST_PASSWORD)), anonymous,
                "/taxii2/intel/collections/" + intel + "/objects/");
    }

    /** The value of one Prometheus sample whose labels include all of {@code labels}; null when absent. */
    static Double sample(String text, String name, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{.*\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(text);
        while (m.find()) {
            String l = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels) all &= l.contains(label);
            if (all) return Double.parseDouble(m.group(2));
        }
        return null;
    }

    @Test
    void metricsAreOpenOnLoopbackAndCountRequestsDecisionsIntakeAuditJvmAndPool() {
        try (Running n = start(TestPostgres.freshDatabase(), true)) {
            String red = Stix.indicator("[ipv4-addr:value = '198.51.100.7']").replace("\"name\"",
                    "\"object_marking_refs\":[\"" + Tlp.RED + "\"],\"name\"");
            assertThat(n.admin().post(n.objects(), Stix.envelope(Stix.indicator("[ipv4-addr:value = '198.51.100.8']"), red))
                    .status()).isEqualTo(202);
            assertThat(n.admin().post(n.objects(), "{\"objects\":[{\"type\":\"indicator\"}]}").status()).isEqualTo(422);
            assertThat(n.admin().get(n.objects()).status()).isEqualTo(200);
            Response analystPage = n.analyst().get(n.objects());
            assertThat(analystPage.json().path("objects")).hasSize(1);
            assertThat(n.anonymous().get("/taxii2/").status()).isEqualTo(401);

            Response r = n.anonymous().get("/metrics", "text/plain");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("text/plain");
            String m = r.body();
            assertThat(sample(m, "http_server_requests_seconds_count", "route=\"/taxii2/intel/collections/{collection}/objects/\"",
                    "method=\"GET\"", "status=\"200\"")).isEqualTo(2.0);
            assertThat(sample(m, "http_server_requests_seconds_count", "route=\"/taxii2/\"", "status=\"401\"")).isEqualTo(1.0);
            assertThat(sample(m, "http_server_requests_seconds_sum", "method=\"POST\"", "status=\"202\"")).isPositive();
            // Administrator and analyst each read one object and are refused the RED one: nobody is named.
            assertThat(sample(m, "entente_policy_decisions_total", "outcome=\"permit\"", "rule=\"own-organisation\""))
                    .isEqualTo(2.0);
            assertThat(sample(m, "entente_policy_decisions_total", "outcome=\"deny\"", "rule=\"tlp-red-not-named\""))
                    .isEqualTo(2.0);
            assertThat(sample(m, "entente_intake_objects_total", "channel=\"taxii\"", "outcome=\"added\"")).isEqualTo(2.0);
            assertThat(sample(m, "entente_intake_objects_total", "channel=\"taxii\"", "outcome=\"refused\"")).isEqualTo(1.0);
            assertThat(sample(m, "entente_audit_records")).isEqualTo((double) n.node().services().audit().head().seq());
            assertThat(sample(m, "jvm_memory_used_bytes", "area=\"heap\"")).isPositive();
            assertThat(sample(m, "hikaricp_connections_max", "pool=\"entente\"")).isEqualTo(12.0);
            assertThat(sample(m, "hikaricp_connections_active", "pool=\"entente\"")).isNotNull();
        }
    }

    @Test
    void withoutTheLoopbackOpeningMetricsAreForAdministratorsOnly() {
        try (Running n = start(TestPostgres.freshDatabase(), false)) {
            Response anonymous = n.anonymous().get("/metrics", "text/plain");
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.contentType()).startsWith("application/json");
            assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");
            Response analyst = n.analyst().get("/metrics", "text/plain");
            assertThat(analyst.status()).isEqualTo(403);
            assertThat(analyst.json().path("description").asText()).contains("administrators");
            assertThat(analyst.body()).doesNotContain("jvm_");
            Response admin = n.admin().get("/metrics", "text/plain");
            assertThat(admin.status()).isEqualTo(200);
            assertThat(admin.body()).contains("entente_audit_records");
        }
    }

    @Test
    void healthReportsTheDatabaseTheSchemaAndTheAuditHeadAnd503WhileTheDatabaseIsGone() throws Exception {
        DatabaseLocation.External db = TestPostgres.freshDatabase();
        String name = db.jdbcUrl().replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
        try (Running n = start(db, true)) {
            Response up = n.anonymous().get("/health", "application/json");
            assertThat(up.status()).isEqualTo(200);
            JsonNode h = up.json();
            assertThat(h.path("status").asText()).isEqualTo("ok");
            assertThat(h.at("/database/status").asText()).isEqualTo("up");
            assertThat(h.at("/migrations/pending").asInt()).isZero();
            assertThat(h.at("/migrations/version").asText()).isNotIn("", "none");
            long records = n.node().services().audit().head().seq();
            assertThat(h.at("/audit/records").asLong()).isEqualTo(records);
            assertThat(h.at("/audit/head").asText()).hasSize(64);

            try (Connection admin = DriverManager.getConnection(
                    "jdbc:postgresql://localhost:" + TestPostgres.port() + "/postgres", "postgres", "postgres");
                    Statement s = admin.createStatement()) {
                s.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
                try {
                    long t0 = System.nanoTime();
                    Response down = n.anonymous().get("/health", "application/json");
                    long millis = (System.nanoTime() - t0) / 1_000_000;
                    assertThat(down.status()).as(down.body()).isEqualTo(503);
                    assertThat(down.json().path("status").asText()).isEqualTo("unavailable");
                    assertThat(down.json().at("/database/status").asText()).isEqualTo("down");
                    assertThat(down.json().at("/database/error").asText()).isNotBlank();
                    assertThat(millis).as("a load balancer is not kept waiting").isLessThan(
                            HealthApi.PATIENCE.toMillis() + 3_000);
                } finally {
                    s.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            Response again = null;
            for (int i = 0; i < 50; i++) {
                again = n.anonymous().get("/health", "application/json");
                if (again.status() == 200) break;
                Thread.sleep(200);
            }
            assertThat(again.status()).as("the node recovers with its database").isEqualTo(200);
        }
    }
}
