package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.testing.Http;
import org.entente.node.testing.NodeProcess;
import org.entente.node.testing.Stix;
import org.entente.node.testing.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * Two `entente serve` processes on one external PostgreSQL behave as one node: what one accepts,
 * the other serves, with the same status resources and paging tokens. This is how a deployment
 * grows beyond one machine.
 */
class TwoProcessesTest {

    @Test
    void twoServeProcessesOnOneDatabaseServeTheSameData() throws Exception {
        DatabaseLocation.External db = TestPostgres.freshDatabase();
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=postgres&password=postgres";
        Map<String, String> env = Map.of("ENTENTE_ADMIN_USER", "ops", "ENTENTE_ADMIN_PASSWORD", "ops-password-123",
                "ENTENTE_DATABASE_URL", url);
        try (NodeProcess a = NodeProcess.start(env, "serve", "--port", "0");
                NodeProcess b = NodeProcess.start(env, "serve", "--port", "0")) {
            String urlA = a.awaitLine("Entente node listening on ", 60).substring("Entente node listening on ".length());
            String urlB = b.awaitLine("Entente node listening on ", 60).substring("Entente node listening on ".length());
            assertThat(urlA).isNotEqualTo(urlB);
            Http nodeA = new Http(urlA, Http.basic("ops", "ops-password-123"));
            Http nodeB = new Http(urlB, Http.basic("ops", "ops-password-123"));

            String collection = nodeA.get("/taxii2/intel/collections/").json().path("collections").get(0).path("id").asText();
            assertThat(nodeB.get("/taxii2/intel/collections/").json().path("collections").get(0).path("id").asText())
                    .isEqualTo(collection);
            String objects = "/taxii2/intel/collections/" + collection + "/objects/";

            Http.Response posted = nodeA.post(objects, Stix.envelope(Stix.indicator("[ipv4-addr:value = '10.30.0.1']"),
                    Stix.indicator("[ipv4-addr:value = '10.30.0.2']"), Stix.indicator("[ipv4-addr:value = '10.30.0.3']")));
            assertThat(posted.status()).as(posted.body()).isEqualTo(202);
            String status = posted.json().path("id").asText();
            assertThat(nodeB.get("/taxii2/intel/status/" + status + "/").json().path("success_count").asInt()).isEqualTo(3);

            Http.Response page1 = nodeA.get(objects + "?limit=2");
            assertThat(page1.json().path("objects")).hasSize(2);
            String next = URLEncoder.encode(page1.json().path("next").asText(), StandardCharsets.UTF_8);
            Http.Response page2 = nodeB.get(objects + "?limit=2&next=" + next);
            assertThat(page2.status()).as(page2.body()).isEqualTo(200);
            assertThat(page2.json().path("objects")).hasSize(1);
            assertThat(page2.json().path("more").asBoolean()).isFalse();

            // Writes through both processes keep one strict date_added order.
            nodeB.post(objects, Stix.envelope(Stix.indicator("[ipv4-addr:value = '10.30.0.4']")));
            nodeA.post(objects, Stix.envelope(Stix.indicator("[ipv4-addr:value = '10.30.0.5']")));
            var manifest = nodeB.get(objects.replace("/objects/", "/manifest/")).json().path("objects");
            assertThat(manifest).hasSize(5);
            for (int i = 1; i < manifest.size(); i++) {
                assertThat(manifest.get(i).path("date_added").asText())
                        .isGreaterThan(manifest.get(i - 1).path("date_added").asText());
            }
        }
    }
}
