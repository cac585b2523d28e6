package org.entente.node.search;

import org.entente.node.testing.Staff;
import org.entente.node.config.NodeConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.entente.node.Node;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;
import org.entente.node.testing.Http;
import org.entente.node.testing.Stix;
import org.entente.node.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SearchApiTest {
    static Node node;
    static Http analyst;
    static Http admin;

    @BeforeAll
    static void start() {
        node = Node.start(new NodeConfig("127.0.0.1", 0, TestPostgres.freshDatabase(), false, null, null,
                NodeConfig.DEFAULT_MAX_CONTENT_LENGTH, "search"));
        Staff users = new Staff(node.services());
        ObjectStore store = node.services().store();
        users.create("root", "root-password-1", true);
        users.create("analyst", "analyst-password-1", false);
        CollectionInfo mine = store.createCollection("c-mine", "mine", "Mine", null);
        CollectionInfo secret = store.createCollection("c-secret", "secret", "Secret", null);
        users.grant(mine.id(), "analyst", true, false);
        admin = new Http(node.url(), Http.basic("root", "root-password-1"));
        analyst = admin.as(Http.basic("analyst", "analyst-password-1"));
        admin.post("/taxii2/intel/collections/c-mine/objects/", Stix.envelope(
                Stix.indicator("[ipv4-addr:value = '203.0.113.0/24']"), Stix.indicator("[domain-name:value = 'c2.example']")));
        admin.post("/taxii2/intel/collections/c-secret/objects/", Stix.envelope(
                Stix.indicator("[ipv4-addr:value = '203.0.113.7']")));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static List<String> collections(JsonNode r) {
        List<String> out = new ArrayList<>();
        r.path("mentions").forEach(m -> out.add(m.path("collection").asText()));
        return out;
    }

    @Test
    void findsObjectsMentioningAValueInReadableCollectionsOnly() {
        Http.Response r = analyst.get("/api/v1/mentions?value=203.0.113.7", "application/json");
        assertThat(r.status()).isEqualTo(200);
        // The CIDR block of 'mine' contains the address; the exact match sits in 'secret', which she may not read.
        assertThat(collections(r.json())).containsExactly("c-mine");
        assertThat(r.json().path("mentions").get(0).path("matched_value").asText()).isEqualTo("203.0.113.0/24");
        assertThat(collections(admin.get("/api/v1/mentions?value=203.0.113.7", "application/json").json()))
                .containsExactlyInAnyOrder("c-mine", "c-secret");
        assertThat(collections(analyst.get("/api/v1/mentions?value=C2.EXAMPLE", "application/json").json()))
                .containsExactly("c-mine");
        assertThat(analyst.get("/api/v1/mentions?value=198.51.100.1", "application/json").json().path("mentions")).isEmpty();
    }

    @Test
    void badQueriesAndMissingCredentialsAreRefused() {
        Http.Response noValue = analyst.get("/api/v1/mentions", "application/json");
        assertThat(noValue.status()).isEqualTo(400);
        assertThat(noValue.json().path("description").asText()).contains("?value=");
        assertThat(analyst.get("/api/v1/mentions?value=x&limit=0", "application/json").status()).isEqualTo(400);
        Http.Response anonymous = analyst.as(null).get("/api/v1/mentions?value=203.0.113.7", "application/json");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().path("description").asText()).contains("authentication required");
    }
}
