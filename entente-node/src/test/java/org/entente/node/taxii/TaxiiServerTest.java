package org.entente.node.taxii;

import org.entente.node.testing.Staff;
import org.entente.node.users.ApiKeys;
import org.entente.node.config.NodeConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.entente.node.Node;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;
import org.entente.node.testing.Http;
import org.entente.node.testing.Http.Response;
import org.entente.node.testing.Stix;
import org.entente.node.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The TAXII 2.1 server over real HTTP on loopback, against a real PostgreSQL. */
class TaxiiServerTest {
    static final String ADMIN_PASSWORD = "correct horse battery";
    static Node node;
    static Http admin;
    static Staff users;
    static ObjectStore store;
    static String root;

    @BeforeAll
    static void start() {
        node = Node.start(new NodeConfig("127.0.0.1", 0, TestPostgres.freshDatabase(), false, null, null, 64 * 1024,
                "Test node"));
        users = new Staff(node.services());
        store = node.services().store();
        users.create("root", ADMIN_PASSWORD, true);
        admin = new Http(node.url(), Http.basic("root", ADMIN_PASSWORD));
        root = "/taxii2/intel/";
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static CollectionInfo newCollection(String alias) {
        return store.createCollection(java.util.UUID.randomUUID().toString(), alias, "Collection " + alias, null);
    }

    static String objects(CollectionInfo c) {
        return root + "collections/" + c.id() + "/objects/";
    }

    static List<String> ids(Response r) {
        List<String> out = new ArrayList<>();
        r.json().path("objects").forEach(o -> out.add(o.path("id").asText()));
        return out;
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void assertTaxiiError(Response r, int status, String... descriptionContains) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo(Http.TAXII);
        JsonNode e = r.json();
        assertThat(e.path("title").asText()).isNotBlank();
        assertThat(e.path("http_status").asText()).isEqualTo(Integer.toString(status));
        for (String s : descriptionContains) assertThat(e.path("description").asText()).contains(s);
    }

    // ------------------------------------------------------------------ discovery and collections

    @Test
    void discoveryNamesTheApiRootAndNeedsAuthentication() {
        Response anonymous = admin.as(null).get("/taxii2/");
        assertTaxiiError(anonymous, 401, "authentication required");
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");

        Response r = admin.get("/taxii2/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo(Http.TAXII);
        assertThat(r.json().path("api_roots").get(0).asText()).endsWith("/taxii2/intel/");
        assertThat(r.json().path("default").asText()).endsWith("/taxii2/intel/");

        Response apiRoot = admin.get(root);
        assertThat(apiRoot.json().path("versions").get(0).asText()).isEqualTo(Http.TAXII);
        assertThat(apiRoot.json().path("max_content_length").asLong()).isEqualTo(64 * 1024);
    }

    @Test
    void healthNeedsNoAuthentication() {
        Response r = admin.as(null).get("/health", "application/json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void collectionsListOnlyWhatTheUserMaySee() {
        CollectionInfo visible = newCollection("visible-" + System.nanoTime() % 100000);
        CollectionInfo hidden = newCollection("hidden-" + System.nanoTime() % 100000);
        users.create("reader1", "reader1-password", false);
        users.grant(visible.id(), "reader1", true, false);
        Http reader = admin.as(Http.basic("reader1", "reader1-password"));

        Response list = reader.get(root + "collections/");
        List<String> ids = new ArrayList<>();
        list.json().path("collections").forEach(c -> ids.add(c.path("id").asText()));
        assertThat(ids).containsExactly(visible.id());
        JsonNode c = list.json().path("collections").get(0);
        assertThat(c.path("can_read").asBoolean()).isTrue();
        assertThat(c.path("can_write").asBoolean()).isFalse();
        assertThat(c.path("media_types").get(0).asText()).isEqualTo("application/stix+json;version=2.1");

        assertTaxiiError(reader.get(root + "collections/" + hidden.id() + "/"), 404);
        assertTaxiiError(reader.get(objects(hidden)), 404);
        assertTaxiiError(reader.post(objects(visible), Stix.envelope(Stix.indicator("[ipv4-addr:value = '10.0.0.1']"))),
                403, "may not add");
    }

    @Test
    void writeOnlyUsersMayPostButNotRead() {
        CollectionInfo c = newCollection("dropbox");
        users.create("writer1", "writer1-password", false);
        users.grant(c.id(), "writer1", false, true);
        Http writer = admin.as(Http.basic("writer1", "writer1-password"));
        Response posted = writer.post(objects(c), Stix.envelope(Stix.indicator("[ipv4-addr:value = '10.0.0.2']")));
        assertThat(posted.status()).as(posted.body()).isEqualTo(202);
        assertTaxiiError(writer.get(objects(c)), 403);
        assertThat(ids(admin.get(objects(c)))).hasSize(1);
    }

    // ------------------------------------------------------------------ adding and reading

    @Test
    void postedEnvelopeIsStoredAndReportedInAStatusResource() {
        CollectionInfo c = newCollection("post");
        String a = Stix.indicator("[ipv4-addr:value = '198.51.100.1']");
        String b = Stix.indicator("[domain-name:value = 'evil.example']");
        Response posted = admin.post(objects(c), Stix.envelope(a, b));
        assertThat(posted.status()).as(posted.body()).isEqualTo(202);
        JsonNode status = posted.json();
        assertThat(status.path("status").asText()).isEqualTo("complete");
        assertThat(status.path("total_count").asInt()).isEqualTo(2);
        assertThat(status.path("success_count").asInt()).isEqualTo(2);
        assertThat(status.path("successes").size()).isEqualTo(2);

        Response again = admin.get(root + "status/" + status.path("id").asText() + "/");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("success_count").asInt()).isEqualTo(2);

        Response got = admin.get(objects(c));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.contentType()).isEqualTo(Http.TAXII);
        assertThat(got.json().path("more").asBoolean()).isFalse();
        assertThat(ids(got)).hasSize(2);
        assertThat(got.header("X-TAXII-Date-Added-First")).isNotNull();
        assertThat(got.header("X-TAXII-Date-Added-Last")).isNotNull()
                .isGreaterThan(got.header("X-TAXII-Date-Added-First"));
        // Objects are served as they were given, with the signature of the node that produced them
        // (docs/FEDERATION.md): the one property extension the node adds.
        com.fasterxml.jackson.databind.node.ObjectNode served =
                (com.fasterxml.jackson.databind.node.ObjectNode) got.json().path("objects").get(0).deepCopy();
        JsonNode signature = ((com.fasterxml.jackson.databind.node.ObjectNode) served.get("extensions"))
                .remove("extension-definition--2c5f0b31-9c4e-4a7a-8f3e-5d1b6a0c9e47");
        assertThat(signature.path("signer").asText()).startsWith("identity--");
        assertThat(served.get("extensions").isEmpty()).isTrue();
        served.remove("extensions");
        assertThat(served).isEqualTo(new Http.Response(0, a, null).json());
    }

    @Test
    void statusResourcesAreOnlyForTheirRequester() {
        CollectionInfo c = newCollection("status-owner");
        Response posted = admin.post(objects(c), Stix.envelope(Stix.indicator("[ipv4-addr:value = '10.9.9.9']")));
        users.create("other1", "other1-password", false);
        Response r = admin.as(Http.basic("other1", "other1-password"))
                .get(root + "status/" + posted.json().path("id").asText() + "/");
        assertTaxiiError(r, 404);
        assertTaxiiError(admin.get(root + "status/no-such-status/"), 404);
    }

    @Test
    void pagingWithLimitAndNextWalksTheCollectionInDateAddedOrder() {
        CollectionInfo c = newCollection("paging");
        List<String> posted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = Stix.indicatorId();
            posted.add(id);
            admin.post(objects(c), Stix.envelope(
                    Stix.indicator(id, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '10.1.0." + i + "']")));
        }
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            Response r = admin.get(objects(c) + "?limit=2" + (next == null ? "" : "&next=" + q(next)));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            seen.addAll(ids(r));
            next = r.json().path("more").asBoolean() ? r.json().path("next").asText() : null;
            pages++;
        } while (next != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(posted);

        Response manifest = admin.get(root + "collections/" + c.id() + "/manifest/?limit=3");
        assertThat(manifest.json().path("objects")).hasSize(3);
        assertThat(manifest.json().path("more").asBoolean()).isTrue();
        JsonNode rec = manifest.json().path("objects").get(0);
        assertThat(rec.path("id").asText()).isEqualTo(posted.get(0));
        assertThat(rec.path("version").asText()).isEqualTo("2024-01-01T00:00:00.000Z");
        assertThat(rec.path("media_type").asText()).isEqualTo("application/stix+json;version=2.1");
        assertThat(rec.path("date_added").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3,6}Z");

        String addedAfter = rec.path("date_added").asText();
        assertThat(ids(admin.get(objects(c) + "?added_after=" + q(addedAfter)))).containsExactlyElementsOf(
                posted.subList(1, 5));
    }

    @Test
    void versionsAreKeptAndMatchVersionSelectsThem() {
        CollectionInfo c = newCollection("versions");
        String id = Stix.indicatorId();
        String v1 = Stix.indicator(id, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '10.2.0.1']");
        String v2 = Stix.indicator(id, "2024-02-01T00:00:00.000Z", "[ipv4-addr:value = '10.2.0.2']");
        String v3 = Stix.indicator(id, "2024-03-01T00:00:00.000Z", "[ipv4-addr:value = '10.2.0.3']");
        String other = Stix.indicator("[ipv4-addr:value = '10.2.0.9']");
        // Out of order on purpose: the latest version is decided by modified, not arrival.
        admin.post(objects(c), Stix.envelope(v2, other));
        admin.post(objects(c), Stix.envelope(v3));
        admin.post(objects(c), Stix.envelope(v1));

        Response latest = admin.get(objects(c) + "?match[id]=" + id);
        assertThat(latest.json().path("objects")).hasSize(1);
        assertThat(latest.json().path("objects").get(0).path("modified").asText()).isEqualTo("2024-03-01T00:00:00.000Z");

        Response first = admin.get(objects(c) + "?match[id]=" + id + "&match[version]=first");
        assertThat(first.json().path("objects").get(0).path("modified").asText()).isEqualTo("2024-01-01T00:00:00.000Z");

        Response all = admin.get(objects(c) + "?match[id]=" + id + "&match[version]=all");
        assertThat(all.json().path("objects")).hasSize(3);

        Response exact = admin.get(objects(c) + "?match[version]=" + q("2024-02-01T00:00:00Z"));
        assertThat(exact.json().path("objects")).hasSize(1);
        assertThat(exact.json().path("objects").get(0).path("pattern").asText()).contains("10.2.0.2");

        Response firstAndLast = admin.get(objects(c) + "?match[id]=" + id + "&match[version]=first,last");
        assertThat(firstAndLast.json().path("objects")).hasSize(2);

        Response versions = admin.get(objects(c) + id + "/versions/");
        assertThat(versions.status()).isEqualTo(200);
        List<String> vs = new ArrayList<>();
        versions.json().path("versions").forEach(v -> vs.add(v.asText()));
        assertThat(vs).containsExactlyInAnyOrder("2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z",
                "2024-03-01T00:00:00.000Z");

        Response byId = admin.get(objects(c) + id + "/?match[version]=all");
        assertThat(byId.json().path("objects")).hasSize(3);
        Response byIdDefault = admin.get(objects(c) + id + "/");
        assertThat(byIdDefault.json().path("objects")).hasSize(1);

        Response byType = admin.get(objects(c) + "?match[type]=indicator,malware");
        assertThat(byType.json().path("objects")).hasSize(2);
        assertThat(admin.get(objects(c) + "?match[type]=malware").json().path("objects").isMissingNode()).isTrue();
        assertThat(admin.get(objects(c) + "?match[spec_version]=2.1").json().path("objects")).hasSize(2);
    }

    @Test
    void versionsArrivingTogetherAndReimportedAreOrderedByModified() {
        CollectionInfo c = newCollection("versions-batch");
        String id = Stix.indicatorId();
        String v1 = Stix.indicator(id, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '10.8.0.1']");
        String v2 = Stix.indicator(id, "2024-02-01T00:00:00.000Z", "[ipv4-addr:value = '10.8.0.2']");
        String v3 = Stix.indicator(id, "2024-03-01T00:00:00.000Z", "[ipv4-addr:value = '10.8.0.3']");
        admin.post(objects(c), Stix.envelope(v2, v3, v1));
        // The same versions again, plus nothing new: the collection does not change.
        Response again = admin.post(objects(c), Stix.envelope(v1, v3));
        assertThat(again.status()).isEqualTo(202);
        assertThat(admin.get(objects(c) + id + "/versions/").json().path("versions")).hasSize(3);
        assertThat(admin.get(objects(c) + "?match[id]=" + id).json().path("objects").get(0).path("modified").asText())
                .isEqualTo("2024-03-01T00:00:00.000Z");
        assertThat(admin.get(objects(c) + "?match[id]=" + id + "&match[version]=first").json().path("objects").get(0)
                .path("modified").asText()).isEqualTo("2024-01-01T00:00:00.000Z");
    }

    @Test
    void deleteRemovesAnObjectFromTheCollection() {
        CollectionInfo c = newCollection("delete");
        String id = Stix.indicatorId();
        admin.post(objects(c), Stix.envelope(Stix.indicator(id, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '10.3.0.1']"),
                Stix.indicator(id, "2024-01-02T00:00:00.000Z", "[ipv4-addr:value = '10.3.0.2']")));
        Response onlyFirst = admin.delete(objects(c) + id + "/?match[version]=first");
        assertThat(onlyFirst.status()).as(onlyFirst.body()).isEqualTo(200);
        assertThat(admin.get(objects(c) + id + "/versions/").json().path("versions")).hasSize(1);

        assertThat(admin.delete(objects(c) + id + "/").status()).isEqualTo(200);
        assertTaxiiError(admin.get(objects(c) + id + "/"), 404, id);
        assertTaxiiError(admin.delete(objects(c) + id + "/"), 404);
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void malformedJsonIsRefusedAndNothingIsStored() {
        CollectionInfo c = newCollection("bad-json");
        assertTaxiiError(admin.post(objects(c), "{\"objects\": [ {\"type\": "), 400, "not valid JSON");
        assertTaxiiError(admin.post(objects(c), "[1,2,3]"), 400, "envelope");
        assertTaxiiError(admin.post(objects(c), "{\"objects\": {}}"), 400, "envelope");
        assertThat(store.list(c.id(), new org.entente.node.store.ObjectQuery(null, 10, List.of(), List.of(),
                org.entente.node.store.VersionMatch.ALL, List.of()), false).entries()).isEmpty();
    }

    @Test
    void anInvalidObjectRejectsTheWholeEnvelope() {
        CollectionInfo c = newCollection("invalid");
        String good = Stix.indicator("[ipv4-addr:value = '10.4.0.1']");
        String bad = "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--not-a-uuid\","
                + "\"created\":\"2024-01-01T00:00:00Z\",\"modified\":\"2023-01-01T00:00:00Z\",\"pattern_type\":\"stix\","
                + "\"pattern\":\"[ipv4-addr:value = '10.4.0.2']\",\"valid_from\":\"2024-01-01T00:00:00Z\"}";
        Response r = admin.post(objects(c), Stix.envelope(good, bad));
        assertTaxiiError(r, 422, "nothing of this envelope was stored");
        JsonNode invalid = r.json().path("details").path("invalid_objects");
        assertThat(invalid).hasSize(1);
        assertThat(invalid.get(0).path("index").asInt()).isEqualTo(1);
        assertThat(invalid.get(0).path("problems").toString()).contains("/objects/1/id");
        assertThat(admin.get(objects(c)).json().path("objects").isMissingNode()).isTrue();
    }

    @Test
    void anIndicatorWhosePatternDoesNotParseIsRefused() {
        CollectionInfo c = newCollection("bad-pattern");
        Response r = admin.post(objects(c), Stix.envelope(Stix.indicator("[ipv4-addr:value = '10.4.0.9'")));
        assertTaxiiError(r, 422);
        assertThat(r.json().path("details").path("invalid_objects").get(0).path("problems").toString())
                .contains("/objects/0/pattern");
        assertThat(admin.get(objects(c)).json().path("objects").isMissingNode()).isTrue();
    }

    @Test
    void wrongMediaTypesAreRefused() {
        CollectionInfo c = newCollection("media");
        String env = Stix.envelope(Stix.indicator("[ipv4-addr:value = '10.5.0.1']"));
        assertTaxiiError(admin.post(objects(c), env, "application/json"), 415, "application/json");
        assertTaxiiError(admin.post(objects(c), env, "application/taxii+json;version=2.0"), 415);
        assertTaxiiError(admin.get(objects(c), "application/xml"), 406, "application/xml");
        assertTaxiiError(admin.get(objects(c), "application/taxii+json;version=2.0"), 406);
        assertThat(admin.get(objects(c), "application/taxii+json").status()).isEqualTo(200);
        assertThat(admin.get(objects(c), "*/*").status()).isEqualTo(200);
        assertThat(admin.get(objects(c)).json().path("objects").isMissingNode()).isTrue();
    }

    @Test
    void envelopesOverMaxContentLengthGet413() {
        CollectionInfo c = newCollection("big");
        StringBuilder many = new StringBuilder();
        List<String> objects = new ArrayList<>();
        for (int i = 0; i < 400; i++) objects.add(Stix.indicator("[ipv4-addr:value = '10.6." + (i / 250) + "." + (i % 250) + "']"));
        many.append(Stix.envelope(objects.toArray(String[]::new)));
        assertThat(many.length()).isGreaterThan(64 * 1024);
        assertTaxiiError(admin.post(objects(c), many.toString()), 413, "max_content_length");
        assertThat(admin.get(objects(c)).json().path("objects").isMissingNode()).isTrue();
    }

    @Test
    void badQueryParametersAreNamed() {
        CollectionInfo c = newCollection("params");
        admin.post(objects(c), Stix.envelope(Stix.indicator("[ipv4-addr:value = '10.7.0.1']"),
                Stix.indicator("[ipv4-addr:value = '10.7.0.2']")));
        assertTaxiiError(admin.get(objects(c) + "?added_after=yesterday"), 400, "added_after", "yesterday");
        assertTaxiiError(admin.get(objects(c) + "?limit=ten"), 400, "limit");
        assertTaxiiError(admin.get(objects(c) + "?limit=0"), 400, "limit");
        assertTaxiiError(admin.get(objects(c) + "?match[version]=newest"), 400, "match[version]");
        assertTaxiiError(admin.get(objects(c) + "?next=forged.token"), 400, "not issued by this server");

        String next = admin.get(objects(c) + "?limit=1").json().path("next").asText();
        assertThat(next).isNotEmpty();
        // A token is bound to the query that produced it.
        assertTaxiiError(admin.get(objects(c) + "?match[type]=indicator&next=" + q(next)), 400, "different request");
        String tampered = next.substring(0, next.length() - 2) + (next.endsWith("AA") ? "BB" : "AA");
        assertTaxiiError(admin.get(objects(c) + "?next=" + q(tampered)), 400, "not issued");
        assertThat(admin.get(objects(c) + "?limit=1&next=" + q(next)).json().path("objects")).hasSize(1);
    }

    @Test
    void unknownResourcesAre404WithATaxiiBody() {
        CollectionInfo c = newCollection("unknown");
        assertTaxiiError(admin.get(root + "collections/no-such-collection/objects/"), 404, "no collection");
        assertTaxiiError(admin.get(objects(c) + "indicator--00000000-0000-4000-8000-000000000000/"), 404);
        assertTaxiiError(admin.get(objects(c) + "indicator--00000000-0000-4000-8000-000000000000/versions/"), 404);
        assertTaxiiError(admin.get("/taxii2/elsewhere/"), 404);
    }

    // ------------------------------------------------------------------ authentication

    @Test
    void apiKeysAuthenticateAsBearerTokensAndCanBeRevoked() {
        users.create("keyholder", "keyholder-password", false);
        ApiKeys.NewApiKey key = users.createApiKey("keyholder", "test");
        Http withKey = admin.as(Http.bearer(key.secret()));
        assertThat(withKey.get("/taxii2/").status()).isEqualTo(200);
        assertTaxiiError(admin.as(Http.bearer(key.secret() + "x")).get("/taxii2/"), 401);
        assertTaxiiError(admin.as(Http.bearer("not-a-key")).get("/taxii2/"), 401, "ent_");
        users.revokeApiKey(key.keyId());
        assertTaxiiError(withKey.get("/taxii2/"), 401, "revoked");
    }

    @Test
    void repeatedFailedLoginsAreSlowedDown() {
        users.create("target", "target-password", false);
        Http wrong = admin.as(Http.basic("target", "wrong-password"));
        for (int i = 0; i < 5; i++) assertTaxiiError(wrong.get("/taxii2/"), 401);
        Response throttled = wrong.get("/taxii2/");
        assertTaxiiError(throttled, 429, "try again");
        assertThat(throttled.header("Retry-After")).isNotNull();
        // Even the right password waits: guessing cannot continue at full speed.
        assertTaxiiError(admin.as(Http.basic("target", "target-password")).get("/taxii2/"), 429);
        assertTaxiiError(admin.as(Http.basic("nobody", "x")).get("/taxii2/"), 401);
    }
}
