package org.entente.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.entente.node.Node;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.HandlingCode;
import org.entente.node.store.CollectionInfo;
import org.entente.node.testing.Federated;
import org.entente.node.testing.Http;
import org.entente.node.testing.Staff;
import org.entente.stix.Tlp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three nodes A → B → C: what A produces reaches C through B only where the A–B agreement allows
 * onward sharing to C, still verifiable as A's; A's revocations and deletions reach B and, through
 * B, C, each within one sync cycle; where onward sharing is forbidden they stop at B.
 */
class RetractionTest {
    static Node a;
    static Node b;
    static Node c;
    static CollectionInfo shared;
    static CollectionInfo restricted;
    static String atB;
    static String restrictedAtB;
    static final String PASSWORD = "a long enough password";

    static final String KEPT = Nodes.newId();
    static final String REVOKED = Nodes.newId();
    static final String DELETED = Nodes.newId();
    static final String H2 = Nodes.newId();
    static final String CLOSED = Nodes.newId();

    @BeforeAll
    static void start() {
        a = Nodes.start("Cybercrime Unit", "EE", "cybercrime");
        b = Nodes.start("Partner CERT", "DE", "cert");
        c = Nodes.start("Border Police", "NL", "border");
        Federated.pair(a, b);
        Federated.pair(b, c);
        String ida = Federated.own(a).id();
        String idb = Federated.own(b).id();
        String idc = Federated.own(c).id();
        ObjectNode onward = Nodes.agreement("A-B, onward to C", List.of(ida, idb), "active");
        onward.with("rules").putObject("onward_sharing").put("rule", "named-parties").putArray("parties").add("nation:NL");
        onward.with("rules").withArray("handling_codes").add("H2");
        Agreement ab = Federated.agree(a, b, onward);
        Agreement closed = Federated.agree(a, b, Nodes.agreement("A-B, no onward sharing", List.of(ida, idb), "active"));
        Agreement bc = Federated.agree(b, c, Nodes.agreement("B-C", List.of(idb, idc), "active"));
        shared = Nodes.collection(a, "shared");
        restricted = Nodes.collection(a, "restricted");
        a.services().federation().offer(Federated.own(b).name(), "shared", ab.id(), "test");
        a.services().federation().offer(Federated.own(b).name(), "restricted", closed.id(), "test");
        Nodes.load(a, "shared", List.of(Nodes.indicator(KEPT, "192.0.2.1", Tlp.GREEN),
                Nodes.indicator(REVOKED, "192.0.2.2", Tlp.GREEN), Nodes.indicator(DELETED, "192.0.2.3", Tlp.GREEN),
                Nodes.indicator(H2, "192.0.2.4", Tlp.GREEN, HandlingCode.H2.markingId())));
        Nodes.load(a, "restricted", List.of(Nodes.indicator(CLOSED, "192.0.2.5", Tlp.GREEN)));
        sync(b, a);
        atB = Nodes.received(b, a, shared.id());
        restrictedAtB = Nodes.received(b, a, restricted.id());
        b.services().federation().offer(Federated.own(c).name(), atB, bc.id(), "test");
        b.services().federation().offer(Federated.own(c).name(), restrictedAtB, bc.id(), "test");
        sync(c, b);
    }

    @AfterAll
    static void stop() {
        for (Node n : new Node[] {c, b, a}) if (n != null) n.close();
    }

    static void sync(Node receiver, Node provider) {
        assertThat(receiver.services().federation().syncNow(Federated.own(provider).name()))
                .as(receiver.services().federation().status(Federated.own(provider).name()).toString())
                .isEqualTo(Federation.SyncResult.DONE);
    }

    @Test
    void producerObjectsTravelOnwardOnlyAsTheAgreementAllowsAndRetractionsFollowThem() {
        assertThat(Nodes.ids(b, atB)).containsExactlyInAnyOrder(KEPT, REVOKED, DELETED, H2);
        assertThat(Nodes.ids(b, restrictedAtB)).containsExactly(CLOSED);
        String atC = Nodes.received(c, b, atB);
        // H2: no dissemination beyond the recipient; the rest keeps A's signature through B.
        assertThat(Nodes.ids(c, atC)).containsExactlyInAnyOrder(KEPT, REVOKED, DELETED);
        String signer = Nodes.json(c.services().store().latestEverywhere(KEPT).get(0).json()).path("extensions")
                .path(ObjectSignatures.EXTENSION).path("signer").asText();
        assertThat(signer).isEqualTo(Federated.own(a).id());
        // Onward sharing forbidden: nothing of that collection reaches C.
        String restrictedAtC = Nodes.received(c, b, restrictedAtB);
        assertThat(Nodes.ids(c, restrictedAtC)).isEmpty();

        // A revokes one object (a new version) and deletes another over TAXII.
        Nodes.load(a, "shared", List.of(Nodes.indicator(REVOKED, "192.0.2.2", Tlp.GREEN)
                .replace("\"modified\":\"2024-01-01T00:00:00.000Z\"", "\"modified\":\"2024-02-01T00:00:00.000Z\",\"revoked\":true")));
        new Staff(a.services()).create("ops", PASSWORD, true);
        Http admin = new Http(a.url(), Http.basic("ops", PASSWORD));
        assertThat(admin.delete("/taxii2/intel/collections/" + shared.id() + "/objects/" + DELETED + "/").status()).isEqualTo(200);
        Nodes.load(a, "restricted", List.of(Nodes.indicator(CLOSED, "192.0.2.5", Tlp.GREEN)
                .replace("\"modified\":\"2024-01-01T00:00:00.000Z\"", "\"modified\":\"2024-02-01T00:00:00.000Z\",\"revoked\":true")));

        // One cycle at each receiver.
        sync(b, a);
        assertThat(Nodes.ids(b, atB)).containsExactlyInAnyOrder(KEPT, H2);
        assertThat(Nodes.ids(b, restrictedAtB)).isEmpty();
        sync(c, b);
        assertThat(Nodes.ids(c, atC)).containsExactly(KEPT);
        PeerStatus.Pulled fromB = c.services().federation().status(Federated.own(b).name()).collections().stream()
                .filter(p -> p.remoteCollection().equals(atB)).findFirst().orElseThrow();
        assertThat(fromB.retracted()).isEqualTo(2);
        assertThat(fromB.rejected()).isZero();
        // The forbidden collection's retraction stopped at B: C never received the object, nor its tombstone.
        PeerStatus.Pulled restrictedFromB = c.services().federation().status(Federated.own(b).name()).collections().stream()
                .filter(p -> p.remoteCollection().equals(restrictedAtB)).findFirst().orElseThrow();
        assertThat(restrictedFromB.retracted()).isZero();
        assertThat(restrictedFromB.received()).isZero();
        // C audited the retractions with A as their issuer.
        String audit = c.database().jdbi().withHandle(h -> h.createQuery("SELECT string_agg(detail::text, ' ')"
                + " FROM audit_record WHERE kind = 'federation-retraction'").mapTo(String.class).one());
        assertThat(audit).contains(REVOKED, DELETED, Federated.own(a).id());
    }
}
