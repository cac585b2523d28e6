package org.entente.stix;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** RFC 8785 JSON Canonicalization Scheme: sorted keys (by UTF-16 code units), ECMAScript number and string forms. */
final class Jcs {
    private Jcs() {}

    static String canonicalize(JsonNode node) {
        StringBuilder out = new StringBuilder(128);
        write(node, out);
        return out.toString();
    }

    static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) fields.add(it.next());
                // String.compareTo compares UTF-16 code units, which is exactly the RFC 8785 order.
                fields.sort(Map.Entry.comparingByKey());
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> f : fields) {
                    if (!first) out.append(',');
                    first = false;
                    string(f.getKey(), out);
                    out.append(':');
                    write(f.getValue(), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) out.append(',');
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> string(node.textValue(), out);
            case NUMBER -> number(node, out);
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("not JSON data: " + node.getNodeType());
        }
    }

    static void string(String s, StringBuilder out) {
        out.append('"');
        if (plain(s)) {
            // Most strings need no escape: one bulk append instead of one per character.
            out.append(s).append('"');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') return false;
        }
        return true;
    }

    /** Numbers are IEEE doubles in JCS, printed the way ECMAScript's Number.prototype.toString does. */
    static void number(JsonNode node, StringBuilder out) {
        double d = node.isBigDecimal() ? node.decimalValue().doubleValue()
                : node.isBigInteger() ? node.bigIntegerValue().doubleValue() : node.doubleValue();
        out.append(ecmaScript(d));
    }

    static String ecmaScript(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("not a JSON number: " + d);
        if (d == 0) return "0";
        BigDecimal shortest = shortest(Math.abs(d));
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // value = 0.digits × 10^n
        StringBuilder s = new StringBuilder(d < 0 ? "-" : "");
        if (k <= n && n <= 21) {
            s.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            s.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            s.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int e = n - 1;
            s.append(digits.charAt(0));
            if (k > 1) s.append('.').append(digits, 1, k);
            s.append('e').append(e < 0 ? "-" : "+").append(Math.abs(e));
        }
        return s.toString();
    }

    /**
     * The fewest significant digits that read back as {@code v}, the closest to {@code v} among those (ECMAScript's
     * Number::toString, step 5). Since JDK 19 Double.toString finds them, with one exception: where one digit would
     * do, it may print two when two are closer (4.9E-324 for the smallest subnormal, which ECMAScript writes 5e-324).
     * That happens only for the few smallest subnormals, whose rounding interval spans several one-digit decimals.
     */
    private static BigDecimal shortest(double v) {
        BigDecimal digits = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        if (digits.precision() != 2) return digits;
        BigDecimal exact = new BigDecimal(v);
        BigDecimal down = exact.round(new MathContext(1, RoundingMode.FLOOR));
        BigDecimal up = exact.round(new MathContext(1, RoundingMode.CEILING));
        boolean downReads = down.doubleValue() == v, upReads = up.doubleValue() == v;
        if (!downReads && !upReads) return digits;
        if (downReads != upReads) return (downReads ? down : up).stripTrailingZeros();
        int c = exact.subtract(down).compareTo(up.subtract(exact));
        boolean downEven = !down.unscaledValue().testBit(0);
        return (c < 0 || c == 0 && downEven ? down : up).stripTrailingZeros();
    }

}
