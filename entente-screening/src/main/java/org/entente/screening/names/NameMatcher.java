package org.entente.screening.names;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.entente.screening.Kind;

/** Compares two analysed names word by word, in any order, and explains the result. */
public final class NameMatcher {

    private static final double PHONETIC_FLOOR = 0.6;
    private static final DoubleMetaphone METAPHONE = newMetaphone();

    private static DoubleMetaphone newMetaphone() {
        DoubleMetaphone m = new DoubleMetaphone();
        m.setMaxCodeLen(8); // the default of 4 makes every long name alike
        return m;
    }

    private final NameWeights w;

    public NameMatcher(NameWeights weights) {
        this.w = weights;
    }

    public NameMatcher() {
        this(NameWeights.DEFAULT);
    }

    public NameWeights weights() {
        return w;
    }

    /** The similarity of two names as written. */
    public NameMatch compare(String a, String b, Kind kind) {
        return compare(NameAnalyser.analyse(a, kind), NameAnalyser.analyse(b, kind));
    }

    public NameMatch compare(AnalysedName a, AnalysedName b) {
        List<Token> ta = a.scored();
        List<Token> tb = b.scored();
        Set<String> notes = new LinkedHashSet<>(a.notes());
        notes.addAll(b.notes());
        if (ta.isEmpty() || tb.isEmpty()) {
            notes.add(ta.isEmpty() ? "query has no name words" : "listed name has no name words");
            return new NameMatch(0, List.of(), words(ta), words(tb), List.copyOf(notes));
        }
        int na = ta.size();
        int nb = tb.size();
        double[] sims = new double[na * nb];
        String[] rules = new String[na * nb];
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                TokenScore s = tokens(ta.get(i), tb.get(j));
                sims[i * nb + j] = s.score;
                rules[i * nb + j] = s.rule;
            }
        }
        // Greedy assignment, best pair first: names are short, and the best pair is almost always right.
        boolean[] usedA = new boolean[na];
        boolean[] usedB = new boolean[nb];
        List<NameMatch.Pair> pairs = new ArrayList<>();
        double sum = 0;
        // Before the word-by-word pairing, which would pair VACUUMKARAN with VACUUM and leave
        // KARAN over: a word that two words of the other side write together, or abbreviate, meets
        // them when it meets no single word better.
        // words an acronym covers beyond its one pair: each counts as a pair of the acronym's score
        int[] covered = {0};
        if (na != nb || na > 1) {
            Similarity forward = (i, j) -> sims[i * nb + j];
            Similarity backward = (i, j) -> sims[j * nb + i];
            sum += joinedWords(ta, tb, usedA, usedB, pairs, false, forward);
            sum += joinedWords(tb, ta, usedB, usedA, pairs, true, backward);
            if (a.kind() == Kind.ENTITY || b.kind() == Kind.ENTITY) {
                sum += acronyms(ta, tb, usedA, usedB, pairs, false, forward, covered);
                sum += acronyms(tb, ta, usedB, usedA, pairs, true, backward, covered);
            }
        }
        while (true) {
            int best = -1;
            for (int k = 0; k < sims.length; k++) {
                if (!usedA[k / nb] && !usedB[k % nb] && sims[k] >= w.minPair() && (best < 0 || sims[k] > sims[best])) {
                    best = k;
                }
            }
            if (best < 0) {
                break;
            }
            int i = best / nb;
            int j = best % nb;
            usedA[i] = true;
            usedB[j] = true;
            sum += sims[best];
            pairs.add(new NameMatch.Pair(ta.get(i).source(), tb.get(j).source(), sims[best], rules[best]));
        }
        List<String> ua = new ArrayList<>();
        List<String> ub = new ArrayList<>();
        for (int i = 0; i < na; i++) {
            if (!usedA[i]) {
                ua.add(ta.get(i).source());
            }
        }
        for (int j = 0; j < nb; j++) {
            if (!usedB[j]) {
                ub.add(tb.get(j).source());
            }
        }
        double costA = na <= nb ? w.unmatchedShort() : w.unmatchedLong();
        double costB = na <= nb ? w.unmatchedLong() : w.unmatchedShort();
        double score = pairs.isEmpty() ? 0 : sum / (pairs.size() + covered[0] + costA * ua.size() + costB * ub.size());
        return new NameMatch(Math.min(1, score), pairs, ua, ub, List.copyOf(notes));
    }

    record TokenScore(double score, String rule) {
    }

    /** Word-by-word similarity, {@code i} a word of one name and {@code j} of the other. */
    private interface Similarity {
        double at(int i, int j);
    }

    /**
     * Whether word {@code i} of one side may take words {@code from..to} of the other for a pair
     * worth {@code v}: it meets none of them, or any other, as well alone, and no other free word
     * of its side meets one of them as well.
     */
    private static boolean bestUse(int i, int from, int to, double v, int sizeOne, int sizeTwo, boolean[] usedOne,
                                   Similarity sim) {
        for (int k = 0; k < sizeTwo; k++) {
            if (sim.at(i, k) >= v) {
                return false;
            }
        }
        for (int m = 0; m < sizeOne; m++) {
            if (m == i || usedOne[m]) {
                continue;
            }
            for (int x = from; x <= to; x++) {
                if (sim.at(m, x) >= v) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A word written as one on one side and as two on the other must agree this well to be paired. */
    private static final double JOINED_MIN = 0.8;
    /** Jaro-Winkler similarity two Latin spellings need to be one word written as one and as two. */
    private static final double JOINED_SPELLING = 0.9;
    /** What writing one name as one word or two costs: little, the letters agree. */
    private static final double JOINED_FACTOR = 0.97;

    /**
     * Pairs a word left over on one side with two neighbouring words left over on the other that
     * it writes as one: Walijan / ولی جان, Shamsurrahman / شمس الرحمن, Abid Sakr / عبد صكر (which
     * the name model reads as the compound Abd al-Saqr). Returns the sum of the scores added.
     */
    private double joinedWords(List<Token> one, List<Token> two, boolean[] usedOne, boolean[] usedTwo,
                               List<NameMatch.Pair> pairs, boolean swapped, Similarity sim) {
        double added = 0;
        for (int i = 0; i < one.size(); i++) {
            Token a = one.get(i);
            if (usedOne[i] || a.role() != Token.Role.NAME || a.skeleton().length() < 4) {
                continue;
            }
            String sa = a.skeleton().replace("-", "");
            int bestJ = -1;
            TokenScore best = null;
            for (int j = 0; j + 1 < two.size(); j++) {
                Token x = two.get(j);
                Token y = two.get(j + 1);
                if (usedTwo[j] || usedTwo[j + 1] || x.role() != Token.Role.NAME || y.role() != Token.Role.NAME) {
                    continue;
                }
                int length = x.skeleton().length() + y.skeleton().length();
                if (Math.abs(length - sa.length()) > 1) {
                    continue;
                }
                Token together = joined(x, y);
                Token whole = unhyphenated(a, sa);
                // Between Latin spellings the letters must agree, not only the consonants: ASEEL
                // MOINIE and SALMANE share s-l-m-n and nothing else.
                if (!a.vowelless() && !together.vowelless() && jaroWinkler(whole.latin(), together.latin()) < JOINED_SPELLING) {
                    continue;
                }
                TokenScore s = direct(whole, together);
                if (s.score >= JOINED_MIN && (best == null || s.score > best.score)
                        && bestUse(i, j, j + 1, s.score * JOINED_FACTOR, one.size(), two.size(), usedOne, sim)) {
                    best = s;
                    bestJ = j;
                }
            }
            if (best != null) {
                usedOne[i] = true;
                usedTwo[bestJ] = true;
                usedTwo[bestJ + 1] = true;
                double v = best.score * JOINED_FACTOR;
                String two2 = two.get(bestJ).source() + " " + two.get(bestJ + 1).source();
                String rule = best.rule + ", one word written as two";
                pairs.add(swapped ? new NameMatch.Pair(two2, a.source(), v, rule) : new NameMatch.Pair(a.source(), two2, v, rule));
                added += v;
            }
        }
        return added;
    }

    /**
     * An acronym meets the words it abbreviates, but for less than a spelling would: IRGC / Islamic
     * Revolutionary Guard Corps, E.C.A. / Ensambladora Colombiana Automotriz. Each word it covers
     * counts as a pair of that score, so that it ranks its entity among the candidates but does not
     * lift a pair of names over the threshold (at 0.85 and counted once, JAHAN TTP met JAHAN TECH
     * PARS COMPANY above it, and GOLD STAR TRADING met GOLD SEA TRANSPORT AGENCY TRADING).
     */
    static final double ACRONYM = 0.75;

    private double acronyms(List<Token> one, List<Token> two, boolean[] usedOne, boolean[] usedTwo,
                            List<NameMatch.Pair> pairs, boolean swapped, Similarity sim, int[] covered) {
        double added = 0;
        for (int i = 0; i < one.size(); i++) {
            Token a = one.get(i);
            String letters = a.latin();
            if (usedOne[i] || a.role() != Token.Role.NAME || a.vowelless() || letters.length() < 2 || letters.length() > 6) {
                continue;
            }
            for (int j = 0; j < two.size(); j++) {
                // k letters of the acronym met by n words; doubled letters were collapsed in the
                // acronym (O.I.I.C. is oic), so a word may repeat the letter just met
                int k = 0;
                int n = 0;
                while (j + n < two.size() && !usedTwo[j + n] && two.get(j + n).role() == Token.Role.NAME
                        && !two.get(j + n).vowelless()) {
                    char initial = two.get(j + n).latin().charAt(0);
                    if (k < letters.length() && initial == letters.charAt(k)) {
                        k++;
                    } else if (k == 0 || initial != letters.charAt(k - 1)) {
                        break;
                    }
                    n++;
                }
                boolean whole = k == letters.length();
                double v = ACRONYM;
                if (n < 2 || k != letters.length() || !bestUse(i, j, j + n - 1, v, one.size(), two.size(), usedOne, sim)) {
                    continue;
                }
                StringBuilder words = new StringBuilder();
                for (int x = j; x < j + n; x++) {
                    usedTwo[x] = true;
                    words.append(words.isEmpty() ? "" : " ").append(two.get(x).source());
                }
                usedOne[i] = true;
                String rule = "initials of the words";
                pairs.add(swapped ? new NameMatch.Pair(words.toString(), a.source(), v, rule)
                        : new NameMatch.Pair(a.source(), words.toString(), v, rule));
                added += v * n;
                covered[0] += n - 1;
                break;
            }
        }
        return added;
    }

    private static Token unhyphenated(Token t, String skeleton) {
        return new Token(t.source(), t.latin().replace("-", ""), skeleton, t.vowelless(), t.role());
    }

    private static Token joined(Token x, Token y) {
        return new Token(x.source() + " " + y.source(), (x.latin() + y.latin()).replace("-", ""), Skeletons.joined(x.skeleton(), y.skeleton()),
                x.vowelless() || y.vowelless(), Token.Role.NAME);
    }

    TokenScore tokens(Token a, Token b) {
        TokenScore direct = direct(a, b);
        if (direct.score >= 1) {
            return direct;
        }
        String sa = a.withoutGluedArticle();
        String sb = b.withoutGluedArticle();
        if (sa == null && sb == null) {
            return direct;
        }
        Token a2 = sa == null ? a : strip(a, sa);
        Token b2 = sb == null ? b : strip(b, sb);
        TokenScore s = direct(a2, b2);
        double v = s.score * 0.98;
        return v > direct.score ? new TokenScore(v, s.rule + ", article al- ignored") : direct;
    }

    private static Token strip(Token t, String latin) {
        Token s = new Token(t.source(), latin, Skeletons.of(latin), t.vowelless(), t.role());
        return t.known() || t.vowelless() ? s : NameTable.get().identify(s);
    }

    /**
     * Two spellings of one name of the name table: all but the same spelling (Mohammed /
     * Muhammad / Mehmet / محمد, Yevgeny / Evgenii).
     */
    static final double SAME_NAME = 0.96;
    /**
     * Two words that the name table knows only as different names: not paired (below any
     * minimum pair), whatever their consonants (Hassan / Hussein, Mohammed / Mahmoud, حسن / حسين).
     */
    static final double DIFFERENT_NAMES = 0.3;
    /**
     * Two words in Arabic script, not in the table, with the same consonants but other long vowels
     * written (a letter more or less among ا و ي): most often two names, as حسن and حسين are.
     */
    static final double OTHER_LONG_VOWELS = 0.75;
    private static final TokenScore DIFFERENT = new TokenScore(DIFFERENT_NAMES, "different names of the name table");

    private TokenScore direct(Token a, Token b) {
        if (a.known() && b.known()) {
            NameTable table = NameTable.get();
            if (!table.same(a.name(), b.name())) {
                // never paired, so never shown: no need to say which names
                return DIFFERENT;
            }
            if (a.vowelless() == b.vowelless() && a.latin().equals(b.latin())) {
                return new TokenScore(1, "same spelling");
            }
            return new TokenScore(SAME_NAME, table.sameNameRule(a.name()));
        }
        if (a.vowelless() && b.vowelless()) {
            // Both in the script: its letters are compared as written, a class letter meets only itself
            // (كمال is not جمال, طاهر not ظاهر).
            if (a.latin().equals(b.latin())) {
                return new TokenScore(1, "same spelling");
            }
            if (a.skeleton().equals(b.skeleton()) && !a.skeleton().isEmpty()) {
                // The script writes long vowels: the same consonants with other long vowels are
                // most often other names (حسن, حسين), a final ة or ه, ى or ي aside.
                return longVowels(a.latin()).equals(longVowels(b.latin()))
                        ? new TokenScore(w.script(), "same consonants, script without short vowels")
                        : new TokenScore(OTHER_LONG_VOWELS, "same consonants, other long vowels written");
            }
            return new TokenScore(w.script() * w.consonants() * Math.pow(plainEditSimilarity(a.skeleton(), b.skeleton()), w.sharpness()),
                    "similar consonants, script without short vowels");
        }
        if (a.vowelless() || b.vowelless()) {
            if (Skeletons.same(a.skeleton(), b.skeleton()) || samePersianV(a, b)) {
                return new TokenScore(w.script(), "same consonants, script without short vowels");
            }
            return new TokenScore(w.script() * w.consonants() * Math.pow(editSimilarity(a.skeleton(), b.skeleton()), w.sharpness()),
                    "similar consonants, script without short vowels");
        }
        if (a.latin().equals(b.latin())) {
            return new TokenScore(1, "same spelling");
        }
        if (a.role() == Token.Role.INITIAL || b.role() == Token.Role.INITIAL) {
            Token init = a.role() == Token.Role.INITIAL ? a : b;
            Token other = init == a ? b : a;
            return other.latin().startsWith(init.latin())
                    ? new TokenScore(w.initial(), "initial") : new TokenScore(0, "different initial");
        }
        double jw = Math.pow(jaroWinkler(a.latin(), b.latin()), w.sharpness()) * w.spelling();
        if (Skeletons.same(a.skeleton(), b.skeleton()) || Skeletons.sameButInitialYe(a, b) || samePersianV(a, b)) {
            // One or two consonants say little on their own (Absi / Abbas): the spelling must agree too.
            double v = a.skeleton().replace("-", "").length() >= 3 ? w.skeleton()
                    : Math.max(jw, w.skeleton() * (0.6 + 0.4 * jaroWinkler(a.latin(), b.latin())));
            return new TokenScore(v, "same consonant skeleton " + a.skeleton());
        }
        double sk = Math.pow(editSimilarity(a.skeleton(), b.skeleton()), w.sharpness()) * w.consonants();
        double best = Math.max(jw, sk);
        // Double Metaphone is costly and only ever equates words that already look alike.
        if (w.phonetic() > best && best >= PHONETIC_FLOOR && METAPHONE.isDoubleMetaphoneEqual(a.latin(), b.latin())) {
            return new TokenScore(w.phonetic(), "same sound (Double Metaphone)");
        }
        return jw >= sk ? new TokenScore(jw, "similar spelling") : new TokenScore(sk, "similar consonants");
    }

    /**
     * Whether one word's v is the other's w or و (Marvat / Marwat / مروت), {@link Skeletons#persianV}:
     * only against a word with a w or in the script, since a v read as a glide has one consonant
     * less (Rivas is not Riccio).
     */
    private static boolean samePersianV(Token a, Token b) {
        String va = a.vowelless() ? null : Skeletons.persianV(a.latin());
        String vb = b.vowelless() ? null : Skeletons.persianV(b.latin());
        return (va != null && writesW(b) && Skeletons.same(va, b.skeleton()))
                || (vb != null && writesW(a) && Skeletons.same(a.skeleton(), vb));
    }

    private static boolean writesW(Token t) {
        return t.vowelless() || t.latin().indexOf('w', 1) > 0;
    }

    /** An Arabic-script word's letters with a final tā' marbūṭa, hā' or alif (as an ending) left out. */
    private static String longVowels(String latin) {
        int end = latin.length();
        while (end > 1 && (latin.charAt(end - 1) == 'h' || latin.charAt(end - 1) == 'a')) {
            end--;
        }
        return latin.substring(0, end);
    }

    /**
     * Jaro-Winkler similarity (prefix scale 0.1, up to 4 letters), written out because names are
     * short and the general implementations allocate per call.
     */
    public static double jaroWinkler(String a, String b) {
        int la = a.length();
        int lb = b.length();
        if (la == 0 || lb == 0) {
            return la == lb ? 1 : 0;
        }
        int window = Math.max(0, Math.max(la, lb) / 2 - 1);
        long usedA = 0;
        long usedB = 0;
        boolean wide = la > 64 || lb > 64;
        boolean[] fa = wide ? new boolean[la] : null;
        boolean[] fb = wide ? new boolean[lb] : null;
        int matches = 0;
        for (int i = 0; i < la; i++) {
            int from = Math.max(0, i - window);
            int to = Math.min(lb - 1, i + window);
            for (int j = from; j <= to; j++) {
                boolean taken = wide ? fb[j] : (usedB & (1L << j)) != 0;
                if (!taken && a.charAt(i) == b.charAt(j)) {
                    if (wide) {
                        fa[i] = true;
                        fb[j] = true;
                    } else {
                        usedA |= 1L << i;
                        usedB |= 1L << j;
                    }
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0;
        }
        int transpositions = 0;
        int k = 0;
        for (int i = 0; i < la; i++) {
            if (wide ? fa[i] : (usedA & (1L << i)) != 0) {
                while (!(wide ? fb[k] : (usedB & (1L << k)) != 0)) {
                    k++;
                }
                if (a.charAt(i) != b.charAt(k)) {
                    transpositions++;
                }
                k++;
            }
        }
        double m = matches;
        double jaro = (m / la + m / lb + (m - transpositions / 2.0) / m) / 3.0;
        int prefix = 0;
        while (prefix < Math.min(4, Math.min(la, lb)) && a.charAt(prefix) == b.charAt(prefix)) {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    /** 1 - Levenshtein distance / longer length; the class letters of Arabic-script skeletons meet any of theirs. */
    static double plainEditSimilarity(String a, String b) {
        return edit(a, b, false);
    }

    static double editSimilarity(String a, String b) {
        return edit(a, b, true);
    }

    private static double edit(String a, String b, boolean classes) {
        int la = a.length();
        int lb = b.length();
        if (la == 0 || lb == 0) {
            return la == lb ? 1 : 0;
        }
        int[] prev = new int[lb + 1];
        int[] cur = new int[lb + 1];
        for (int j = 0; j <= lb; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= la; i++) {
            cur[0] = i;
            for (int j = 1; j <= lb; j++) {
                char x = a.charAt(i - 1);
                char y = b.charAt(j - 1);
                // class letters are upper case (and C): the test of two plain letters stays one compare
                int cost = x == y || (classes && (x < 'a' || y < 'a') && Skeletons.matches(x, y)) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return 1.0 - (double) prev[lb] / Math.max(la, lb);
    }

    private static List<String> words(List<Token> ts) {
        return ts.stream().map(Token::source).toList();
    }
}
