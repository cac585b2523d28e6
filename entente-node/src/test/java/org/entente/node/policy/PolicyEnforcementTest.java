package org.entente.node.policy;

import org.entente.node.testing.Staff;
import org.entente.node.config.NodeConfig;
import org.entente.node.policy.store.Agreements;
import org.entente.node.policy.store.PolicyService;
import org.entente.node.policy.store.Retention;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.entente.node.Node;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.users.Role;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;
import org.entente.node.testing.Http;
import org.entente.node.testing.Stix;
import org.entente.node.testing.TestPostgres;
import org.entente.stix.Tlp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The policy at work on a running node: what a partner's analyst receives over TAXII and the
 * look-up, what is removed from it, what the audit log then says, and explain and retention.
 */
class PolicyEnforcementTest {
    static final ObjectMapper M = new ObjectMapper();
    static final String PASSWORD = "correct horse battery";
    static Node node;
    static DataSource ds;
    static Http admin;
    static Http partner;
    static ObjectStore store;
    static Organisation own;
    static Organisation de;
    static Agreements agreements;
    static Agreement mou;
    static CollectionInfo shared;

    static final String GREEN_WITH_SECRET = Stix.indicatorId();
    static final String AMBER_STRICT = Stix.indicatorId();
    static final String RED_FOR_DE = Stix.indicatorId();
    static final String GREEN_H2_OWN = Stix.indicatorId();

    @BeforeAll
    static void start() {
        node = Node.start(new NodeConfig("127.0.0.1", 0, TestPostgres.freshDatabase(), false, null, null, 1 << 20, "Policy"));
        ds = node.database().dataSource();
        Staff users = new Staff(node.services());
        store = node.services().store();
        Organisations orgs = node.services().organisations();
        own = orgs.own().orElseThrow();
        de = orgs.create(new Organisations.Draft("Partner unit", "DE", "cybercrime", null), false, "test");
        agreements = node.services().agreements();
        mou = agreements.create(mou("active"), "test");
        users.create("root", PASSWORD, true);
        users.create("de-analyst", PASSWORD, false, de.id(), Set.of(Role.ANALYST));
        shared = store.createCollection(UUID.randomUUID().toString(), "shared", "Shared", null);
        users.grant(shared.id(), "de-analyst", true, false);
        admin = new Http(node.url(), Http.basic("root", PASSWORD));
        partner = new Http(node.url(), Http.basic("de-analyst", PASSWORD));
        String envelope = Stix.envelope(
                marked(GREEN_WITH_SECRET, "[ipv4-addr:value = '203.0.113.9']", Tlp.GREEN,
                        ",\"description\":\"source: informant 7\",\"x_entente_red_recipients\":[\"user:root\"],\"granular_markings\":[{\"marking_ref\":\"" + Tlp.RED
                                + "\",\"selectors\":[\"description\"]}]"),
                marked(AMBER_STRICT, "[ipv4-addr:value = '203.0.113.9']", Tlp.AMBER_STRICT, ""),
                marked(RED_FOR_DE, "[domain-name:value = 'red.example']", Tlp.RED,
                        ",\"x_entente_red_recipients\":[\"" + de.id() + "\"]"),
                marked(GREEN_H2_OWN, "[domain-name:value = 'h2.example']", Tlp.GREEN, ""));
        Http.Response r = admin.post("/taxii2/intel/collections/" + shared.id() + "/objects/", envelope);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }

    static ObjectNode mou(String status) {
        ObjectNode a = M.createObjectNode();
        a.put("title", "MOU").put("kind", "bilateral").put("valid_from", "2026-01-01").put("status", status);
        a.putArray("parties").add(own.id()).add(de.id());
        a.putObject("legal_basis").put("text", "Budapest Convention, Art. 26");
        ObjectNode r = a.putObject("rules");
        r.putArray("categories").add("cyber-indicators");
        r.putArray("purposes").add("detection").add("investigation");
        r.put("max_tlp", "red");
        r.putArray("handling_codes").add("H0");
        r.putObject("onward_sharing").put("rule", "forbidden");
        return a;
    }

