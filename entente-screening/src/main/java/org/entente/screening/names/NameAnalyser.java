package org.entente.screening.names;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.entente.screening.Kind;

/**
 * Takes a name apart into comparable words: Unicode normalisation, transliteration, and a model
 * of Arabic names (article and its assimilated forms, Abd + name compounds, kunyas, nasab
 * particles, honorifics).
 */
public final class NameAnalyser {

    /** Longer input is cut: no real name is longer, and the cost of matching grows with it. */
    static final int MAX_CHARS = 200;
    static final int MAX_TOKENS = 12;

    private static final Set<String> HONORIFICS = Set.of("sheikh", "shaykh", "shaikh", "sheik", "shaik", "haji",
            "hajji", "hadji", "hajj", "alhaj", "alhajj", "mullah", "mulla", "molla", "maulvi", "mawlawi", "maulavi",
            "moulvi", "mawlavi", "maulana", "mawlana", "qari", "imam", "mufti", "dr", "doctor", "prof", "mr", "mrs",
            "ms", "sir", "general", "gen", "colonel", "col", "captain", "capt", "brigadier", "lieutenant", "sayyid",
            "syed", "seyed", "seyyed", "sayyed");
    private static final Set<String> ARABIC_HONORIFICS = Set.of("شيخ", "الشيخ", "حاج", "الحاج", "حجي", "ملا", "مولوي",
            "مولانا", "الدكتور", "دكتور", "قاري", "السيد", "الملا", "المولوي");
    private static final Set<String> PARTICLES = Set.of("bin", "ibn", "ben", "bint", "binti", "bn", "ould", "walad", "bnt");
    private static final Set<String> ARABIC_PARTICLES = Set.of("بن", "ابن", "بنت", "ولد");
    /** The article and its assimilated forms before sun letters, when written apart (ad-Din, ash-Shami). */
    private static final Set<String> ARTICLES = Set.of("al", "el", "ul");
    private static final Set<String> HYPHEN_ARTICLES = Set.of("al", "el", "ul", "ad", "ar", "as", "ash", "at", "az",
            "an", "adh", "ath", "ed", "er", "es", "et", "ez", "en", "ud", "ur", "us", "un");
    private static final Set<String> ABD = Set.of("abd", "abdul", "abdel", "abdal", "abdil", "abdol", "abdou", "abdu",
            "abdoul", "abdur", "abdus", "abdush");
    private static final Set<String> KUNYA = Set.of("abu", "abou", "abo", "abul", "umm", "um", "oum");
    private static final Set<String> ENTITY_STOPWORDS = Set.of("the", "of", "and", "de", "del", "la", "le", "les", "des",
            "y", "et", "for", "und", "du", "da", "do", "dos", "das", "e");
    private static final Set<String> LEGAL_FORMS = Set.of("ltd", "limited", "llc", "inc", "incorporated", "co", "corp",
            "corporation", "company", "sa", "gmbh", "ag", "plc", "bv", "nv", "srl", "sarl", "jsc", "ojsc", "cjsc", "pjsc",
            "oao", "zao", "ooo", "llp", "lp", "fze", "fzco", "fzc", "pte", "pvt", "sdn", "bhd", "cia", "sas", "spa",
            "kg", "ab", "as", "oy", "doo", "ead", "tov", "pao", "ao", "ltda", "sac", "saa", "cv", "rl", "sl", "eirl", "ca", "eu",
            "asbl", "vzw", "ev", "sprl", "bvba", "kft", "zrt", "sro", "dd", "scs", "sca");

