package org.entente.node.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.node.policy.PolicyTest.DE;
import static org.entente.node.policy.PolicyTest.NATIONS;
import static org.entente.node.policy.PolicyTest.NOW;
import static org.entente.node.policy.PolicyTest.OWN;
import static org.entente.node.policy.PolicyTest.agreement;
import static org.entente.node.policy.PolicyTest.facts;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.entente.stix.Tlp;
import org.junit.jupiter.api.Test;

/**
 * What the policy says of a partner's node syncing a collection (docs/POLICY.md, "Partners' nodes"):
 * decided under the one agreement the collection is offered under, for any of its purposes, and a
 * signed object travels whole or not at all.
 */
class NodeSyncPolicyTest {
    static final Agreement GREEN = agreement("agreement--green", List.of(OWN, DE), Agreement.Status.ACTIVE, "green",
            EnumSet.of(Category.CYBER_INDICATORS), EnumSet.of(Purpose.DETECTION), EnumSet.noneOf(HandlingCode.class), false,
            Agreement.Onward.FORBIDDEN, List.of());
    static final Agreement AMBER = agreement("agreement--amber", List.of(OWN, DE), Agreement.Status.ACTIVE, "amber",
            EnumSet.of(Category.CYBER_INDICATORS), EnumSet.of(Purpose.BORDER_CONTROL, Purpose.PROSECUTION),
            EnumSet.of(HandlingCode.H0), false, Agreement.Onward.FORBIDDEN, List.of());

    @Test
    void aNodesSyncIsDecidedUnderTheOfferedAgreementOnly() {
        Policy p = new Policy(OWN, NATIONS, List.of(GREEN, AMBER));
        Subject amber = Subject.own(facts("indicator", Tlp.AMBER));
        // A user of the partner may read it under the AMBER agreement ...
        assertThat(p.decide(amber, new Recipient(DE, "anna"), Purpose.PROSECUTION, Action.READ, NOW).permitted()).isTrue();
        // ... but the collection offered under the GREEN agreement does not carry it.
        Decision d = p.decide(amber, Recipient.node(DE, GREEN.id()), Purpose.DETECTION, Action.SYNC, NOW);
        assertThat(d.rule()).isEqualTo("tlp-above-ceiling");
        assertThat(d.agreementId()).isEqualTo(GREEN.id());
        assertThat(p.decide(amber, Recipient.node(DE, AMBER.id()), Purpose.PROSECUTION, Action.SYNC, NOW).permitted()).isTrue();
        // An agreement that does not bind both is no agreement for this sync.
        assertThat(p.decide(amber, Recipient.node(DE, "agreement--other"), Purpose.DETECTION, Action.SYNC, NOW).rule())
                .isEqualTo("no-agreement");
    }

    @Test
    void aNodesSyncPassesWhatAnyPurposeOfTheAgreementPermits() {
        Policy p = new Policy(OWN, NATIONS, List.of(AMBER));
        Subject h0 = Subject.own(facts("indicator", Tlp.GREEN, HandlingCode.H0.markingId()));
        // H0 forbids border control; the agreement also permits prosecution, which H0 allows.
        assertThat(p.decide(h0, Recipient.node(DE, AMBER.id()), Purpose.BORDER_CONTROL, Action.SYNC, NOW).rule())
                .isEqualTo("handling-h0-purpose");
        Release r = new Release(p, Recipient.node(DE, AMBER.id()), List.of(Purpose.BORDER_CONTROL, Purpose.PROSECUTION),
                Action.SYNC, NOW, PolicyMetrics.NONE);
        assertThat(r.release("indicator--1", null, facts("indicator", Tlp.GREEN, HandlingCode.H0.markingId()), null, "{}",
                Release.Origin.OWN)).isEqualTo("{}");
        // What no purpose of it permits stays.
        assertThat(r.release("indicator--2", null, facts("indicator", Tlp.AMBER_STRICT), null, "{}", Release.Origin.OWN))
                .isNull();
        assertThat(r.withheld().get(0).get("rule")).isEqualTo("tlp-amber-strict");
    }

    @Test
    void aSignedObjectIsWithheldRatherThanRedacted() {
        Policy p = new Policy(OWN, NATIONS, List.of(GREEN));
        String json = "{\"type\":\"indicator\",\"id\":\"indicator--3\",\"name\":\"secret name\",\"object_marking_refs\":[\""
                + Tlp.GREEN + "\"],\"granular_markings\":[{\"marking_ref\":\"" + Tlp.RED + "\",\"selectors\":[\"name\"]}]}";
        int f = ObjectFacts.packOf(org.entente.stix.StixJson.mapper().valueToTree(parse(json)));
        Release user = new Release(p, new Recipient(DE, "anna"), Purpose.DETECTION, Action.READ, NOW);
        assertThat(user.release("indicator--3", null, f, null, json, Release.Origin.OWN)).doesNotContain("secret name");
        Release node = new Release(p, Recipient.node(DE, GREEN.id()), List.of(Purpose.DETECTION), Action.SYNC, NOW,
                PolicyMetrics.NONE).whole();
        assertThat(node.release("indicator--3", null, f, null, json, Release.Origin.OWN)).isNull();
        assertThat(node.withheld().get(0).get("rule")).isEqualTo("redaction-breaks-signature");
        assertThat(Set.copyOf(node.released())).isEmpty();
    }

    private static Object parse(String json) {
        try {
            return org.entente.stix.StixJson.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
