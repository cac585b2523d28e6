package org.entente.screening.names;

import java.util.ArrayList;
import java.util.List;

/**
 * The consonant skeleton of a Latin word: what stays the same across romanisations of one
 * name. Arabic script writes no short vowels and the romanisations of Arabic, Persian and
 * Russian disagree mostly on vowels and on how to spell single sounds, so both are folded.
 */
final class Skeletons {
    private Skeletons() {
    }

    private static final String[][] DIGRAPHS = {
            // C is the ch sound; X is a ch that English reads as ch and French as sh (Cherif is
            // Sharif, شريف; Chaudhry is چودھری); S is sh, which is ش and the French ch, and a c before
            // e or i, which is s in French (Nacer, Youcef) and ch in Turkish written without its
            // cedilla (Celik, Çelik); a plain c is k. J is the German sch, which writes ш and also
            // the ж of Russian names (Prigoschin / Prigozhin).
            {"tsch", "C"}, {"tch", "C"}, {"dzh", "j"}, {"sch", "J"}, {"kh", "h"}, {"gh", "g"}, {"sh", "S"},
            {"ch", "X"}, {"zh", "j"}, {"dj", "j"}, {"th", "t"}, {"dh", "Z"}, {"ph", "f"}, {"bh", "b"}, {"jh", "j"}, {"ck", "k"},
            {"ts", "C"}, {"cz", "C"}, {"x", "ks"}, {"q", "k"}, {"v", "f"},
            // bh and jh are the aspirates of Urdu (Bhutto, بھٹو), written with a do-chashmi he that the
            // script's skeleton leaves out. dh is ذ or ظ, which Persian and Urdu say z (Kadhimi / Kazemi, Dhulfiqar / Zulfiqar): the
            // class letter of those letters. The Arabic qaf is written q, k or g (Qadhafi, Kadhafi, Gaddafi).
            {"g", "k"},
    };

    /**
     * Letters of an Arabic-script skeleton that romanisations write in more than one way: one
     * Arabic letter, several Latin skeleton letters. The Persian and Urdu readings are why: they
     * say z for ذ ض ظ and s for ث (Ramzan for رمضان, Faiz for فيض), where Arabic romanisations
     * write d, dh or th (Ramadan, Kadhim, Kathim for كاظم); French ones write ش as ch (AKKACHA
     * for عكاشة), which the Latin skeleton reads as the ch of Chechnya.
     */
    private static final String CLASSES = "ZDWSXQJ";
    private static final String[] CLASS_LETTERS = {"zd", "dz", "wf", "sC", "Cs", "sz", "sj"};

    /** The Latin skeleton letters one skeleton letter stands for: itself, or those of its class. */
    static String letters(char c) {
        int k = CLASSES.indexOf(c);
        return k < 0 ? String.valueOf(c) : CLASS_LETTERS[k];
    }

