package org.entente.screening.names;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a matching index needs from a name: the keys under which a word is found, and a compact
 * form of an analysed name to keep in memory instead of the analysis itself.
 */
public final class NameKeys {

    /** Weight of a key that differs from the word's skeleton by one deleted letter. */
    public static final float NEAR = 0.6f;
    /**
     * Weight of the word's exact Latin spelling. Above the skeleton's, so that among the many names
     * sharing a short skeleton (SORAYA, SARA, SIR: sr) the one spelt as asked is a candidate first;
     * without it the candidates compared in full were the first namesakes by skeleton in id order,
     * and an exact one-word alias could miss its own entry.
     */
    public static final float EXACT = 1.25f;

    private NameKeys() {
    }

    /**
     * The index keys of one word, each with its weight: its exact Latin spelling ({@link #EXACT}),
     * its skeleton (1.0), the skeleton without a glued article, and every skeleton with one letter deleted (so that one substitution on
     * either side still meets: Gaddafi gdf / Qadhafi kdf share df).
     */
    public static Map<String, Float> keys(Token t) {
        Map<String, Float> out = new LinkedHashMap<>();
        if (t.role() != Token.Role.NAME || t.skeleton().isEmpty()) {
            return out;
        }
        add(out, t.skeleton());
        if (!t.latin().isEmpty()) out.put("=" + t.latin(), EXACT);
        String stripped = t.withoutGluedArticle();
        if (stripped != null) {
            add(out, Skeletons.of(stripped));
        }
        return out;
    }

    private static void add(Map<String, Float> out, String skeleton) {
        out.put(skeleton, 1f);
        if (skeleton.length() >= 3) {
            for (int i = 0; i < skeleton.length(); i++) {
                String d = skeleton.substring(0, i) + skeleton.substring(i + 1);
                out.putIfAbsent(d, NEAR);
            }
        }
    }

    /**
     * A compact, lossless (but for the source words) form: per word a flag letter, the Latin form
     * and, where it differs, {@code |skeleton}.
     */
    public static String encode(AnalysedName name) {
        StringBuilder b = new StringBuilder();
        for (Token t : name.tokens()) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(switch (t.role()) {
                case NAME -> t.vowelless() ? 'v' : 'n';
                case INITIAL -> 'i';
                case PARTICLE -> 'p';
            }).append(t.latin());
            if (!t.skeleton().equals(t.latin())) {
                // kept, not recomputed: decoding runs for every candidate of every query
                b.append('|').append(t.skeleton());
            }
        }
        return b.toString();
    }

    public static AnalysedName decode(String code) {
        List<Token> tokens = new ArrayList<>();
        int start = 0;
        while (start < code.length()) {
            int end = code.indexOf(' ', start);
            if (end < 0) {
                end = code.length();
            }
            char flag = code.charAt(start);
            int bar = code.indexOf('|', start);
            boolean hasSkeleton = bar >= 0 && bar < end;
            String latin = code.substring(start + 1, hasSkeleton ? bar : end);
            String skeleton = hasSkeleton ? code.substring(bar + 1, end) : latin;
            Token.Role role = switch (flag) {
                case 'i' -> Token.Role.INITIAL;
                case 'p' -> Token.Role.PARTICLE;
                default -> Token.Role.NAME;
            };
            tokens.add(new Token(latin, latin, skeleton, flag == 'v', role));
            start = end + 1;
        }
        return new AnalysedName(code, tokens, List.of());
    }
}
