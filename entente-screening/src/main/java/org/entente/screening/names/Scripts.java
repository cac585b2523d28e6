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
     * One Arabic-script word (Arabic, Persian, Urdu, Pashto) in Latin letters. Short vowels are
     * not written, so none are invented; long vowels and glides come out as a/i/u.
     */
    static String arabicWord(String w) {
        StringBuilder out = new StringBuilder(w.length() * 2);
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            boolean first = out.isEmpty();
            String l = switch (c) {
                case 'ا', 'أ', 'إ', 'آ', 'ٱ', 'ى' -> "a";
                case 'ء', 'ؤ', 'ئ', 'ـ' -> "";
                case 'ب' -> "b";
                case 'ت', 'ط', 'ٹ' -> "t";
                case 'ث' -> "th";
                case 'ج' -> "j";
                case 'ح', 'ه', 'ہ', 'ھ' -> "h";
                case 'خ' -> "kh";
                case 'د', 'ض', 'ڈ' -> "d";
                case 'ذ' -> "dh";
                case 'ر', 'ڑ' -> "r";
                case 'ز', 'ظ' -> "z";
                case 'س', 'ص' -> "s";
                case 'ش' -> "sh";
                case 'ع' -> first ? "a" : "";
                case 'غ' -> "gh";
                case 'ف' -> "f";
                case 'ق' -> "q";
                case 'ك', 'ک' -> "k";
                case 'گ' -> "g";
                case 'ل' -> "l";
                case 'م' -> "m";
                case 'ن', 'ں' -> "n";
                case 'ة' -> "a";
                case 'و' -> first ? "w" : "u";
                case 'ي', 'ی', 'ے' -> first ? "y" : "i";
                case 'پ' -> "p";
                case 'چ' -> "ch";
                case 'ژ' -> "zh";
                case 'ځ' -> "dz";
                default -> isArabicLetter(c) ? "" : String.valueOf(c); // harakat, shadda, digits of the script
            };
            out.append(l);
        }
        return out.toString();
    }
}
