package org.entente.node.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumSet;
import java.util.Set;
import org.entente.stix.Tlp;
import org.junit.jupiter.api.Test;

class ObjectFactsTest {
    static final ObjectMapper M = new ObjectMapper();

    static ObjectFacts of(String json) throws Exception {
        return ObjectFacts.of(M.readTree(json));
    }

    @Test
    void theMostRestrictiveTlpAndEveryHandlingCodeAreKept() throws Exception {
        ObjectFacts f = of("{\"type\":\"indicator\",\"object_marking_refs\":[\"" + Tlp.GREEN + "\",\"" + Tlp.AMBER_STRICT
                + "\",\"" + HandlingCode.H2.markingId() + "\",\"" + HandlingCode.H0.markingId() + "\"]}");
        assertThat(f.tlp()).isEqualTo(TlpLevel.AMBER_STRICT);
        assertThat(f.handling()).containsExactlyInAnyOrder(HandlingCode.H0, HandlingCode.H2);
        assertThat(f.category()).isEqualTo(Category.CYBER_INDICATORS);
        assertThat(ObjectFacts.unpack(f.pack())).isEqualTo(f);
    }

    @Test
    void tlp1MarkingsCountAsTheirTlp2Levels() throws Exception {
        assertThat(of("{\"type\":\"malware\",\"object_marking_refs\":[\"" + Tlp.V1_WHITE + "\"]}").tlp()).isEqualTo(TlpLevel.CLEAR);
        assertThat(of("{\"type\":\"malware\",\"object_marking_refs\":[\"" + Tlp.V1_RED + "\"]}").tlp()).isEqualTo(TlpLevel.RED);
    }

    @Test
    void personalDataFollowsFromTypeAndProperties() throws Exception {
        assertThat(of("{\"type\":\"identity\",\"identity_class\":\"individual\"}").personal()).isTrue();
        assertThat(of("{\"type\":\"identity\",\"identity_class\":\"organization\"}").personal()).isFalse();
        assertThat(of("{\"type\":\"email-addr\",\"value\":\"a@example.org\"}").personal()).isFalse();
        assertThat(of("{\"type\":\"email-addr\",\"value\":\"a@example.org\",\"display_name\":\"A. Person\"}").personal()).isTrue();
        assertThat(of("{\"type\":\"user-account\",\"user_id\":\"1001\"}").personal()).isTrue();
        assertThat(of("{\"type\":\"note\",\"x_entente_personal_data\":true}").personal()).isTrue();
        assertThat(of("{\"type\":\"x-entente-travel-document\"}").category()).isEqualTo(Category.TRAVEL_DOCUMENTS);
    }

    @Test
    void granularMarkingsAndUndefinedMarkingsAreNoticed() throws Exception {
        var o = M.readTree("{\"type\":\"report\",\"object_marking_refs\":[\"" + Tlp.GREEN + "\",\"marking-definition--x\"],"
                + "\"granular_markings\":[{\"marking_ref\":\"" + Tlp.RED + "\",\"selectors\":[\"description\"]},"
                + "{\"lang\":\"en\",\"selectors\":[\"name\"]},{\"marking_ref\":\"marking-definition--y\",\"selectors\":[\"name\"]}]}");
        assertThat(ObjectFacts.of(o).granular()).isTrue();
        assertThat(ObjectFacts.otherMarkingRefs(o)).containsExactly("marking-definition--x", "marking-definition--y");
        assertThat(of("{\"type\":\"report\",\"granular_markings\":[{\"lang\":\"en\",\"selectors\":[\"name\"]}]}").granular()).isFalse();
    }

    @Test
    void everyCombinationSurvivesPacking() {
        for (TlpLevel t : TlpLevel.values()) {
            for (Category c : Category.values()) {
                for (int codes = 0; codes < 16; codes++) {
                    Set<HandlingCode> h = HandlingCode.fromBits(codes);
                    ObjectFacts f = new ObjectFacts(t, EnumSet.copyOf(h.isEmpty() ? EnumSet.noneOf(HandlingCode.class) : h), c,
                            codes % 2 == 0, codes % 3 == 0);
                    assertThat(ObjectFacts.unpack(f.pack())).isEqualTo(f);
                }
            }
        }
    }
}
