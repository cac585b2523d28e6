package org.entente.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.entente.node.Node;
import org.entente.node.policy.Agreement;
import org.entente.node.store.CollectionInfo;
import org.entente.node.testing.Federated;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real nodes on loopback: identities exchanged, an agreement proposed and accepted, a collection
 * offered and synced, by a cycle asked for and by push; the message channel; the administrators' API.
 */
class FederationSyncTest {
    static Nodes.Pair pair;
    static Node a;
    static Node b;
    static Agreement mou;
    static CollectionInfo shared;

    @BeforeAll
    static void start() {
        pair = Nodes.Pair.start("Cybercrime Unit A", "CERT B", doc -> { });
        a = pair.provider();
        b = pair.receiver();
        mou = pair.agreement();
        shared = pair.shared();
    }

    @AfterAll
    static void stop() {
        if (pair != null) pair.close();
    }

    @Test
    void whatIsOfferedArrivesSignedByItsProducer() {
        String id = Nodes.newId();
        Nodes.load(a, "shared", List.of(Nodes.indicator(id, "198.51.100.1")));
        assertThat(b.services().federation().syncNow(Federated.own(a).name())).isEqualTo(Federation.SyncResult.DONE);
        String local = Nodes.received(b, a, shared.id());
        assertThat(Nodes.ids(b, local)).contains(id);
        CollectionInfo c = b.services().store().collection(local).orElseThrow();
        assertThat(c.providerId()).isEqualTo(Federated.own(a).id());
        assertThat(c.agreementId()).isEqualTo(mou.id());
        PeerStatus s = b.services().federation().status(Federated.own(a).name());
        assertThat(s.collections().get(0).received()).isGreaterThanOrEqualTo(1);
        assertThat(s.collections().get(0).lastError()).isNull();
    }

    @Test
    void aNewObjectReachesThePartnerByPushWithoutAnyoneAskingForACycle() {
        String id = Nodes.newId();
        Nodes.load(a, "shared", List.of(Nodes.indicator(id, "198.51.100.2")));
        String local = Nodes.received(b, a, shared.id());
        Federated.await("the pushed object at the partner", () -> Nodes.ids(b, local).contains(id), java.time.Duration.ofSeconds(10));
    }

    @Test
    void messagesOfAKindReachTheirHandlerOnceAndARepeatChangesNothing() throws Exception {
        java.util.List<FederationChannel.Message> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.services().federation().channel().on("test-request", (h, m) -> got.add(m));
        String id = a.services().federation().channel().send(Federated.own(b).id(), "test-request",
                Nodes.json("{\"case\":\"2026/17\"}"));
        Federated.await("the message at the partner", () -> got.size() == 1);
        assertThat(got.get(0).id()).isEqualTo(id);
        assertThat(got.get(0).sender()).isEqualTo(Federated.own(a).id());
        assertThat(got.get(0).body().path("case").asText()).isEqualTo("2026/17");
        // The same message delivered again (a lost acknowledgement) is acknowledged and not handled twice.
        Peers.Peer toB = a.services().federation().peers.byOrganisation(Federated.own(b).id()).orElseThrow();
        String body = a.database().jdbi().withHandle(h -> h.createQuery("SELECT body::text FROM federation_outbox WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
        PeerClient.Response again = a.services().federation().client(toB).post("/federation/v1/messages", body, 1 << 16);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.text()).contains("\"repeat\":true");
        assertThat(got).hasSize(1);
        // A message of a kind nobody handles is refused with the reason, and not retried for ever.
        String unknown = a.services().federation().channel().send(Federated.own(b).id(), "no-such-kind", Nodes.json("{}"));
        Federated.await("the refusal", () -> a.services().federation().channel().outbox(Federated.own(b).id(), 10).stream()
                .anyMatch(o -> o.id().equals(unknown) && o.delivered() != null && o.lastError() != null
                        && o.lastError().contains("no messages of kind")));
    }

    @Test
    void administratorsManagePeersOverTheApiAndBadInputIsRefusedNamingTheField() {
        org.entente.node.testing.Staff staff = new org.entente.node.testing.Staff(b.services());
        staff.create("b-admin", "a long admin password", true);
        staff.create("b-analyst", "a long analyst password", false);
        org.entente.node.testing.Http admin = new org.entente.node.testing.Http(b.url(),
                org.entente.node.testing.Http.basic("b-admin", "a long admin password"));
        org.entente.node.testing.Http analyst = admin.as(org.entente.node.testing.Http.basic("b-analyst",
                "a long analyst password"));
        Nodes.load(a, "shared", List.of(Nodes.indicator(Nodes.newId(), "198.51.100.3")));
        var sync = admin.post("/api/peers/" + Federated.own(a).id() + "/sync?wait=true", "", "application/json");
        assertThat(sync.status()).as(sync.body()).isEqualTo(200);
        assertThat(sync.json().path("result").asText()).isEqualTo("done");
        var list = admin.get("/api/peers", "application/json");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("peers").get(0).path("name").asText()).isEqualTo(Federated.own(a).name());
        assertThat(list.json().path("peers").get(0).path("collections").get(0).path("received").asLong()).isPositive();
        assertThat(analyst.get("/api/peers", "application/json").status()).isEqualTo(403);
        var bad = admin.post("/api/peers", "{\"identity\":{\"type\":\"entente-node-identity\"}}", "application/json");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"/url\"").contains("/organisation");
        var noCollection = admin.post("/api/peers/" + Federated.own(a).id() + "/offers", "{}", "application/json");
        assertThat(noCollection.status()).isEqualTo(400);
        assertThat(noCollection.body()).contains("\"field\":\"/collection\"");
        assertThat(admin.get("/api/peers/nobody", "application/json").status()).isEqualTo(400);
        var identity = admin.get("/api/federation/identity", "application/json");
        assertThat(identity.json().path("organisation").path("id").asText()).isEqualTo(Federated.own(b).id());
    }
}
