package org.entente.node.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.entente.stix.Tlp;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The decision function rule by rule, on organisations and agreements held in memory. */
class PolicyTest {
    static final String OWN = "identity--00000000-0000-4000-8000-000000000001";
    static final String DE = "identity--00000000-0000-4000-8000-000000000002";
    static final String NL = "identity--00000000-0000-4000-8000-000000000003";
    static final String JO = "identity--00000000-0000-4000-8000-000000000004";
    static final Map<String, String> NATIONS = Map.of(OWN, "EE", DE, "DE", NL, "NL", JO, "JO");
    static final Instant NOW = Instant.parse("2027-06-01T00:00:00Z");
    static final ObjectMapper M = new ObjectMapper();

    static Agreement agreement(String id, List<String> parties, Agreement.Status status, String maxTlp,
            Set<Category> categories, Set<Purpose> purposes, Set<HandlingCode> codes, boolean personal,
            Agreement.Onward onward, List<String> onwardParties) {
        return new Agreement(id, 1, "agreement " + id, parties.size() == 2 ? Agreement.Kind.BILATERAL : Agreement.Kind.MULTILATERAL,
                parties, "MOU", null, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2028-01-01T00:00:00Z"), status,
                new Agreement.Rules(categories, purposes, TlpLevel.parse(maxTlp).orElseThrow(), codes, personal,
                        personal ? "Art. 6" : null, 365, onward, onwardParties));
    }

    static Agreement broad(String id, String partner) {
        return agreement(id, List.of(OWN, partner), Agreement.Status.ACTIVE, "red", EnumSet.allOf(Category.class),
                EnumSet.allOf(Purpose.class), EnumSet.allOf(HandlingCode.class), true, Agreement.Onward.NAMED_PARTIES,
                List.of(NL));
    }

    static int facts(String type, String... markings) {
        ObjectNode o = M.createObjectNode().put("type", type);
        var refs = o.putArray("object_marking_refs");
        for (String m : markings) refs.add(m);
        return ObjectFacts.packOf(o);
    }

    static Decision decide(Policy p, Subject s, String to, Purpose purpose) {
        return p.decide(s, new Recipient(to, "alice"), purpose, Action.READ, NOW);
    }

    @Test
    void ownIntelligenceStaysReadableInsideAndNeedsAnAgreementOutside() {
        Policy p = new Policy(OWN, NATIONS, List.of(broad("agreement--de", DE)));
        Subject s = Subject.own(facts("indicator", Tlp.AMBER));
        assertThat(decide(p, s, OWN, Purpose.DETECTION).rule()).isEqualTo("own-organisation");
        assertThat(decide(p, s, DE, Purpose.DETECTION)).isInstanceOf(Decision.Permit.class)
                .extracting(Decision::agreementId).isEqualTo("agreement--de");
        assertThat(decide(p, s, JO, Purpose.DETECTION).rule()).isEqualTo("no-agreement");
        assertThat(decide(p, s, "identity--unknown", Purpose.DETECTION).rule()).isEqualTo("unknown-recipient");
    }

    @Test
    void amberStrictNeverLeavesTheOrganisationEvenUnderARedCeiling() {
        Policy p = new Policy(OWN, NATIONS, List.of(broad("agreement--de", DE)));
        Subject s = Subject.own(facts("indicator", Tlp.AMBER_STRICT));
        assertThat(decide(p, s, OWN, Purpose.DETECTION).permitted()).isTrue();
        Decision d = decide(p, s, DE, Purpose.DETECTION);
        assertThat(d.rule()).isEqualTo("tlp-amber-strict");
        assertThat(d.reason()).contains("AMBER+STRICT");
    }

    @Test
    void redGoesToNamedRecipientsOnly() {
        Policy p = new Policy(OWN, NATIONS, List.of(broad("agreement--de", DE), broad("agreement--nl", NL)));
        Subject s = new Subject(facts("indicator", Tlp.RED), null, null, List.of(DE, "user:alice"));
        assertThat(decide(p, s, DE, Purpose.DETECTION).permitted()).isTrue();
        assertThat(decide(p, s, NL, Purpose.DETECTION).rule()).isEqualTo("tlp-red-not-named");
        assertThat(p.decide(s, new Recipient(OWN, "alice"), Purpose.DETECTION, Action.READ, NOW).permitted()).isTrue();
        assertThat(p.decide(s, new Recipient(OWN, "bob"), Purpose.DETECTION, Action.READ, NOW).rule())
                .isEqualTo("tlp-red-not-named");
    }

