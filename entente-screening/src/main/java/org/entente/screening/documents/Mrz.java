package org.entente.screening.documents;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.entente.screening.Countries;
import org.entente.screening.Gender;

/**
 * The machine-readable zone of a travel document per ICAO Doc 9303: TD1 (3 lines of 30, identity
 * cards), TD2 (2 of 36) and TD3 (2 of 44, passports). A bad check digit is reported in
 * {@link #problems()}, not refused: the document is still screened.
 *
 * @param format         TD1, TD2 or TD3
 * @param documentCode   e.g. P, I, ID
 * @param issuingState   ICAO code as written (alpha-3, D for Germany)
 * @param surname        primary identifier
 * @param givenNames     secondary identifier
 * @param documentNumber without fillers
 * @param nationality    ICAO code as written
 * @param birthDate      null if unreadable
 * @param sex            M, F or unknown
 * @param expiry         null if unreadable
 * @param problems       check digits that fail and fields that cannot be read
 */
public record Mrz(String format, String documentCode, String issuingState, String surname, String givenNames,
                  String documentNumber, String nationality, LocalDate birthDate, Gender sex, LocalDate expiry,
                  List<String> problems) {

    public Mrz {
        problems = List.copyOf(problems);
    }

    public String fullName() {
        return (givenNames + " " + surname).strip();
    }

    /** The nationality as ISO 3166 alpha-2, if the ICAO code maps to one. */
    public Optional<String> nationalityCode() {
        return Countries.fromAlpha3(nationality);
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /**
     * Parses the lines of an MRZ, separated by line breaks, spaces or a literal {@code \n}.
     *
     * @throws IllegalArgumentException if the shape is not TD1, TD2 or TD3 or a character is not
     *                                  allowed in an MRZ
     */
    public static Mrz parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty MRZ");
        }
        String[] lines = text.strip().replace("\\n", "\n").toUpperCase(java.util.Locale.ROOT).split("\\s+");
        for (String l : lines) {
            if (!l.matches("[A-Z0-9<]*")) {
                throw new IllegalArgumentException("MRZ line '" + l + "' has characters other than A-Z, 0-9 and <");
            }
        }
        int n = lines.length;
        if (n == 3 && allLength(lines, 30)) {
            return td1(lines);
        }
        if (n == 2 && allLength(lines, 36)) {
            return td2or3(lines, "TD2");
        }
        if (n == 2 && allLength(lines, 44)) {
            return td2or3(lines, "TD3");
        }
        StringBuilder got = new StringBuilder();
        for (String l : lines) {
            got.append(got.isEmpty() ? "" : ", ").append(l.length());
        }
        throw new IllegalArgumentException("an MRZ has 3 lines of 30 characters (TD1), 2 of 36 (TD2) or 2 of 44 (TD3); got "
                + n + " line" + (n == 1 ? "" : "s") + " of " + got);
    }

    private static boolean allLength(String[] lines, int len) {
        for (String l : lines) {
            if (l.length() != len) {
                return false;
            }
        }
        return true;
    }

    private static Mrz td2or3(String[] l, String format) {
        List<String> problems = new ArrayList<>();
        String l1 = l[0];
        String l2 = l[1];
        String[] name = names(l1.substring(5));
        String number = l2.substring(0, 9);
        check(problems, "document number", number, l2.charAt(9));
        check(problems, "date of birth", l2.substring(13, 19), l2.charAt(19));
        check(problems, "date of expiry", l2.substring(21, 27), l2.charAt(27));
        int end = format.equals("TD3") ? 43 : 35;
        if (format.equals("TD3")) {
            String personal = l2.substring(28, 42);
            // An all-filler personal number may carry < or 0 as its check digit.
            if (!(personal.replace("<", "").isEmpty() && (l2.charAt(42) == '<' || l2.charAt(42) == '0'))) {
                check(problems, "personal number", personal, l2.charAt(42));
            }
        }
        check(problems, "composite", l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, end), l2.charAt(end));
        return new Mrz(format, fill(l1.substring(0, 2)), fill(l1.substring(2, 5)), name[0], name[1], fill(number),
                fill(l2.substring(10, 13)), date(problems, "date of birth", l2.substring(13, 19), true), sex(l2.charAt(20)),
                date(problems, "date of expiry", l2.substring(21, 27), false), problems);
    }

    private static Mrz td1(String[] l) {
        List<String> problems = new ArrayList<>();
        String l1 = l[0];
        String l2 = l[1];
        String number = l1.substring(5, 14);
        char numberCheck = l1.charAt(14);
        if (numberCheck == '<' && l1.charAt(15) != '<') {
            // A number longer than 9: it goes on in the optional data, its check digit last.
            int stop = l1.indexOf('<', 15);
            String rest = l1.substring(15, stop < 0 ? 30 : stop);
            number = number + rest.substring(0, rest.length() - 1);
            numberCheck = rest.charAt(rest.length() - 1);
        }
        check(problems, "document number", number, numberCheck);
        check(problems, "date of birth", l2.substring(0, 6), l2.charAt(6));
        check(problems, "date of expiry", l2.substring(8, 14), l2.charAt(14));
        check(problems, "composite", l1.substring(5, 30) + l2.substring(0, 7) + l2.substring(8, 15) + l2.substring(18, 29),
                l2.charAt(29));
        String[] name = names(l[2]);
        return new Mrz("TD1", fill(l1.substring(0, 2)), fill(l1.substring(2, 5)), name[0], name[1], fill(number),
                fill(l2.substring(15, 18)), date(problems, "date of birth", l2.substring(0, 6), true), sex(l2.charAt(7)),
                date(problems, "date of expiry", l2.substring(8, 14), false), problems);
    }

    /** The check digit of ICAO 9303 part 3: weights 7, 3, 1; digits as such, A-Z as 10-35, < as 0. */
    public static int checkDigit(String field) {
        int[] weights = {7, 3, 1};
        int sum = 0;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            int v = c == '<' ? 0 : Character.isDigit(c) ? c - '0' : c - 'A' + 10;
            sum += v * weights[i % 3];
        }
        return sum % 10;
    }

    private static void check(List<String> problems, String what, String field, char digit) {
        int expected = checkDigit(field);
        if (digit != (char) ('0' + expected)) {
            problems.add("check digit of " + what + " is " + digit + ", computed " + expected);
        }
    }

    private static String[] names(String field) {
        String f = field.replaceAll("<+$", "");
        int sep = f.indexOf("<<");
        String surname = (sep < 0 ? f : f.substring(0, sep)).replace('<', ' ').strip();
        String given = sep < 0 ? "" : f.substring(sep + 2).replace('<', ' ').strip();
        return new String[] {surname, given};
    }

    private static String fill(String s) {
        return s.replace("<", "").strip();
    }

    private static Gender sex(char c) {
        return c == 'M' ? Gender.MALE : c == 'F' ? Gender.FEMALE : Gender.UNKNOWN;
    }

    private static LocalDate date(List<String> problems, String what, String yymmdd, boolean past) {
        if (!yymmdd.matches("\\d{6}")) {
            problems.add(what + " '" + yymmdd + "' is not a date");
            return null;
        }
        int yy = Integer.parseInt(yymmdd.substring(0, 2));
        int thisYear = LocalDate.now().getYear() % 100;
        // The MRZ drops the century: a birth date is never in the future, an expiry rarely before 2000.
        int year = past ? (yy > thisYear ? 1900 + yy : 2000 + yy) : (yy >= 70 ? 1900 + yy : 2000 + yy);
        try {
            return LocalDate.of(year, Integer.parseInt(yymmdd.substring(2, 4)), Integer.parseInt(yymmdd.substring(4, 6)));
        } catch (DateTimeException e) {
            problems.add(what + " '" + yymmdd + "' is not a date");
            return null;
        }
    }
}
