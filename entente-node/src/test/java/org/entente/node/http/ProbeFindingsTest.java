package org.entente.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.entente.node.Node;
import org.entente.node.config.NodeConfig;
import org.entente.node.store.CollectionInfo;
import org.entente.node.testing.Http;
import org.entente.node.testing.Http.Response;
import org.entente.node.testing.Staff;
import org.entente.node.testing.Stix;
import org.entente.node.testing.TestPostgres;
import org.entente.node.users.Role;
import org.entente.stix.Tlp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a black-box probe of a demo node found (issue 10, point 11), each as a test over real HTTP.
 * Every finding was reproduced first against a node built from commit 6fe3fee, the code before the
 * restructuring (`entente serve --demo`, probed with curl on 2026-12-07); each test says what that
 * node answered. The tests fail on it and pass now.
 */
class ProbeFindingsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TAXII = Http.TAXII;
    static final String ADMIN_PASSWORD = "probe admin password";
    static final String PARTNER_PASSWORD = "partner analyst password";
    static final String ANALYST_PASSWORD = "own analyst password";
    static Node node;
    static Http admin;
    static Http partnerUser;
    static Http analyst;
    static String own;
    static String partner;
    static String borderPolice;
    static CollectionInfo shared;
    static CollectionInfo intel;

    @BeforeAll
    static void start() {
        node = Node.start(new NodeConfig("127.0.0.1", 0, TestPostgres.freshDatabase(), false, null, null, 64 * 1024,
                "Probe node"));
        Staff staff = new Staff(node.services());
        staff.create("root", ADMIN_PASSWORD, true);
        admin = new Http(node.url(), Http.basic("root", ADMIN_PASSWORD));
        own = node.services().organisations().own().orElseThrow().id();
        partner = created(json(admin, "POST", "/api/organisations",
                "{\"name\":\"Partner Cybercrime Unit\",\"nation\":\"DE\",\"sector\":\"cybercrime\",\"contact_point\":\"24/7 desk\"}"));
        borderPolice = created(json(admin, "POST", "/api/organisations",
                "{\"name\":\"Partner Border Police\",\"nation\":\"JO\",\"sector\":\"border\",\"contact_point\":\"duty officer\"}"));
        ObjectNode mou = JSON.createObjectNode();
        mou.put("title", "Memorandum on cybercrime").put("kind", "bilateral");
        mou.putArray("parties").add(own).add(partner);
        mou.putObject("legal_basis").put("text", "Budapest Convention, Art. 26");
        mou.put("valid_from", "2024-01-01").put("status", "active");
        ObjectNode rules = mou.putObject("rules");
        rules.putArray("categories").add("cyber-indicators");
        rules.putArray("purposes").add("detection").add("intelligence-analysis");
        rules.put("max_tlp", "red");
        rules.putObject("onward_sharing").put("rule", "forbidden");
        assertThat(json(admin, "POST", "/api/agreements", mou.toString()).status()).isEqualTo(201);

        shared = node.services().store().createCollection(UUID.randomUUID().toString(), "shared", "Shared with partners",
                null);
        intel = node.services().store().collection(Node.DEFAULT_COLLECTION).orElseThrow();
        staff.create("pde", PARTNER_PASSWORD, false, partner, Set.of(Role.ANALYST));
        staff.grant(shared.id(), "pde", true, false);
        staff.create("analyst", ANALYST_PASSWORD, false);
        staff.grant(shared.id(), "analyst", true, false);
        staff.grant(intel.id(), "analyst", true, false);
        partnerUser = admin.as(Http.basic("pde", PARTNER_PASSWORD));
        analyst = admin.as(Http.basic("analyst", ANALYST_PASSWORD));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    // ------------------------------------------------------------------ 500 instead of 400

    /** 6fe3fee: 500 "Server Error" (text/plain) for each; PostgreSQL's timestamps end in year 294276. */
    @Test
    void timestampsBeyondPostgresqlsRangeAre400NamingTheParameter() {
        String objects = objects(shared);
        String far = q("+300000-01-01T00:00:00Z");
        assertTaxiiError(admin.get(objects + "?added_after=" + far), 400, "added_after");
        assertTaxiiError(admin.get(manifest(shared) + "?added_after=" + far), 400, "added_after");
        assertTaxiiError(admin.get(objects + "?match%5Bversion%5D=" + far), 400, "match[version]");
        assertTaxiiError(admin.get(objects + "?match%5Bversion%5D=" + q("0000-01-01T00:00:00Z")), 400, "match[version]");
        String id = Stix.indicatorId();
        assertThat(admin.post(objects, Stix.envelope(Stix.indicator(id, "2024-01-01T00:00:00.000Z",
                "[ipv4-addr:value = '192.0.2.1']"))).status()).isEqualTo(202);
        assertTaxiiError(admin.get(objects + id + "/?match%5Bversion%5D=" + q("-4713-01-01T00:00:00Z")), 400,
                "match[version]");
        assertTaxiiError(admin.get(objects + id + "/versions/?added_after=" + far), 400, "added_after");
        assertThat(admin.get(objects + "?added_after=" + q("9999-12-31T23:59:59Z")).status()).isEqualTo(200);
    }

    /** 6fe3fee: 500 for every one of these (PostgreSQL refuses NUL in text). */
    @Test
    void nulCharactersAreBadInputNamingTheFieldNotServerErrors() {
        Response basic = admin.as("Basic " + Base64.getEncoder().encodeToString("ro\0ot:x".getBytes(StandardCharsets.UTF_8)))
                .get("/taxii2/");
        assertTaxiiError(basic, 401, "unknown user or wrong password");
        assertProblem(admin.get("/api/v1/mentions?value=a%00b", "application/json"), 400, "value");
        assertProblem(admin.get("/api/policy/explain?object=indicator--a%00b", "application/json"), 400, "object");
        assertProblem(admin.get("/api/policy/explain?object=x&recipient=a%00b", "application/json"), 400, "recipient");
        assertProblem(admin.get("/api/policy/report?recipient=a%00b", "application/json"), 400, "recipient");
        assertProblem(json(admin, "POST", "/api/organisations",
                "{\"name\":\"a\\u0000b\",\"nation\":\"DE\",\"sector\":\"police\"}"), 400, "/name");
        int consents = admin.get("/api/consents", "application/json").json().path("consents").size();
        assertProblem(json(admin, "POST", "/api/consents", "{\"provider\":\"" + own + "\",\"recipient\":\"" + partner
                + "\",\"covers\":\"onward-sharing\",\"reference\":\"letter\\u0000 12\"}"), 400, "/reference");
        assertTaxiiError(admin.get(objects(shared) + "?match%5Btype%5D=indicator%00"), 400, "match[type]");
        assertThat(names(admin.get("/api/organisations", "application/json"))).doesNotContain("a\0b");
        assertThat(admin.get("/api/consents", "application/json").json().path("consents")).hasSize(consents);
    }

    // ------------------------------------------------------------------ a partner's users see their own side

    /** 6fe3fee: every partner with its contact point, to every partner's users. */
    @Test
    void aPartnersUsersSeeTheNodesOrganisationAndTheirOwnOnly() {
        Response r = partnerUser.get("/api/organisations", "application/json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(ids(r.json().path("organisations"))).containsExactlyInAnyOrder(own, partner);
        assertThat(r.body()).doesNotContain("Partner Border Police", "duty officer");
        assertProblem(partnerUser.get("/api/organisations/" + borderPolice, "application/json"), 404, null);
        assertThat(ids(admin.get("/api/organisations", "application/json").json().path("organisations")))
                .contains(own, partner, borderPolice);
    }

    /** 6fe3fee: a consent between the node and the Border Police was listed to the Cybercrime Unit's users. */
    @Test
    void aPartnersUsersSeeOnlyTheConsentsTheirOrganisationGaveOrReceived() {
        String theirs = consent(own, partner, "letter 7");
        String others = consent(own, borderPolice, "letter 8");
        List<String> seen = new ArrayList<>();
        partnerUser.get("/api/consents", "application/json").json().path("consents")
                .forEach(c -> seen.add(c.path("id").asText()));
        assertThat(seen).contains(theirs).doesNotContain(others);
        assertThat(partnerUser.get("/api/consents", "application/json").body()).doesNotContain(borderPolice, "letter 8");
    }

    /**
     * 6fe3fee: the report counted every collection, with the objects withheld by rule; and explain
     * described an object of a collection the user cannot read, which TAXII and the look-up hide.
     */
    @Test
    void aPartnersUsersLearnOnlyOfCollectionsTheyMayRead() {
        String green = Stix.indicator("[ipv4-addr:value = '192.0.2.200']").replace("\"name\"",
                "\"object_marking_refs\":[\"" + Tlp.GREEN + "\"],\"name\"");
        String id = JSON.valueToTree(parse(green)).path("id").asText();
        assertThat(admin.post(objects(intel), Stix.envelope(green)).status()).isEqualTo(202);
        assertThat(admin.get("/api/policy/explain?object=" + id + "&recipient=" + partner, "application/json")
                .json().at("/results/0/decision").asText()).as("the agreement would permit it").isEqualTo("permit");

        Response explained = partnerUser.get("/api/policy/explain?object=" + id, "application/json");
        Response unknown = partnerUser.get("/api/policy/explain?object=" + Stix.indicatorId(), "application/json");
        assertProblem(explained, 400, "object");
        assertThat(explained.json().path("description").asText().replace(id, "ID"))
                .isEqualTo(unknown.json().path("description").asText().replaceAll("indicator--[0-9a-f-]{36}", "ID"));

        Response report = partnerUser.get("/api/policy/report", "application/json");
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.body()).doesNotContain(intel.id(), "denied_by_rule", "not_yet_classified");
        Response overseen = admin.get("/api/policy/report?recipient=" + partner, "application/json");
        assertThat(overseen.body()).contains(intel.id(), "denied_by_rule");
        assertProblem(partnerUser.get("/api/policy/report?recipient=" + borderPolice, "application/json"), 403, null);
    }

    // ------------------------------------------------------------------ logins

    /**
     * 6fe3fee: an unknown user answered in ~8 ms, a wrong password in ~240 ms (curl, 3 tries each).
     * Each try is for another user and comes from its own loopback address, so that no throttle
     * makes either side fast.
     */
    @Test
    void anUnknownUserCostsWhatAWrongPasswordCosts() throws Exception {
        for (int i = 0; i < 10; i++) new Staff(node.services()).create("timed-" + i, "timed user password", false);
        List<Long> unknown = new ArrayList<>();
        List<Long> wrong = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            unknown.add(timed(from("127.0.1." + (10 + i)).as(Http.basic("nobody-" + i, "some password"))));
            wrong.add(timed(from("127.0.1." + (30 + i)).as(Http.basic("timed-" + i, "wrong password"))));
        }
        double ratio = (double) median(unknown) / median(wrong);
        assertThat(ratio).as("unknown %s vs wrong %s (ms)", unknown, wrong).isBetween(0.5, 2.0);
    }

    /**
     * 6fe3fee: after 5 wrong passwords from one address the account's owner got 429 from another
     * address too (curl --interface 127.0.0.2): anyone knowing a user name could lock its owner out.
     */
    @Test
    void aGuesserIsThrottledWhileTheOwnerStillGetsIn() {
        new Staff(node.services()).create("victim", "victim password 123", false);
        Http guesser = from("127.0.2.1");
        for (int i = 0; i < 5; i++) {
            assertTaxiiError(guesser.as(Http.basic("victim", "guess " + i)).get("/taxii2/"), 401);
        }
        Response throttled = guesser.as(Http.basic("victim", "guess 6")).get("/taxii2/");
        assertTaxiiError(throttled, 429, "try again");
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isPositive();
        assertThat(from("127.0.2.2").as(Http.basic("victim", "victim password 123")).get("/taxii2/").status())
                .as("the owner, from her own address").isEqualTo(200);
    }

    // ------------------------------------------------------------------ bodies and methods

    /** 6fe3fee: 202 for both, the trailing content silently dropped. */
    @Test
    void trailingContentAfterAnEnvelopeIs400AndNothingIsStored() {
        String id = Stix.indicatorId();
        String envelope = Stix.envelope(Stix.indicator(id, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '192.0.2.9']"));
        assertTaxiiError(admin.post(objects(shared), envelope + "xyz"), 400, "not valid JSON");
        assertTaxiiError(admin.post(objects(shared), envelope + envelope), 400, "not valid JSON");
        assertTaxiiError(admin.get(objects(shared) + id + "/"), 404);
        assertThat(admin.post(objects(shared), envelope + " \n").status()).as("white space is not content").isEqualTo(202);
    }

    /** 6fe3fee: 200, and the object was deleted. */
    @Test
    void xHttpMethodOverrideIsIgnored() {
        String id = Stix.indicatorId();
        assertThat(admin.post(objects(shared), Stix.envelope(Stix.indicator(id, "2024-01-01T00:00:00.000Z",
                "[ipv4-addr:value = '192.0.2.10']"))).status()).isEqualTo(202);
        Response r = admin.send(HttpRequest.newBuilder(URI.create(node.url() + objects(shared).substring(1) + id + "/"))
                .header("Authorization", Http.basic("root", ADMIN_PASSWORD)).header("Accept", TAXII)
                .header("X-HTTP-Method-Override", "DELETE").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertTaxiiError(r, 405, "POST");
        assertThat(admin.get(objects(shared) + id + "/").status()).as("still there").isEqualTo(200);
    }

    /** 6fe3fee: PUT and DELETE on TAXII resources gave 404 ("no TAXII resource"). */
    @Test
    void unsupportedMethodsOnTaxiiPathsAre405WithATaxiiError() {
        assertTaxiiError(admin.send(request(objects(shared)).PUT(HttpRequest.BodyPublishers.ofString("{}")).build()), 405, "PUT");
        assertTaxiiError(admin.send(request("/taxii2/").DELETE().build()), 405, "DELETE");
        assertTaxiiError(admin.send(request(manifest(shared)).POST(HttpRequest.BodyPublishers.noBody()).build()), 405);
        Response api = admin.send(request("/api/organisations").method("PATCH", HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/json").build());
        assertProblem(api, 405, null);
    }

    /** 6fe3fee: Jetty's HTML pages ("<h1>Bad Message 414</h1>", 431, 400). */
    @Test
    void errorsOfTheWebServerItselfAnswerWithTheNodesBodies() throws IOException {
        Raw longUri = raw("GET /taxii2/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(longUri.status()).isEqualTo(414);
        assertThat(longUri.contentType()).startsWith("application/");
        assertThat(longUri.json().path("title").asText()).isNotBlank();
        assertThat(longUri.json().path("http_status").asText()).isEqualTo("414");

        Raw longHeader = raw("GET /taxii2/ HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(longHeader.status()).isEqualTo(431);
        assertThat(longHeader.json().path("http_status").asText()).isEqualTo("431");

        Raw nulTaxii = raw("GET /taxii2/intel/collections/a%00b/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(nulTaxii.status()).isEqualTo(400);
        assertThat(nulTaxii.contentType()).isEqualTo(TAXII);
        assertThat(nulTaxii.json().path("http_status").asText()).isEqualTo("400");

        Raw nulApi = raw("GET /api/organisations/a%00b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(nulApi.status()).isEqualTo(400);
        assertThat(nulApi.body()).doesNotContain("<h1>", "<html");
        assertThat(nulApi.json().path("title").asText()).isNotBlank();
    }

    // ------------------------------------------------------------------ the policy's own properties

    /**
     * 6fe3fee: 202 for both; a string named nobody (the object was lost to everyone), and an object
     * { "user:NAME": true } was read as naming that user.
     */
    @Test
    void redRecipientsMustBeAListOfRecipients() {
        for (String bad : new String[] {"\"" + partner + "\"", "{\"user:pde\":true}", "[\"" + partner + "\", 7]"}) {
            String id = Stix.indicatorId();
            String red = Stix.indicator(id, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '192.0.2.11']")
                    .replace("\"name\"", "\"object_marking_refs\":[\"" + Tlp.RED + "\"],\"x_entente_red_recipients\":"
                            + bad + ",\"name\"");
            Response r = admin.post(objects(shared), Stix.envelope(red));
            assertTaxiiError(r, 422);
            assertThat(r.json().at("/details/invalid_objects/0/problems/0/pointer").asText()).as(bad)
                    .startsWith("/objects/0/x_entente_red_recipients");
            assertTaxiiError(admin.get(objects(shared) + id + "/"), 404);
        }
        String fine = Stix.indicator("[ipv4-addr:value = '192.0.2.12']").replace("\"name\"", "\"object_marking_refs\":[\""
                + Tlp.RED + "\"],\"x_entente_red_recipients\":[\"" + partner + "\",\"user:analyst\"],\"name\"");
        assertThat(admin.post(objects(shared), Stix.envelope(fine)).status()).isEqualTo(202);
    }

    /**
     * A later version marked TLP:RED naming the partner binds the earlier, GREEN one: the partner
     * gets the newest version only, by every path (docs/POLICY.md, Versions). 6fe3fee released
     * the GREEN version through match[version]=all and =first, versions/ and the look-up.
     */
    @Test
    void aLaterStricterVersionWithholdsTheEarlierOnesByEveryPath() {
        String id = Stix.indicatorId();
        String v1 = Stix.indicator(id, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '192.0.2.61']")
                .replace("\"name\"", "\"object_marking_refs\":[\"" + Tlp.GREEN + "\"],\"name\"");
        String v2 = Stix.indicator(id, "2024-02-01T00:00:00.000Z", "[ipv4-addr:value = '192.0.2.62']")
                .replace("\"name\"", "\"object_marking_refs\":[\"" + Tlp.RED + "\"],\"x_entente_red_recipients\":[\""
                        + partner + "\"],\"name\"");
        assertThat(admin.post(objects(shared), Stix.envelope(v1)).status()).isEqualTo(202);
        // Before the RED version exists, the partner gets the GREEN one.
        assertThat(versionsOf(partnerUser.get(objects(shared) + id + "/?match%5Bversion%5D=all"))).containsExactly(
                "2024-01-01T00:00:00.000Z");
        assertThat(admin.post(objects(shared), Stix.envelope(v2)).status()).isEqualTo(202);

        String object = objects(shared) + id + "/";
        assertThat(versionsOf(partnerUser.get(object + "?match%5Bversion%5D=all"))).containsExactly("2024-02-01T00:00:00.000Z");
        assertTaxiiError(partnerUser.get(object + "?match%5Bversion%5D=first"), 404);
        assertThat(versionsOf(partnerUser.get(objects(shared) + "?match%5Bversion%5D=all&match%5Bid%5D=" + id)))
                .containsExactly("2024-02-01T00:00:00.000Z");
        assertThat(partnerUser.get(object + "versions/").json().path("versions").toString())
                .isEqualTo("[\"2024-02-01T00:00:00.000Z\"]");
        JsonNode manifest = partnerUser.get(manifest(shared) + "?match%5Bversion%5D=all&match%5Bid%5D=" + id).json();
        assertThat(manifest.path("objects")).hasSize(1);
        assertThat(mentions(partnerUser, "192.0.2.61")).as("the GREEN version's value").isEmpty();
        assertThat(mentions(partnerUser, "192.0.2.62")).containsExactly(id);

        // The own analyst is not named: neither version. The administrator, not named either, sees
        // neither; the versions are still there for the provider (here the own organisation's
        // oversight through explain).
        assertTaxiiError(analyst.get(object + "?match%5Bversion%5D=all"), 404);
        assertThat(mentions(analyst, "192.0.2.61")).isEmpty();
        assertThat(admin.get("/api/policy/explain?object=" + id + "&recipient=" + partner, "application/json").json()
                .at("/results/0/decision").asText()).isEqualTo("permit");
    }

    /**
     * A later version relaxed to GREEN does not relax what the earlier RED one said (a guard on the
     * binding of versions, not a finding: 6fe3fee passes it too).
     */
    @Test
    void aLaterLaxerVersionDoesNotReleaseTheEarlierOnes() {
        String id = Stix.indicatorId();
        String v1 = Stix.indicator(id, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '192.0.2.71']")
                .replace("\"name\"", "\"object_marking_refs\":[\"" + Tlp.RED + "\"],\"x_entente_red_recipients\":[\""
                        + borderPolice + "\"],\"name\"");
        String v2 = Stix.indicator(id, "2024-02-01T00:00:00.000Z", "[ipv4-addr:value = '192.0.2.72']")
                .replace("\"name\"", "\"object_marking_refs\":[\"" + Tlp.GREEN + "\"],\"name\"");
        assertThat(admin.post(objects(shared), Stix.envelope(v1, v2)).status()).isEqualTo(202);
        String object = objects(shared) + id + "/";
        assertThat(versionsOf(partnerUser.get(object + "?match%5Bversion%5D=all"))).containsExactly("2024-02-01T00:00:00.000Z");
        assertTaxiiError(partnerUser.get(object + "?match%5Bversion%5D=first"), 404);
        assertThat(mentions(partnerUser, "192.0.2.71")).isEmpty();
        assertThat(mentions(partnerUser, "192.0.2.72")).containsExactly(id);
    }

    // ------------------------------------------------------------------ helpers

    static String objects(CollectionInfo c) {
        return "/taxii2/intel/collections/" + c.id() + "/objects/";
    }

    static String manifest(CollectionInfo c) {
        return "/taxii2/intel/collections/" + c.id() + "/manifest/";
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(node.url() + path.substring(1)))
                .header("Authorization", Http.basic("root", ADMIN_PASSWORD)).header("Accept", TAXII);
    }

    static Response json(Http as, String method, String path, String body) {
        return as.send(HttpRequest.newBuilder(URI.create(node.url() + path.substring(1)))
                .header("Authorization", Http.basic("root", ADMIN_PASSWORD)).header("Accept", "application/json")
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static String created(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asText();
    }

    static String consent(String provider, String recipient, String reference) {
        return created(json(admin, "POST", "/api/consents", "{\"provider\":\"" + provider + "\",\"recipient\":\""
                + recipient + "\",\"covers\":\"onward-sharing\",\"reference\":\"" + reference + "\"}"));
    }

    static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(o -> out.add(o.path("id").asText()));
        return out;
    }

    static List<String> names(Response r) {
        List<String> out = new ArrayList<>();
        r.json().path("organisations").forEach(o -> out.add(o.path("name").asText()));
        return out;
    }

    static List<String> versionsOf(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().path("objects").forEach(o -> out.add(o.has("modified") ? o.path("modified").asText() : o.path("version").asText()));
        return out;
    }

    static List<String> mentions(Http as, String value) {
        Response r = as.get("/api/v1/mentions?value=" + q(value), "application/json");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return ids(r.json().path("mentions"));
    }

    static void assertTaxiiError(Response r, int status, String... descriptionContains) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo(TAXII);
        assertThat(r.json().path("title").asText()).isNotBlank();
        assertThat(r.json().path("http_status").asText()).isEqualTo(Integer.toString(status));
        for (String s : descriptionContains) assertThat(r.json().path("description").asText()).contains(s);
    }

    /** A JSON problem; {@code field}, when given, is named among its problems. */
    static void assertProblem(Response r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().path("http_status").asInt()).isEqualTo(status);
        if (field != null) {
            List<String> fields = new ArrayList<>();
            r.json().path("problems").forEach(p -> fields.add(p.path("field").asText()));
            assertThat(fields).as(r.body()).contains(field);
        }
    }

    /** A client whose connections come from this loopback address (the node throttles by address). */
    static Http from(String address) {
        try {
            HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(address))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            return new Http(client, node.url(), null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static long timed(Http h) {
        long t0 = System.nanoTime();
        Response r = h.get("/taxii2/");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        return ms;
    }

    static long median(List<Long> xs) {
        List<Long> sorted = new ArrayList<>(xs);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    record Raw(int status, String contentType, String body) {
        JsonNode json() {
            return parse(body);
        }
    }

    /** Sends bytes as they are, for requests no HTTP client library would send. */
    static Raw raw(String request) throws IOException {
        URI u = URI.create(node.url());
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            int n;
            try {
                while ((n = in.read(b)) > 0) buf.write(b, 0, n);
            } catch (java.net.SocketException e) {
                // the server may reset the connection after answering a request it could not read
            }
            String text = buf.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = text.substring(0, end);
            String body = text.substring(end + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            String type = null;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) type = line.substring(13).trim();
            }
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) body = unchunk(body);
            return new Raw(status, type, body);
        }
    }

    static String unchunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, eol).trim(), 16);
            if (size == 0) return out.toString();
            out.append(body, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
