package org.entente.node.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.entente.node.NodeServices;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import org.entente.node.policy.Agreement;
import org.entente.node.requests.Desk.Started;
import org.entente.node.testing.Federated;
import org.entente.node.testing.Http;
import org.entente.node.testing.NodeProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The requested node runs as its own operating-system process and is killed (SIGKILL) while requests
 * are being received, acknowledged, answered, clarified and withdrawn in both directions; restarted
 * on its database, it and the requesting node end with the same state and the same events for every
 * request: nothing lost, nothing applied twice.
 */
class RequestKilledNodeTest {
    static final int REQUESTS = 36;
    static final Set<String> TRANSITIONS = Set.of("received", "acknowledged", "in-progress", "answered", "refused",
            "withdrawn", "withdrawal-accepted", "withdrawal-declined");

    Started a;
    NodeProcess b;
    NodeServices atB;

    @AfterEach
    void stop() {
        if (b != null) b.close();
        if (atB != null) atB.close();
        if (a != null) a.node().close();
    }

    @Test
    void bothEndsAgreeOnEveryRequestAfterTheRequestedNodeIsKilledMidExchange() throws Exception {
        a = Desk.start("Cybercrime Unit", "EE", "cybercrime", "+372 612 3000", Clock.systemUTC(), Map.of());
        Started bInProcess = Desk.start("National CERT", "DE", "cert", "24-7@cert.example.de", Clock.systemUTC(), Map.of());
        Desk.pair(a, bInProcess);
        Agreement mou = Desk.agree(a, bInProcess, Desk.agreement("MoU", List.of(a.own().id(), bInProcess.own().id()),
                Desk.budapest()));
        String bOrg = bInProcess.own().name();
        // From here on B is an operating-system process on the same database and federation port.
        bInProcess.node().close();
        DatabaseLocation.External bDb = (DatabaseLocation.External) bInProcess.db();
        Map<String, String> env = new HashMap<>();
        bInProcess.settings().forEach((k, v) -> env.put(k.environmentVariable(), v));
        env.put(Key.DATABASE_URL.environmentVariable(), bDb.jdbcUrl() + (bDb.jdbcUrl().contains("?") ? "&" : "?")
                + "user=" + bDb.user() + "&password=" + bDb.password());
        env.put(Key.LOG_FORMAT.environmentVariable(), "text");
        NodeConfig bConfig = NodeConfig.of(bDb, bInProcess.settings());

        b = NodeProcess.start(env, "serve", "--port", "0");
        DeskOfB bDesk = new DeskOfB(b.awaitLine("Entente node listening on ", 90));
        // B's database as its operator's command line sees it, open through the kill.
        atB = NodeServices.open(bConfig);
        Thread desk = Thread.ofPlatform().name("desk-of-b").start(bDesk::work);
        try {
            List<String> ids = new ArrayList<>();
            Requests ra = a.requests();
            Requests.Actor officer = Desk.actor("officer-a");
            int killAt = REQUESTS / 2;
            int openAtKill = -1;
            for (int i = 0; i < REQUESTS; i++) {
                ids.add(ra.create(Desk.preservation(bOrg, mou.id()), officer).id());
                requesterMoves(ra, ids, officer);
                if (i == killAt) {
                    Federated.await("B's desk to be under way", () -> bDesk.done.size() >= 12);
                    b.kill();
                    b.waitFor(30);
                    b.close();
                    openAtKill = count(atB, "SELECT count(*) FROM assistance_request WHERE open");
                } else if (i == killAt + 8) {
                    b = NodeProcess.start(env, "serve", "--port", "0");
                    bDesk.url.set(b.awaitLine("Entente node listening on ", 90));
                }
                Thread.sleep(60);
            }
            assertThat(openAtKill).as("requests still open at B when it was killed").isPositive();

            try {
                Federated.await("every request to be closed at both ends", () -> {
                    requesterMoves(ra, ids, officer);
                    return disagreements(ra, atB, ids).isEmpty();
                }, Duration.ofSeconds(90));
            } catch (AssertionError e) {
                assertThat(disagreements(ra, atB, ids)).as("B's log:\n" + tail(b.errorLines())).isEmpty();
            }
            bDesk.stop.set(true);
            desk.join(30_000);

            {
                for (String id : ids) {
                    Requests.Request x = ra.find(id).orElseThrow();
                    Requests.Request y = atB.requests().find(id).orElseThrow();
                    assertThat(x.state()).as(id).isEqualTo(y.state());
                    assertThat(x.preservedUntil()).as(id).isEqualTo(y.preservedUntil());
                    assertThat(x.deadline()).as(id).isEqualTo(y.deadline());
                    List<String> events = Desk.events(ra, id);
                    // Each end lists them in the order it learned of them: a withdrawal crossing an
                    // acknowledgement comes before it at one end and after it at the other.
                    assertThat(events).as(id).doesNotHaveDuplicates()
                            .containsExactlyInAnyOrderElementsOf(Desk.events(atB.requests(), id));
                    // Each transition at most once: a repeat of a message never moved a request again.
                    List<String> kinds = events.stream().map(e -> e.substring(0, e.indexOf(':')))
                            .filter(TRANSITIONS::contains).toList();
                    assertThat(kinds).as(id).doesNotHaveDuplicates();
                    assertThat(kinds.getFirst()).as(id).isEqualTo("received");
                }
                // What either side was told it had done is at both ends.
                for (String done : bDesk.done) {
                    String id = done.substring(0, done.indexOf(' '));
                    String kind = done.substring(done.indexOf(' ') + 1);
                    assertThat(Desk.events(ra, id)).as(done).anyMatch(e -> e.startsWith(kind + ":"));
                }
                for (String id : ids) {
                    assertThat(ra.find(id).orElseThrow().events()).isEqualTo(atB.requests().find(id).orElseThrow().events());
                }
                assertThat(refused(a.node().services())).isZero();
                assertThat(refused(atB)).isZero();
                // A's messages of the time B was down were offered again until B took them.
                assertThat(count(a.node().services(), "SELECT count(*) FROM federation_outbox WHERE attempts > 1"
                        + " AND kind LIKE 'assistance-%'")).isPositive();
            }
        } finally {
            bDesk.stop.set(true);
            desk.join(30_000);
        }
    }

