package org.entente.screening;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What besides the name tells namesakes apart: date of birth, nationality and gender. The index
 * keeps them packed in one {@code long} per entry, so that among thousands of namesakes the
 * candidates compared in full are those that agree with the query, and it keys the postings of
 * common name words by them (Muhammad born in 1975), so that such namesakes are reached at all.
 */
final class Identity {

    private Identity() {
    }

    /** Years of birth a listed range may span and still be keyed year by year; wider ranges say little. */
    static final int KEYED_SPAN = 10;
    /** Widest span of years a query's date of birth is looked up over, tolerance included. */
    static final int QUERY_SPAN = 15;
    private static final int FIRST_YEAR = 1850;
    private static final String[] COUNTRIES = sortedCountries();

    private static String[] sortedCountries() {
        String[] c = Locale.getISOCountries();
        Arrays.sort(c);
        return c;
    }

    // bits: 0-7 first year, 8-15 last year (each - 1850 + 1, 0 unknown), 16-24 month * 32 + day of the
    // first full date, 25-32 and 33-40 two nationalities (index + 1), 41-42 gender
    static long pack(Entry e) {
        if (!(e instanceof Entry.Person p)) {
            return 0;
        }
        long v = 0;
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        int monthDay = 0;
        for (BirthDate d : p.birthDates()) {
            first = Math.min(first, d.firstYear());
            last = Math.max(last, d.lastYear());
            if (monthDay == 0 && d instanceof BirthDate.Full f) {
                monthDay = f.date().getMonthValue() * 32 + f.date().getDayOfMonth();
            }
        }
        if (first != Integer.MAX_VALUE) {
            v |= year(first) | (long) year(last) << 8;
        }
        v |= (long) monthDay << 16;
        List<String> nat = p.nationalities();
        if (!nat.isEmpty()) {
            v |= (long) country(nat.getFirst()) << 25;
        }
        if (nat.size() > 1) {
            v |= (long) country(nat.get(1)) << 33;
        }
        v |= (long) Identity.gender(p.gender()) << 41;
        return v;
    }

    private static int gender(Gender g) {
        return switch (g) {
            case MALE -> 1;
            case FEMALE -> 2;
            case UNKNOWN -> 0;
        };
    }

    private static int year(int y) {
        return y < FIRST_YEAR || y > FIRST_YEAR + 254 ? 0 : y - FIRST_YEAR + 1;
    }

    private static int country(String code) {
        int i = Arrays.binarySearch(COUNTRIES, code);
        return i < 0 ? 0 : i + 1;
    }

    /** Facet of the persons whose year of birth is not known, or too vague to key. */
    static final String NO_YEAR = "y?";
    static final String NO_NATIONALITY = "n?";
    static final String NO_GENDER = "g?";
    private static final String[] YEARS = new String[256];

    static {
        for (int i = 0; i < YEARS.length; i++) {
            YEARS[i] = ("y" + (FIRST_YEAR + i)).intern();
        }
    }

    private static String yearFacet(int y) {
        return y >= FIRST_YEAR && y < FIRST_YEAR + YEARS.length ? YEARS[y - FIRST_YEAR] : "y" + y;
    }

    /**
     * The facts of a listed person under which its common name words are keyed: each year of
     * birth (a range only when at most {@link #KEYED_SPAN} years wide), each nationality, the
     * gender; and where one is not known, that it is not ({@link #NO_YEAR}), so that a query
     * with it reaches those persons too, who do not contradict it.
     */
    static List<String> facets(Entry e) {
        if (!(e instanceof Entry.Person p)) {
            return List.of();
        }
        List<String> out = new ArrayList<>(4);
        for (BirthDate d : p.birthDates()) {
            if (d.lastYear() - d.firstYear() <= KEYED_SPAN) {
                for (int y = d.firstYear(); y <= d.lastYear(); y++) {
                    String f = yearFacet(y);
                    if (!out.contains(f)) {
                        out.add(f);
                    }
                }
            }
        }
        if (out.isEmpty()) {
            out.add(NO_YEAR);
        }
        for (String n : p.nationalities()) {
            out.add(("n" + n).intern());
        }
        if (p.nationalities().isEmpty()) {
            out.add(NO_NATIONALITY);
        }
        out.add(switch (p.gender()) {
            case MALE -> "gM";
            case FEMALE -> "gF";
            case UNKNOWN -> NO_GENDER;
        });
        return out;
    }

