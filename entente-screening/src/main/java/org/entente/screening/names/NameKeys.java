package org.entente.screening.names;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.entente.screening.Kind;

/**
 * What a matching index needs from a name: the keys under which a word is found, and a compact
 * form of an analysed name to keep in memory instead of the analysis itself.
 */
public final class NameKeys {

    /** Weight of a key that differs from the word's skeleton by one deleted letter, on either side. */
    public static final float NEAR = 0.6f;
    /** Weight of two skeletons that differ by one substituted letter (both lose one letter to meet). */
    public static final float SUBSTITUTED = 0.5f;
    /**
     * Weight of the word's exact Latin spelling. Above the skeleton's, so that among the many names
     * sharing a short skeleton (SORAYA, SARA, SIR: sr) the one spelt as asked is a candidate first;
     * without it the candidates compared in full were the first namesakes by skeleton in id order,
     * and an exact one-word alias could miss its own entry.
     */
    public static final float EXACT = 1.25f;
    /**
     * Marks the skeletons a listed word has with one letter deleted. They are kept apart from the
     * skeletons themselves: when they shared one key space, a listed ISMAIL (sml, so also sm) met
     * the query OSAMA (sm) as fully as a listed USAMA did, and such near namesakes filled the
     * candidates a partial query compares in full.
     */
    private static final char DELETED = '~';
    /**
     * Marks the skeletons of listed words written in a script without short vowels. A Latin query
     * word meets them as it meets its own spelling ({@link #EXACT}): the consonants are all such a
     * script says, and without it a name written only in Arabic script ranked below every Latin
     * namesake spelt as asked and fell out of the candidates (MOHAMMAD AHMADI, محمد احمدی).
     */
    private static final char SCRIPT = '#';
    /** Readings of an Arabic-script skeleton indexed, most words have one or two. */
    private static final int VARIANTS = 6;
    /**
     * Weight of a listed word that is a spelling of the same name of the name table (Mehmet for
     * Mohammed): above the skeleton's, so that among the holders of h-s-n those named Hassan come
     * before those named Hussein, below the exact spelling's.
     */
    public static final float NAME = 1.15f;
    /** Marks the key of a name of the name table. */
    private static final char NAME_KEY = '@';

