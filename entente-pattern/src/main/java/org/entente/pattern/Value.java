package org.entente.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import org.entente.pattern.Ast.*;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;

/**
 * Equality and ordering between an observed JSON value and a pattern literal, with the
 * specification's type rules: numbers compare across int and float, binary compares with
 * strings whose code points are all below 256, timestamps compare with strings that are
 * timestamps (and a string that is not one is an error), and every other pairing is unequal and
 * unordered.
 */
final class Value {
    private Value() {
    }

    /** True when the value equals the literal. */
    static boolean eq(JsonNode v, Literal lit) {
        return switch (lit) {
            case IntLiteral i -> v.isNumber() && numCompare(v, new BigDecimal(i.value())) == 0;
            case FloatLiteral f -> v.isNumber() && numCompare(v, BigDecimal.valueOf(f.value())) == 0;
            case BoolLiteral b -> v.isBoolean() && v.booleanValue() == b.value();
            case StringLiteral s -> v.isTextual() ? v.textValue().equals(s.value())
                    : v.isBinary() && Arrays.equals(((BinaryNode) v).binaryValue(), latin1(s.value()));
            case BinaryLiteral b -> v.isBinary() ? Arrays.equals(((BinaryNode) v).binaryValue(), b.bytes())
                    : v.isTextual() && Arrays.equals(latin1(v.textValue()), b.bytes());
            case TimestampLiteral t -> v.isTextual() && timestamp(v).equals(t.value());
            case SetLiteral s -> throw new IllegalStateException("a set is not a single value");
        };
    }

    /** Sign of value compared to literal, or null when the two cannot be ordered. */
    static Integer order(JsonNode v, Literal lit) {
        return switch (lit) {
            case IntLiteral i -> v.isNumber() ? numCompare(v, new BigDecimal(i.value())) : null;
            case FloatLiteral f -> v.isNumber() ? numCompare(v, BigDecimal.valueOf(f.value())) : null;
            case StringLiteral s -> {
                if (v.isTextual()) {
                    yield Integer.signum(codePointCompare(v.textValue(), s.value()));
                }
                if (v.isBinary()) {
                    byte[] b = latin1(s.value());
                    yield b == null ? null : Integer.signum(Arrays.compareUnsigned(((BinaryNode) v).binaryValue(), b));
                }
                yield null;
            }
            case BinaryLiteral b -> {
                byte[] left = v.isBinary() ? ((BinaryNode) v).binaryValue() : v.isTextual() ? latin1(v.textValue()) : null;
                yield left == null ? null : Integer.signum(Arrays.compareUnsigned(left, b.bytes()));
            }
            case TimestampLiteral t -> v.isTextual() ? Integer.signum(timestamp(v).compareTo(t.value())) : null;
            case BoolLiteral b -> null;
            case SetLiteral s -> null;
        };
    }

    static Instant timestamp(JsonNode v) {
        Instant i = Literals.timestamp(v.textValue());
        if (i == null) {
            throw new PatternEvaluationException("observed value is not a STIX timestamp but is compared with one: "
                    + Literals.quote(abbreviate(v.textValue())));
        }
        return i;
    }

    static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    /** The string as bytes when every code point is below 256 (the specification's condition), else null. */
    static byte[] latin1(String s) {
        byte[] b = new byte[s.length()];
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 255) {
                return null;
            }
            b[i] = (byte) c;
        }
        return b;
    }

    private static int numCompare(JsonNode v, BigDecimal lit) {
        if (v.isIntegralNumber()) {
            BigInteger x = v.bigIntegerValue();
            return Integer.signum(new BigDecimal(x).compareTo(lit));
        }
        double d = v.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.compare(d, lit.doubleValue());
        }
        return Integer.signum(BigDecimal.valueOf(d).compareTo(lit));
    }

    static int codePointCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
