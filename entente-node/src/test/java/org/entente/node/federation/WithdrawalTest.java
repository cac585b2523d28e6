package org.entente.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.entente.node.Node;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.Consent;
import org.entente.node.store.CollectionInfo;
import org.entente.stix.Tlp;
import org.entente.node.testing.Federated;
import org.junit.jupiter.api.Test;

/**
 * Retractions made by the intermediary B: a consent of the producer A revoked at B withdraws what C
 * received under it (and only that, only from C); a retention purge at B reaches C too.
 */
class WithdrawalTest {

    @Test
    void aRevokedConsentWithdrawsWhatItCoveredAndAPurgeReachesTheOnwardRecipient() {
        try (Node a = Nodes.start("Producer", "EE", "cybercrime");
                Node b = Nodes.start("Intermediary", "DE", "cert");
                Node c = Nodes.start("Recipient", "NL", "police")) {
            Federated.pair(a, b);
            Federated.pair(b, c);
            ObjectNode ab = Nodes.agreement("A-B, onward with consent, kept a day", List.of(Federated.own(a).id(), Federated.own(b).id()),
                    "active");
            ab.with("rules").putObject("onward_sharing").put("rule", "with-consent");
            ab.with("rules").put("retention_days", 1);
            Agreement mou = Federated.agree(a, b, ab);
            Agreement bc = Federated.agree(b, c, Nodes.agreement("B-C", List.of(Federated.own(b).id(), Federated.own(c).id()), "active"));
            CollectionInfo feed = Nodes.collection(a, "feed");
            a.services().federation().offer(Federated.own(b).name(), "feed", mou.id(), "test");
            String first = Nodes.newId();
            String second = Nodes.newId();
            Nodes.load(a, "feed", List.of(Nodes.indicator(first, "192.0.2.41", Tlp.GREEN),
                    Nodes.indicator(second, "192.0.2.42", Tlp.GREEN)));
            assertThat(b.services().federation().syncNow(Federated.own(a).name())).isEqualTo(Federation.SyncResult.DONE);
            String atB = Nodes.received(b, a, feed.id());
            Consent forFirst = b.services().consents().record(Federated.own(a).id(), Federated.own(c).id(), "onward-sharing", first,
                    "letter 2026/14", "test");
            b.services().consents().record(Federated.own(a).id(), Federated.own(c).id(), "onward-sharing", second,
                    "letter 2026/15", "test");
            b.services().federation().offer(Federated.own(c).name(), atB, bc.id(), "test");
            assertThat(c.services().federation().syncNow(Federated.own(b).name())).isEqualTo(Federation.SyncResult.DONE);
            String atC = Nodes.received(c, b, atB);
            assertThat(Nodes.ids(c, atC)).containsExactlyInAnyOrder(first, second);

            // The producer withdraws its consent for the first object (recorded at B): C must no longer hold it.
            b.services().consents().revoke(forFirst.id(), "test");
            assertThat(c.services().federation().syncNow(Federated.own(b).name())).isEqualTo(Federation.SyncResult.DONE);
            assertThat(Nodes.ids(c, atC)).containsExactly(second);
            assertThat(Nodes.ids(b, atB)).as("a withdrawal leaves the intermediary's copy").contains(first, second);

            // B's retention (one day under the A-B agreement) purges both; the purge reaches C.
            b.services().retention().run(Instant.now().plus(Duration.ofDays(2)), false, "test");
            assertThat(Nodes.ids(b, atB)).isEmpty();
            assertThat(c.services().federation().syncNow(Federated.own(b).name())).isEqualTo(Federation.SyncResult.DONE);
            assertThat(Nodes.ids(c, atC)).isEmpty();
            PeerStatus.Pulled fromB = c.services().federation().status(Federated.own(b).name()).collections().get(0);
            assertThat(fromB.retracted()).isEqualTo(2);
            String audit = c.database().jdbi().withHandle(h -> h.createQuery("SELECT string_agg(detail::text, ' ')"
                    + " FROM audit_record WHERE kind = 'federation-retraction'").mapTo(String.class).one());
            assertThat(audit).contains("withdrawn", "purged", Federated.own(b).id());
        }
    }
}
