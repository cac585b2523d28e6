package org.entente.node.screening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.node.screening.ScreeningNode.M;
import static org.entente.node.screening.ScreeningNode.PASSWORD;
import static org.entente.node.screening.ScreeningNode.person;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.entente.node.config.Key;
import org.entente.node.testing.Http;
import org.entente.node.testing.NodeProcess;
import org.entente.node.testing.Staff;
import org.entente.node.users.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Screening while lists change: hits reach the owner's event stream, concurrent clients never see
 * an error nor a stale answer once a change is announced, a second node process follows within a
 * second, sweeps are refused and reported, and an agreement's limit holds.
 */
class ScreeningLiveTest {
    static ScreeningNode n;
    static String live;

    @BeforeAll
    static void start() {
        n = new ScreeningNode(Map.of(Key.SCREENING_LIMIT_USER, "0", Key.SCREENING_LIMIT_ORGANISATION, "0",
                Key.SCREENING_SWEEP_DOCUMENTS, "8", Key.SCREENING_SWEEP_NAMES, "6"));
        Staff staff = new Staff(n.node.services());
        for (String u : List.of("sweeper", "speller", "client")) {
            staff.create(u, PASSWORD, false, n.own.id(), Set.of(Role.BORDER_OFFICER));
        }
        live = n.createList("Live", "wanted-persons", "green");
        n.importFile(live, ("{\"id\":\"l1\",\"names\":[\"Ottavio Brambilla\"]}\n").getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        n.close();
    }

    static ObjectNode onLive(String name) {
        ObjectNode q = person(name, null);
        q.putArray("lists").add(live);
        return q;
    }

    @Test
    void aHitReachesTheOwnersEventStreamAndNoOneElses() throws Exception {
        try (EventStream owner = new EventStream(n.base + "/api/events?types=hit", "liaison", PASSWORD);
                EventStream partner = new EventStream(n.base + "/api/events?types=hit", "fr-analyst", PASSWORD)) {
            assertThat(owner.status).isEqualTo(200);
            assertThat(partner.status).isEqualTo(200);
            Http.Response r = n.check("officer", onLive("Ottavio Brambilla"));
            long hit = r.json().path("hits").get(0).path("hit").asLong();
            EventStream.Event e = owner.next(5_000);
            assertThat(e).isNotNull();
            assertThat(e.type()).isEqualTo("hit");
            assertThat(e.id()).isEqualTo(hit);
            assertThat(e.data().path("asked_by").asText()).isEqualTo("officer");
            assertThat(e.data().path("list").asText()).isEqualTo(live);
            assertThat(e.data().path("entry_id").asText()).isEqualTo("l1");
            assertThat(e.data().path("query").path("name").asText()).isEqualTo("Ottavio Brambilla");
            assertThat(partner.next(500)).as("a hit on the DE list is not the French partner's to hear of").isNull();
        }
        // Reconnecting with Last-Event-ID replays what was missed.
        long before = n.node.services().screening().hits().lastEvent();
        n.check("officer", onLive("Ottavio Brambilla"));
        Http.Response replayed = n.get("liaison", "/api/screening/hits?after=" + before);
        assertThat(replayed.json().path("hits")).hasSize(1);
        // Border officers screen; they are not told of hits, and sweeps are for administrators.
        try (EventStream officer = new EventStream(n.base + "/api/events?types=hit", "officer", PASSWORD);
                EventStream sweeps = new EventStream(n.base + "/api/events?types=sweep", "liaison", PASSWORD);
                EventStream bad = new EventStream(n.base + "/api/events?types=gossip", "root", PASSWORD)) {
            assertThat(officer.status).isEqualTo(403);
            assertThat(sweeps.status).isEqualTo(403);
            assertThat(bad.status).isEqualTo(400);
        }
    }

    @Test
    void twentyClientsScreenWhileTheListChangesAndNoneSeesAStaleAnswerAfterTheChange() throws Exception {
        String name = "Lucia Valentina Ferraro";
        record Seen(long startedNanos, long finishedNanos, int status, boolean hit) {}
        ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch started = new CountDownLatch(20);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(Thread.ofPlatform().start(() -> {
                boolean first = true;
                while (running.get()) {
                    long t = System.nanoTime();
                    Http.Response r = n.check("client", onLive(name));
                    boolean hit = r.status() == 200 && r.json().path("hits").size() > 0;
                    seen.add(new Seen(t, System.nanoTime(), r.status(), hit));
                    if (first) started.countDown();
                    first = false;
                }
            }));
        }
        started.await();
        String path = "/api/watchlists/" + live + "/entries/l2";
        long beforeAdd = System.nanoTime();
        Http.Response added = n.call("root", "PUT", path, M.createObjectNode().set("names", M.createArrayNode().add(name)));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        long addedAt = System.nanoTime();
        awaitChecksBegunAfter(seen, addedAt, Seen::startedNanos);
        long beforeRemove = System.nanoTime();
        assertThat(n.call("root", "DELETE", path, null).status()).isEqualTo(200);
        long removedAt = System.nanoTime();
        awaitChecksBegunAfter(seen, removedAt, Seen::startedNanos);
        running.set(false);
        for (Thread t : clients) t.join();

        System.out.println("SEEN " + seen.size() + " add " + (addedAt - beforeAdd) / 1_000_000 + " ms, remove "
                + (removedAt - beforeRemove) / 1_000_000 + " ms, slowest " + seen.stream().mapToLong(s -> s.finishedNanos()
                - s.startedNanos()).max().orElse(0) / 1_000_000 + " ms");
        assertThat(seen).allSatisfy(s -> assertThat(s.status()).isEqualTo(200));
        // Announced is answered: once the change's request returned, every check begun after it sees it.
        List<Seen> afterAdd = seen.stream().filter(s -> s.startedNanos() > addedAt && s.finishedNanos() < beforeRemove)
                .toList();
        List<Seen> afterRemove = seen.stream().filter(s -> s.startedNanos() > removedAt).toList();
        assertThat(afterAdd).isNotEmpty().allSatisfy(s -> assertThat(s.hit()).isTrue());
        assertThat(afterRemove).isNotEmpty().allSatisfy(s -> assertThat(s.hit()).isFalse());
        assertThat(seen.stream().filter(s -> s.finishedNanos() < beforeAdd)).isNotEmpty().allSatisfy(s ->
                assertThat(s.hit()).isFalse());
    }

