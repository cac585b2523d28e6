package org.entente.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing of the parser and evaluator: whatever the text, the outcome is a pattern or one of
 * the two documented exceptions, never anything else, and quickly. The number of tries per
 * property comes from {@code jqwik.tries.default} (src/test/resources/junit-platform.properties
 * keeps it small for {@code ./mvnw verify}; bench/pattern-fuzz.sh runs it long).
 */
class PatternFuzzTest {
    private static final List<String> SEEDS = seeds();
    private static final List<JsonNode> OBSERVATIONS = observations();

    private static List<String> seeds() {
        try {
            List<String> out = new ArrayList<>();
            for (JsonNode c : ConformanceTest.cases()) {
                out.add(c.get("pattern").asText());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> observations() {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode c : ConformanceTest.cases()) {
                if (c.get("observations").size() == 1) {
                    out.add(c.get("observations").get(0));
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Random text over the pattern alphabet (brackets, quotes, operators, keywords, digits). */
    @Provide
    Arbitrary<String> soup() {
        Arbitrary<String> tokens = Arbitraries.of("[", "]", "(", ")", "'", "\\", ":", ".", ",", "*", "=", "!=", "<", ">=",
                " AND ", " OR ", " NOT ", " FOLLOWEDBY ", " IN ", " LIKE ", " MATCHES ", " ISSUBSET ", " EXISTS ",
                " WITHIN ", " SECONDS ", " REPEATS ", " TIMES ", " START ", " STOP ", "t'2020-01-01T00:00:00Z'",
                "h'0a'", "b'AQ=='", "file", "ipv4-addr", "value", "hashes", "'SHA-256'", "1", "-2", "3.5", "true",
                "%", "_", "é", "\u0000", "\uD800", "1000000000000000000000");
        return tokens.list().ofMaxSize(40).map(l -> String.join("", l));
    }

    /** A conformance-suite pattern with a few characters inserted, deleted or replaced. */
    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> seed = Arbitraries.of(SEEDS);
        Arbitrary<List<int[]>> edits = Arbitraries.integers().between(0, 1 << 20).array(int[].class).ofSize(3)
                .list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<Character> chars = Arbitraries.of('[', ']', '(', ')', '\'', '\\', ' ', ':', '.', 'A', '0', '*', '=', '<');
        return Combinators.combine(seed, edits, chars.list().ofSize(4)).as((s, es, cs) -> {
            StringBuilder b = new StringBuilder(s);
            for (int k = 0; k < es.size(); k++) {
                int[] e = es.get(k);
                int at = b.isEmpty() ? 0 : e[0] % (b.length() + 1);
                switch (e[1] % 3) {
                    case 0 -> b.insert(at, cs.get(k));
                    case 1 -> {
                        if (at < b.length()) {
                            b.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < b.length()) {
                            b.setCharAt(at, cs.get(k));
                        }
                    }
                }
            }
            return b.toString();
        });
    }

    @Property
    void anyTextParsesOrFailsWithASyntaxOrEvaluationError(@ForAll("soup") String text) {
        assertParsesOrFailsCleanly(text);
    }

    @Property
    void mutatedPatternsParseOrFailCleanlyAndEvaluateOrFailCleanly(@ForAll("mutated") String text,
                                                                    @ForAll("observationIndex") int obs) {
        Pattern p = assertParsesOrFailsCleanly(text);
        if (p != null) {
            try {
                MatchResult r = p.match(ObservationSet.ofBundle(OBSERVATIONS.get(obs)));
                assertThat(r.matched() || r.observedDataRefs().isEmpty()).isTrue();
            } catch (PatternEvaluationException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    @Provide
    Arbitrary<Integer> observationIndex() {
        return Arbitraries.integers().between(0, OBSERVATIONS.size() - 1);
    }

    private static Pattern assertParsesOrFailsCleanly(String text) {
        try {
            return Pattern.parse(text);
        } catch (PatternSyntaxException e) {
            assertThat(e.position()).isBetween(0, Math.max(text.length(), Parser.MAX_LENGTH));
            assertThat(e.expected()).isNotBlank();
            return null;
        } catch (PatternEvaluationException e) {
            assertThat(e.getMessage()).isNotBlank();
            return null;
        }
    }
}