    /**
     * The keys whose postings together hold the listed words a query word can be, for intersecting
     * postings: its names in the name table (which hold their other spellings, Mehmet for
     * Mohammed, and the words not in the table with a skeleton of theirs), and its skeleton in
     * each reading (which holds every word of that skeleton, spelt in any way).
     */
    public static List<String> identityKeys(Token t) {
        List<String> out = new ArrayList<>(4);
        if (t.known()) {
            for (int n : NameTable.get().names(t.name())) {
                out.add(NAME_KEY + Integer.toString(n));
            }
        }
        for (String v : Skeletons.expand(t.skeleton(), 2)) {
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        String persian = t.vowelless() ? null : Skeletons.persianV(t.latin());
        if (persian != null && !out.contains(persian)) {
            out.add(persian);
        }
        if (!t.vowelless() && t.latin().startsWith("ye") && t.skeleton().length() > 2) {
            out.add(t.skeleton().substring(1));
        } else if (!t.vowelless() && t.latin().startsWith("e")) {
            out.add("y" + t.skeleton());
        }
        return out;
    }

    /**
     * The keys of a word under which persons are also kept by year of birth, nationality and
     * gender, when the key is common: its names in the name table and its skeleton.
     */
    public static List<String> facetBases(Token t) {
        if (t.role() != Token.Role.NAME || t.skeleton().isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(3);
        if (t.known()) {
            for (int n : NameTable.get().names(t.name())) {
                out.add(NAME_KEY + Integer.toString(n));
            }
        }
        // a Latin word's sh, ch, c in two readings (Chelik / Celik / Çelik, Chami / Shami), an
        // Arabic-script word's first; and a Persian v read as w (Marvat / Marwat)
        for (String v : Skeletons.expand(t.skeleton(), t.vowelless() ? 1 : 2)) {
            out.add(v);
        }
        String persian = t.vowelless() ? null : Skeletons.persianV(t.latin());
        if (persian != null && !out.contains(persian)) {
            out.add(persian);
        }
        return out;
    }

    /** The key of a word's skeleton as indexed: for an Arabic-script word, its first reading. */
    public static String skeletonKey(Token t) {
        return Skeletons.expand(t.skeleton(), 1).getFirst();
    }

    private NameKeys() {
    }

    /**
     * The index keys of one listed word: its exact Latin spelling, its skeleton, the skeleton
     * without a glued article, and every skeleton with one letter deleted.
     */
    public static List<String> listedKeys(Token t) {
        List<String> out = new ArrayList<>();
        if (t.role() != Token.Role.NAME || t.skeleton().isEmpty()) {
            return out;
        }
        addNames(out, t);
        if (t.vowelless()) {
            for (String v : Skeletons.expand(t.skeleton(), VARIANTS)) {
                addListed(out, v);
                out.add(SCRIPT + v);
            }
            out.add("=" + t.latin());
            return out;
        }
        // A Latin word's class letters (sh, ch, dh) are read in every way; its one-letter-deleted
        // skeletons only in the first reading, which is enough to meet a misspelling
        List<String> readings = Skeletons.expand(t.skeleton(), VARIANTS);
        addListed(out, readings.getFirst());
        for (int i = 1; i < readings.size(); i++) {
            out.add(readings.get(i));
        }
        String persian = Skeletons.persianV(t.latin());
        if (persian != null) {
            addListed(out, persian);
        }
        if (!t.latin().isEmpty()) {
            out.add("=" + t.latin());
        }
        String stripped = t.withoutGluedArticle();
        if (stripped != null) {
            addListed(out, Skeletons.of(stripped));
        }
        return out;
    }

    /**
     * The name-table keys of a listed word: its names, or for a word not in the table every name
     * that has a spelling of its skeleton (a listed Mohemmed is found by the query Mehmet too).
     */
    private static void addNames(List<String> out, Token t) {
        NameTable table = NameTable.get();
        if (t.known()) {
            for (int n : table.names(t.name())) {
                out.add(NAME_KEY + Integer.toString(n));
            }
            return;
        }
        for (String sk : t.vowelless() ? Skeletons.expand(t.skeleton(), VARIANTS) : List.of(t.skeleton())) {
            for (int n : table.namesWithSkeleton(sk)) {
                String k = NAME_KEY + Integer.toString(n);
                if (!out.contains(k)) {
                    out.add(k);
                }
            }
        }
    }

    private static void addListed(List<String> out, String skeleton) {
        out.add(skeleton);
        if (skeleton.length() >= 3) {
            for (int i = 0; i < skeleton.length(); i++) {
                out.add(DELETED + skeleton.substring(0, i) + skeleton.substring(i + 1));
            }
        }
    }

    /**
     * The keys a query word looks up, each with its weight: the listed word spelt the same
     * ({@link #EXACT}), with the same skeleton (1.0), with one letter more or less ({@link #NEAR},
     * so that Gaddafi gdf meets Qadhafi kdf through df), or with one letter substituted
     * ({@link #SUBSTITUTED}).
     */
    public static Map<String, Float> queryKeys(Token t) {
        Map<String, Float> out = new LinkedHashMap<>();
        if (t.role() != Token.Role.NAME || t.skeleton().isEmpty()) {
            return out;
        }
        if (t.known()) {
            for (int n : NameTable.get().names(t.name())) {
                out.put(NAME_KEY + Integer.toString(n), NAME);
            }
        }
        if (t.vowelless()) {
            for (String v : Skeletons.expand(t.skeleton(), VARIANTS)) {
                addQuery(out, v, 1f);
            }
            out.put("=" + t.latin(), EXACT);
            return out;
        }
        List<String> readings = Skeletons.expand(t.skeleton(), VARIANTS);
        for (int i = 0; i < readings.size(); i++) {
            String v = readings.get(i);
            if (i == 0) {
                addQuery(out, v, 1f);
            } else {
                out.merge(v, 1f, Math::max);
            }
            out.put(SCRIPT + v, EXACT);
        }
        String persian = Skeletons.persianV(t.latin());
        if (persian != null) {
            addQuery(out, persian, 1f);
            out.put(SCRIPT + persian, EXACT);
        }
        // an initial Russian е written ye or e (Yegorov, Egorov): each meets the other as its skeleton
        if (t.latin().startsWith("ye") && t.skeleton().length() > 2) {
            addQuery(out, t.skeleton().substring(1), 1f);
        } else if (t.latin().startsWith("e")) {
            addQuery(out, "y" + t.skeleton(), 1f);
        }
        if (!t.latin().isEmpty()) {
            out.put("=" + t.latin(), EXACT);
        }
        String stripped = t.withoutGluedArticle();
        if (stripped != null) {
            addQuery(out, Skeletons.of(stripped), 1f);
        }
        return out;
    }

    private static void addQuery(Map<String, Float> out, String skeleton, float weight) {
        out.merge(skeleton, weight, Math::max);
        if (skeleton.length() >= 2) {
            out.merge(DELETED + skeleton, NEAR * weight, Math::max);
        }
        if (skeleton.length() >= 3) {
            for (int i = 0; i < skeleton.length(); i++) {
                String d = skeleton.substring(0, i) + skeleton.substring(i + 1);
                out.merge(d, NEAR * weight, Math::max);
                out.merge(DELETED + d, SUBSTITUTED * weight, Math::max);
            }
        }
    }

    /**
     * Keys of a listed name as a whole. An entity name is also found by its initials (the query
     * E.C.A. finds ENSAMBLADORA COLOMBIANA AUTOMOTRIZ) and by each two neighbouring words written
     * together (VACUUMKARAN finds VACUUM KARAN). Persons get neither: their names are many, and the
     * name model already joins the compounds that persons' names write both ways.
     */
    public static List<String> listedNameKeys(AnalysedName name) {
        if (name.kind() != Kind.ENTITY) {
            return List.of();
        }
        List<Token> words = latinNameWords(name);
        List<String> out = new ArrayList<>();
        String initials = initials(words);
        if (initials != null) {
            out.add("=" + initials);
        }
        for (int i = 0; i + 1 < words.size(); i++) {
            out.add(together(words.get(i), words.get(i + 1)));
        }
        return out;
    }

    /**
     * The keys a query looks up as a whole: each two neighbouring words written together, and for
     * an entity its initials, spelt as a listed acronym would be.
     */
    public static Map<String, Float> queryNameKeys(AnalysedName name) {
        Map<String, Float> out = new LinkedHashMap<>();
        List<Token> words = latinNameWords(name);
        for (int i = 0; i + 1 < words.size(); i++) {
            out.putIfAbsent(together(words.get(i), words.get(i + 1)), 1f);
        }
        String initials = name.kind() == Kind.ENTITY ? initials(words) : null;
        if (initials != null) {
            out.putIfAbsent("=" + initials, EXACT);
        }
        return out;
    }

    private static List<Token> latinNameWords(AnalysedName name) {
        return name.scored().stream().filter(t -> t.role() == Token.Role.NAME && !t.vowelless() && !t.skeleton().isEmpty())
                .toList();
    }

    /** The first letters of two to six words, or null. */
    private static String initials(List<Token> words) {
        if (words.size() < 2 || words.size() > 6) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (Token t : words) {
            b.append(t.latin().charAt(0));
        }
        return b.toString();
    }

    private static String together(Token a, Token b) {
        // Latin words: the skeleton of the joined spelling, as the query ROYALWING has it (the w
        // inside is a glide there, and a digraph may span the join); in its first reading, as the
        // word written together is keyed (DONNA SHELL / DONASHELL, with the class letter of sh)
        String joined = !a.vowelless() && !b.vowelless() ? Skeletons.of((a.latin() + b.latin()).replace("-", ""))
                : Skeletons.joined(a.skeleton(), b.skeleton());
        return Skeletons.expand(joined, 1).getFirst();
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
            if (t.known()) {
                b.append('^').append(t.name());
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
            int caret = code.indexOf('^', start);
            int name = NameTable.UNKNOWN;
            int wordEnd = end;
            if (caret >= 0 && caret < end) {
                name = Integer.parseInt(code, caret + 1, end, 10);
                wordEnd = caret;
            }
            int bar = code.indexOf('|', start);
            boolean hasSkeleton = bar >= 0 && bar < wordEnd;
            String latin = code.substring(start + 1, hasSkeleton ? bar : wordEnd);
            String skeleton = hasSkeleton ? code.substring(bar + 1, wordEnd) : latin;
            Token.Role role = switch (flag) {
                case 'i' -> Token.Role.INITIAL;
                case 'p' -> Token.Role.PARTICLE;
                default -> Token.Role.NAME;
            };
            tokens.add(new Token(latin, latin, skeleton, flag == 'v', role, name));
            start = end + 1;
        }
        return new AnalysedName(code, tokens, List.of());
    }
}