    /** Waits (on a loaded machine, for long) until 40 checks begun after {@code t} have been answered. */
    static <S> void awaitChecksBegunAfter(ConcurrentLinkedQueue<S> seen, long t, java.util.function.ToLongFunction<S> began)
            throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (seen.stream().filter(s -> began.applyAsLong(s) > t).count() < 40 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void aSecondNodeProcessSeesAnAddedEntryWithinASecond() throws Exception {
        String url = n.database.jdbcUrl() + (n.database.jdbcUrl().contains("?") ? "&" : "?") + "user=postgres&password=postgres";
        try (NodeProcess other = NodeProcess.start(Map.of("ENTENTE_DATABASE_URL", url, "ENTENTE_ADMIN_USER", "root",
                "ENTENTE_ADMIN_PASSWORD", PASSWORD, "ENTENTE_LOG_FORMAT", "text", "ENTENTE_SCREENING_LIMIT_USER", "0"), "serve", "--port", "0")) {
            String b = other.awaitLine("Entente node listening on ", 90).substring("Entente node listening on ".length());
            Http second = new Http(b, Http.basic("officer", PASSWORD));
            String name = "Gianluca Santoro Benedetti";
            assertThat(hits(second, name)).isZero();
            String path = "/api/watchlists/" + live + "/entries/l3";
            assertThat(n.call("root", "PUT", path, M.createObjectNode().set("names", M.createArrayNode().add(name)))
                    .status()).isEqualTo(201);
            long t0 = System.nanoTime();
            while (hits(second, name) == 0 && System.nanoTime() - t0 < 5_000_000_000L) Thread.sleep(5);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(hits(second, name)).isEqualTo(1);
            assertThat(millis).as("the second process answered with the new entry after %d ms", millis).isLessThan(1_000);

            // A hit asked of the second process reaches a stream held by the first.
            try (EventStream owner = new EventStream(n.base + "/api/events?types=hit", "liaison", PASSWORD)) {
                assertThat(hits(second, name)).isEqualTo(1);
                EventStream.Event e = owner.next(5_000);
                assertThat(e).isNotNull();
                assertThat(e.data().path("entry_id").asText()).isEqualTo("l3");
            }
            assertThat(n.call("root", "DELETE", path, null).status()).isEqualTo(200);
            long t1 = System.nanoTime();
            while (hits(second, name) > 0 && System.nanoTime() - t1 < 5_000_000_000L) Thread.sleep(5);
            assertThat((System.nanoTime() - t1) / 1_000_000).isLessThan(1_000);
        }
    }

    private static int hits(Http node, String name) {
        Http.Response r = node.post("/api/screening/check", onLive(name).toString(), "application/json");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("hits").size();
    }

    @Test
    void aSweepThroughDocumentNumbersIsRefusedAndReportedToTheAdministrators() throws Exception {
        try (EventStream admins = new EventStream(n.base + "/api/events?types=sweep", "root", PASSWORD)) {
            assertThat(admins.status).isEqualTo(200);
            Http.Response last = null;
            int refusedAt = -1;
            for (int i = 0; i < 12 && refusedAt < 0; i++) {
                ObjectNode q = M.createObjectNode();
                q.putObject("document").put("number", "C4X" + (5103700 + i)).put("country", "DE");
                last = n.check("sweeper", q);
                if (last.status() != 200) refusedAt = i;
            }
            assertThat(refusedAt).isEqualTo(7);
            assertThat(last.status()).isEqualTo(403);
            assertThat(last.json().path("description").asText()).contains("sweep").contains("administrators");
            EventStream.Event e = admins.next(5_000);
            assertThat(e).isNotNull();
            assertThat(e.type()).isEqualTo("sweep");
            assertThat(e.data().path("user").asText()).isEqualTo("sweeper");
            assertThat(e.data().path("pattern").asText()).isEqualTo("documents-in-sequence");
            assertThat(e.data().path("detail").path("values")).hasSize(8);
        }
        // The sweeper is refused for a while, whatever it asks; other officers are not.
        Http.Response after = n.check("sweeper", person("Erika Mustermann", null));
        assertThat(after.status()).isEqualTo(403);
        assertThat(after.json().path("description").asText()).contains("refused");
        assertThat(n.check("officer", person("Erika Mustermann", null)).status()).isEqualTo(200);
        assertThat(n.audit("screening-sweep")).anySatisfy(d -> assertThat(d.path("pattern").asText())
                .isEqualTo("documents-in-sequence"));
        assertThat(n.audit("rejected-request")).anySatisfy(d -> assertThat(d.path("rule").asText())
                .isEqualTo("screening-sweep-blocked"));
    }

    @Test
    void manySpellingsOfOneNameAreASweepToo() {
        List<String> spellings = List.of("Mohammed Ali Hassan", "Muhammad Ali Hassan", "Mohamed Ali Hasan",
                "Mohammad Aly Hassan", "Muhammed Ali Hassen", "Mohamad Ali Hasson", "Mouhamed Ali Hassan");
        int refusedAt = -1;
        for (int i = 0; i < spellings.size() && refusedAt < 0; i++) {
            if (n.check("speller", person(spellings.get(i), null)).status() == 403) refusedAt = i;
        }
        // The sixth distinct spelling: "Mohamed Ali Hasan" is the first one with its letters undoubled.
        assertThat(refusedAt).isEqualTo(6);
        // Asking again and again about the same spelling is screening, not sweeping.
        for (int i = 0; i < 10; i++) assertThat(n.check("officer", person("Mohammed Ali Hassan", null)).status()).isEqualTo(200);
    }

    @Test
    void anAgreementsLimitHoldsForThePartnersPeople() {
        ObjectNode limit = M.createObjectNode().put("per_user", 3);
        Http.Response set = n.call("root", "PUT", "/api/screening/limits/" + n.agreementId, limit);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(n.call("officer", "PUT", "/api/screening/limits/" + n.agreementId, limit).status()).isEqualTo(403);
        assertThat(n.call("root", "PUT", "/api/screening/limits/" + n.agreementId, M.createObjectNode().put("per_user", 0))
                .json().path("problems").get(0).path("field").asText()).isEqualTo("/per_user");
        // Seven checks within a second: whichever minute they fall in, one minute holds four of them.
        Http.Response refused = null;
        for (int i = 0; i < 7 && refused == null; i++) {
            Http.Response r = n.check("fr-officer", person("Erika Mustermann", null));
            if (r.status() != 200) refused = r;
        }
        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(n.audit("rejected-request")).anySatisfy(d -> assertThat(d.path("rule").asText())
                .isEqualTo("screening-rate-limit"));
        // The node's own people are not bound by a partner agreement's limit.
        for (int i = 0; i < 7; i++) assertThat(n.check("officer", person("Erika Mustermann", null)).status()).isEqualTo(200);
        n.call("root", "PUT", "/api/screening/limits/" + n.agreementId, M.createObjectNode());
    }
}