    @Test
    void theCeilingCountsAndUnmarkedLeavesAsAmber() {
        Agreement green = agreement("agreement--g", List.of(OWN, DE), Agreement.Status.ACTIVE, "green",
                EnumSet.of(Category.CYBER_INDICATORS), EnumSet.of(Purpose.DETECTION), Set.of(), false,
                Agreement.Onward.FORBIDDEN, List.of());
        Policy p = new Policy(OWN, NATIONS, List.of(green));
        assertThat(decide(p, Subject.own(facts("indicator", Tlp.GREEN)), DE, Purpose.DETECTION).permitted()).isTrue();
        assertThat(decide(p, Subject.own(facts("indicator", Tlp.CLEAR)), DE, Purpose.DETECTION).permitted()).isTrue();
        assertThat(decide(p, Subject.own(facts("indicator", Tlp.AMBER)), DE, Purpose.DETECTION).rule()).isEqualTo("tlp-above-ceiling");
        Decision unmarked = decide(p, Subject.own(facts("indicator")), DE, Purpose.DETECTION);
        assertThat(unmarked.rule()).isEqualTo("tlp-above-ceiling");
        assertThat(unmarked.reason()).contains("unmarked objects leave as TLP:AMBER");
    }

    @Test
    void categoryAndPurposeMustBeCovered() {
        Agreement a = agreement("agreement--c", List.of(OWN, DE), Agreement.Status.ACTIVE, "amber",
                EnumSet.of(Category.CYBER_INDICATORS), EnumSet.of(Purpose.DETECTION), Set.of(), false,
                Agreement.Onward.FORBIDDEN, List.of());
        Policy p = new Policy(OWN, NATIONS, List.of(a));
        assertThat(decide(p, Subject.own(facts("malware", Tlp.GREEN)), DE, Purpose.DETECTION).rule()).isEqualTo("category-not-covered");
        assertThat(decide(p, Subject.own(facts("indicator", Tlp.GREEN)), DE, Purpose.PROSECUTION).rule()).isEqualTo("purpose-not-permitted");
        // Marking definitions are what a recipient needs to read the rest: every agreement covers them.
        assertThat(decide(p, Subject.own(facts("marking-definition")), DE, Purpose.DETECTION).permitted()).isTrue();
    }

    @Test
    void personalDataNeedsAnAgreementWithALegalBasisForIt() {
        Agreement without = agreement("agreement--np", List.of(OWN, DE), Agreement.Status.ACTIVE, "amber",
                EnumSet.allOf(Category.class), EnumSet.allOf(Purpose.class), Set.of(), false, Agreement.Onward.FORBIDDEN, List.of());
        Agreement with = agreement("agreement--p", List.of(OWN, NL), Agreement.Status.ACTIVE, "amber",
                EnumSet.allOf(Category.class), EnumSet.allOf(Purpose.class), Set.of(), true, Agreement.Onward.FORBIDDEN, List.of());
        Policy p = new Policy(OWN, NATIONS, List.of(without, with));
        ObjectNode person = M.createObjectNode().put("type", "identity").put("identity_class", "individual");
        person.putArray("object_marking_refs").add(Tlp.GREEN);
        Subject s = Subject.own(ObjectFacts.packOf(person));
        assertThat(decide(p, s, DE, Purpose.INVESTIGATION).rule()).isEqualTo("personal-data-not-allowed");
        assertThat(decide(p, s, NL, Purpose.INVESTIGATION).permitted()).isTrue();
    }

    @Test
    void onlyAnAgreementInForceLetsDataPass() {
        Policy p = new Policy(OWN, NATIONS, List.of(
                agreement("agreement--s", List.of(OWN, DE), Agreement.Status.SUSPENDED, "red", EnumSet.allOf(Category.class),
                        EnumSet.allOf(Purpose.class), Set.of(), true, Agreement.Onward.FORBIDDEN, List.of()),
                agreement("agreement--d", List.of(OWN, NL), Agreement.Status.DRAFT, "red", EnumSet.allOf(Category.class),
                        EnumSet.allOf(Purpose.class), Set.of(), true, Agreement.Onward.FORBIDDEN, List.of()),
                agreement("agreement--t", List.of(OWN, JO), Agreement.Status.TERMINATED, "red", EnumSet.allOf(Category.class),
                        EnumSet.allOf(Purpose.class), Set.of(), true, Agreement.Onward.FORBIDDEN, List.of())));
        Subject s = Subject.own(facts("indicator", Tlp.GREEN));
        assertThat(decide(p, s, DE, Purpose.DETECTION).rule()).isEqualTo("agreement-not-in-force");
        assertThat(decide(p, s, DE, Purpose.DETECTION).reason()).contains("suspended");
        assertThat(decide(p, s, NL, Purpose.DETECTION).reason()).contains("draft");
        assertThat(decide(p, s, JO, Purpose.DETECTION).rule()).isEqualTo("no-agreement");
        Policy expired = new Policy(OWN, NATIONS, List.of(broad("agreement--de", DE)));
        assertThat(expired.decide(s, Recipient.organisation(DE), Purpose.DETECTION, Action.SYNC,
                Instant.parse("2028-01-01T00:00:00Z")).reason()).contains("expired");
        assertThat(expired.decide(s, Recipient.organisation(DE), Purpose.DETECTION, Action.SYNC,
                Instant.parse("2025-12-31T23:59:59Z")).reason()).contains("enters into force");
    }

