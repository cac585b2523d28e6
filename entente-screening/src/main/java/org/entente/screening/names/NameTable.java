package org.entente.screening.names;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.entente.screening.Kind;

/**
 * The common names of the region as names, not only as consonants ({@code names.tsv}): which
 * spellings, in which scripts, write one name. Consonants alone make Hassan and Hussein one
 * (h-s-n), and Mohammed and Mahmoud (m-h-m-d), while Arabic script writes the long vowel that
 * tells them apart (حسن, حسين); and they keep Mehmet and Mohammed, Yevgeny and Evgenii apart,
 * which are one name. A word is looked up by its Latin form, or by its Arabic-script letters; a
 * spelling listed under several names has all of them (its <em>reading</em>). Words not in the
 * table have no reading and are compared by the general rules.
 */
final class NameTable {

    /** Not in the table. */
    static final int UNKNOWN = -1;

    private final List<String> names = new ArrayList<>();
    private final List<int[]> readings = new ArrayList<>();
    private final Map<String, Integer> readingOf = new HashMap<>();
    private final Map<String, Integer> byLatin = new HashMap<>();
    private final Map<String, Integer> byScript = new HashMap<>();
    private final Map<String, int[]> bySkeleton = new HashMap<>();
    /** Per kind of derivation (1 -ov, 2 nisba), the reading of the family names made from each reading. */
    private final int[][] derivedReadings = new int[3][];

    private static final class Holder {
        static final NameTable TABLE = load();
    }

    static NameTable get() {
        return Holder.TABLE;
    }

    private NameTable() {
    }

    /**
     * The reading of a word, or {@link #UNKNOWN}. A family name made from a name of the table is
     * that name's family name: with the Russian -ov, -ev (Huseynov, Guseynov, Gusejnow are one;
     * Hasanov is not Huseynov) or the nisba -i (Hashimi, al-Hashemi, الهاشمي; Kazemi, Kadhimi).
     */
    int readingOf(Token t) {
        if (t.role() != Token.Role.NAME) {
            return UNKNOWN;
        }
        Integer r;
        if (t.vowelless()) {
            if (!hasArabicLetter(t.source())) {
                return UNKNOWN;
            }
            String key = scriptKey(t.source());
            r = byScript.get(key);
            if (r == null) {
                return derived(key, SCRIPT_NISBA, byScript, NISBA);
            }
            return r;
        }
        r = byLatin.get(t.latin());
        if (r != null) {
            return r;
        }
        int d = derived(t.latin(), RUSSIAN, byLatin, PATRONYMIC);
        return d != UNKNOWN ? d : derived(t.latin(), LATIN_NISBA, byLatin, NISBA);
    }

    /** Endings of family names made from a name, with what the name ends with instead (after |). */
    private static final String[] RUSSIAN = {"yeva", "ieva", "ova", "eva", "yev", "iev", "ov", "ev"};
    // (a doubled vowel is one letter by then: Ahmadee is ahmade)
    private static final String[] LATIN_NISBA = {"avi|a", "awi|a", "ei", "ai", "yi", "i", "y", "e"};
    private static final String[] SCRIPT_NISBA = {"وي|ي", "يي", "ي"};
    private static final int PATRONYMIC = 1;
    private static final int NISBA = 2;

    private int derived(String word, String[] endings, Map<String, Integer> names, int kind) {
        for (String e : endings) {
            int bar = e.indexOf('|');
            String ending = bar < 0 ? e : e.substring(0, bar);
            if (word.length() >= ending.length() + 3 && word.endsWith(ending)) {
                Integer base = names.get(word.substring(0, word.length() - ending.length()) + (bar < 0 ? "" : e.substring(bar + 1)));
                if (base != null) {
                    return derivedReadings[kind][base];
                }
            }
        }
        return UNKNOWN;
    }

    /** The word with its reading looked up. */
    Token identify(Token t) {
        int r = readingOf(t);
        return r == t.name() ? t : new Token(t.source(), t.latin(), t.skeleton(), t.vowelless(), t.role(), r);
    }

    /** The names a reading stands for, by number. */
    int[] names(int reading) {
        return readings.get(reading);
    }

    /** The table's name for a number ({@code muhammad}, {@code husayn-ov}, {@code hashim-i}). */
    String label(int name) {
        int n = names.size();
        return name < n ? names.get(name) : names.get(name % n) + (name < 2 * n ? "-ov" : "-i");
    }

    /** A reading's names for an explanation: {@code hamid/hamid2}. */
    String labelOf(int reading) {
        StringBuilder b = new StringBuilder();
        for (int n : readings.get(reading)) {
            b.append(b.isEmpty() ? "" : "/").append(label(n));
        }
        return b.toString();
    }

    private String[] sameNameRules;

    /** The explanation of a pair of spellings of one name: {@code one name, other spelling (muhammad)}. */
    String sameNameRule(int reading) {
        return sameNameRules[reading];
    }

    /** Whether two readings share a name. */
    boolean same(int a, int b) {
        if (a == b) {
            return true;
        }
        int[] x = readings.get(a);
        int[] y = readings.get(b);
        int i = 0;
        int j = 0;
        while (i < x.length && j < y.length) {
            if (x[i] == y[j]) {
                return true;
            }
            if (x[i] < y[j]) {
                i++;
            } else {
                j++;
            }
        }
        return false;
    }