    /**
     * Whether two skeleton letters can be the same sound. A ch (X) is never a plain s: French
     * writes sh so, not s (Cheng is not Song, Chami not Sami).
     */
    static boolean matches(char a, char b) {
        if (a == b) {
            return true;
        }
        boolean ca = CLASSES.indexOf(a) >= 0;
        boolean cb = CLASSES.indexOf(b) >= 0;
        if (!ca && !cb || (a == 'X' && b == 's') || (a == 's' && b == 'X')) {
            return false;
        }
        String la = letters(a);
        String lb = letters(b);
        for (int i = 0; i < la.length(); i++) {
            if (lb.indexOf(la.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether two skeletons can be the same, letter by letter. */
    static boolean same(String a, String b) {
        if (a.equals(b)) {
            return !a.isEmpty();
        }
        if (a.length() != b.length() || a.isEmpty()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (!matches(a.charAt(i), b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether two Latin words differ only by the y with which one writes an initial Russian е
     * (Yegorov / Egorov / Jegorow, Yeltsin / Eltsin).
     */
    static boolean sameButInitialYe(Token a, Token b) {
        Token ye = a.latin().startsWith("ye") ? a : b.latin().startsWith("ye") ? b : null;
        Token e = ye == a ? b : a;
        return ye != null && e.latin().startsWith("e") && ye.skeleton().length() == e.skeleton().length() + 1
                && same(ye.skeleton().substring(1), e.skeleton());
    }

    /**
     * The plain skeletons a skeleton with class letters stands for, at most {@code max}, the most
     * common reading first; a skeleton without class letters is its own only one.
     */
    static List<String> expand(String skeleton, int max) {
        List<String> out = new ArrayList<>();
        out.add("");
        for (int i = 0; i < skeleton.length(); i++) {
            String options = letters(skeleton.charAt(i));
            List<String> next = new ArrayList<>();
            for (String prefix : out) {
                for (int k = 0; k < options.length() && next.size() < max; k++) {
                    char c = options.charAt(k);
                    // doubles collapse as in the Latin skeleton: a class letter may meet its neighbour (ض after د)
                    if (prefix.isEmpty() || prefix.charAt(prefix.length() - 1) != c) {
                        next.add(prefix + c);
                    } else if (!next.contains(prefix)) {
                        next.add(prefix);
                    }
                }
            }
            out = next;
        }
        return out;
    }

    /**
     * The skeleton of a word converted from a script without short vowels by
     * {@link Scripts#arabicWord}: its letters are already skeleton letters, one per consonant, so
     * no digraph is read into them (ت + س is t s, not the ts of Tsarnaev).
     */
    /** Two skeletons as one word's, compound hyphens dropped and a double at the join collapsed. */
    static String joined(String a, String b) {
        String sa = a.replace("-", "");
        String sb = b.replace("-", "");
        return !sa.isEmpty() && !sb.isEmpty() && sa.charAt(sa.length() - 1) == sb.charAt(0) ? sa + sb.substring(1) : sa + sb;
    }

    /**
     * Persian, Urdu and Turkmen romanisations write the و that Arabic ones write w as v (Marvat /
     * Marwat, Navaz / Nawaz, Avan / Awan, Mousavi / Musawi): for a Latin word with such a v before
     * a vowel, the skeleton with the v read as that w (a glide inside the word), or null. Russian
     * names are left out: their v is a consonant (Ivanov is not Ionov).
     */
    static String persianV(String latin) {
        int v = latin.indexOf('v', 1);
        if (v < 0 || RUSSIAN_ENDING.matcher(latin).find()) {
            return null;
        }
        StringBuilder b = new StringBuilder(latin);
        boolean changed = false;
        for (int i = 1; i + 1 < b.length(); i++) {
            if (b.charAt(i) == 'v' && "aeiou".indexOf(b.charAt(i + 1)) >= 0) {
                b.setCharAt(i, 'w');
                changed = true;
            }
        }
        return changed ? of(b.toString()) : null;
    }

    private static final java.util.regex.Pattern RUSSIAN_ENDING = java.util.regex.Pattern.compile(
            "(?:[oe]v|[oe]va|in|ina|sk[iy]|sky|skaya|ich|vna|enko)$");

    /**
     * The skeleton of a word in the German transcription of Russian, whose s is з or с (Morosow
     * is Morozov, Sacharow Zakharov, Ismailow Ismailov) and whose z is ц, written ts by then: its
     * s is the class Q, that meets s and z.
     */
    static String germanS(String skeleton) {
        return skeleton.replace('s', 'Q');
    }

    static String ofVowelless(String latin) {
        return fold(latin);
    }

    static String of(String latin) {
        String s = latin;
        for (String[] d : DIGRAPHS) {
            if (s.contains(d[0])) {
                s = s.replace(d[0], d[1]);
            }
        }
        return fold(s);
    }

    /**
     * Vowels and inner glides out, c read as k or X, doubles collapsed, a final h dropped. Only
     * letters next to each other are a double: the two n of Potanin are two consonants (Putin is
     * p-t-n, Potanin p-t-n-n), as the two m of Muammar (معمر) are.
     */
    private static String fold(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int last = -2; // where in s the last letter kept was
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
            // w and y are consonants only at the start of a word; inside they write long vowels.
            boolean glide = (c == 'w' || c == 'y') && i > 0 && s.charAt(i - 1) != '-';
            if (vowel || glide) {
                continue;
            }
            if (c == 'c') {
                c = i + 1 < s.length() && "eiy".indexOf(s.charAt(i + 1)) >= 0 ? 'S' : 'k';
            }
            if (c == '-' && (out.isEmpty() || i == s.length() - 1)) {
                continue;
            }
            if (out.isEmpty() || out.charAt(out.length() - 1) != c || last != i - 1) {
                out.append(c);
                last = i;
            } else {
                last = i;
            }
        }
        // A final h is mostly the ta marbuta or an English spelling habit (Fatimah, Abdullah).
        if (out.length() > 1 && out.charAt(out.length() - 1) == 'h') {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }
}
