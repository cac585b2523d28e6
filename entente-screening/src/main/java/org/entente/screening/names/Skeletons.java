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
            // C is the ch sound; a plain c is k or s by what follows.
            {"tsch", "C"}, {"tch", "C"}, {"dzh", "j"}, {"sch", "s"}, {"kh", "h"}, {"gh", "g"}, {"sh", "s"},
            {"ch", "C"}, {"zh", "j"}, {"dj", "j"}, {"th", "t"}, {"dh", "d"}, {"ph", "f"}, {"ck", "k"},
            {"ts", "C"}, {"cz", "C"}, {"x", "ks"}, {"q", "k"}, {"v", "f"},
            // The Arabic qaf is written q, k or g (Qadhafi, Kadhafi, Gaddafi).
            {"g", "k"},
    };

    /**
     * Letters of an Arabic-script skeleton that romanisations write in more than one way: one
     * Arabic letter, several Latin skeleton letters. The Persian and Urdu readings are why: they
     * say z for ذ ض ظ and s for ث (Ramzan for رمضان, Faiz for فيض), where Arabic romanisations
     * write d, dh or th (Ramadan, Kadhim, Kathim for كاظم); French ones write ش as ch (AKKACHA
     * for عكاشة), which the Latin skeleton reads as the ch of Chechnya.
     */
    private static final String CLASSES = "ZDWS";
    private static final String[] CLASS_LETTERS = {"zd", "dz", "wf", "sC"};

    /** The Latin skeleton letters one skeleton letter stands for: itself, or those of its class. */
    static String letters(char c) {
        int k = CLASSES.indexOf(c);
        return k < 0 ? String.valueOf(c) : CLASS_LETTERS[k];
    }

    /** Whether two skeleton letters can be the same sound. */
    static boolean matches(char a, char b) {
        if (a == b) {
            return true;
        }
        boolean ca = CLASSES.indexOf(a) >= 0;
        boolean cb = CLASSES.indexOf(b) >= 0;
        if (!ca && !cb) {
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

    /** Vowels and inner glides out, c read as k or s, doubles collapsed, a final h dropped. */
    private static String fold(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
            // w and y are consonants only at the start of a word; inside they write long vowels.
            boolean glide = (c == 'w' || c == 'y') && i > 0 && s.charAt(i - 1) != '-';
            if (vowel || glide) {
                continue;
            }
            if (c == 'c') {
                c = i + 1 < s.length() && "eiy".indexOf(s.charAt(i + 1)) >= 0 ? 's' : 'k';
            }
            if (c == '-' && (out.isEmpty() || i == s.length() - 1)) {
                continue;
            }
            if (out.isEmpty() || out.charAt(out.length() - 1) != c) {
                out.append(c);
            }
        }
        // A final h is mostly the ta marbuta or an English spelling habit (Fatimah, Abdullah).
        if (out.length() > 1 && out.charAt(out.length() - 1) == 'h') {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }
}
