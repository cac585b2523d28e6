package org.entente.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.entente.node.Node;
import org.entente.node.config.Key;
import org.entente.node.policy.Agreement;
import org.entente.node.testing.Federated;
import org.entente.node.testing.TestPostgres;
import org.entente.stix.Tlp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A peer that answers wrong: malformed envelopes, pages over the agreed size, a `next` that repeats
 * or never ends, objects from the future or that it may not produce, answers that never come. Its
 * sync stops or skips with a clear error in peer status and the audit log, nothing received before
 * is lost or duplicated, every cycle ends, and another peer is not held up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostilePeerTest {
    static Node b;
    static FakePeer fake;
    static List<ObjectNode> good;
    static String local;

    @BeforeAll
    static void start() throws Exception {
        b = Nodes.start("Receiving CERT", "DE", "cert", TestPostgres.freshDatabase(), Map.of(Key.FEDERATION_TIMEOUT, "2s"));
        // The agreement exists before the fake becomes a peer, so it needs no countersignature here.
        String fakeOrg = "identity--" + UUID.randomUUID();
        b.services().organisations().createPartner(fakeOrg, new org.entente.node.partners.Organisations.Draft(
                "Fake Node", "FR", "cert", null), "test");
        Agreement ag = b.services().agreements().create(Nodes.agreement("With the fake", List.of(Federated.own(b).id(), fakeOrg),
                "active"), "test");
        fake = new FakePeer(fakeOrg, "Fake Node", ag.id());
        b.services().federation().addPeer(fake.identity("FR"), "test");
        good = fake.signed(List.of(Nodes.indicator(Nodes.newId(), "198.18.0.1", Tlp.GREEN),
                Nodes.indicator(Nodes.newId(), "198.18.0.2", Tlp.GREEN), Nodes.indicator(Nodes.newId(), "198.18.0.3", Tlp.GREEN)));
        fake.answers.put("/taxii2/intel/collections/c1/objects/", (x, p) -> FakePeer.send(x, 200,
                FakePeer.envelope(x.getRequestURI().getQuery().contains("added_after") ? List.of() : good, false, null),
                Map.of("X-TAXII-Date-Added-Last", "2024-06-01T00:00:00.000000Z", "X-Entente-Tombstones", "0")));
        sync();
        local = Nodes.received(b, fake.organisationId, "c1");
    }

    @AfterAll
    static void stop() {
        if (fake != null) fake.close();
        if (b != null) b.close();
    }

    static Federation.SyncResult sync() {
        return b.services().federation().syncNow(fake.organisationId);
    }

    static PeerStatus.Pulled status() {
        return b.services().federation().status(fake.organisationId).collections().get(0);
    }

    @BeforeEach
    void stillHoldsWhatItReceived() {
        assertThat(Nodes.ids(b, local)).hasSize(3);
    }

    private static void answer(String body) {
        fake.answers.put("/taxii2/intel/collections/c1/objects/", (x, p) -> FakePeer.send(x, 200, body, Map.of()));
    }

    private static void assertStopped(String error) {
        assertThat(sync()).isEqualTo(Federation.SyncResult.FAILED);
        PeerStatus.Pulled s = status();
        assertThat(s.lastError()).contains(error);
        assertThat(s.received()).isEqualTo(3);
        assertThat(s.addedAfter()).isEqualTo("2024-06-01T00:00:00.000000Z");
        assertThat(Nodes.ids(b, local)).hasSize(3);
        String audited = b.database().jdbi().withHandle(h -> h.createQuery("SELECT detail->>'error' FROM audit_record"
                + " WHERE kind = 'federation-sync-failed' ORDER BY seq DESC LIMIT 1").mapTo(String.class).one());
        assertThat(audited).contains(error);
    }

    @Test
    @Order(1)
    void aMalformedEnvelopeStopsTheSync() {
        answer("{\"more\": tru");
        assertStopped("malformed JSON");
        answer("[1, 2]");
        assertStopped("not a TAXII envelope");
        answer("{\"more\": \"yes\"}");
        assertStopped("'more' that is not true or false");
    }

    @Test
    @Order(2)
    void aPageOverTheAgreedSizeStopsTheSync() {
        List<ObjectNode> many = new java.util.ArrayList<>();
        for (int i = 0; i < PeerSync.PAGE + 1; i++) many.add(good.get(0));
        answer(FakePeer.envelope(many, false, null));
        assertStopped("more than the 1000 asked for");
    }

    @Test
    @Order(3)
    void aNextThatRepeatsOrNeverEndsStopsTheSync() {
        answer(FakePeer.envelope(List.of(), true, "same-token"));
        assertStopped("repeated the paging token");
        AtomicInteger n = new AtomicInteger();
        fake.answers.put("/taxii2/intel/collections/c1/objects/", (x, p) -> FakePeer.send(x, 200,
                FakePeer.envelope(List.of(), true, "token-" + n.incrementAndGet()), Map.of()));
        assertStopped("empty pages in a row");
        assertThat(n.get()).isLessThanOrEqualTo(PeerSync.MAX_EMPTY_PAGES + 2);
    }

    @Test
    @Order(4)
    void objectsFromTheFutureOrThatItMayNotProduceAreRejectedAndTheRestKept() {
        String future = Nodes.indicator(Nodes.newId(), "198.18.0.9", Tlp.GREEN)
                .replace("\"modified\":\"2024-01-01T00:00:00.000Z\"", "\"modified\":\"2099-01-01T00:00:00.000Z\"");
        String otherProducer = Nodes.indicator(Nodes.newId(), "198.18.0.10", Tlp.GREEN)
                .replace("\"name\"", "\"created_by_ref\":\"identity--" + UUID.randomUUID() + "\",\"name\"");
        String fine = Nodes.newId();
        List<ObjectNode> page = new java.util.ArrayList<>(fake.signed(List.of(future, otherProducer,
                Nodes.indicator(fine, "198.18.0.11", Tlp.GREEN))));
        page.add((ObjectNode) Nodes.json(Nodes.indicator(Nodes.newId(), "198.18.0.12", Tlp.GREEN)));
        ObjectNode altered = fake.signed(List.of(Nodes.indicator(Nodes.newId(), "198.18.0.13", Tlp.GREEN))).get(0);
        altered.put("name", "altered after signing");
        page.add(altered);
        fake.answers.put("/taxii2/intel/collections/c1/objects/", (x, p) -> FakePeer.send(x, 200,
                FakePeer.envelope(page, false, null), Map.of("X-TAXII-Date-Added-Last", "2024-06-02T00:00:00.000000Z")));
        assertThat(sync()).isEqualTo(Federation.SyncResult.DONE);
        PeerStatus.Pulled s = status();
        assertThat(s.rejected()).isEqualTo(4);
        assertThat(s.received()).isEqualTo(4);
        assertThat(Nodes.ids(b, local)).hasSize(4).contains(fine);
        String audited = b.database().jdbi().withHandle(h -> h.createQuery("SELECT detail::text FROM audit_record"
                + " WHERE kind = 'federation-received' ORDER BY seq DESC LIMIT 1").mapTo(String.class).one());
        assertThat(audited).contains("lies in the future", "created_by_ref names", "unsigned", "does not verify");
        // The same page again changes nothing: nothing is stored twice.
        fake.answers.put("/taxii2/intel/collections/c1/objects/", (x, p) -> FakePeer.send(x, 200,
                FakePeer.envelope(page, false, null), Map.of("X-TAXII-Date-Added-Last", "2024-06-02T00:00:00.000000Z")));
        sync();
        assertThat(Nodes.ids(b, local)).hasSize(4);
        assertThat(status().received()).isEqualTo(4);
        // Back to the earlier state for the tests that follow.
        b.services().store().delete(local, fine, org.entente.node.store.VersionMatch.ALL, List.of());
    }

    @Test
    @Order(5)
    void anAnswerThatNeverComesStopsTheSyncWithoutHoldingUpAnotherPeer() throws Exception {
        fake.answers.put("/taxii2/intel/collections/c1/objects/", (x, p) -> Thread.sleep(30_000));
        try (Node other = Nodes.start("Other Unit", "PL", "police")) {
            Federated.pair(b, other);
            Agreement ag = Federated.agree(other, b, Nodes.agreement("Other", List.of(Federated.own(other).id(), Federated.own(b).id()),
                    "active"));
            Nodes.collection(other, "feed");
            other.services().federation().offer(Federated.own(b).name(), "feed", ag.id(), "test");
            String id = Nodes.newId();
            Nodes.load(other, "feed", List.of(Nodes.indicator(id, "198.18.1.1", Tlp.GREEN)));
            long t0 = System.nanoTime();
            b.services().federation().trigger(fake.organisationId);
            Thread.sleep(200);
            assertThat(b.services().federation().syncNow(Federated.own(other).name())).isEqualTo(Federation.SyncResult.DONE);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1900);
            assertThat(Nodes.ids(b, Nodes.received(b, other, other.services().store().collection("feed").orElseThrow().id())))
                    .contains(id);
            Federated.await("the hanging peer's sync to time out", () -> status().lastError() != null
                    && status().lastError().contains("did not answer within 2 s"), java.time.Duration.ofSeconds(10));
            b.services().federation().removePeer(Federated.own(other).name(), "test");
        }
    }
}
