package org.entente.pattern;

import org.entente.pattern.Ast.*;
import org.entente.pattern.Cmp.AndC;
import org.entente.pattern.Cmp.OrC;
import org.entente.pattern.Cmp.TestC;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * What an index can look up to find the leaves that may match a root object. A leaf's anchors
 * are necessary: if the leaf is true for an object, the object hits at least one of them. A
 * leaf without anchors must be evaluated for every object of its type.
 */
final class Anchors {
    private Anchors() {
    }

    sealed interface Anchor permits Exact, Network, DomainSuffix, Trigram {
        TestC test();
    }

    /** The path has exactly this string value. */
    record Exact(TestC test, String value) implements Anchor {
    }

    /** The path holds an address or network inside this network. */
    record Network(TestC test, Cidr net) implements Anchor {
    }

    /** The path ends with this suffix, which starts with a dot (a domain and its subdomains). */
    record DomainSuffix(TestC test, String suffix) implements Anchor {
    }

    /** The (NFC) path value contains these characters in a row: three, or five when the literal allows. */
    record Trigram(TestC test, String chars) implements Anchor {
    }

    /** The longer the required substring, the fewer values hit it by chance. */
    static final int LONG_GRAM = 5;

    /** The anchors of a compiled comparison expression, or null when it has none. */
    static List<Anchor> of(Cmp c) {
        return switch (c) {
            case AndC a -> {
                List<Anchor> l = of(a.left());
                List<Anchor> r = of(a.right());
                if (l == null) {
                    yield r;
                }
                if (r == null) {
                    yield l;
                }
                yield rank(l) <= rank(r) ? l : r;
            }
            case OrC o -> {
                List<Anchor> l = of(o.left());
                List<Anchor> r = of(o.right());
                if (l == null || r == null) {
                    yield null;
                }
                List<Anchor> both = new ArrayList<>(l);
                both.addAll(r);
                yield both;
            }
            case TestC t -> test(t);
        };
    }

    /** Lower is more selective. */
    private static int rank(List<Anchor> anchors) {
        int worst = 0;
        for (Anchor a : anchors) {
            worst = Math.max(worst, switch (a) {
                case Exact e -> 0;
                case DomainSuffix d -> 1;
                case Network n -> 2;
                case Trigram t -> 3;
            });
        }
        return worst * 1000 + Math.min(anchors.size(), 999);
    }

    static boolean indexablePath(PathStep[] steps) {
        for (PathStep s : steps) {
            if (s instanceof Key k && (k.name().endsWith("_hex") || k.name().endsWith("_bin"))) {
                return false;
            }
        }
        return true;
    }

    private static List<Anchor> test(TestC t) {
        Comparison c = t.source();
        if (c.negated() || !indexablePath(t.steps())) {
            return null;
        }
        return switch (c.operator()) {
            case EQ -> c.value() instanceof StringLiteral s ? List.of(new Exact(t, s.value())) : null;
            case IN -> {
                List<Anchor> out = new ArrayList<>();
                for (Literal l : ((SetLiteral) c.value()).elements()) {
                    if (!(l instanceof StringLiteral s)) {
                        yield null;
                    }
                    out.add(new Exact(t, s.value()));
                }
                yield out;
            }
            case ISSUBSET -> List.of(new Network(t, Cidr.parse(((StringLiteral) c.value()).value())));
            case LIKE -> {
                String like = Normalizer.normalize(((StringLiteral) c.value()).value(), Normalizer.Form.NFC);
                String rest = like.startsWith("%") ? like.substring(1) : null;
                if (rest != null && rest.startsWith(".") && rest.indexOf('%') < 0 && rest.indexOf('_') < 0) {
                    yield List.of(new DomainSuffix(t, rest));
                }
                yield trigram(t, List.of(like.split("[%_]", -1)));
            }
            case MATCHES -> trigram(t, regexLiterals(Normalizer.normalize(((StringLiteral) c.value()).value(),
                    Normalizer.Form.NFC)));
            default -> null;
        };
    }

    /** Trigrams every URL or domain has: a value would hit them whatever it is. */
    private static final java.util.Set<String> COMMON = commonTrigrams("http://", "https://", "www.", ".com/", ".net/",
            ".org/", ".php", ".html", ".htm", "/index", ".exe", "mail.");

    private static java.util.Set<String> commonTrigrams(String... fragments) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String f : fragments) {
            for (int i = 0; i + 3 <= f.length(); i++) {
                out.add(f.substring(i, i + 3));
            }
        }
        return java.util.Set.copyOf(out);
    }

    /**
     * Picks one substring of the required literal runs: five characters if a run is that long,
     * else three; preferring one without trigrams common in URLs and domains and, within a run,
     * one from the middle (the ends are often "www", ".com").
     */
    private static List<Anchor> trigram(TestC t, List<String> runs) {
        if (runs == null) {
            return null;
        }
        int len = 3;
        for (String run : runs) {
            if (run.length() >= LONG_GRAM) {
                len = LONG_GRAM;
            }
        }
        String best = null;
        int bestScore = Integer.MIN_VALUE;
        for (String run : runs) {
            for (int i = 0; i + len <= run.length(); i++) {
                String g = run.substring(i, i + len);
                int common = 0;
                for (int k = 0; k + 3 <= len; k++) {
                    common += COMMON.contains(g.substring(k, k + 3)) ? 1 : 0;
                }
                int score = -1000 * common - Math.abs(2 * i + len - run.length());
                if (score > bestScore) {
                    bestScore = score;
                    best = g;
                }
            }
        }
        return best == null ? null : List.of(new Trigram(t, best));
    }

    /**
     * The longest run of characters every match of the regular expression must contain, found
     * conservatively: alternation, inline flags and optional groups give up.
     */
    static List<String> regexLiterals(String re) {
        if (re.indexOf('|') >= 0 || re.contains("(?") || re.matches("(?s).*\\)[?*{].*")) {
            return null;
        }
        List<String> runs = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        int i = 0;
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\') {
                if (i + 1 >= re.length()) {
                    return null;
                }
                char d = re.charAt(i + 1);
                if (Character.isLetterOrDigit(d)) {
                    cut(runs, run);
                } else {
                    run.append(d);
                }
                i += 2;
            } else if (c == '[') {
                cut(runs, run);
                i++;
                if (i < re.length() && re.charAt(i) == '^') {
                    i++;
                }
                if (i < re.length() && re.charAt(i) == ']') {
                    i++;
                }
                while (i < re.length() && re.charAt(i) != ']') {
                    i += re.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else if (c == '*' || c == '?' || c == '{') {
                if (!run.isEmpty()) {
                    run.setLength(run.length() - 1);
                }
                cut(runs, run);
                if (c == '{') {
                    while (i < re.length() && re.charAt(i) != '}') {
                        i++;
                    }
                }
                i++;
            } else if (c == '+' || c == '.' || c == '^' || c == '$' || c == '(' || c == ')') {
                cut(runs, run);
                i++;
            } else {
                run.append(c);
                i++;
            }
        }
        cut(runs, run);
        return runs;
    }

    private static void cut(List<String> runs, StringBuilder run) {
        if (!run.isEmpty()) {
            runs.add(run.toString());
            run.setLength(0);
        }
    }
}
