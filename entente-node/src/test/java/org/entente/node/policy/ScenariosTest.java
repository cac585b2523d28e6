package org.entente.node.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.entente.node.policy.LeakOracle.Org;
import org.entente.stix.Tlp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a lawyer checks first, end to end over TAXII (and the look-up) on a running node: each
 * scenario sets up the agreements it is about, then reads as the recipient through the objects,
 * manifest, object, versions and mentions paths under every purpose.
 */
class ScenariosTest {
    static LeakHarness h;
    static final List<String> ALL_CATEGORIES = List.of(LeakWorld.CATEGORIES);
    static final List<String> ALL_CODES = List.of("H0", "H1", "H2", "H3");
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final Duration YEAR = Duration.ofDays(365);

    @BeforeAll
    static void start() {
        h = new LeakHarness("Jordanian cybercrime unit (scenarios)", "JO");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    // ------------------------------------------------------------------ the scenarios

    @Test
    void amberStrictNeverLeavesTheOrganisationEvenUnderARedCeiling() {
        Org b = h.partner("Strict B " + tag(), "DE");
        everything(b, "active", NOW.minus(YEAR), NOW.plus(YEAR), "forbidden", List.of());
        String col = h.collection("own intelligence " + tag());
        ObjectNode strict = indicator(Tlp.AMBER_STRICT, "203.0.113.41");
        ObjectNode green = indicator(Tlp.GREEN, "203.0.113.41");
        h.write(col, List.of(strict, green));
        String bUser = user(b, col);
        String ownUser = user(h.ownOrg, col);
        for (String purpose : LeakHarness.PURPOSES) {
            assertThat(received(bUser, purpose, col, List.of(strict, green), "203.0.113.41"))
                    .as("B, %s", purpose).containsExactly(id(green));
            assertThat(received(ownUser, purpose, col, List.of(strict, green), "203.0.113.41"))
                    .as("own organisation, %s", purpose).containsExactlyInAnyOrder(id(strict), id(green));
        }
    }

    @Test
    void handlingCodeH2OnDataFromANeverPassesToAThirdPartyB() {
        Org a = h.partner("Provider A " + tag(), "NL");
        Org b = h.partner("Third party B " + tag(), "DE");
        // A's terms would let its data go on to B; H2 on the object still forbids it.
        LeakOracle.Agreement underA = everything(a, "active", NOW.minus(YEAR), null, "named-parties", List.of(b.id()));
        everything(b, "active", NOW.minus(YEAR), NOW.plus(YEAR), "forbidden", List.of());
        String col = h.collection("from A " + tag());
        h.provenance(col, a.id(), underA.id());
        ObjectNode h2 = indicator(Tlp.GREEN, "203.0.113.42", HandlingCode.H2.markingId());
        ObjectNode plain = indicator(Tlp.GREEN, "203.0.113.42");
        List<ObjectNode> objects = List.of(h2, plain);
        h.write(col, objects);
        String bUser = user(b, col);
        String aUser = user(a, col);
        String ownUser = user(h.ownOrg, col);
        for (String purpose : LeakHarness.PURPOSES) {
            assertThat(received(bUser, purpose, col, objects, "203.0.113.42")).as("B, %s", purpose)
                    .containsExactly(id(plain));
            assertThat(received(aUser, purpose, col, objects, "203.0.113.42")).as("A (the provider), %s", purpose)
                    .containsExactlyInAnyOrder(id(h2), id(plain));
            assertThat(received(ownUser, purpose, col, objects, "203.0.113.42")).as("own, %s", purpose)
                    .containsExactlyInAnyOrder(id(h2), id(plain));
        }
    }

    @Test
    void personalDataFlowsOnlyUnderAnAgreementWithALegalBasisForIt() {
        Org without = h.partner("No basis C " + tag(), "DE");
        Org with = h.partner("With basis D " + tag(), "NL");
        agreement(without, "active", NOW.minus(YEAR), NOW.plus(YEAR), false, "forbidden", List.of());
        agreement(with, "active", NOW.minus(YEAR), NOW.plus(YEAR), true, "forbidden", List.of());
        String col = h.collection("persons " + tag());
        ObjectNode person = sdo("identity", Tlp.GREEN).put("identity_class", "individual");
        ObjectNode flagged = indicator(Tlp.GREEN, "203.0.113.43").put("x_entente_personal_data", true);
        ObjectNode account = LeakHarness.JSON.createObjectNode().put("type", "user-account").put("spec_version", "2.1")
                .put("user_id", "subscriber-" + tag()).put("account_login", "jdoe");
        account.put("id", org.entente.stix.ScoIds.compute(account));
        account.putArray("object_marking_refs").add(Tlp.GREEN);
        ObjectNode named = LeakHarness.JSON.createObjectNode().put("type", "email-addr").put("spec_version", "2.1")
                .put("value", "j.doe@" + tag() + ".example").put("display_name", "John Doe");
        named.put("id", org.entente.stix.ScoIds.compute(named));
        ObjectNode indicator = indicator(Tlp.GREEN, "203.0.113.43");
        List<ObjectNode> objects = List.of(person, flagged, account, named, indicator);
        h.write(col, objects);
        String cUser = user(without, col);
        String dUser = user(with, col);
        for (String purpose : LeakHarness.PURPOSES) {
            assertThat(received(cUser, purpose, col, objects, "203.0.113.43")).as("no basis, %s", purpose)
                    .containsExactly(id(indicator));
            assertThat(received(dUser, purpose, col, objects, "203.0.113.43")).as("with a basis, %s", purpose)
                    .containsExactlyInAnyOrderElementsOf(objects.stream().map(ScenariosTest::id).toList());
        }
    }

    @Test
    void suspendingOrTerminatingAnAgreementStopsTheFlowWithTheNextRequest() {
        Org e = h.partner("Partner E " + tag(), "DE");
        LeakOracle.Agreement a = everything(e, "active", NOW.minus(YEAR), NOW.plus(YEAR), "forbidden", List.of());
        String col = h.collection("for E " + tag());
        ObjectNode o = indicator(Tlp.GREEN, "203.0.113.44");
        h.write(col, List.of(o));
        String user = user(e, col);
        String purpose = "investigation";
        assertThat(received(user, purpose, col, List.of(o), "203.0.113.44")).containsExactly(id(o));
        h.setStatus(a, "suspended");
        assertThat(received(user, purpose, col, List.of(o), "203.0.113.44")).as("suspended").isEmpty();
        h.setStatus(a, "active");
        assertThat(received(user, purpose, col, List.of(o), "203.0.113.44")).as("active again").containsExactly(id(o));
        h.setStatus(a, "terminated");
        for (String p : LeakHarness.PURPOSES) {
            assertThat(received(user, p, col, List.of(o), "203.0.113.44")).as("terminated, %s", p).isEmpty();
        }
    }

    @Test
    void expiredAndFutureAgreementsPermitNothing() {
        Org expired = h.partner("Expired F " + tag(), "DE");
        Org future = h.partner("Future G " + tag(), "NL");
        everything(expired, "active", NOW.minus(YEAR.multipliedBy(3)), NOW.minus(Duration.ofDays(1)), "forbidden", List.of());
        everything(future, "active", NOW.plus(Duration.ofDays(1)), NOW.plus(YEAR), "forbidden", List.of());
        String col = h.collection("dated " + tag());
        ObjectNode clear = indicator(Tlp.CLEAR, "203.0.113.45");
        ObjectNode unmarked = sdo("malware", null).put("is_family", true);
        h.write(col, List.of(clear, unmarked));
        String fUser = user(expired, col);
        String gUser = user(future, col);
        for (String purpose : LeakHarness.PURPOSES) {
            assertThat(received(fUser, purpose, col, List.of(clear, unmarked), "203.0.113.45")).as("expired, %s", purpose)
                    .isEmpty();
            assertThat(received(gUser, purpose, col, List.of(clear, unmarked), "203.0.113.45")).as("future, %s", purpose)
                    .isEmpty();
        }
    }

    /**
     * KNOWN FAILING (node bug found by NothingLeaksProperties). POLICY.md, Markings: "A granular marking
     * on id, type, spec_version, created or modified withholds the object", and "Withheld objects are
     * answered like missing ones (404 for an object, absent from a page)". The objects and object paths
     * withhold it; the manifest lists it and the versions path answers 200 with its version: its
     * existence leaks to a recipient that may not receive it.
     */
    @Test
    void aGranularMarkingOnModifiedWithholdsTheObjectOnEveryPath() {
        Org b = h.partner("Granular B " + tag(), "DE");
        // Covers everything but handling code H3.
        h.agreement(LeakHarness.agreementDoc("Scenario " + tag(), List.of(h.ownOrg.id(), b.id()), "active",
                NOW.minus(YEAR), NOW.plus(YEAR), ALL_CATEGORIES, LeakHarness.PURPOSES, "red", List.of("H0", "H1", "H2"),
                true, "forbidden", List.of()));
        String col = h.collection("granular " + tag());
        ObjectNode malware = sdo("malware", Tlp.GREEN).put("is_family", true);
        var g = malware.putArray("granular_markings").addObject();
        g.put("marking_ref", HandlingCode.H3.markingId());
        g.putArray("selectors").add("modified");
        h.write(col, List.of(malware));
        String bUser = user(b, col);
        String purpose = "investigation";
        assertThat(h.objects(bUser, purpose, col)).as("objects").isEmpty();
        assertThat(h.object(bUser, purpose, col, id(malware)).status()).as("object").isEqualTo(404);
        assertThat(h.manifest(bUser, purpose, col)).as("manifest").isEmpty();
        assertThat(h.versions(bUser, purpose, col, id(malware)).status()).as("versions").isEqualTo(404);
    }

    // ------------------------------------------------------------------ helpers

    static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static String id(ObjectNode o) {
        return o.path("id").asText();
    }

    /** An agreement between the own organisation and {@code partner} that covers everything (personal data too). */
    static LeakOracle.Agreement everything(Org partner, String status, Instant from, Instant until, String onward,
            List<String> onwardParties) {
        return agreement(partner, status, from, until, true, onward, onwardParties);
    }

    static LeakOracle.Agreement agreement(Org partner, String status, Instant from, Instant until, boolean personal,
            String onward, List<String> onwardParties) {
        return h.agreement(LeakHarness.agreementDoc("Scenario " + tag(), List.of(h.ownOrg.id(), partner.id()), status,
                from, until, ALL_CATEGORIES, LeakHarness.PURPOSES, "red", ALL_CODES, personal, onward, onwardParties));
    }

    static ObjectNode sdo(String type, String tlp, String... more) {
        ObjectNode o = LeakHarness.JSON.createObjectNode().put("type", type).put("spec_version", "2.1")
                .put("id", type + "--" + UUID.randomUUID()).put("created", "2025-03-01T10:00:00.000Z")
                .put("modified", "2025-03-01T10:00:00.000Z").put("name", type + " " + tag());
        if (tlp != null || more.length > 0) {
            var m = o.putArray("object_marking_refs");
            if (tlp != null) m.add(tlp);
            for (String x : more) m.add(x);
        }
        return o;
    }

    static ObjectNode indicator(String tlp, String ip, String... more) {
        return sdo("indicator", tlp, more).put("pattern", "[ipv4-addr:value = '" + ip + "']").put("pattern_type", "stix")
                .put("valid_from", "2025-03-01T10:00:00Z");
    }

    static String user(Org org, String collection) {
        String name = "sc-" + tag();
        h.assign(name, org.id(), List.of(collection));
        return name;
    }

    /**
     * The ids the user receives of {@code objects}; every read path must agree (objects, manifest,
     * object, versions, and the look-up of {@code value}), else the test fails naming the path.
     */
    static Set<String> received(String user, String purpose, String col, List<ObjectNode> objects, String value) {
        Set<String> viaObjects = new TreeSet<>(h.objects(user, purpose, col).keySet());
        Set<String> viaManifest = new TreeSet<>(h.manifest(user, purpose, col).keySet());
        Set<String> viaObject = new TreeSet<>();
        Set<String> viaVersions = new TreeSet<>();
        for (ObjectNode o : objects) {
            LeakHarness.Got g = h.object(user, purpose, col, id(o));
            assertThat(g.status()).as("GET object %s", id(o)).isIn(200, 404);
            if (g.status() == 200) viaObject.add(id(o));
            LeakHarness.Got v = h.versions(user, purpose, col, id(o));
            assertThat(v.status()).as("GET versions %s", id(o)).isIn(200, 404);
            if (v.status() == 200) viaVersions.add(id(o));
        }
        Set<String> mentioned = new TreeSet<>();
        for (String m : h.mentions(user, purpose, value)) mentioned.add(m.substring(m.indexOf('|') + 1));
        Set<String> mentionable = new TreeSet<>();
        for (ObjectNode o : objects) if (o.path("pattern").asText().contains("'" + value + "'")) mentionable.add(id(o));
        Set<String> expectedMentions = new TreeSet<>(viaObjects);
        expectedMentions.retainAll(mentionable);
        assertThat(viaManifest).as("manifest vs objects").isEqualTo(viaObjects);
        assertThat(viaObject).as("object vs objects").isEqualTo(viaObjects);
        assertThat(viaVersions).as("versions vs objects").isEqualTo(viaObjects);
        assertThat(mentioned).as("mentions vs objects").isEqualTo(expectedMentions);
        return viaObjects;
    }
}
