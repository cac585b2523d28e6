package org.entente.node.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Extracts the observable values an object mentions: the values of cyber-observable objects, and
 * the values compared for equality in indicator patterns of the simple {@code [type:path = 'value']}
 * form (possibly OR-ed). Anything more complex in a pattern is left to the detection engine.
 */
public final class Observables {

    private Observables() {}

    public static List<Observable> extract(JsonNode object) {
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
                if ("stix".equals(object.path("pattern_type").asText("stix"))) {
                    pattern(out, object.path("pattern").asText(""));
                }
            }
            default -> { }
        }
        return out;
    }

    private static void pattern(List<Observable> out, String pattern) {
        List<String[]> comparisons = SimplePattern.equalities(pattern);
        if (comparisons == null) return;
        for (String[] c : comparisons) {
            String type = c[0];
            String path = c[1];
            String value = c[2];
            switch (type + ":" + path) {
                case "ipv4-addr:value", "ipv6-addr:value" -> address(out, type, value);
                case "domain-name:value", "email-addr:value", "mac-addr:value" -> plain(out, type, lower(value));
                case "url:value" -> plain(out, type, value);
                case "file:name" -> plain(out, "file:name", value);
                case "mutex:name" -> plain(out, "mutex", value);
                case "windows-registry-key:key" -> plain(out, "windows-registry-key", value);
                default -> {
                    if (path.startsWith("hashes.")) {
                        String algo = path.substring("hashes.".length()).replace("'", "");
                        plain(out, type + ":hashes." + canonicalHash(algo), lower(value));
                    }
                }
            }
        }
    }

    /**
     * Reads patterns of the form {@code [a:b = 'v'] OR [c:d = 'w' OR e:f = 'x']} and nothing else,
     * by hand: this runs for every indicator of a bulk import.
     */
    static final class SimplePattern {
        private final String s;
        private int i;

        private SimplePattern(String s) {
            this.s = s;
        }

        /** The (type, path, value) triples, or null when the pattern has any other shape. */
        static List<String[]> equalities(String pattern) {
            SimplePattern p = new SimplePattern(pattern);
            List<String[]> out = new ArrayList<>(1);
            do {
                if (!p.expect('[')) return null;
                do {
                    String[] c = p.comparison();
                    if (c == null) return null;
                    out.add(c);
                } while (p.keyword("OR"));
                if (!p.expect(']')) return null;
            } while (p.keyword("OR"));
            p.space();
            return p.i == p.s.length() ? out : null;
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private boolean expect(char ch) {
            space();
            if (i < s.length() && s.charAt(i) == ch) {
                i++;
                return true;
            }
            return false;
        }

        private boolean keyword(String word) {
            space();
            if (s.startsWith(word, i) && i + word.length() < s.length()
                    && !Character.isLetterOrDigit(s.charAt(i + word.length()))) {
                i += word.length();
                return true;
            }
            return false;
        }

        private String[] comparison() {
            space();
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '-')) i++;
            if (i == start || i >= s.length() || s.charAt(i) != ':') return null;
            String type = s.substring(start, i++);
            int pathStart = i;
            while (i < s.length()) {
                char ch = s.charAt(i);
                if (ch == '\'') {
                    int close = s.indexOf('\'', i + 1);
                    if (close < 0) return null;
                    i = close + 1;
                } else if (Character.isLetterOrDigit(ch) || ch == '_' || ch == '.' || ch == '-') {
                    i++;
                } else {
                    break;
                }
            }
            if (i == pathStart) return null;
            String path = s.substring(pathStart, i);
            if (!expect('=')) return null;
            space();
            if (i >= s.length() || s.charAt(i) != '\'') return null;
            StringBuilder value = new StringBuilder();
            for (i++; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch == '\\' && i + 1 < s.length()) {
                    value.append(s.charAt(++i));
                } else if (ch == '\'') {
                    i++;
                    return new String[] {type, path, value.toString()};
                } else {
                    value.append(ch);
                }
            }
            return null;
        }
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