    /** A query's facts, or null when it has none: then nothing changes for it. */
    record Wanted(int firstYear, int lastYear, int monthDay, int nationality, int gender, List<String> facets) {

        static Wanted of(Query q) {
            BirthDate d = q.birthDate();
            if (d == null && q.nationality() == null && q.gender() == Gender.UNKNOWN) {
                return null;
            }
            int monthDay = d instanceof BirthDate.Full f ? f.date().getMonthValue() * 32 + f.date().getDayOfMonth() : 0;
            // The facets looked up, the most telling kind only: years of birth (the query's own first,
            // then those within the tolerance, nearest first), else the nationality, else the gender.
            List<String> facets = new ArrayList<>();
            if (d != null && d.lastYear() - d.firstYear() + 2 * Scoring.BIRTH_YEAR_TOLERANCE < QUERY_SPAN) {
                for (int y = d.firstYear(); y <= d.lastYear(); y++) {
                    facets.add(yearFacet(y));
                }
                for (int k = 1; k <= Scoring.BIRTH_YEAR_TOLERANCE; k++) {
                    facets.add(yearFacet(d.firstYear() - k));
                    facets.add(yearFacet(d.lastYear() + k));
                }
                facets.add(NO_YEAR);
            } else if (q.nationality() != null) {
                facets.add("n" + q.nationality());
                facets.add(NO_NATIONALITY);
            } else if (q.gender() != Gender.UNKNOWN) {
                facets.add(q.gender() == Gender.MALE ? "gM" : "gF");
                facets.add(NO_GENDER);
            }
            return new Wanted(d == null ? 0 : d.firstYear(), d == null ? 0 : d.lastYear(), monthDay,
                    q.nationality() == null ? 0 : country(q.nationality()), Identity.gender(q.gender()),
                    List.copyOf(facets));
        }

        /**
         * What {@link Scoring} will add for these facts, from the packed form: the date of birth
         * (same date, same year, within the tolerance, or contradicting), nationality, gender.
         */
        double adjustment(long packed) {
            double a = 0;
            int first = (int) (packed & 0xFF);
            if (firstYear != 0 && first != 0) {
                int lf = first - 1 + FIRST_YEAR;
                int ll = (int) (packed >>> 8 & 0xFF) - 1 + FIRST_YEAR;
                int gap = Math.max(0, Math.max(firstYear - ll, lf - lastYear));
                int md = (int) (packed >>> 16 & 0x1FF);
                if (gap == 0) {
                    boolean bothFull = monthDay != 0 && md != 0 && lf == ll && firstYear == lastYear;
                    boolean swapped = bothFull && md == (monthDay % 32) * 32 + monthDay / 32;
                    a += !bothFull || swapped ? Scoring.BIRTH_YEAR_SAME : md == monthDay ? Scoring.BIRTH_DATE_SAME : 0;
                } else if (gap > Scoring.BIRTH_YEAR_TOLERANCE) {
                    a += Scoring.BIRTH_DATE_DIFFERS;
                } else {
                    a += Scoring.BIRTH_YEAR_NEAR;
                }
            }
            int n1 = (int) (packed >>> 25 & 0xFF);
            if (nationality != 0 && n1 != 0) {
                a += n1 == nationality || (packed >>> 33 & 0xFF) == nationality ? Scoring.NATIONALITY_SAME : Scoring.NATIONALITY_DIFFERS;
            }
            int g = (int) (packed >>> 41 & 3);
            if (gender != 0 && g != 0 && g != gender) {
                a += Scoring.GENDER_DIFFERS;
            }
            return a;
        }

        /** The most {@link #adjustment} can add. */
        static double mostAdded() {
            return Scoring.BIRTH_DATE_SAME + Scoring.NATIONALITY_SAME;
        }
    }
}