    @Test
    void aNationAsPartyCoversEveryOrganisationOfThatNation() {
        Agreement regional = agreement("agreement--r", List.of(OWN, "nation:DE"), Agreement.Status.ACTIVE, "amber",
                EnumSet.allOf(Category.class), EnumSet.allOf(Purpose.class), Set.of(), false, Agreement.Onward.FORBIDDEN, List.of());
        Policy p = new Policy(OWN, NATIONS, List.of(regional));
        assertThat(decide(p, Subject.own(facts("indicator", Tlp.GREEN)), DE, Purpose.DETECTION).permitted()).isTrue();
        assertThat(decide(p, Subject.own(facts("indicator", Tlp.GREEN)), NL, Purpose.DETECTION).rule()).isEqualTo("no-agreement");
    }

    @Nested
    class ReceivedData {
        final Agreement fromDe = agreement("agreement--de", List.of(OWN, DE), Agreement.Status.ACTIVE, "amber",
                EnumSet.allOf(Category.class), EnumSet.of(Purpose.DETECTION, Purpose.INVESTIGATION, Purpose.PROSECUTION),
                EnumSet.allOf(HandlingCode.class), false, Agreement.Onward.NAMED_PARTIES, List.of("nation:NL"));
        final Policy p = new Policy(OWN, NATIONS, List.of(fromDe, broad("agreement--nl", NL), broad("agreement--jo", JO)));

        Subject fromDe(String... markings) {
            return new Subject(facts("indicator", markings), DE, "agreement--de", List.of());
        }

        @Test
        void h2NeverPassesToAThirdPartyButReturnsToItsProvider() {
            Subject s = fromDe(Tlp.GREEN, HandlingCode.H2.markingId());
            assertThat(decide(p, s, NL, Purpose.DETECTION).rule()).isEqualTo("handling-h2-dissemination");
            assertThat(decide(p, s, OWN, Purpose.DETECTION).permitted()).isTrue();
            assertThat(decide(p, s, DE, Purpose.DETECTION).rule()).isEqualTo("returned-to-provider");
            assertThat(decide(p, fromDe(Tlp.GREEN, HandlingCode.H3.markingId()), NL, Purpose.DETECTION).rule())
                    .isEqualTo("handling-h3-restrictions");
        }

        @Test
        void onwardSharingFollowsTheAgreementItCameUnder() {
            Subject s = fromDe(Tlp.GREEN);
            assertThat(decide(p, s, NL, Purpose.DETECTION).permitted()).isTrue();
            assertThat(decide(p, s, JO, Purpose.DETECTION).rule()).isEqualTo("onward-not-named");
            Subject unknown = new Subject(facts("indicator", Tlp.GREEN), DE, "agreement--gone", List.of());
            assertThat(decide(p, unknown, OWN, Purpose.DETECTION).rule()).isEqualTo("provenance-unknown");
        }

        @Test
        void theProvidersPurposesBindTheRecipientToo() {
            Decision d = decide(p, fromDe(Tlp.GREEN), OWN, Purpose.INTELLIGENCE_ANALYSIS);
            assertThat(d.rule()).isEqualTo("purpose-limited-by-provider");
            assertThat(decide(p, fromDe(Tlp.GREEN), OWN, Purpose.INVESTIGATION).permitted()).isTrue();
        }

        @Test
        void handlingCodesLimitPurposes() {
            assertThat(decide(p, fromDe(Tlp.GREEN, HandlingCode.H1.markingId()), OWN, Purpose.PROSECUTION).rule())
                    .isEqualTo("handling-h1-judicial");
            assertThat(decide(p, fromDe(Tlp.GREEN, HandlingCode.H1.markingId()), OWN, Purpose.INVESTIGATION).permitted()).isTrue();
            Policy wide = new Policy(OWN, NATIONS, List.of(broad("agreement--de", DE)));
            Subject h0 = new Subject(facts("indicator", Tlp.GREEN, HandlingCode.H0.markingId()), DE, "agreement--de", List.of());
            assertThat(decide(wide, h0, OWN, Purpose.BORDER_CONTROL).rule()).isEqualTo("handling-h0-purpose");
            assertThat(decide(wide, h0, OWN, Purpose.PREVENTION).permitted()).isTrue();
        }

