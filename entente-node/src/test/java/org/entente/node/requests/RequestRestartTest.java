package org.entente.node.requests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.entente.node.policy.Agreement;
import org.entente.node.requests.Desk.Started;
import org.entente.node.testing.Federated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node stops in the middle of exchanges and comes back on its database: what the other sent
 * meanwhile waits in its outbox and arrives, what it had not yet delivered leaves, and both ends end
 * with the same states and the same events.
 */
class RequestRestartTest {
    Started a;
    Started b;

    @AfterEach
    void stop() {
        for (Started s : new Started[] {b, a}) {
            try {
                if (s != null) s.node().close();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }

    @Test
    void bothEndsAgreeOnEveryStateAfterEachNodeIsStoppedAndRestartedMidExchange() {
        a = Desk.start("Cybercrime Unit", "EE", "cybercrime", "+372 612 3000", Clock.systemUTC(), Map.of());
        b = Desk.start("National CERT", "DE", "cert", "24-7@cert.example.de", Clock.systemUTC(), Map.of());
        Desk.pair(a, b);
        Agreement mou = Desk.agree(a, b, Desk.agreement("MoU", List.of(a.own().id(), b.own().id()), Desk.budapest()));
        String r1 = a.requests().create(Desk.preservation(b, mou.id()), Desk.actor("officer-a")).id();
        String r3 = a.requests().create(Desk.preservation(b, mou.id()), Desk.actor("officer-a")).id();
        Desk.awaitState(a, r1, RequestState.RECEIVED);
        Desk.awaitState(a, r3, RequestState.RECEIVED);

        // B stops. A goes on: a clarification, a withdrawal and a new request wait in its outbox.
        com.fasterxml.jackson.databind.node.ObjectNode third = Desk.preservation(b, mou.id());
        b.node().close();
        a.requests().clarify(r1, Desk.actor("officer-a"), Desk.json("{\"text\":\"The account was opened in 2024.\"}"));
        a.requests().withdraw(r3, Desk.actor("officer-a"), "solved");
        String r2 = a.requests().create(third, Desk.actor("officer-a")).id();
        assertThat(a.requests().find(r2).orElseThrow().state()).isEqualTo(RequestState.SENT);
        b = b.restart();
        Desk.awaitState(b, r2, RequestState.RECEIVED);
        Desk.awaitState(a, r2, RequestState.RECEIVED);
        Desk.awaitState(b, r3, RequestState.WITHDRAWN);
        Federated.await("the clarification at B", () -> b.requests().events(r1).size() == 3);

        // B acknowledges r1; A stops; B answers r1 and refuses r2 while A is away.
        b.requests().acknowledge(r1, Desk.actor("officer-b"), null);
        Desk.awaitState(a, r1, RequestState.ACKNOWLEDGED);
        a.node().close();
        b.requests().answer(r1, Desk.actor("officer-b"), Desk.json("{\"text\":\"preserved\"}"));
        b.requests().refuse(r2, Desk.actor("officer-b"), "outside our remit");
        a = a.restart();
        Desk.awaitState(a, r1, RequestState.ANSWERED);
        Desk.awaitState(a, r2, RequestState.REFUSED);
        Federated.await("B's acceptance of the withdrawal at A", () -> a.requests().events(r3).stream()
                .anyMatch(e -> e.kind() == EventKind.WITHDRAWAL_ACCEPTED));

        for (String id : List.of(r1, r2, r3)) {
            Requests.Request atA = a.requests().find(id).orElseThrow();
            Requests.Request atB = b.requests().find(id).orElseThrow();
            assertThat(atA.state()).as(id).isEqualTo(atB.state());
            assertThat(atA.preservedUntil()).as(id).isEqualTo(atB.preservedUntil());
            assertThat(atA.deadline()).as(id).isEqualTo(atB.deadline());
            assertThat(Desk.events(a, id)).as(id).isEqualTo(Desk.events(b, id));
        }
        assertThat(a.requests().find(r3).orElseThrow().state()).isEqualTo(RequestState.WITHDRAWN);
        // Every message was delivered once: nothing is waiting, and no event was recorded twice.
        for (Started n : List.of(a, b)) {
            assertThat(Desk.count(n, "SELECT count(*) FROM federation_outbox WHERE delivered IS NULL")).isZero();
            assertThat(Desk.count(n, "SELECT count(*) FROM federation_outbox WHERE last_error IS NOT NULL"
                    + " AND kind LIKE 'assistance-%' AND delivered IS NOT NULL AND last_error LIKE 'refused%'")).isZero();
        }
    }
}
