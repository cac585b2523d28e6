package org.entente.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.entente.node.Node;
import org.entente.node.policy.Agreement;
import org.entente.node.store.CollectionInfo;
import org.entente.stix.Tlp;
import org.entente.node.testing.Federated;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What an agreement permits arrives at the partner's node; what it does not never does, whatever the
 * reason; and an agreement suspended or terminated by either side stops the flow at the next cycle.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgreementFlowTest {
    static Nodes.Pair pair;
    static Node a;
    static Node b;
    static Agreement mou;
    static CollectionInfo shared;

    @BeforeAll
    static void start() {
        pair = Nodes.Pair.start("Cybercrime Unit", "National CERT", doc -> doc.with("rules").put("max_tlp", "green"));
        a = pair.provider();
        b = pair.receiver();
        mou = pair.agreement();
        shared = pair.shared();
    }

    @AfterAll
    static void stop() {
        if (pair != null) pair.close();
    }

    private static String local() {
        return Nodes.received(b, a, shared.id());
    }

    private static void sync() {
        assertThat(b.services().federation().syncNow(Federated.own(a).name())).isEqualTo(Federation.SyncResult.DONE);
    }

    @Test
    @Order(1)
    void whatTheAgreementPermitsArrivesAndNothingElse() {
        String green = Nodes.newId();
        String amber = Nodes.newId();
        String unmarked = Nodes.newId();
        String strict = Nodes.newId();
        String red = Nodes.newId();
        String personal = Nodes.newId();
        String actor = "threat-actor--" + java.util.UUID.randomUUID();
        Nodes.load(a, "shared", List.of(
                Nodes.indicator(green, "203.0.113.1", Tlp.GREEN),
                Nodes.indicator(amber, "203.0.113.2", Tlp.AMBER),
                Nodes.indicator(unmarked, "203.0.113.3"),
                Nodes.indicator(strict, "203.0.113.4", Tlp.AMBER_STRICT),
                Nodes.indicator(red, "203.0.113.5", Tlp.RED).replace("\"pattern_type\"",
                        "\"x_entente_red_recipients\":[\"" + Federated.own(a).id() + "\"],\"pattern_type\""),
                Nodes.indicator(personal, "203.0.113.6", Tlp.GREEN).replace("\"pattern_type\"",
                        "\"x_entente_personal_data\":true,\"pattern_type\""),
                "{\"type\":\"threat-actor\",\"spec_version\":\"2.1\",\"id\":\"" + actor + "\",\"created\":\"2024-01-01T00:00:00.000Z\","
                        + "\"modified\":\"2024-01-01T00:00:00.000Z\",\"name\":\"Actor\",\"object_marking_refs\":[\""
                        + Tlp.GREEN + "\"]}"));
        sync();
        assertThat(Nodes.ids(b, local())).containsExactly(green);
        // The serving node audited each withholding with its rule.
        String denials = a.database().jdbi().withHandle(h -> h.createQuery("SELECT string_agg(detail::text, ' ')"
                + " FROM audit_record WHERE kind = 'deny' AND detail->>'recipient' = :b").bind("b", Federated.own(b).id())
                .mapTo(String.class).one());
        assertThat(denials).contains("tlp-above-ceiling", "tlp-amber-strict", "tlp-red-not-named",
                "personal-data-not-allowed", "category-not-covered");
    }

    @Test
    @Order(2)
    void aSuspensionByTheProviderStopsTheFlowAtBothAndItsReactivationNeedsThePartner() {
        a.services().agreements().setStatus(mou.id(), Agreement.Status.SUSPENDED, "test");
        Federated.await("the suspension to reach the partner", () -> b.services().agreements().find(mou.id())
                .map(x -> x.status() == Agreement.Status.SUSPENDED).orElse(false));
        String late = Nodes.newId();
        Nodes.load(a, "shared", List.of(Nodes.indicator(late, "203.0.113.20", Tlp.GREEN)));
        sync();
        assertThat(Nodes.ids(b, local())).doesNotContain(late);

        Agreement again = a.services().agreements().setStatus(mou.id(), Agreement.Status.ACTIVE, "test");
        assertThat(again.status()).isEqualTo(Agreement.Status.PROPOSED);
        Federated.await("the proposal to reach the partner", () -> b.services().agreements().find(mou.id())
                .map(x -> x.status() == Agreement.Status.PROPOSED && x.version() == again.version()).orElse(false));
        sync();
        assertThat(Nodes.ids(b, local())).doesNotContain(late);
        b.services().federation().acceptAgreement(mou.id(), "test");
        Federated.await("both to hold it active", () -> Federated.active(a, mou.id()) && Federated.active(b, mou.id()));
        sync();
        assertThat(Nodes.ids(b, local())).contains(late);
        assertThat(b.services().federation().agreementSignatures(mou.id()).get(again.version()))
                .containsExactlyInAnyOrder(Federated.own(a).id(), Federated.own(b).id());
    }

    @Test
    @Order(3)
    void aTerminationByTheReceiverStopsTheFlowAtTheNextRequest() {
        b.services().agreements().setStatus(mou.id(), Agreement.Status.TERMINATED, "test");
        Federated.await("the termination to reach the provider", () -> a.services().agreements().find(mou.id())
                .map(x -> x.status() == Agreement.Status.TERMINATED).orElse(false));
        String after = Nodes.newId();
        Nodes.load(a, "shared", List.of(Nodes.indicator(after, "203.0.113.30", Tlp.GREEN)));
        sync();
        assertThat(Nodes.ids(b, local())).doesNotContain(after);
        // Both audited the termination.
        for (Node n : List.of(a, b)) {
            int records = n.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM audit_record"
                    + " WHERE kind = 'agreement-change' AND detail->>'agreement' = :id AND detail->>'status' = 'terminated'")
                    .bind("id", mou.id()).mapTo(Integer.class).one());
            assertThat(records).isEqualTo(1);
        }
    }
}