    static String marked(String id, String pattern, String tlp, String extra) {
        String base = Stix.indicator(id, "2024-01-01T00:00:00.000Z", pattern);
        return base.substring(0, base.length() - 1) + ",\"object_marking_refs\":[\"" + tlp + "\"]" + extra + "}";
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Http.Response get(Http who, String path, String purpose) {
        String auth = who == admin ? Http.basic("root", PASSWORD) : Http.basic("de-analyst", PASSWORD);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url().replaceAll("/$", "") + path))
                .header("Accept", Http.TAXII).header("Authorization", auth);
        if (purpose != null) b.header(PolicyGate.PURPOSE_HEADER, purpose);
        return who.send(b.GET().build());
    }

    static List<String> ids(JsonNode envelope) {
        List<String> out = new ArrayList<>();
        envelope.path("objects").forEach(o -> out.add(o.path("id").asText()));
        return out;
    }

    static String objects() {
        return "/taxii2/intel/collections/" + shared.id() + "/objects/";
    }

    @Test
    void aPartnerReceivesWhatTheAgreementAllowsWithMarkedPropertiesRemoved() throws Exception {
        Http.Response r = get(partner, objects(), "detection");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(ids(r.json())).containsExactlyInAnyOrder(GREEN_WITH_SECRET, RED_FOR_DE, GREEN_H2_OWN);
        for (JsonNode o : r.json().path("objects")) {
            if (o.path("id").asText().equals(GREEN_WITH_SECRET)) {
                assertThat(o.has("description")).as("RED-marked description").isFalse();
                assertThat(o.path("pattern").asText()).isEqualTo("[ipv4-addr:value = '203.0.113.9']");
            }
        }
        // The own organisation's administrator, named for the RED description, sees it, but not the RED
        // object nobody named him for.
        Http.Response mine = get(admin, objects(), null);
        assertThat(ids(mine.json())).containsExactlyInAnyOrder(GREEN_WITH_SECRET, AMBER_STRICT, GREEN_H2_OWN);
        assertThat(mine.body()).contains("source: informant 7");

        // Manifest, object and versions go through the same decision.
        Http.Response manifest = get(partner, objects().replace("/objects/", "/manifest/"), "detection");
        assertThat(ids(manifest.json())).containsExactlyInAnyOrder(GREEN_WITH_SECRET, RED_FOR_DE, GREEN_H2_OWN);
        assertThat(get(partner, objects() + AMBER_STRICT + "/", "detection").status()).isEqualTo(404);
        assertThat(get(partner, objects() + AMBER_STRICT + "/versions/", "detection").status()).isEqualTo(404);
        assertThat(get(partner, objects() + GREEN_WITH_SECRET + "/", "detection").body()).doesNotContain("informant");

        // A purpose the agreement does not permit gets nothing; an unknown one is refused.
        assertThat(ids(get(partner, objects(), "prosecution").json())).isEmpty();
        Http.Response unknown = get(partner, objects(), "curiosity");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("description").asText()).contains("curiosity", "detection");
    }

    @Test
    void theLookUpTellsOfAnObjectOnlyToThoseWhoMayReceiveIt() {
        Http.Response r = partner.get("/api/v1/mentions?value=203.0.113.9");
        List<String> found = new ArrayList<>();
        r.json().path("mentions").forEach(m -> found.add(m.path("id").asText()));
        // The partner's analyst has no default purpose problem: analysts analyse, and the MOU does not permit it.
        assertThat(found).isEmpty();
        HttpRequest req = HttpRequest.newBuilder(URI.create(node.url() + "api/v1/mentions?value=203.0.113.9&purpose=detection"))
                .header("Authorization", Http.basic("de-analyst", PASSWORD)).GET().build();
        JsonNode withPurpose = partner.send(req).json();
        found.clear();
        withPurpose.path("mentions").forEach(m -> found.add(m.path("id").asText()));
        assertThat(found).containsExactly(GREEN_WITH_SECRET);
        List<String> all = new ArrayList<>();
        admin.get("/api/v1/mentions?value=203.0.113.9").json().path("mentions").forEach(m -> all.add(m.path("id").asText()));
        assertThat(all).containsExactlyInAnyOrder(GREEN_WITH_SECRET, AMBER_STRICT);
    }

    @Test
    void releasesAndDenialsAreInTheAuditLog() throws Exception {
        get(partner, objects(), "investigation");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kind, actor, organisation, detail::text FROM audit_record"
                     + " WHERE actor = 'de-analyst' AND detail->>'purpose' = 'investigation' ORDER BY seq")) {
            List<String> kinds = new ArrayList<>();
            String release = null;
            String deny = null;
            while (rs.next()) {
                kinds.add(rs.getString(1));
                assertThat(rs.getString(3)).isEqualTo(de.id());
                if (rs.getString(1).equals(AuditEvent.RELEASE)) release = rs.getString(4);
                if (rs.getString(1).equals(AuditEvent.DENY)) deny = rs.getString(4);
            }
            assertThat(kinds).contains(AuditEvent.RELEASE, AuditEvent.DENY);
            assertThat(release).contains(GREEN_WITH_SECRET, mou.id(), "\"redacted\": 1");
            assertThat(deny).contains(AMBER_STRICT, "tlp-amber-strict");
        }
        assertThat(node.services().audit().verify().intact()).isTrue();
    }

    @Test
    void explainSaysWhyWithEveryCheck() {
        Http.Response r = admin.get("/api/policy/explain?object=" + AMBER_STRICT + "&recipient=" + de.id() + "&purpose=detection");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode result = r.json().path("results").get(0);
        assertThat(result.path("decision").asText()).isEqualTo("deny");
        assertThat(result.path("rule").asText()).isEqualTo("tlp-amber-strict");
        assertThat(result.path("object_facts").asText()).contains("TLP:AMBER+STRICT");
        JsonNode ok = admin.get("/api/policy/explain?object=" + GREEN_H2_OWN + "&recipient=" + de.id() + "&purpose=detection")
                .json().path("results").get(0);
        assertThat(ok.path("decision").asText()).isEqualTo("permit");
        assertThat(ok.path("agreement").asText()).isEqualTo(mou.id());
        // A partner's analyst may ask about what it may receive, but learns nothing of what it may not.
        Http.Response mine = partner.get("/api/policy/explain?object=" + GREEN_H2_OWN + "&purpose=detection");
        assertThat(mine.status()).as(mine.body()).isEqualTo(200);
        assertThat(mine.json().path("results").get(0).path("decision").asText()).isEqualTo("permit");
        Http.Response hidden = partner.get("/api/policy/explain?object=" + AMBER_STRICT + "&purpose=detection");
        assertThat(hidden.status()).isEqualTo(400);
        assertThat(hidden.body()).contains("that you may receive").doesNotContain("AMBER");
        Http.Response unknown = admin.get("/api/policy/explain?object=" + GREEN_H2_OWN + "&recipient=nobody&purpose=detection");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("problems").get(0).path("field").asText()).isEqualTo("recipient");
    }

    @Test
    void aPartnerWritesOnlyIntoTheCollectionItProvides() {
        Staff users = new Staff(node.services());
        users.create("de-writer", PASSWORD, false, de.id(), Set.of(Role.ANALYST));
        users.grant(shared.id(), "de-writer", true, true);
        CollectionInfo fromDe = store.createCollection(UUID.randomUUID().toString(), "written-by-de", "From DE", null);
        store.setProvenance(fromDe.id(), de.id(), mou.id(), "test");
        users.grant(fromDe.id(), "de-writer", true, true);
        Http writer = new Http(node.url(), Http.basic("de-writer", PASSWORD));
        Http.Response refused = writer.post(objects(), Stix.envelope(Stix.indicator("[ipv4-addr:value = '192.0.2.77']")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("description").asText()).contains("provider");
        Http.Response ok = writer.post("/taxii2/intel/collections/" + fromDe.id() + "/objects/",
                Stix.envelope(Stix.indicator("[ipv4-addr:value = '192.0.2.77']")));
        assertThat(ok.status()).as(ok.body()).isEqualTo(202);
        // Nor does it delete the node's own intelligence.
        assertThat(writer.delete(objects() + GREEN_H2_OWN + "/").status()).isEqualTo(403);
        assertThat(get(admin, objects() + GREEN_H2_OWN + "/", null).status()).isEqualTo(200);
    }

    @Test
    void anAccountOfNoOrganisationReadsNothingAndIsAudited() throws Exception {
        new Staff(node.services()).create("orphan", PASSWORD, false, de.id(), Set.of(Role.ANALYST));
        new Staff(node.services()).grant(shared.id(), "orphan", true, false);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE app_user SET organisation_id = NULL WHERE username = 'orphan'");
        }
        Http orphan = new Http(node.url(), Http.basic("orphan", PASSWORD));
        Http.Response r = orphan.get(objects());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("description").asText()).contains("belongs to no organisation");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT detail->>'rule' FROM audit_record WHERE kind = 'rejected-request' AND actor = 'orphan'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("missing-organisation");
        }
    }

    @Test
    void anUndefinedMarkingIsRefusedAndNothingIsStored() {
        String id = Stix.indicatorId();
        Http.Response r = admin.post(objects(), Stix.envelope(
                marked(id, "[ipv4-addr:value = '192.0.2.1']", "marking-definition--" + UUID.randomUUID(), "")));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body()).contains("is not defined");
        assertThat(get(admin, objects() + id + "/", null).status()).isEqualTo(404);
    }

    @Test
    void retentionPurgesWhatAPartnerSentLongerAgoThanItsAgreementAllows() throws Exception {
        ObjectNode doc = mou("active");
        ((ObjectNode) doc.get("rules")).put("retention_days", 30);
        doc.put("title", "Short retention");
        Agreement shortLived = agreements.create(doc, "test");
        CollectionInfo received = store.createCollection(UUID.randomUUID().toString(), "from-de", "From DE", null);
        store.setProvenance(received.id(), de.id(), shortLived.id(), "test");
        String old = Stix.indicatorId();
        String fresh = Stix.indicatorId();
        admin.post("/taxii2/intel/collections/" + received.id() + "/objects/", Stix.envelope(
                Stix.indicator(old, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '192.0.2.10']"),
                Stix.indicator(old, "2024-02-01T00:00:00.000Z", "[ipv4-addr:value = '192.0.2.10']"),
                Stix.indicator(fresh, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '192.0.2.11']")));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE stix_object SET date_added = date_added - interval '31 days' WHERE id = '" + old + "'");
        }
        Retention retention = node.services().retention();
        assertThat(retention.run(Instant.now(), true, "test")).singleElement()
                .satisfies(p -> assertThat(p.objects()).isEqualTo(1));
        List<Retention.Purge> purged = retention.run(Instant.now(), false, "test");
        assertThat(purged).singleElement().satisfies(p -> {
            assertThat(p.objects()).isEqualTo(1);
            assertThat(p.versions()).isEqualTo(2);
            assertThat(p.collectionId()).isEqualTo(received.id());
        });
        assertThat(get(admin, "/taxii2/intel/collections/" + received.id() + "/objects/" + old + "/", null).status()).isEqualTo(404);
        // Partner data is read for a purpose its agreement permits: the administrator's default would not be.
        assertThat(get(admin, "/taxii2/intel/collections/" + received.id() + "/objects/" + fresh + "/", null).status()).isEqualTo(404);
        assertThat(get(admin, "/taxii2/intel/collections/" + received.id() + "/objects/" + fresh + "/", "detection").status())
                .isEqualTo(200);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM deleted_object WHERE object_id = '" + old + "'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            try (ResultSet rs = s.executeQuery("SELECT detail->>'objects' FROM audit_record WHERE kind = 'purge'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("1");
            }
        }
        assertThat(retention.run(Instant.now(), false, "test")).isEmpty();
        // Another process holding the job is told apart from nothing to purge.
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT pg_advisory_xact_lock(4242002)");
            assertThat(retention.attempt(Instant.now(), false, "test")).isEmpty();
            c.rollback();
        }
        assertThat(retention.attempt(Instant.now(), false, "test")).hasValue(List.of());
    }

    @Test
    void terminatingTheAgreementStopsTheFlowAtOnce() {
        ObjectNode doc = mou("active");
        doc.put("title", "To be terminated");
        Organisations orgs = node.services().organisations();
        Organisation nl = orgs.create(new Organisations.Draft("Terminated partner", "NL", "cert", null), false, "test");
        doc.putArray("parties").add(own.id()).add(nl.id());
        Agreement a = agreements.create(doc, "test");
        Staff users = new Staff(node.services());
        users.create("nl-analyst", PASSWORD, false, nl.id(), Set.of(Role.ANALYST));
        users.grant(shared.id(), "nl-analyst", true, false);
        Http nlUser = new Http(node.url(), Http.basic("nl-analyst", PASSWORD));
        HttpRequest req = HttpRequest.newBuilder(URI.create(node.url().replaceAll("/$", "") + objects()))
                .header("Accept", Http.TAXII).header("Authorization", Http.basic("nl-analyst", PASSWORD))
                .header(PolicyGate.PURPOSE_HEADER, "detection").GET().build();
        assertThat(ids(nlUser.send(req).json())).contains(GREEN_H2_OWN);
        Http.Response t = admin.post("/api/agreements/" + a.id() + "/status", "{\"status\":\"terminated\"}", "application/json");
        assertThat(t.status()).as(t.body()).isEqualTo(200);
        assertThat(ids(nlUser.send(req).json())).isEmpty();
        Http.Response again = admin.send(HttpRequest.newBuilder(URI.create(node.url() + "api/agreements/" + a.id()))
                .header("Authorization", Http.basic("root", PASSWORD)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(doc.toString())).build());
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body()).contains("terminated");
    }
}
