package org.entente.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.entente.pattern.Ast.*;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ParserTest {

    @Test
    void buildsTheTreeWithPathsQualifiersAndLiterals() {
        Pattern p = Pattern.parse("([file:hashes.'SHA-256' = h'0aff' AND file:extensions.'archive-ext'.contains_refs[*].name"
                + " LIKE 'a%'] FOLLOWEDBY [x:list[2] IN (1, 2.5)]) WITHIN 60 SECONDS REPEATS 2 TIMES"
                + " START t'2020-01-01T00:00:00Z' STOP t'2021-01-01T00:00:00.5Z'");
        StartStop ss = (StartStop) p.expression();
        assertThat(ss.start()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(ss.stop()).isEqualTo(Instant.parse("2021-01-01T00:00:00.5Z"));
        Repeats r = (Repeats) ss.inner();
        assertThat(r.times()).isEqualTo(BigInteger.TWO);
        Within w = (Within) r.inner();
        FollowedBy fb = (FollowedBy) w.inner();
        And and = (And) ((Observation) fb.left()).comparison();
        Comparison hash = (Comparison) and.left();
        assertThat(hash.path().steps()).containsExactly(new Key("hashes"), new Key("SHA-256"));
        assertThat(hash.value()).isEqualTo(new BinaryLiteral(new byte[]{0x0a, (byte) 0xff}));
        Comparison like = (Comparison) and.right();
        assertThat(like.path().toString()).isEqualTo("file:extensions.'archive-ext'.contains_refs[*].name");
        Comparison in = (Comparison) ((Observation) fb.right()).comparison();
        assertThat(in.path().steps()).containsExactly(new Key("list"), new Index(2));
        assertThat(((SetLiteral) in.value()).elements()).hasSize(2);
    }

    @Test
    void andBindsTighterThanOrAndOrTighterThanFollowedBy() {
        ObservationExpression e = Pattern.parse("[a:x=1] OR [a:x=2] AND [a:x=3] FOLLOWEDBY [a:x=4]").expression();
        FollowedBy fb = (FollowedBy) e;
        ObsOr or = (ObsOr) fb.left();
        assertThat(or.right()).isInstanceOf(ObsAnd.class);
    }

    @Test
    void syntaxErrorsNameThePositionAndWhatWasExpected() {
        PatternSyntaxException e = catchThrowableOfType(PatternSyntaxException.class,
                () -> Pattern.parse("[file:name = 'a' AND ]"));
        assertThat(e.position()).isEqualTo(21);
        assertThat(e.expected()).contains("object type");
        assertThat(e.getMessage()).contains("position 21").contains("']'");

        e = catchThrowableOfType(PatternSyntaxException.class, () -> Pattern.parse("[file:name = 'abc"));
        assertThat(e.position()).isEqualTo(13);
        assertThat(e.expected()).contains("closing quote");

        e = catchThrowableOfType(PatternSyntaxException.class, () -> Pattern.parse("[some-type:needs-quotes = 1]"));
        assertThat(e.position()).isEqualTo(11);
        assertThat(e.expected()).contains("quote it");

        e = catchThrowableOfType(PatternSyntaxException.class, () -> Pattern.parse("[a:b = 1] WITHIN 5 MINUTES"));
        assertThat(e.position()).isEqualTo(19);
        assertThat(e.expected()).isEqualTo("SECONDS");

        // found by the fuzz test: a number with two decimal points once escaped the syntax error
        e = catchThrowableOfType(PatternSyntaxException.class, () -> Pattern.parse("[a:b = .41.123]"));
        assertThat(e.position()).isEqualTo(10);

        e = catchThrowableOfType(PatternSyntaxException.class, () -> Pattern.parse(""));
        assertThat(e.position()).isZero();
        assertThat(e.found()).isEqualTo("end of pattern");
    }

    @Test
    void absurdInputsAreClearErrorsNotCrashes() {
        String deep = "(".repeat(10_000) + "[a:b = 1]" + ")".repeat(10_000);
        assertThatThrownBy(() -> Pattern.parse(deep)).isInstanceOf(PatternSyntaxException.class)
                .hasMessageContaining("nested at most");
        String huge = "[a:b = '" + "x".repeat(2_000_000) + "']";
        assertThatThrownBy(() -> Pattern.parse(huge)).isInstanceOf(PatternSyntaxException.class)
                .hasMessageContaining("at most " + Parser.MAX_LENGTH);
        // a long flat chain is fine: AND/OR chains become balanced trees
        String wide = "[" + String.join(" OR ", java.util.Collections.nCopies(20_000, "a:b = 1")) + "]";
        assertThat(Pattern.parse(wide).expression()).isInstanceOf(Observation.class);
        String longFollowedBy = String.join(" FOLLOWEDBY ", java.util.Collections.nCopies(10_000, "[a:b = 1]"));
        assertThatThrownBy(() -> Pattern.parse(longFollowedBy)).isInstanceOf(PatternSyntaxException.class);
    }

    @Test
    void hugeRepeatCountsEvaluateQuicklyToNoMatch() throws Exception {
        JsonNode bundle = new ObjectMapper().readTree("""
                {"type":"bundle","id":"bundle--1","objects":[
                 {"type":"observed-data","id":"observed-data--1","first_observed":"2020-01-01T00:00:00Z",
                  "last_observed":"2020-01-01T00:00:00Z","number_observed":1000000000,"object_refs":["a--1"]},
                 {"type":"a","id":"a--1","b":1}]}""");
        Pattern p = Pattern.parse("[a:b = 1] REPEATS 2000000000 TIMES");
        assertThat(p.match(ObservationSet.ofBundle(bundle)).matched()).isFalse();
        assertThat(Pattern.parse("[a:b = 1] REPEATS 5 TIMES").match(ObservationSet.ofBundle(bundle)).matched()).isTrue();
    }

    @Test
    void staticallyInvalidPatternsAreEvaluationErrors() {
        for (String bad : List.of("[a:b = 1] WITHIN 0 SECONDS", "[a:b = 1] REPEATS 0 TIMES", "[a:b IN (1, 'x')]",
                "[a:b MATCHES '(']", "[a:b ISSUBSET '10.0.0.0/33']")) {
            assertThatThrownBy(() -> Pattern.parse(bad)).as(bad).isInstanceOf(PatternEvaluationException.class);
        }
    }
}