    private static final Pattern PERSIAN_SUFFIX = Pattern.compile("([\\u0600-\\u06FF]) +(ای|ئی|یی|ی)(?![\\u0600-\\u06FF])");
    private static final Pattern SILENT_MARKS = Pattern.compile("[‘’'`ʿʾʼ′]");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,;/()\\[\\]\"“”.·_:+*&|]+");
    private static final Pattern NOT_LETTER = Pattern.compile("[^a-z]");
    private static final Pattern ABBREVIATION = Pattern.compile("(?<!\\p{L})(?:\\p{L}\\.){2,}(?!\\p{L})|(?<![\\p{L}.])\\p{L}\\.\\p{L}(?![\\p{L}.])");

    private NameAnalyser() {
    }

    public static AnalysedName analyse(String text, Kind kind) {
        AnalysedName a = analyseWithoutTable(text, kind);
        if (kind != Kind.PERSON || a.tokens().isEmpty()) {
            return a;
        }
        // Persons' words are looked up in the table of common names (entities' words are not names).
        NameTable table = NameTable.get();
        List<Token> known = new ArrayList<>(a.tokens().size());
        for (Token t : a.tokens()) {
            known.add(table.identify(t));
        }
        return new AnalysedName(a.original(), known, a.notes(), kind);
    }

    /** The analysis without the name table: what the table itself is read with. */
    static AnalysedName analyseWithoutTable(String text, Kind kind) {
        List<String> notes = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new AnalysedName(text == null ? "" : text, List.of(), List.of("empty name"), kind);
        }
        String s = Scripts.nfkc(text);
        if (s.length() > MAX_CHARS) {
            notes.add("name cut to its first " + MAX_CHARS + " of " + s.length() + " characters");
            s = s.substring(0, MAX_CHARS);
        }
        // Apostrophes and the ayn/hamza signs of romanisations carry no letter (Ja'far, Sa`id, Ḥasan).
        s = SILENT_MARKS.matcher(s).replaceAll("");
        // Persian writes the suffix -ی / -ای after a zero-width non-joiner, or after a space when
        // typed without one (خامنه ای for خامنه‌ای): it is part of the word before.
        s = PERSIAN_SUFFIX.matcher(s).replaceAll("$1\u200C$2");
        List<Token> tokens = new ArrayList<>();
        boolean transliterated = false;
        if (kind == Kind.ENTITY) {
            // Letters with dots are one abbreviation: E.C.A., S.A., C.V. A person's initials stay
            // apart (each may stand for a name).
            s = ABBREVIATION.matcher(s).replaceAll(m -> m.group().replace(".", ""));
        }
        String[] words = SEPARATORS.split(s);
        List<Raw> raws = new ArrayList<>();
        for (String word : words) {
            if (word.isEmpty()) {
                continue;
            }
            boolean arabic = word.chars().anyMatch(c -> Scripts.isArabicLetter((char) c));
            if (arabic) {
                if (ARABIC_HONORIFICS.contains(word)) {
                    notes.add("honorific '" + word + "' ignored");
                    continue;
                }
                if (word.equals("ال")) {
                    continue; // an article standing alone names nothing
                }
                if (ARABIC_PARTICLES.contains(word)) {
                    raws.add(new Raw(word, "bin", true, true, false));
                    continue;
                }
                transliterated = true;
                if (word.equals("أم") || word.equals("ام")) {
                    raws.add(new Raw(word, "umm", true, false, false)); // the kunya Umm: أم كلثوم
                    continue;
                }
                // Abd is often written joined to its name (عبدالرحيم, عبدفتاح): two words to the name model.
                if (word.startsWith("عبد") && word.length() >= 6) {
                    raws.add(new Raw("عبد", "abd", true, false, false));
                    word = word.substring(3);
                }
                boolean article = word.startsWith("ال") && word.length() > 3;
                raws.add(new Raw(word, Scripts.arabicWord(article ? word.substring(2) : word), true, false, article));
                continue;
            }
            boolean hebrew = word.chars().anyMatch(c -> Scripts.isHebrew((char) c));
            String latin = Scripts.toLatin(Romanisations.turkish(word)).toLowerCase(Locale.ROOT);
            if (!Scripts.isAscii(word)) {
                transliterated |= !word.equals(latin);
            }
            // Hyphenated parts: al-Tikriti, Abd-al-Rahman, ad-Din.
            String[] parts = latin.split("-");
            for (int i = 0; i < parts.length; i++) {
                String p = NOT_LETTER.matcher(parts[i]).replaceAll("");
                if (p.isEmpty()) {
                    continue;
                }
                boolean hyphenArticle = i + 1 < parts.length && HYPHEN_ARTICLES.contains(p);
                boolean german = false;
                if (kind == Kind.PERSON && !hebrew) {
                    String g = Romanisations.german(p);
                    german = !g.equals(p);
                    p = Romanisations.iotated(g);
                }
                raws.add(new Raw(word, p, hebrew, false, hyphenArticle ? true : null, german));
            }
        }
        if (transliterated) {
            notes.add("transliterated to Latin");
        }
        modelArabic(raws, tokens, notes, kind);
        if (kind == Kind.PERSON) {
            tokens = theophoric(tokens);
        }
        if (tokens.size() > MAX_TOKENS) {
            notes.add("only the first " + MAX_TOKENS + " of " + tokens.size() + " words used");
            tokens = new ArrayList<>(tokens.subList(0, MAX_TOKENS));
        }
        return new AnalysedName(text, tokens, notes, kind);
    }

    /**
     * A word before the name model: {@code article} is TRUE when the word is a separate article
     * (al-), for Arabic script TRUE when the article was glued and removed, null otherwise.
     */
    private record Raw(String source, String latin, boolean vowelless, boolean particle, Boolean article, boolean german) {
        Raw(String source, String latin, boolean vowelless, boolean particle, Boolean article) {
            this(source, latin, vowelless, particle, article, false);
        }
    }

    private static void modelArabic(List<Raw> raws, List<Token> out, List<String> notes, Kind kind) {
        for (int i = 0; i < raws.size(); i++) {
            Raw r = raws.get(i);
            String w = r.latin;
            boolean hasNext = i + 1 < raws.size();
            if (r.particle || (PARTICLES.contains(w) && hasNext)) {
                out.add(token(r.source, "bin", r.vowelless, Token.Role.PARTICLE));
                continue;
            }
            if (kind == Kind.ENTITY && (ENTITY_STOPWORDS.contains(w) || LEGAL_FORMS.contains(w))) {
                if (LEGAL_FORMS.contains(w)) {
                    notes.add("legal form '" + w + "' ignored");
                }
                continue;
            }
            // After an article the title is a family name: el-Sayed, Al-Sayyid (السيد)
            boolean afterArticle = i > 0 && !raws.get(i - 1).vowelless
                    && (Boolean.TRUE.equals(raws.get(i - 1).article) || ARTICLES.contains(raws.get(i - 1).latin));
            if (kind == Kind.PERSON && !r.vowelless && HONORIFICS.contains(w) && raws.size() > 1 && !afterArticle) {
                notes.add("honorific '" + w + "' ignored");
                continue;
            }
            // A separate article belongs to the next word: al Qaida, al-Tikriti, ash-Shami.
            if (!r.vowelless && hasNext && (Boolean.TRUE.equals(r.article) || ARTICLES.contains(w))) {
                continue;
            }
            // Abd + name is one name: Abd al-Rahman = Abdul Rahman = Abdurrahman = عبد الرحمن.
            if (kind == Kind.PERSON && ABD.contains(w) && hasNext) {
                int at = nextName(raws, i + 1);
                if (at >= 0) {
                    Raw next = raws.get(at);
                    i = at;
                    out.add(token(joined(r, next), "abd-" + articleless(next), r.vowelless || next.vowelless,
                            Token.Role.NAME));
                    continue;
                }
            }
            // Compounds keep a '-' between their parts, so that the skeletons of the parts never merge
            // (Abu Ayyub must not shrink to the b of Bob).
            if (kind == Kind.PERSON && w.length() > 5 && w.startsWith("abd") && !r.vowelless) {
                w = "abd-" + dropConnector(w.substring(3));
            } else if (kind == Kind.PERSON && !r.vowelless && w.length() >= 6 && (w.startsWith("abu") || w.startsWith("abou"))
                    && "aeiouy".indexOf(w.charAt(w.startsWith("abu") ? 3 : 4)) < 0) {
                w = "abu-" + w.substring(w.startsWith("abu") ? 3 : 4); // Abubakar = Abu Bakr
            }
            // Kunya: Abu Bakr = Abubakar = أبو بكر.
            if (kind == Kind.PERSON && KUNYA.contains(w) && hasNext) {
                int at = nextName(raws, i + 1);
                if (at >= 0) {
                    Raw next = raws.get(at);
                    i = at;
                    out.add(token(joined(r, next), (w.startsWith("u") || w.startsWith("o") ? "umm-" : "abu-") + articleless(next),
                            r.vowelless || next.vowelless, Token.Role.NAME));
                    continue;
                }
            }
            Token.Role role = w.length() == 1 ? Token.Role.INITIAL : Token.Role.NAME;
            Token t = token(r.source, w, r.vowelless, role);
            // German writes з and с both s (Morosow, Sacharow; Ismailow): its s is either
            out.add(r.german ? new Token(t.source(), t.latin(), Skeletons.germanS(t.skeleton()), false, role) : t);
        }
    }

    private static String joined(Raw a, Raw b) {
        return a.source.equals(b.source) ? a.source : a.source + " " + b.source;
    }

    private static final Set<String> ALLAH = Set.of("alah", "ulah", "ula", "ala", "lah", "lh", "olah", "ulo");
    private static final Set<String> DIN = Set.of("din", "dine", "den", "deen", "dn", "dyn");
    private static final String[] GLUED_ALLAH = {"ulah", "olah", "alah", "ula"};
    private static final String[] GLUED_DIN = {"aldin", "eldin", "udin", "edin", "adin", "idin", "edine", "udine", "uden"};

    /**
     * Names built on Allah and al-Din are one name however they are written: Rahmatullah = Rahmat
     * Allah = رحمت الله, Salahuddin = Salah al-Din = Salaheddine = صلاح الدين. Both halves become one
     * word {@code prefix-lah} or {@code prefix-din}.
     */
    private static List<Token> theophoric(List<Token> in) {
        List<Token> out = new ArrayList<>(in.size());
        for (Token t : in) {
            Token prev = out.isEmpty() ? null : out.getLast();
            boolean joinable = prev != null && prev.role() == Token.Role.NAME && !prev.latin().contains("-")
                    && t.role() == Token.Role.NAME;
            if (joinable && ALLAH.contains(t.latin())) {
                out.set(out.size() - 1, token(prev.source() + " " + t.source(), prev.latin() + "-lah",
                        prev.vowelless() || t.vowelless(), Token.Role.NAME));
                continue;
            }
            if (joinable && DIN.contains(t.latin())) {
                out.set(out.size() - 1, token(prev.source() + " " + t.source(), prev.latin() + "-din",
                        prev.vowelless() || t.vowelless(), Token.Role.NAME));
                continue;
            }
            String w = t.latin();
            if (t.role() == Token.Role.NAME && !t.vowelless() && !w.contains("-")) {
                String split = split(w, GLUED_ALLAH, "-lah");
                if (split == null) {
                    split = split(w, GLUED_DIN, "-din");
                }
                if (split != null) {
                    out.add(token(t.source(), split, false, Token.Role.NAME));
                    continue;
                }
            }
            out.add(t);
        }
        return out;
    }

    private static String split(String w, String[] endings, String suffix) {
        for (String e : endings) {
            if (w.length() >= e.length() + 3 && w.endsWith(e)) {
                return w.substring(0, w.length() - e.length()) + suffix;
            }
        }
        return null;
    }

    /** The position of the name after an Abd or Abu, skipping a separate article; -1 if none follows. */
    private static int nextName(List<Raw> raws, int from) {
        for (int j = from; j < raws.size(); j++) {
            Raw n = raws.get(j);
            if (!n.vowelless && (Boolean.TRUE.equals(n.article) || ARTICLES.contains(n.latin)) && j + 1 < raws.size()) {
                continue;
            }
            return n.particle ? -1 : j;
        }
        return -1;
    }

    /** A name after Abd or Abu without a glued article: Abd Allah, Abd Elaziz. */
    private static String articleless(Raw n) {
        String latin = n.latin;
        if (!n.vowelless && latin.length() > 4 && (latin.startsWith("al") || latin.startsWith("el"))
                && "aeiou".indexOf(latin.charAt(2)) < 0) {
            return latin.substring(2);
        }
        return latin;
    }

    /** The linking vowel and article of a glued Abd compound: Abdulrahman, Abdurrahman, Abdelaziz. */
    private static String dropConnector(String rest) {
        if (rest.length() > 3 && "aeiou".indexOf(rest.charAt(0)) >= 0) {
            if (rest.charAt(1) == 'l' && "aeiou".indexOf(rest.charAt(2)) < 0) {
                return rest.substring(2);
            }
            if (rest.charAt(1) == rest.charAt(2)) {
                return rest.substring(1);
            }
        }
        return rest;
    }

    private static Token token(String source, String latin, boolean vowelless, Token.Role role) {
        String collapsed = collapseDoubles(latin);
        boolean arabic = vowelless && source.chars().anyMatch(c -> Scripts.isArabicLetter((char) c));
        return new Token(source, collapsed, arabic ? Skeletons.ofVowelless(collapsed) : Skeletons.of(collapsed), vowelless, role);
    }

    static String collapseDoubles(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (b.isEmpty() || b.charAt(b.length() - 1) != c) {
                b.append(c);
            }
        }
        return b.toString();
    }
}
