package org.entente.node.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.entente.node.common.InvalidInput;
import org.junit.jupiter.api.Test;

/** The optional assistance part of an agreement: what requests it covers, checked with the other rules. */
class AgreementAssistanceTest {
    static final ObjectMapper M = new ObjectMapper();

    static ObjectNode doc() {
        ObjectNode d = M.createObjectNode();
        d.put("title", "MoU").put("kind", "bilateral");
        d.putArray("parties").add("identity--11111111-1111-4111-8111-111111111111").add("nation:DE");
        d.putObject("legal_basis").put("text", "Budapest Convention");
        d.put("valid_from", "2024-01-01").put("status", "active");
        ObjectNode r = d.putObject("rules");
        r.putArray("categories").add("cyber-indicators");
        r.putArray("purposes").add("investigation");
        r.put("max_tlp", "amber");
        return d;
    }

    static Agreement parse(ObjectNode d) {
        return Agreement.parse(d, "agreement--1", 1, p -> true, p -> true);
    }

    @Test
    void anAgreementWithoutAssistanceCoversNoRequestsAndKeepsItsDocument() {
        Agreement a = parse(doc());
        assertThat(a.assistance().types()).isEmpty();
        assertThat(a.toJson(M).has("assistance")).isFalse();
    }

    @Test
    void theAssistancePartIsReadWrittenAndReadAgainTheSame() {
        ObjectNode d = doc();
        ObjectNode as = d.putObject("assistance");
        as.putObject("types").put("preservation", "Art. 29").put("subscriber-data", "Art. 31");
        as.putObject("deadlines").put("routine", "30d").put("urgent", "PT72H").put("threat-to-life", "12h");
        Agreement a = parse(d);
        assertThat(a.assistance().covers(AssistanceType.PRESERVATION)).isTrue();
        assertThat(a.assistance().covers(AssistanceType.CONTENT_DATA)).isFalse();
        assertThat(a.assistance().types().get(AssistanceType.SUBSCRIBER_DATA)).isEqualTo("Art. 31");
        assertThat(a.assistance().deadlines().get(Urgency.THREAT_TO_LIFE)).isEqualTo(Duration.ofHours(12));
        assertThat(a.assistance().preservationDays()).isEqualTo(90);
        Agreement again = parse(a.toJson(M));
        assertThat(again.assistance()).isEqualTo(a.assistance());
    }

    @Test
    void everyProblemOfTheAssistancePartIsNamedByItsPointer() {
        ObjectNode d = doc();
        ObjectNode as = d.putObject("assistance");
        as.putObject("types").put("rendition", "Art. 1").put("preservation", "");
        as.putObject("deadlines").put("routine", "P3D").put("urgent", "P30D");
        as.put("preservation_days", 0);
        assertThatThrownBy(() -> parse(d)).isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(
                e.problems().stream().map(InvalidInput.Problem::field).toList()).containsExactlyInAnyOrder(
                "/assistance/types/rendition", "/assistance/types/preservation", "/assistance/deadlines/threat-to-life",
                "/assistance/preservation_days"));
        as.with("deadlines").put("threat-to-life", "1h");
        as.put("preservation_days", 60);
        ((ObjectNode) as.get("types")).remove("rendition");
        ((ObjectNode) as.get("types")).put("preservation", "Art. 29");
        assertThatThrownBy(() -> parse(d)).isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(
                e.problems().get(0).field()).isEqualTo("/assistance/deadlines/urgent"));
    }
}
