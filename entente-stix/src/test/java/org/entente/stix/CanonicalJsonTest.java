package org.entente.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * {@link StixJson#canonical} against the test vectors of RFC 8785 (JSON Canonicalization Scheme): the examples
 * of its sections 3.2.2 and 3.2.3 and the number table of its appendix B, then ECMAScript's own number forms
 * for a few thousand doubles as V8 prints them.
 */
class CanonicalJsonTest {

    private static JsonNode read(String json) {
        try {
            return StixJson.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static String canonical(String json) {
        return StixJson.canonical(read(json));
    }

    @Test
    void theRfcsCanonicalisationExample() {
        // RFC 8785 section 3.2.2: whitespace goes, properties are sorted, numbers and strings take their one form.
        String input = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""";
        assertThat(canonical(input)).isEqualTo(
                "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
        // section 3.2.4: the result is hashed and signed as UTF-8; the euro sign stays three bytes, not an escape
        byte[] utf8 = canonical(input).getBytes(StandardCharsets.UTF_8);
        assertThat(utf8).hasSize(118);
        assertThat(java.util.HexFormat.of().formatHex(utf8, 91, 97)).isEqualTo("22e282ac245c");
    }

    @Test
    void theRfcsSortingExample() {
        // RFC 8785 section 3.2.3: names are compared as arrays of UTF-16 code units, so the emoji (a surrogate
        // pair, D83D DE00) sorts before U+FB33 although its code point is higher
        String input = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""";
        List<String> order = new ArrayList<>();
        read(canonical(input)).properties().forEach(e -> order.add(e.getValue().textValue()));
        assertThat(order).containsExactly("Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis",
                "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh");
        assertThat(canonical(input)).startsWith("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",");
    }

    @Test
    void theRfcsNumberTable() {
        // RFC 8785 appendix B: IEEE-754 bits and the JSON number text they must become
        String[][] table = {
                {"0000000000000000", "0"},
                {"8000000000000000", "0"},
                {"0000000000000001", "5e-324"},
                {"8000000000000001", "-5e-324"},
                {"7fefffffffffffff", "1.7976931348623157e+308"},
                {"ffefffffffffffff", "-1.7976931348623157e+308"},
                {"4340000000000000", "9007199254740992"},
                {"c340000000000000", "-9007199254740992"},
                {"4430000000000000", "295147905179352830000"},
                {"44b52d02c7e14af5", "9.999999999999997e+22"},
                {"44b52d02c7e14af6", "1e+23"},
                {"44b52d02c7e14af7", "1.0000000000000001e+23"},
                {"444b1ae4d6e2ef4e", "999999999999999700000"},
                {"444b1ae4d6e2ef4f", "999999999999999900000"},
                {"444b1ae4d6e2ef50", "1e+21"},
                {"3eb0c6f7a0b5ed8c", "9.999999999999997e-7"},
                {"3eb0c6f7a0b5ed8d", "0.000001"},
                {"41b3de4355555553", "333333333.3333332"},
                {"41b3de4355555554", "333333333.33333325"},
                {"41b3de4355555555", "333333333.3333333"},
                {"41b3de4355555556", "333333333.3333334"},
                {"41b3de4355555557", "333333333.33333343"},
                {"becbf647612f3696", "-0.0000033333333333333333"},
                {"43143ff3c1cb0959", "1424953923781206.2"},
        };
        for (String[] row : table) {
            double d = Double.longBitsToDouble(Long.parseUnsignedLong(row[0], 16));
            assertThat(StixJson.canonical(DoubleNode.valueOf(d))).as(row[0]).isEqualTo(row[1]);
        }
        // NaN and the infinities have no JSON form: canonicalisation refuses them
        for (String bits : new String[] {"7fffffffffffffff", "7ff0000000000000", "fff0000000000000"}) {
            DoubleNode n = DoubleNode.valueOf(Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16)));
            assertThatThrownBy(() -> StixJson.canonical(n)).as(bits).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void numbersAsTheyArriveInJsonText() {
        // the mapper keeps decimals exact (BigDecimal) and long integers as longs; JCS reads every one as a double
        assertThat(canonical("[-0, -0.0, 0.0e5, 1.0, 4.50, 2e-3, 1E30, 1e21, 1e20, 100, 1e-7, 0.000001]"))
                .isEqualTo("[0,0,0,1,4.5,0.002,1e+30,1e+21,100000000000000000000,100,1e-7,0.000001]");
        // beyond 2^53 integers are rounded to the nearest double, as in every ECMAScript parser
        assertThat(canonical("[9007199254740993, 18446744073709551616, 123456789012345678901234567890]"))
                .isEqualTo("[9007199254740992,18446744073709552000,1.2345678901234568e+29]");
        assertThat(canonical("[333333333.33333329, 0.1, 0.30000000000000004, 5e-324, 2.4703282292062328e-324]"))
                .isEqualTo("[333333333.3333333,0.1,0.30000000000000004,5e-324,5e-324]");
        // too large for a double: no canonical form
        assertThatThrownBy(() -> canonical("[1e400]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stringsEscapeOnlyWhatJsonRequires() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) controls.append(c);
        String expected = "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
                + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e"
                + "\\u001f\"";
        assertThat(StixJson.canonical(com.fasterxml.jackson.databind.node.TextNode.valueOf(controls.toString())))
                .isEqualTo(expected);
        // the quote and the backslash are escaped; the solidus, DEL, C1 controls, U+2028/U+2029 and
        // characters beyond the BMP are written as they are
        assertThat(canonical("\"\\\"\\\\\\/\\u007f\\u0085\\u2028\\u2029\\ud83d\\ude00é\""))
                .isEqualTo("\"\\\"\\\\/\u007f\u0085\u2028\u2029\ud83d\ude00é\"");
    }

    @Test
    void nestedStructuresAndLiterals() {
        assertThat(canonical("{\"b\": [], \"a\": {}, \"c\": [{\"z\": 1, \"y\": [true, false, null]}, \"\"]}"))
                .isEqualTo("{\"a\":{},\"b\":[],\"c\":[{\"y\":[true,false,null],\"z\":1},\"\"]}");
    }

    @Test
    void numbersLikeEcmaScriptPrintsThem() throws Exception {
        // see src/test/resources/jcs/SOURCE.md: V8's Number::toString of 6,000 doubles chosen to cover the edges
        int lines = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                getClass().getResourceAsStream("/jcs/es6-numbers.txt")), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int comma = line.indexOf(',');
                double d = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, comma), 16));
                assertThat(Jcs.ecmaScript(d)).as(line).isEqualTo(line.substring(comma + 1));
                lines++;
            }
        }
        assertThat(lines).isEqualTo(6000);
    }
}
