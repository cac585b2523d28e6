package org.entente.pattern;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** The immutable syntax tree of a STIX 2.1 pattern. */
public final class Ast {
    private Ast() {
    }

    /** An observation expression: what one or more observations must show, and when. */
    public sealed interface ObservationExpression
            permits Observation, ObsAnd, ObsOr, FollowedBy, Within, Repeats, StartStop {
    }

    /** {@code [ comparison ]}: one observation satisfying the comparison expression. */
    public record Observation(ComparisonExpression comparison) implements ObservationExpression {
    }

    public record ObsAnd(ObservationExpression left, ObservationExpression right) implements ObservationExpression {
    }

    public record ObsOr(ObservationExpression left, ObservationExpression right) implements ObservationExpression {
    }

    public record FollowedBy(ObservationExpression left, ObservationExpression right) implements ObservationExpression {
    }

    public record Within(ObservationExpression inner, BigDecimal seconds) implements ObservationExpression {
    }

    public record Repeats(ObservationExpression inner, BigInteger times) implements ObservationExpression {
    }

    public record StartStop(ObservationExpression inner, Instant start, Instant stop) implements ObservationExpression {
    }

    /** A comparison expression inside brackets, evaluated against one root object. */
    public sealed interface ComparisonExpression permits And, Or, Comparison {
    }

    public record And(ComparisonExpression left, ComparisonExpression right) implements ComparisonExpression {
    }

    public record Or(ComparisonExpression left, ComparisonExpression right) implements ComparisonExpression {
    }

    /**
     * One test of an object path. {@code value} is null for {@link Operator#EXISTS}, a
     * {@link SetLiteral} for {@link Operator#IN}, and a single literal otherwise.
     */
    public record Comparison(ObjectPath path, Operator operator, boolean negated, Literal value)
            implements ComparisonExpression {
    }

    public enum Operator {
        EQ("="), NEQ("!="), LT("<"), LE("<="), GT(">"), GE(">="), IN("IN"), LIKE("LIKE"),
        MATCHES("MATCHES"), ISSUBSET("ISSUBSET"), ISSUPERSET("ISSUPERSET"), EXISTS("EXISTS");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** {@code type:step.step[0]...}; the first step is always a {@link Key}. */
    public record ObjectPath(String objectType, List<PathStep> steps) {
        public ObjectPath {
            steps = List.copyOf(steps);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(objectType).append(':');
            for (int i = 0; i < steps.size(); i++) {
                PathStep s = steps.get(i);
                switch (s) {
                    case Key k -> {
                        if (i > 0) {
                            b.append('.');
                        }
                        b.append(Literals.isIdentifier(k.name()) ? k.name() : Literals.quote(k.name()));
                    }
                    case Index ix -> b.append('[').append(ix.index()).append(']');
                    case AnyIndex a -> b.append("[*]");
                }
            }
            return b.toString();
        }
    }

    public sealed interface PathStep permits Key, Index, AnyIndex {
    }

    public record Key(String name) implements PathStep {
    }

    public record Index(int index) implements PathStep {
    }

    public record AnyIndex() implements PathStep {
    }

    public sealed interface Literal permits StringLiteral, IntLiteral, FloatLiteral, BoolLiteral, BinaryLiteral,
            TimestampLiteral, SetLiteral {
    }

    public record StringLiteral(String value) implements Literal {
    }

    public record IntLiteral(BigInteger value) implements Literal {
    }

    public record FloatLiteral(double value) implements Literal {
    }

    public record BoolLiteral(boolean value) implements Literal {
    }

    /** Both {@code b'…'} and {@code h'…'} literals: the bytes they denote. */
    public record BinaryLiteral(byte[] value) implements Literal {
        public BinaryLiteral {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        byte[] bytes() {
            return value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BinaryLiteral b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "h'" + HexFormat.of().formatHex(value) + "'";
        }
    }

    public record TimestampLiteral(Instant value) implements Literal {
    }

    public record SetLiteral(List<Literal> elements) implements Literal {
        public SetLiteral {
            elements = List.copyOf(elements);
        }
    }
}
