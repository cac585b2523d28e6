package org.entente.node.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.entente.stix.StixJson;
import org.junit.jupiter.api.Test;

class ChainTest {

    /** The appender digests the stored canonical text; the verifiers re-canonicalise the parsed detail. */
    @Test
    void digestOfTheCanonicalDetailIsTheDigestOfTheParsedDetail() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("zeta", 1.10);
        detail.put("alpha", List.of(1, 2.5e-7, 12345678901234567890.0, "تجربة", "emoji \uD83D\uDE00", "tab\t\"quote\"\u0001"));
        detail.put("nothing", null);
        detail.put("nested", Map.of("b", true, "a", Map.of()));
        var tree = StixJson.mapper().valueToTree(detail);
        String canonical = StixJson.canonical(tree);
        Instant at = Instant.parse("2026-03-01T08:00:00.123456Z");
        for (String organisation : new String[] {null, "NCA", "Ministère \"de l'intérieur\"\u0007 ✓"}) {
            for (String actor : List.of("alice", "officier\u00e9\u2028\\", "\uD83D\uDE00")) {
                for (long seq : new long[] {1, 999_999_999_999L}) {
                    assertThat(Chain.digest(seq, at, "screening-check", actor, organisation, canonical))
                            .as("%s %s %d", actor, organisation, seq)
                            .isEqualTo(Chain.digest(seq, at, "screening-check", actor, organisation, Chain.parse(canonical)));
                }
            }
        }
    }
}