        @Test
        void aRecipientMustHaveUndertakenToHonourTheCodes() {
            Agreement noCodes = agreement("agreement--nl2", List.of(OWN, NL), Agreement.Status.ACTIVE, "amber",
                    EnumSet.allOf(Category.class), EnumSet.allOf(Purpose.class), Set.of(), false, Agreement.Onward.FORBIDDEN, List.of());
            Policy q = new Policy(OWN, NATIONS, List.of(noCodes));
            Decision d = decide(q, Subject.own(facts("indicator", Tlp.GREEN, HandlingCode.H1.markingId())), NL, Purpose.DETECTION);
            assertThat(d.rule()).isEqualTo("handling-not-accepted");
            assertThat(d.reason()).contains("H1");
        }
    }

    @Test
    void aProvidersConsentLiftsWhatItsCodesAndTheAgreementForbidAndNoMore() {
        Agreement fromDe = agreement("agreement--de", List.of(OWN, DE), Agreement.Status.ACTIVE, "amber",
                EnumSet.allOf(Category.class), EnumSet.allOf(Purpose.class), EnumSet.allOf(HandlingCode.class), false,
                Agreement.Onward.WITH_CONSENT, List.of());
        List<Agreement> agreements = List.of(fromDe, broad("agreement--nl", NL), broad("agreement--jo", JO));
        String object = "indicator--11111111-1111-4111-8111-111111111111";
        List<Consent> consents = List.of(
                new Consent(1, DE, NL, Consent.Covers.ONWARD_SHARING, null, "letter 2027/12", "admin", NOW),
                new Consent(2, DE, JO, Consent.Covers.ONWARD_SHARING, object, "e-mail of 1 June", "admin", NOW),
                new Consent(3, DE, OWN, Consent.Covers.JUDICIAL_USE, object, "court request 7", "admin", NOW));
        Policy without = new Policy(OWN, NATIONS, agreements);
        Policy with = new Policy(OWN, NATIONS, agreements, consents);
        Subject h2 = new Subject(facts("indicator", Tlp.GREEN, HandlingCode.H2.markingId()), DE, "agreement--de", List.of(), object);
        Subject other = new Subject(facts("indicator", Tlp.GREEN), DE, "agreement--de", List.of(),
                "indicator--22222222-2222-4222-8222-222222222222");
        assertThat(decide(without, h2, NL, Purpose.DETECTION).rule()).isEqualTo("handling-h2-dissemination");
        assertThat(decide(with, h2, NL, Purpose.DETECTION).permitted()).isTrue();
        assertThat(decide(without, other, NL, Purpose.DETECTION).rule()).isEqualTo("onward-needs-consent");
        assertThat(decide(with, other, NL, Purpose.DETECTION).permitted()).isTrue();
        // A consent for one object covers that object only.
        assertThat(decide(with, h2, JO, Purpose.DETECTION).permitted()).isTrue();
        assertThat(decide(with, other, JO, Purpose.DETECTION).rule()).isEqualTo("onward-needs-consent");
        Subject h1 = new Subject(facts("indicator", Tlp.GREEN, HandlingCode.H1.markingId()), DE, "agreement--de", List.of(), object);
        assertThat(decide(without, h1, OWN, Purpose.PROSECUTION).rule()).isEqualTo("handling-h1-judicial");
        assertThat(decide(with, h1, OWN, Purpose.PROSECUTION).permitted()).isTrue();
        // Consent to pass on is not consent to use in court.
        assertThat(decide(with, new Subject(h1.facts(), DE, "agreement--de", List.of(), "indicator--33333333-3333-4333-8333-333333333333"),
                OWN, Purpose.PROSECUTION).rule()).isEqualTo("handling-h1-judicial");
    }

    @Test
    void explainListsTheChecksOfEveryAgreementTried() {
        Agreement narrow = agreement("agreement--a", List.of(OWN, DE), Agreement.Status.ACTIVE, "green",
                EnumSet.of(Category.CYBER_INDICATORS), EnumSet.of(Purpose.DETECTION), Set.of(), false, Agreement.Onward.FORBIDDEN, List.of());
        Agreement other = agreement("agreement--b", List.of(OWN, DE), Agreement.Status.ACTIVE, "amber",
                EnumSet.of(Category.MALWARE_AND_TOOLING), EnumSet.of(Purpose.DETECTION), Set.of(), false, Agreement.Onward.FORBIDDEN, List.of());
        Policy p = new Policy(OWN, NATIONS, List.of(narrow, other));
        Policy.Explanation e = p.explain(Subject.own(facts("indicator", Tlp.AMBER)), Recipient.organisation(DE),
                Purpose.DETECTION, Action.EXPORT, NOW);
        assertThat(e.decision().permitted()).isFalse();
        assertThat(e.checks()).anyMatch(c -> c.contains("TLP:AMBER") && c.contains("agreement--a"))
                .anyMatch(c -> c.contains("does not cover cyber-indicators") && c.contains("agreement--b"));
        assertThat(e.decision().reason()).contains("none of the 2 agreements");
    }
}
