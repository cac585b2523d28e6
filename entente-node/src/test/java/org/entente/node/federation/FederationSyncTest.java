package org.entente.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.entente.node.Node;
import org.entente.node.policy.Agreement;
import org.entente.node.store.CollectionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two real nodes on loopback: identities exchanged, an agreement proposed and accepted, a collection offered and synced. */
class FederationSyncTest {
    static Node a;
    static Node b;
    static Agreement mou;
    static CollectionInfo shared;

    @BeforeAll
    static void start() {
        a = Nodes.start("Cybercrime Unit A", "EE", "cybercrime");
        b = Nodes.start("CERT B", "DE", "cert");
        Nodes.pair(a, b);
        mou = Nodes.agree(a, b, Nodes.agreement("MoU A-B", List.of(Nodes.own(a).id(), Nodes.own(b).id()), "active"));
        shared = Nodes.collection(a, "shared");
        a.services().federation().offer(Nodes.own(b).name(), "shared", null, "test");
    }

    @AfterAll
    static void stop() {
        if (b != null) b.close();
        if (a != null) a.close();
    }

    @Test
    void whatIsOfferedArrivesSignedByItsProducer() {
        String id = Nodes.newId();
        Nodes.load(a, "shared", List.of(Nodes.indicator(id, "198.51.100.1")));
        assertThat(b.services().federation().syncNow(Nodes.own(a).name())).isEqualTo(Federation.SyncResult.DONE);
        String local = Nodes.received(b, a, shared.id());
        assertThat(Nodes.ids(b, local)).contains(id);
        CollectionInfo c = b.services().store().collection(local).orElseThrow();
        assertThat(c.providerId()).isEqualTo(Nodes.own(a).id());
        assertThat(c.agreementId()).isEqualTo(mou.id());
        PeerStatus s = b.services().federation().status(Nodes.own(a).name());
        assertThat(s.collections().get(0).received()).isGreaterThanOrEqualTo(1);
        assertThat(s.collections().get(0).lastError()).isNull();
    }
}
