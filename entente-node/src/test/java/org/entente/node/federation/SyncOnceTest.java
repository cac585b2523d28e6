package org.entente.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.entente.node.Node;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.policy.Agreement;
import org.entente.node.store.CollectionInfo;
import org.entente.node.testing.Federated;
import org.entente.node.testing.TestPostgres;
import org.entente.stix.Tlp;
import org.junit.jupiter.api.Test;

/** Two node processes serving one database sync a peer once, not twice. */
class SyncOnceTest {

    @Test
    void twoProcessesOnOneDatabaseSyncAPeerOnce() {
        DatabaseLocation.External shared = TestPostgres.freshDatabase();
        try (Node a = Nodes.start("Provider", "EE", "cybercrime");
                Node b1 = Nodes.start("Receiver", "DE", "cert", shared, Map.of());
                Node b2 = Nodes.start("Receiver", "DE", "cert", shared, Map.of())) {
            Federated.pair(a, b1);
            Agreement mou = Federated.agree(a, b1, Nodes.agreement("MoU", List.of(Federated.own(a).id(), Federated.own(b1).id()), "active"));
            CollectionInfo c = Nodes.collection(a, "feed");
            List<String> objects = new ArrayList<>();
            for (int i = 0; i < 3500; i++) {
                objects.add(Nodes.indicator(Nodes.newId(), "10.9." + (i / 250) + "." + (i % 250), Tlp.GREEN));
            }
            Nodes.load(a, "feed", objects);
            a.services().federation().offer(Federated.own(b1).name(), "feed", mou.id(), "test");
            // Both processes are told to sync at once (the offer notified one of them already).
            b1.services().federation().trigger(Federated.own(a).id());
            b2.services().federation().trigger(Federated.own(a).id());
            Federated.await("every object to arrive", () -> {
                var s = b2.services().federation().status(Federated.own(a).name());
                return !s.collections().isEmpty() && s.collections().get(0).received() == 3500;
            }, java.time.Duration.ofSeconds(60));
            assertThat(b1.services().federation().syncNow(Federated.own(a).name())).isEqualTo(Federation.SyncResult.DONE);
            assertThat(b2.services().federation().syncNow(Federated.own(a).name())).isEqualTo(Federation.SyncResult.DONE);
            String local = Nodes.received(b1, a, c.id());
            assertThat(Nodes.ids(b1, local)).hasSize(3500);
            // The provider released each page once: four pages of up to 1,000, never a page twice.
            List<String> released = a.database().jdbi().withHandle(h -> h.createQuery("SELECT jsonb_array_elements_text("
                    + "detail->'objects') FROM audit_record WHERE kind = 'release' AND detail->>'recipient' = :b")
                    .bind("b", Federated.own(b1).id()).mapTo(String.class).list());
            assertThat(released).hasSize(3500).doesNotHaveDuplicates();
        }
    }
}