    /**
     * What the requesting side does meanwhile: a question about every fourth request once it is
     * received, and a withdrawal of every fifth once it is acknowledged (crossing B's next steps).
     */
    private static void requesterMoves(Requests ra, List<String> ids, Requests.Actor officer) {
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Requests.Request r = ra.find(id).orElseThrow();
            try {
                if (i % 4 == 1 && r.state() == RequestState.RECEIVED && r.events() == 2) {
                    ra.clarify(id, officer, Desk.json("{\"text\":\"Which time zone are the logs in?\"}"));
                } else if (i % 5 == 2 && r.state() == RequestState.ACKNOWLEDGED) {
                    ra.withdraw(id, officer, "the suspect was identified otherwise");
                }
            } catch (org.entente.node.common.Refusal e) {
                // moved on meanwhile: a 409 is the answer, and nothing changed
            }
        }
    }

    /** B's 24/7 desk over its HTTP API: acknowledges, starts and answers (refuses every seventh) what its inbox shows. */
    static final class DeskOfB {
        final AtomicReference<String> url = new AtomicReference<>();
        final AtomicBoolean stop = new AtomicBoolean();
        /** "request-id kind" of each transition the node confirmed (2xx). */
        final Set<String> done = ConcurrentHashMap.newKeySet();
        final AtomicInteger calls = new AtomicInteger();

        DeskOfB(String listening) {
            url.set(listening);
        }

        void work() {
            while (!stop.get()) {
                try {
                    Http http = new Http(url.get().substring("Entente node listening on ".length()),
                            Http.basic("liaison", Desk.PASSWORD));
                    Http.Response list = http.get("/api/requests?box=inbox&limit=200", "application/json");
                    if (list.status() != 200) continue;
                    for (JsonNode r : list.json().path("requests")) {
                        String id = r.path("id").asText();
                        boolean refuse = Math.floorMod(id.hashCode(), 7) == 0;
                        String[] step = switch (r.path("state").asText()) {
                            case "received" -> refuse ? new String[] {"refuse", "refused", "{\"grounds\":\"not our remit\"}"}
                                    : new String[] {"ack", "acknowledged", "{}"};
                            case "acknowledged" -> new String[] {"start", "in-progress", "{}"};
                            case "in-progress" -> new String[] {"answer", "answered", "{\"text\":\"preserved until further notice\"}"};
                            default -> null;
                        };
                        if (step == null) continue;
                        calls.incrementAndGet();
                        Http.Response x = http.post("/api/requests/" + id + "/" + step[0], step[2], "application/json");
                        if (x.status() / 100 == 2) done.add(id + " " + step[1]);
                    }
                    Thread.sleep(30);
                } catch (RuntimeException e) {
                    // B is down (killed) or a crossing message moved the request: try again
                    sleepQuietly();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static void sleepQuietly() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What still differs between the two ends, or is not yet closed or delivered. */
    private List<String> disagreements(Requests ra, NodeServices atB, List<String> ids) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            Requests.Request x = ra.find(id).orElseThrow();
            Requests.Request y = atB.requests().find(id).orElse(null);
            if (y == null) {
                out.add(id + " is not at B (" + x.state().wire() + " at A)");
            } else if (x.state().open() || x.state() != y.state()) {
                out.add(id + " is " + x.state().wire() + " at A, " + y.state().wire() + " at B");
            } else if (!sorted(Desk.events(ra, id)).equals(sorted(Desk.events(atB.requests(), id)))) {
                out.add(id + " has events " + Desk.events(ra, id) + " at A, " + Desk.events(atB.requests(), id) + " at B");
            }
        }
        int pa = pending(a.node().services());
        int pb = pending(atB);
        if (pa + pb > 0) out.add(pa + " messages waiting at A, " + pb + " at B");
        return out;
    }

    private static List<String> sorted(List<String> events) {
        return events.stream().sorted().toList();
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static int pending(NodeServices n) {
        return count(n, "SELECT count(*) FROM federation_outbox WHERE delivered IS NULL");
    }

    private static int refused(NodeServices n) {
        return count(n, "SELECT count(*) FROM federation_outbox WHERE last_error LIKE 'refused%'");
    }

    private static int count(NodeServices n, String sql) {
        return n.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }
}
