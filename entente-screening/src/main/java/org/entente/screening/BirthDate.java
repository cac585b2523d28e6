package org.entente.screening;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A date of birth as lists record it: a full date, a year only, or a range of years
 * ("between 1968 and 1973", "circa 1958" is read as the year).
 */
public sealed interface BirthDate {

    int firstYear();

    int lastYear();

    record Full(LocalDate date) implements BirthDate {
        public int firstYear() {
            return date.getYear();
        }

        public int lastYear() {
            return date.getYear();
        }

        @Override
        public String toString() {
            return date.toString();
        }
    }

    record Year(int year) implements BirthDate {
        public int firstYear() {
            return year;
        }

        public int lastYear() {
            return year;
        }

        @Override
        public String toString() {
            return Integer.toString(year);
        }
    }

    record Range(int from, int to) implements BirthDate {
        public Range {
            if (from > to) {
                throw new IllegalArgumentException("birth year range " + from + "-" + to + " runs backwards");
            }
        }

        public int firstYear() {
            return from;
        }

        public int lastYear() {
            return to;
        }

        @Override
        public String toString() {
            return from + ".." + to;
        }
    }

    Pattern YEAR = Pattern.compile("\\d{4}");
    Pattern RANGE = Pattern.compile("(\\d{4})\\s*(?:-|\\.\\.|to)\\s*(\\d{4})");

    /**
     * Parses {@code YYYY-MM-DD}, {@code YYYY} or {@code YYYY..YYYY} (also {@code YYYY-YYYY},
     * {@code YYYY to YYYY}).
     *
     * @throws IllegalArgumentException with a message naming the bad value
     */
    static BirthDate parse(String s) {
        String v = s == null ? "" : s.strip();
        if (YEAR.matcher(v).matches()) {
            return new Year(plausibleYear(Integer.parseInt(v), s));
        }
        Matcher r = RANGE.matcher(v);
        if (r.matches()) {
            return new Range(plausibleYear(Integer.parseInt(r.group(1)), s), plausibleYear(Integer.parseInt(r.group(2)), s));
        }
        try {
            LocalDate d = LocalDate.parse(v);
            plausibleYear(d.getYear(), s);
            return new Full(d);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("invalid birth date '" + s + "' (expected YYYY-MM-DD, YYYY or YYYY..YYYY)");
        }
    }

    private static int plausibleYear(int year, String original) {
        if (year < 1850 || year > 2100) {
            throw new IllegalArgumentException("invalid birth date '" + original + "': year " + year + " is out of range");
        }
        return year;
    }
}
