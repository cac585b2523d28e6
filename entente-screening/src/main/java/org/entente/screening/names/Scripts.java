package org.entente.screening.names;

import com.ibm.icu.text.Transliterator;
import java.text.Normalizer;

/** Conversion of any script to lower-case ASCII Latin. Arabic-script letters get our own table. */
final class Scripts {
    private Scripts() {
    }

    // ICU transliterators keep per-call state in compound chains: one per thread.
    private static final ThreadLocal<Transliterator> TO_LATIN = ThreadLocal.withInitial(() -> Transliterator.getInstance(
            "Russian-Latin/BGN; Ukrainian-Latin/BGN; Greek-Latin/UNGEGN; Hebrew-Latin; Any-Latin; Latin-ASCII"));

    static boolean isArabicLetter(char c) {
        return (c >= '\u0600' && c <= '\u06FF') || (c >= '\u0750' && c <= '\u077F');
    }

    static boolean isHebrew(char c) {
        return c >= '\u0590' && c <= '\u05FF';
    }

    static String nfkc(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC);
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }

    static String toLatin(String s) {
        return isAscii(s) ? s : TO_LATIN.get().transliterate(s);
    }

    /**
     * One Arabic-script word (Arabic, Persian, Urdu, Pashto) in Latin skeleton letters, one per
     * consonant, so that {@link Skeletons#ofVowelless} reads no digraph into neighbours. Short
     * vowels are not written, so none are invented; long vowels and glides come out as a/i/u. The
     * letters that romanisations write in several ways come out as the class letters of
     * {@link Skeletons}: T (ث: t, s), J (ج: j, and the g of Egypt), Z (ذ ظ: z, d, t), D (ض: d, z),
     * W (initial و: w, v), S (ش: sh, and the ch of French romanisations).
     */
    static String arabicWord(String w) {
        StringBuilder out = new StringBuilder(w.length());
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            boolean first = out.isEmpty();
            String l = switch (c) {
                case 'ا', 'أ', 'إ', 'آ', 'ٱ' -> "a";
                // alif maqsura and the final yā' of Persian and Urdu write one vowel: موسى = موسی
                case 'ى', 'ې', 'ۍ', 'ۓ' -> "i";
                case 'ء', 'ؤ', 'ئ', 'ـ' -> "";
                case 'ب' -> "b";
                case 'ت', 'ط', 'ٹ', 'ټ' -> "t";
                case 'ث' -> "t";
                case 'ج' -> "j";
                case 'ح', 'ه', 'ہ', 'خ', 'ۀ', 'ە' -> "h"; // kh folds to h in the Latin skeleton too
                // Urdu do-chashmi he after a letter marks aspiration, which Latin writes as the h of
                // bh, dh, kh (Chaudhry, چودھری): nothing of its own
                case 'ھ' -> first ? "h" : "";
                case 'د', 'ڈ', 'ډ' -> "d";
                case 'ذ', 'ظ' -> "Z";
                case 'ض' -> "D";
                case 'ر', 'ڑ', 'ړ' -> "r";
                case 'ز' -> "z";
                case 'ځ' -> "z"; // Pashto dz, romanised z: Zadran, ځدران
                case 'س', 'ص' -> "s";
                case 'ش', 'ښ' -> "S"; // Pashto ṣ̌ is sh in the south, kh in the north: sh it is
                case 'څ' -> "S"; // Pashto ts, romanised s, ts or ch (Achakzai, اڅکزی): the class of s and ch
                // ʿayn is written as nothing, an apostrophe or a vowel (Saad, Said): a vowel here, so that
                // the letters it stands between do not become one (معمر is m-m-r as Muammar is)
                case 'ع' -> "a";
                case 'غ', 'ق', 'ك', 'ک', 'گ', 'ګ', 'ڪ' -> "k"; // gh, q, k and g all fold to k
                case 'ف' -> "f";
                case 'ل' -> "l";
                case 'م' -> "m";
                case 'ن', 'ں', 'ڼ' -> "n";
                case 'ة', 'ۃ' -> "a";
                case 'و' -> first ? "W" : "u";
                case 'ي', 'ی', 'ے' -> first ? "y" : "i";
                case 'پ' -> "p";
                case 'چ' -> "C";
                case 'ژ', 'ږ' -> "j";
                default -> ""; // harakat, shadda, the zero-width non-joiner of Persian, letters of other languages
            };
            out.append(l);
        }
        return out.toString();
    }
}
