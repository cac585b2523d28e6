package org.entente.node.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.entente.pattern.Ast;
import org.entente.pattern.Pattern;

/**
 * Extracts the observable values an object mentions, for the look-up: the values of
 * cyber-observable objects, and the values compared for equality in indicator patterns that are
 * nothing but such comparisons.
 */
public final class Observables {

    private Observables() {}

    /**
     * @param pattern the object's STIX pattern already parsed (indicators), or null: the pattern is
     *     then not looked at
     */
    public static List<Observable> extract(JsonNode object, Pattern pattern) {
        String type = object.path("type").asText("");
        List<Observable> out = new ArrayList<>(2);
        switch (type) {
            case "ipv4-addr", "ipv6-addr" -> address(out, type, object.path("value").asText(null));
            case "domain-name" -> plain(out, type, lower(object.path("value").asText(null)));
            case "email-addr" -> plain(out, type, lower(object.path("value").asText(null)));
            case "url" -> plain(out, type, object.path("value").asText(null));
            case "mac-addr" -> plain(out, type, lower(object.path("value").asText(null)));
            case "mutex" -> plain(out, type, object.path("name").asText(null));
            case "autonomous-system" -> plain(out, type,
                    object.has("number") ? "AS" + object.get("number").asText() : null);
            case "windows-registry-key" -> plain(out, type, object.path("key").asText(null));
            case "file", "artifact", "x509-certificate" -> {
                hashes(out, type, object.path("hashes"));
                if (type.equals("file")) plain(out, "file:name", object.path("name").asText(null));
            }
            case "indicator" -> {
                if (pattern != null) pattern(out, pattern);
            }
            default -> { }
        }
        return out;
    }

    /**
     * The values an indicator compares for equality, when its pattern is nothing but such
     * comparisons joined by OR ({@code [a:b = 'v'] OR [c:d = 'w' OR e:f = 'x']}): then each value
     * alone is evidence. Anything more complex is left to the detection engine.
     */
    private static void pattern(List<Observable> out, Pattern pattern) {
        List<Ast.Comparison> comparisons = new ArrayList<>(1);
        if (!equalities(pattern.expression(), comparisons)) return;
        for (Ast.Comparison c : comparisons) {
            String type = c.path().objectType();
            StringBuilder path = new StringBuilder();
            for (Ast.PathStep step : c.path().steps()) {
                if (!(step instanceof Ast.Key k)) return;
                if (!path.isEmpty()) path.append('.');
                path.append(k.name());
            }
            String value = ((Ast.StringLiteral) c.value()).value();
            switch (type + ":" + path) {
                case "ipv4-addr:value", "ipv6-addr:value" -> address(out, type, value);
                case "domain-name:value", "email-addr:value", "mac-addr:value" -> plain(out, type, lower(value));
                case "url:value" -> plain(out, type, value);
                case "file:name" -> plain(out, "file:name", value);
                case "mutex:name" -> plain(out, "mutex", value);
                case "windows-registry-key:key" -> plain(out, "windows-registry-key", value);
                default -> {
                    if (path.toString().startsWith("hashes.")) {
                        String algo = path.substring("hashes.".length());
                        plain(out, type + ":hashes." + canonicalHash(algo), lower(value));
                    }
                }
            }
        }
    }

    private static boolean equalities(Ast.ObservationExpression e, List<Ast.Comparison> out) {
        return switch (e) {
            case Ast.ObsOr or -> equalities(or.left(), out) && equalities(or.right(), out);
            case Ast.Observation o -> equalities(o.comparison(), out);
            default -> false;
        };
    }

    private static boolean equalities(Ast.ComparisonExpression e, List<Ast.Comparison> out) {
        return switch (e) {
            case Ast.Or or -> equalities(or.left(), out) && equalities(or.right(), out);
            case Ast.Comparison c when c.operator() == Ast.Operator.EQ && !c.negated()
                    && c.value() instanceof Ast.StringLiteral -> out.add(c);
            default -> false;
        };
    }

    private static void hashes(List<Observable> out, String type, JsonNode hashes) {
        if (!hashes.isObject()) return;
        for (Map.Entry<String, JsonNode> h : hashes.properties()) {
            plain(out, type + ":hashes." + canonicalHash(h.getKey()), lower(h.getValue().asText(null)));
        }
    }

    /** SHA256 and sha-256 name the same algorithm; the vocabulary spelling is SHA-256. */
    static String canonicalHash(String algorithm) {
        String a = algorithm.toUpperCase(Locale.ROOT);
        return switch (a.replace("-", "")) {
            case "SHA256" -> "SHA-256";
            case "SHA1" -> "SHA-1";
            case "SHA512" -> "SHA-512";
            case "SHA3256" -> "SHA3-256";
            case "SHA3512" -> "SHA3-512";
            default -> a;
        };
    }

    private static void plain(List<Observable> out, String kind, String value) {
        if (value != null && !value.isEmpty() && value.length() <= 2048) out.add(new Observable(kind, value, null));
    }

    private static void address(List<Observable> out, String kind, String value) {
        if (value == null || value.isEmpty()) return;
        String net = canonicalNet(value);
        if (net == null) {
            plain(out, kind, value);
        } else {
            out.add(new Observable(kind, net.endsWith(kind.equals("ipv4-addr") ? "/32" : "/128")
                    ? net.substring(0, net.indexOf('/')) : net, net));
        }
    }

    /**
     * The canonical CIDR form of an address or block (host bits cleared), or null when the text is
     * no IP address. Only literal addresses are parsed: no name resolution ever happens here.
     */
    public static String canonicalNet(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (!(addr.matches("[0-9.]+") && addr.chars().filter(c -> c == '.').count() == 3) && !addr.contains(":")) {
            return null;
        }
        if (addr.contains(":") && !addr.matches("[0-9A-Fa-f:.]+")) return null;
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (prefix < 0 || prefix > max) return null;
        }
        for (int bit = prefix; bit < max; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            String a = InetAddress.getByAddress(bytes).getHostAddress();
            return a + "/" + prefix;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