    /** The names with a spelling of this consonant skeleton (for words not in the table). */
    int[] namesWithSkeleton(String skeleton) {
        return bySkeleton.getOrDefault(skeleton, NONE);
    }

    private static final int[] NONE = new int[0];

    /** How many names the table holds. */
    int size() {
        return names.size();
    }

    static boolean hasArabicLetter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Scripts.isArabicLetter(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Arabic-script letters as a key: the variants one letter is written with unified (alif with
     * or without hamza, the final yā' forms of Arabic, Persian and Urdu, tā' marbūṭa and hā', kāf
     * and its Persian and Pashto forms), vowel signs, tatweel and the zero-width non-joiner of
     * Persian dropped, and the article taken off each part (الحسن is حسن).
     */
    static String scriptKey(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (String part : s.split("[\\s\\u200c\\u200d]+")) {
            StringBuilder p = new StringBuilder();
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                char n = switch (c) {
                    case 'أ', 'إ', 'آ', 'ٱ', '\u0670' -> 'ا';
                    case 'ى', 'ی', 'ې', 'ۍ', 'ے', 'ئ', 'ۓ' -> 'ي';
                    case 'ؤ' -> 'و';
                    case 'ة', 'ۀ', 'ہ', 'ھ', 'ە', 'ۃ' -> 'ه';
                    case 'ک', 'ڪ' -> 'ك';
                    case 'ګ' -> 'گ';
                    default -> c;
                };
                if (n == 'ء' || n == 'ـ' || (n >= '\u064B' && n <= '\u065F') || !Scripts.isArabicLetter(n)) {
                    continue;
                }
                p.append(n);
            }
            if (p.length() > 3 && p.charAt(0) == 'ا' && p.charAt(1) == 'ل') {
                p.delete(0, 2);
            }
            out.append(p);
        }
        return out.toString();
    }

    private static NameTable load() {
        NameTable t = new NameTable();
        Map<String, TreeSet<Integer>> latin = new HashMap<>();
        Map<String, TreeSet<Integer>> script = new HashMap<>();
        Map<String, TreeSet<Integer>> skeletons = new HashMap<>();
        try (InputStream in = NameTable.class.getResourceAsStream("names.tsv")) {
            if (in == null) {
                throw new IllegalStateException("names.tsv is missing from the screening library");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 4) {
                    throw new IllegalStateException("names.tsv:" + lineNo + ": expected 4 tab-separated columns");
                }
                int id = t.names.size();
                t.names.add(f[0]);
                List<String> spellings = new ArrayList<>(List.of(f[3].split("\\|")));
                if (!f[2].equals("-")) {
                    spellings.addAll(List.of(f[2].split("\\|")));
                }
                for (String s : spellings) {
                    // Each spelling taken apart as a query word would be, so that both meet on the same form.
                    List<Token> words = NameAnalyser.analyseWithoutTable(s, Kind.PERSON).scored();
                    if (words.size() != 1 || words.getFirst().role() != Token.Role.NAME) {
                        continue; // a name written in two words is met as two (Noor Mohammad) or joined by the matcher
                    }
                    Token w = words.getFirst();
                    if (w.vowelless() && hasArabicLetter(w.source())) {
                        script.computeIfAbsent(scriptKey(w.source()), k -> new TreeSet<>()).add(id);
                        for (String sk : Skeletons.expand(w.skeleton(), 6)) {
                            skeletons.computeIfAbsent(sk, k -> new TreeSet<>()).add(id);
                        }
                    } else if (!w.vowelless()) {
                        latin.computeIfAbsent(w.latin(), k -> new TreeSet<>()).add(id);
                        skeletons.computeIfAbsent(w.skeleton(), k -> new TreeSet<>()).add(id);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        latin.forEach((k, v) -> t.byLatin.put(k, t.reading(v)));
        script.forEach((k, v) -> t.byScript.put(k, t.reading(v)));
        skeletons.forEach((k, v) -> t.bySkeleton.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        // A family name made from a name is a name of its own, numbered after the table's: Hasanov is
        // name n + hasan, Hashimi 2n + hashim.
        int base = t.readings.size();
        int n = t.names.size();
        for (int kind = 1; kind <= 2; kind++) {
            t.derivedReadings[kind] = new int[base];
            for (int r = 0; r < base; r++) {
                int[] ids = t.readings.get(r).clone();
                for (int i = 0; i < ids.length; i++) {
                    ids[i] += kind * n;
                }
                t.readings.add(ids);
                t.derivedReadings[kind][r] = t.readings.size() - 1;
            }
        }
        t.sameNameRules = new String[t.readings.size()];
        for (int r = 0; r < t.readings.size(); r++) {
            t.sameNameRules[r] = "one name, other spelling (" + t.labelOf(r) + ")";
        }
        return t;
    }

    private int reading(TreeSet<Integer> ids) {
        int[] a = ids.stream().mapToInt(Integer::intValue).toArray();
        return readingOf.computeIfAbsent(Arrays.toString(a), k -> {
            readings.add(a);
            return readings.size() - 1;
        });
    }
}
