package org.entente.screening.documents;

import java.util.Locale;

/**
 * Document numbers as officers type them and lists record them: separators vary, and the
 * letter O and the digit 0, the letter I and the digit 1 are confused. Separators are ignored;
 * the confusions are found but scored lower than an exact match, since they may be two
 * different documents.
 */
public final class DocumentNumbers {

    /** Score of a match that needed an O/0 or I/1 exchange. */
    public static final double CONFUSABLE = 0.85;

    private DocumentNumbers() {
    }

    /** Upper case, letters and digits only: "ab 12-345/6" gives "AB123456". */
    public static String normalise(String number) {
        if (number == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(number.length());
        for (char c : number.toUpperCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The index key: normalised, with O read as 0 and I as 1, so both spellings meet. */
    public static String key(String number) {
        return normalise(number).replace('O', '0').replace('I', '1');
    }

    public record Match(double score, String rule) {
        public static final Match NONE = new Match(0, "different number");
    }

    public static Match compare(String query, String listed) {
        String a = normalise(query);
        String b = normalise(listed);
        if (a.isEmpty() || b.isEmpty()) {
            return Match.NONE;
        }
        if (a.equals(b)) {
            return new Match(1.0, query.strip().equalsIgnoreCase(listed.strip()) ? "same number" : "same number, separators ignored");
        }
        if (key(a).equals(key(b))) {
            return new Match(CONFUSABLE, "same number if O/0 or I/1 were confused (" + listed.strip() + ")");
        }
        return Match.NONE;
    }
}
