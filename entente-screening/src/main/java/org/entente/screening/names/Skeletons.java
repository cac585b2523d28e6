package org.entente.screening.names;

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

    static String of(String latin) {
        String s = latin;
        for (String[] d : DIGRAPHS) {
            if (s.contains(d[0])) {
                s = s.replace(d[0], d[1]);
            }
        }
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
