package org.entente.node.screening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.node.screening.ScreeningNode.M;
import static org.entente.node.screening.ScreeningNode.listsOf;
import static org.entente.node.screening.ScreeningNode.person;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.entente.node.config.Key;
import org.entente.node.testing.Http;
import org.entente.screening.io.Watchlists;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Watchlists kept by the node and screened over HTTP: the UN and OFAC lists shipped in the
 * repository imported through the API, a traveller checked by a border officer and by a partner's
 * people (what each may and may not see), editions applied as a difference, bad input refused.
 */
class ScreeningApiTest {
    static ScreeningNode n;
    static String un;
    static String ofac;
    static String wanted;
    static JsonNode unReport;
    static JsonNode ofacReport;

    @BeforeAll
    static void start() throws Exception {
        n = new ScreeningNode(Map.of(Key.SCREENING_LIMIT_USER, "0", Key.SCREENING_LIMIT_ORGANISATION, "0"));
        un = n.createList("UN consolidated", "sanctions", "green");
        ofac = n.createList("OFAC SDN", "sanctions", "amber");
        wanted = n.createList("National wanted persons", "wanted-persons", "amber", "H0");
        unReport = n.importFile(un, ScreeningNode.read(ScreeningNode.UN));
        ofacReport = n.importFile(ofac, ScreeningNode.zip(ScreeningNode.OFAC, "sdn.csv", "alt.csv", "add.csv"));
        n.importFile(wanted, ("{\"id\":\"w1\",\"names\":[\"Ramon Esteban QUINTERO\"],\"birth_dates\":[\"1975\"],"
                + "\"nationalities\":[\"CO\"],\"reference\":\"BKA-2026-0042\"}\n").getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        n.close();
    }

    @Test
    void bothRealListsAreImportedWhole() throws Exception {
        // Each id once: a record repeating an id already read is reported and left out.
        long unEntries = Watchlists.read(ScreeningNode.UN).entries().stream().map(e -> e.listing().id()).distinct().count();
        long ofacEntries = Watchlists.read(ScreeningNode.OFAC).entries().stream().map(e -> e.listing().id()).distinct()
                .count();
        assertThat(unReport.path("format").asText()).containsIgnoringCase("UN");
        assertThat(unReport.path("added").asLong()).isEqualTo(unEntries).isGreaterThan(900);
        assertThat(ofacReport.path("added").asLong()).isEqualTo(ofacEntries).isGreaterThan(7000);
        JsonNode lists = n.get("root", "/api/watchlists").json().path("watchlists");
        assertThat(lists.findValuesAsText("id")).contains(un, ofac, wanted);
        for (JsonNode l : lists) {
            if (l.path("id").asText().equals(un)) assertThat(l.path("entries").asLong()).isEqualTo(unEntries);
            if (l.path("id").asText().equals(ofac)) assertThat(l.path("entries").asLong()).isEqualTo(ofacEntries);
        }
        assertThat(n.node.services().screening().indexedEntries()).isEqualTo(n.count("SELECT count(*) FROM watchlist_entry"));

        // The same edition again changes nothing.
        JsonNode again = n.importFile(un, ScreeningNode.read(ScreeningNode.UN));
        assertThat(again.path("added").asLong() + again.path("changed").asLong() + again.path("removed").asLong()).isZero();
        assertThat(again.path("unchanged").asLong()).isEqualTo(unEntries);
    }

    @Test
    void aBorderOfficerIsAnsweredFromEveryOwnListWithTheOwnersFollowUp() {
        Http.Response r = n.check("officer", person("Ayman al-Zawahiri", "1951"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode a = r.json();
        assertThat(listsOf(a)).contains("UN consolidated", "OFAC SDN");
        JsonNode best = a.path("hits").get(0);
        assertThat(best.path("match").asBoolean()).isTrue();
        assertThat(best.path("entry").path("name").asText()).containsIgnoringCase("ZAWAHIRI");
        assertThat(best.path("explanation").asText()).isNotBlank();
        assertThat(best.path("follow_up").path("contact_point").asText()).contains("sirene@bpol.example");
        assertThat(best.path("follow_up").path("name").asText()).isEqualTo("Bundespolizei");
        long hit = best.path("hit").asLong();
        assertThat(hit).isPositive();
        // Recorded: who asked, for what, the query as sent, the entry.
        JsonNode stored = n.get("liaison", "/api/screening/hits?limit=1000").json().path("hits");
        JsonNode mine = null;
        for (JsonNode h : stored) if (h.path("id").asLong() == hit) mine = h;
        assertThat(mine).isNotNull();
        assertThat(mine.path("asked_by").asText()).isEqualTo("officer");
        assertThat(mine.path("purpose").asText()).isEqualTo("border-control");
        assertThat(mine.path("query").path("name").asText()).isEqualTo("Ayman al-Zawahiri");
        assertThat(mine.path("entry").path("names").toString()).containsIgnoringCase("ZAWAHIRI");
        // Audited: the check, with each of its hits.
        assertThat(n.audit("screening-check")).anySatisfy(d -> {
            assertThat(d.path("query").path("name").asText()).isEqualTo("Ayman al-Zawahiri");
            assertThat(d.path("purpose").asText()).isEqualTo("border-control");
            assertThat(d.path("hits")).anySatisfy(x -> {
                assertThat(x.path("hit").asLong()).isEqualTo(hit);
                assertThat(x.path("entry").asText()).isEqualTo(best.path("entry").path("id").asText());
                assertThat(x.path("score").asDouble()).isEqualTo(best.path("score").asDouble());
            });
        });
    }

    @Test
    void aPartnersPeopleSeeOnlyTheListsTheirAgreementCovers() {
        // GREEN persons of interest only: the UN list, not OFAC (AMBER) nor the national list (AMBER, H0).
        Http.Response r = n.check("fr-officer", person("Ayman al-Zawahiri", "1951"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(listsOf(r.json())).isNotEmpty().allMatch("UN consolidated"::equals);
        assertThat(n.check("fr-officer", person("Ramon Esteban Quintero", "1975")).json().path("hits")).isEmpty();
        assertThat(n.check("officer", person("Ramon Esteban Quintero", "1975")).json().path("hits").get(0)
                .path("entry").path("reference").asText()).isEqualTo("BKA-2026-0042");

        JsonNode visible = n.get("fr-analyst", "/api/watchlists").json();
        assertThat(visible.path("purpose").asText()).isEqualTo("intelligence-analysis");
        // An analyst's purpose is analysis, which the agreement does not permit: nothing at all.
        assertThat(visible.path("watchlists")).isEmpty();
        JsonNode forOfficer = n.get("fr-officer", "/api/watchlists").json().path("watchlists");
        assertThat(forOfficer).hasSize(1);
        assertThat(forOfficer.get(0).path("id").asText()).isEqualTo(un);

        // Naming a list the partner may not query: 403; a list that does not exist: 404; both audited.
        ObjectNode q = person("Ayman al-Zawahiri", null);
        q.putArray("lists").add(ofac);
        Http.Response forbidden = n.check("fr-officer", q);
        assertThat(forbidden.status()).as(forbidden.body()).isEqualTo(403);
        assertThat(forbidden.json().path("description").asText()).contains("above the ceiling").contains(ofac);
        assertThat(n.get("fr-officer", "/api/watchlists/" + ofac).status()).isEqualTo(403);
        q.putArray("lists").add("no-such-list");
        Http.Response unknown = n.check("fr-officer", q);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(n.audit("rejected-request")).anySatisfy(d -> assertThat(d.path("rule").asText())
                .isEqualTo("watchlist-tlp-above-ceiling"));
        assertThat(n.audit("rejected-request")).anySatisfy(d -> assertThat(d.path("rule").asText())
                .isEqualTo("unknown-watchlist"));
        // Partners do not manage the node's lists.
        assertThat(n.call("fr-officer", "DELETE", "/api/watchlists/" + un, null).status()).isEqualTo(403);
        assertThat(n.call("officer", "DELETE", "/api/watchlists/" + un, null).status()).isEqualTo(403);
    }

    @Test
    void malformedFieldsAreNamedAndNothingIsRecorded() {
        long hits = n.count("SELECT count(*) FROM screening_hit");
        long checks = n.audit("screening-check").size();
        ObjectNode q = person("Ayman al-Zawahiri", "1951-13-45");
        q.put("nationality", "XX").put("gender", "often").put("colour", "blue");
        q.putObject("document").put("country", "DE");
        Http.Response r = n.check("officer", q);
        assertThat(r.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        r.json().path("problems").forEach(p -> fields.add(p.path("field").asText()));
        assertThat(fields).contains("/birth_date", "/nationality", "/gender", "/colour", "/document/number");
        assertThat(n.count("SELECT count(*) FROM screening_hit")).isEqualTo(hits);
        assertThat(n.audit("screening-check")).hasSize((int) checks);
        assertThat(n.audit("rejected-request")).anySatisfy(d -> assertThat(d.path("reason").asText()).contains("/birth_date"));

        Http.Response notJson = n.call("officer", "POST", "/api/screening/check", "application/json",
                "{\"name\": ".getBytes(StandardCharsets.UTF_8), null);
        assertThat(notJson.status()).isEqualTo(400);
        Http.Response empty = n.check("officer", M.createObjectNode().put("kind", "person"));
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("description").asText()).contains("nothing to screen");
    }

    @Test
    void aNewEditionIsAppliedAsTheDifferenceWithEachEntrysHistory() {
        String list = n.createList("Editions", "wanted-persons", "amber");
        JsonNode first = n.importFile(list, lines(
                "{\"id\":\"a\",\"names\":[\"Anna Maria ERIKSSON\"],\"birth_dates\":[\"1974-08-12\"]}",
                "{\"id\":\"b\",\"names\":[\"Bruno KESSLER\"]}",
                "{\"id\":\"c\",\"names\":[\"Carla MENDES\"]}"));
        assertThat(first.path("added").asInt()).isEqualTo(3);
        JsonNode second = n.importFile(list, lines(
                "{\"id\":\"a\",\"names\":[\"Anna Maria ERIKSSON\"],\"birth_dates\":[\"1974-08-12\"]}",
                "{\"id\":\"b\",\"names\":[\"Bruno KESSLER\",\"Bruno KEßLER\"]}",
                "{\"id\":\"d\",\"names\":[\"Dario FONTANA\"]}"));
        assertThat(second.path("added").asInt()).isEqualTo(1);
        assertThat(second.path("changed").asInt()).isEqualTo(1);
        assertThat(second.path("removed").asInt()).isEqualTo(1);
        assertThat(second.path("unchanged").asInt()).isEqualTo(1);
        JsonNode b = n.get("root", "/api/watchlists/" + list + "/entries/b").json();
        assertThat(b.path("versions")).hasSize(2);
        assertThat(b.path("current").path("version").asInt()).isEqualTo(2);
        JsonNode c = n.get("root", "/api/watchlists/" + list + "/entries/c").json();
        assertThat(c.path("current").isNull()).isTrue();
        assertThat(c.path("versions").get(1).path("change").asText()).isEqualTo("removed");
        // The index follows at once: c is gone, d is there.
        ObjectNode q = person("Carla Mendes", null);
        q.putArray("lists").add(list);
        assertThat(n.check("officer", q).json().path("hits")).isEmpty();
        q.put("name", "Dario Fontana");
        assertThat(n.check("officer", q).json().path("hits")).hasSize(1);
    }

    @Test
    void aCorruptLineIsReportedWithItsPositionAndTheRestImported() {
        String list = n.createList("Corrupt", "wanted-persons", "amber");
        JsonNode r = n.importFile(list, lines(
                "{\"id\":\"x1\",\"names\":[\"Xavier ONE\"]}",
                "{\"id\":\"x2\",\"names\":[\"Xavier TWO\"",
                "{\"id\":\"x3\",\"names\":[\"Xavier THREE\"],\"nationalities\":[\"QQ\"]}",
                "{\"id\":\"x4\",\"names\":[\"Xavier FOUR\"]}"));
        assertThat(r.path("added").asInt()).isEqualTo(2);
        assertThat(r.path("errors").asInt()).isEqualTo(2);
        assertThat(r.path("problems")).anySatisfy(p -> {
            assertThat(p.path("line").asInt()).isEqualTo(2);
            assertThat(p.path("severity").asText()).isEqualTo("error");
        });
        assertThat(r.path("problems")).anySatisfy(p -> {
            assertThat(p.path("line").asInt()).isEqualTo(3);
            assertThat(p.path("message").asText()).contains("QQ");
        });
        assertThat(n.audit("watchlist-change")).anySatisfy(d -> {
            assertThat(d.path("watchlist").asText()).isEqualTo(list);
            assertThat(d.path("added").asInt()).isEqualTo(2);
        });
    }

    @Test
    void concurrentChecksEachRecordTheirOwnHitsWithTheEntrysVersionAndTheOwnersCurrentContactPoint() throws Exception {
        // Checks arriving together are recorded together (one group commit): each still gets its
        // own hits, numbered apart, each with the version of the entry it met.
        String list = n.createList("Wanted, concurrent", "wanted-persons", "amber");
        String path = "/api/watchlists/" + list + "/entries/c-1";
        ObjectNode entry = M.createObjectNode().put("kind", "person").put("reference", "BKA-2026-0777");
        entry.putArray("names").add("Ottokar BRANDHUBER");
        assertThat(n.call("root", "PUT", path, entry).status()).isEqualTo(201);
        entry.put("reference", "BKA-2026-0778");
        assertThat(n.call("root", "PUT", path, entry).json().path("version").asInt()).isEqualTo(2);
        int clients = 12;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        List<java.util.concurrent.Future<Http.Response>> answers = new ArrayList<>();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < clients; i++) {
            ObjectNode q = person("Ottokar Brandhuber", null);
            q.putArray("lists").add(list);
            String user = i % 2 == 0 ? "officer" : "officer2";
            answers.add(pool.submit(() -> {
                go.await();
                return n.check(user, q);
            }));
        }
        go.countDown();
        java.util.Set<Long> hitIds = new java.util.HashSet<>();
        for (var f : answers) {
            Http.Response r = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode hits = r.json().path("hits");
            assertThat(hits).hasSize(1);
            assertThat(hits.get(0).path("follow_up").path("reference").asText()).isEqualTo("BKA-2026-0778");
            hitIds.add(hits.get(0).path("hit").asLong());
        }
        pool.shutdown();
        assertThat(hitIds).as("one hit each, numbered apart").hasSize(clients);
        JsonNode recorded = n.get("liaison", "/api/screening/hits?limit=1000&list=" + list).json().path("hits");
        assertThat(recorded).hasSize(clients).allSatisfy(h -> {
            assertThat(hitIds).contains(h.path("id").asLong());
            assertThat(h.path("entry_id").asText()).isEqualTo("c-1");
            assertThat(h.path("entry_version").asInt()).isEqualTo(2);
            assertThat(h.path("entry").path("reference").asText()).isEqualTo("BKA-2026-0778");
        });
        List<Long> audited = new ArrayList<>();
        for (JsonNode d : n.audit("screening-check")) {
            for (JsonNode h : d.path("hits")) {
                if (!h.path("list").asText().equals(list)) continue;
                assertThat(h.path("entry_version").asInt()).isEqualTo(2);
                audited.add(h.path("hit").asLong());
            }
        }
        assertThat(audited).containsExactlyInAnyOrderElementsOf(hitIds);

        // The owner's contact point as it is now, not as the last check found it.
        var orgs = n.node.services().organisations();
        String before = n.own.contactPoint();
        orgs.update(n.own.id(), new org.entente.node.partners.Organisations.Draft(null, null, null, "SIRENE desk 2"), "test");
        try {
            ObjectNode q = person("Ottokar Brandhuber", null);
            q.putArray("lists").add(list);
            JsonNode hit = n.check("officer", q).json().path("hits").get(0);
            assertThat(hit.path("follow_up").path("contact_point").asText()).isEqualTo("SIRENE desk 2");
        } finally {
            orgs.update(n.own.id(), new org.entente.node.partners.Organisations.Draft(null, null, null, before), "test");
        }
    }

    @Test
    void singleEntriesAreAddedChangedAndRemovedWithBadFieldsNamed() {
        String list = n.createList("Stolen documents", "travel-documents", "green");
        String path = "/api/watchlists/" + list + "/entries/d-77";
        ObjectNode bad = M.createObjectNode().put("kind", "document").put("number", "").put("status", "misplaced")
                .put("country", "ZZZ");
        Http.Response refused = n.call("root", "PUT", path, bad);
        assertThat(refused.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        refused.json().path("problems").forEach(p -> fields.add(p.path("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("/number", "/status", "/country");
        assertThat(n.count("SELECT count(*) FROM watchlist_entry_version WHERE list_id = '" + list + "'")).isZero();

        ObjectNode doc = M.createObjectNode().put("kind", "document").put("number", "L898902C3").put("type", "passport")
                .put("country", "FR").put("status", "stolen");
        assertThat(n.call("root", "PUT", path, doc).status()).isEqualTo(201);
        ObjectNode q = M.createObjectNode();
        q.putObject("document").put("number", "L898902C3").put("country", "FR");
        assertThat(n.check("officer", q).json().path("hits")).hasSize(1);
        q.putObject("document").put("number", "L898902C3").put("country", "DE");
        assertThat(n.check("officer", q).json().path("hits")).as("another country's document of the same number").isEmpty();
        // The partner's agreement does not cover travel documents.
        q.putObject("document").put("number", "L898902C3").put("country", "FR");
        assertThat(n.check("fr-officer", q).json().path("hits")).isEmpty();

        doc.put("status", "lost");
        Http.Response changed = n.call("root", "PUT", path, doc);
        assertThat(changed.json().path("change").asText()).isEqualTo("changed");
        assertThat(changed.json().path("version").asInt()).isEqualTo(2);
        assertThat(n.call("root", "PUT", path, doc).json().path("change").asText()).isEqualTo("unchanged");
        assertThat(n.call("root", "DELETE", path, null).status()).isEqualTo(200);
        assertThat(n.check("officer", q).json().path("hits")).isEmpty();
        assertThat(n.call("root", "DELETE", path, null).status()).isEqualTo(404);
    }

    @Test
    void aManifestIsAnsweredLineByLineAndABadLineNamesItsField() {
        String manifest = String.join("\n",
                "{\"id\":\"t1\",\"name\":\"Ayman al-Zawahiri\",\"birth_date\":\"1951\"}",
                "{\"id\":\"t2\",\"name\":\"Erika Mustermann\",\"birth_date\":\"1964-08-12\",\"nationality\":\"DE\"}",
                "{\"id\":\"t3\",\"name\":\"Ramon Esteban Quintero\"}");
        Http.Response r = n.call("officer", "POST", "/api/screening/batch", "application/x-ndjson",
                manifest.getBytes(StandardCharsets.UTF_8), null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/x-ndjson");
        String[] out = r.body().split("\n");
        assertThat(out).hasSize(3);
        JsonNode t1 = json(out[0]);
        assertThat(t1.path("query").asText()).isEqualTo("t1");
        assertThat(t1.path("hits")).isNotEmpty();
        assertThat(json(out[1]).path("hits")).isEmpty();
        assertThat(json(out[2]).path("hits").get(0).path("entry").path("list").asText()).isEqualTo("National wanted persons");
        assertThat(n.audit("screening-batch")).anySatisfy(d -> assertThat(d.path("travellers").asInt()).isEqualTo(3));

        String bad = manifest + "\n{\"id\":\"t4\",\"name\":\"X\",\"birth_date\":\"yesterday\"}\nnot json";
        Http.Response refused = n.call("officer", "POST", "/api/screening/batch", "application/x-ndjson",
                bad.getBytes(StandardCharsets.UTF_8), null);
        assertThat(refused.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        refused.json().path("problems").forEach(p -> fields.add(p.path("field").asText()));
        assertThat(fields).containsExactly("/3/birth_date", "/4");
    }

    @Test
    void aHitOnAListReceivedFromAPartnerIsForThePartnerToHearOf() throws Exception {
        // What federation will do when a partner's list arrives, done here in SQL: the list is the
        // partner's, received under the agreement, and the node follows it like any other change.
        String id = java.util.UUID.randomUUID().toString();
        n.node.services().database().jdbi().useTransaction(h -> {
            long seq = h.createQuery("UPDATE screening_counter SET value = value + 2 WHERE name = 'watchlist' RETURNING value")
                    .mapTo(Long.class).one();
            h.createUpdate("INSERT INTO watchlist (id, name, owner_id, kind, category, tlp, personal_data, provider_id,"
                    + " agreement_id, remote_id, seq) VALUES (:id, 'Fichier des personnes recherchées', :p, 'wanted-persons',"
                    + " 'persons-of-interest', 'green', true, :p, :a, 'fpr', :s)")
                    .bind("id", id).bind("p", n.partner.id()).bind("a", n.agreementId).bind("s", seq - 1).execute();
            h.createUpdate("INSERT INTO watchlist_entry (list_id, entry_id, version, data) VALUES (:id, 'fpr-9', 1, :d)")
                    .bind("id", id).bind("d", "{\"id\":\"fpr-9\",\"kind\":\"person\",\"names\":[{\"name\":"
                            + "\"Mathis DELACROIX\",\"quality\":\"primary\"}],\"reference\":\"FPR-2026-311\"}").execute();
            h.createUpdate("INSERT INTO watchlist_entry_version (list_id, entry_id, version, change, data, seq, actor, source)"
                    + " SELECT list_id, entry_id, 1, 'added', data, :s, 'federation', 'test' FROM watchlist_entry WHERE list_id = :id")
                    .bind("id", id).bind("s", seq).execute();
            h.execute("SELECT pg_notify('entente_screening', 'watchlist')");
        });
        ObjectNode q = person("Mathis Delacroix", null);
        q.putArray("lists").add(id);
        Http.Response r = null;
        for (int i = 0; i < 100 && (r == null || r.status() != 200); i++) {
            r = n.check("officer", q);
            if (r.status() != 200) Thread.sleep(20);
        }
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode hit = r.json().path("hits").get(0);
        assertThat(hit.path("follow_up").path("organisation").asText()).isEqualTo(n.partner.id());
        assertThat(hit.path("follow_up").path("contact_point").asText()).isEqualTo("PAF liaison desk");
        assertThat(hit.path("follow_up").path("reference").asText()).isEqualTo("FPR-2026-311");
        JsonNode recorded = n.get("fr-analyst", "/api/screening/hits").json().path("hits");
        assertThat(recorded).anySatisfy(h -> {
            assertThat(h.path("id").asLong()).isEqualTo(hit.path("hit").asLong());
            assertThat(h.path("delivery").asText()).isEqualTo("pending");
            assertThat(h.path("provider").asText()).isEqualTo(n.partner.id());
            assertThat(h.path("agreement").asText()).isEqualTo(n.agreementId);
        });
        assertThat(n.get("liaison", "/api/screening/hits?list=" + id).json().path("hits")).as("not the node's own to hear of")
                .isEmpty();
        // The node does not change what its provider owns.
        assertThat(n.call("root", "DELETE", "/api/watchlists/" + id, null).status()).isEqualTo(403);
    }

    @Test
    void importProgressStreamsAsJsonLines() {
        String list = n.createList("Streamed", "wanted-persons", "amber");
        Http.Response r = n.call("root", "POST", "/api/watchlists/" + list + "/import", "application/x-ndjson",
                lines("{\"id\":\"s1\",\"names\":[\"Sofia STREAM\"]}"), null);
        Http.Response streamed = n.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(n.base
                        + "/api/watchlists/" + list + "/import?edition=2")).header("Authorization", Http.basic("root",
                        ScreeningNode.PASSWORD)).header("Accept", "application/x-ndjson")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(lines("{\"id\":\"s1\",\"names\":[\"Sofia STREAM\"]}",
                        "{\"id\":\"s2\",\"names\":[\"Samuel STREAM\"]}"))).build());
        assertThat(r.status()).isEqualTo(200);
        assertThat(streamed.status()).isEqualTo(200);
        String[] out = streamed.body().split("\n");
        assertThat(out[0]).contains("\"progress\"");
        JsonNode result = json(out[out.length - 1]).path("result");
        assertThat(result.path("added").asInt()).isEqualTo(1);
        assertThat(result.path("unchanged").asInt()).isEqualTo(1);
    }

    @Test
    void theOpenApiFragmentDescribesExactlyTheRoutesServed() throws Exception {
        // The fragment refers to the shared shapes of base.json: it is read as the node serves it, assembled.
        String text = org.entente.node.http.OpenApiDocument.assemble().toString();
        var parsed = new io.swagger.v3.parser.OpenAPIV3Parser().readContents(text, null, null);
        assertThat(parsed.getMessages()).isEmpty();
        java.util.function.Predicate<String> screening = path -> path.startsWith("/api/watchlists")
                || path.startsWith("/api/screening") || path.equals("/api/events");
        java.util.Set<String> described = new java.util.TreeSet<>();
        parsed.getOpenAPI().getPaths().forEach((path, item) -> {
            if (screening.test(path)) item.readOperationsMap().keySet().forEach(m -> described.add(m.name() + " " + path));
        });
        java.util.Set<String> served = new java.util.TreeSet<>();
        for (var r : n.node.http().routes()) {
            if (screening.test(r.path())) served.add(r.method() + " " + r.path());
        }
        assertThat(described).isEqualTo(served);
    }

    static byte[] lines(String... lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode json(String s) {
        try {
            return M.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }
}
