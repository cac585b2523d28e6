package org.entente.screening;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.entente.screening.documents.DocumentNumbers;
import org.entente.screening.names.AnalysedName;
import org.entente.screening.names.NameAnalyser;
import org.entente.screening.names.NameMatch;
import org.entente.screening.names.NameMatcher;

/**
 * Turns a name similarity and the other facts of a query into one score per entry, and says
 * why. Corroborating facts raise the score a little; contradicting ones lower it more, since a
 * namesake born twenty years apart is the commonest false hit.
 */
final class Scoring {

    static final double BIRTH_DATE_SAME = 0.05;
    static final double BIRTH_YEAR_SAME = 0.03;
    static final double BIRTH_DATE_DIFFERS = -0.15;
    /** Years of difference still read as a recording error rather than a different person. */
    static final int BIRTH_YEAR_TOLERANCE = 2;
    /**
     * A year or two apart: most often another person, sometimes a recording error. Among hundreds
     * of namesakes, the one born in the query's year must come before those born a year later.
     */
    static final double BIRTH_YEAR_NEAR = -0.03;
    static final double NATIONALITY_SAME = 0.02;
    static final double NATIONALITY_DIFFERS = -0.05;
    static final double GENDER_DIFFERS = -0.10;
    /** How much of a document match carries into the score when the name matched too. */
    static final double DOCUMENT_WEIGHT = 0.9;

    private Scoring() {
    }

    /**
     * The score alone, for ranking candidates: no explanation is built, and it is not cut at 1, so
     * that a respelt name with the same date of birth ranks before the exact name of a namesake.
     */
    static double value(Query q, Entry e, NameMatch name, int ordinal) {
        return compute(q, e, name, ordinal, null);
    }

    /**
     * The hit with its explanation. The name is compared again from the full analysis so that the
     * explanation names the words as written; the score is the same as {@link #value}.
     *
     * @param queryName the query's name analysed for the entry's kind
     */
    static Hit hit(Query q, AnalysedName queryName, Entry e, int ordinal, boolean byName, NameMatcher matcher,
                   Thresholds thresholds) {
        NameMatch name = null;
        if (byName && ordinal >= 0 && ordinal < e.names().size()) {
            name = matcher.compare(queryName, NameAnalyser.analyse(e.names().get(ordinal).text(), e.kind()));
        }
        List<String> why = new ArrayList<>();
        double score = Math.max(0, Math.min(1, compute(q, e, name, ordinal, why)));
        why.add("listed on " + e.listing().list() + (e.listing().owner().isEmpty() ? "" : " by " + e.listing().owner())
                + (e.listing().reference().isEmpty() ? "" : ", reference " + e.listing().reference()));
        return new Hit(e, score, score >= thresholds.of(e.listing().list(), e.kind()), why);
    }

    /** The score; the reasons go to {@code why} unless it is null. */
    private static double compute(Query q, Entry e, NameMatch name, int ordinal, List<String> why) {
        double score = 0;
        if (name != null && ordinal >= 0) {
            score = name.score();
            if (why != null) {
                why.add("name " + fmt(score) + ": \"" + q.name() + "\" ~ \"" + e.names().get(ordinal).text() + "\" ("
                        + e.names().get(ordinal).quality().name().toLowerCase(Locale.ROOT).replace('_', ' ') + "): "
                        + name.explain());
            }
        }
        DocumentNumbers.Match doc = documentMatch(q, e);
        if (doc.score() > 0) {
            if (why != null) {
                why.add("document " + fmt(doc.score()) + ": " + doc.rule());
            }
            score = name == null ? doc.score() : 1 - (1 - score) * (1 - doc.score() * DOCUMENT_WEIGHT);
        }
        if (e instanceof Entry.TravelDocument d && why != null) {
            why.add(d.label() + (d.reported() == null ? "" : ", reported " + d.reported()));
        }
        if (e instanceof Entry.Person p) {
            score += birthDate(q, p, why) + nationality(q, p, why) + gender(q, p, why);
        }
        return score;
    }

    private static DocumentNumbers.Match documentMatch(Query q, Entry e) {
        DocumentNumbers.Match best = DocumentNumbers.Match.NONE;
        List<String> numbers = new ArrayList<>();
        String query = null;
        if (q.document() != null && !q.document().isBlank()) {
            query = q.document();
            switch (e) {
                case Entry.Person p -> p.documents().forEach(d -> numbers.add(d.number()));
                case Entry.Entity en -> en.registrations().forEach(d -> numbers.add(d.number()));
                case Entry.TravelDocument d -> numbers.add(d.number());
                case Entry.Vehicle v -> { }
            }
        }
        for (String n : numbers) {
            DocumentNumbers.Match m = DocumentNumbers.compare(query, n);
            if (m.score() > best.score()) {
                best = m;
            }
        }
        if (q.vehicle() != null && e instanceof Entry.Vehicle v) {
            for (String n : new String[] {v.plate(), v.vin()}) {
                DocumentNumbers.Match m = DocumentNumbers.compare(q.vehicle(), n);
                if (m.score() > best.score()) {
                    best = new DocumentNumbers.Match(m.score(), (n.equals(v.plate()) ? "plate: " : "VIN: ") + m.rule());
                }
            }
        }
        return best;
    }

    private static double birthDate(Query q, Entry.Person p, List<String> why) {
        if (q.birthDate() == null || p.birthDates().isEmpty()) {
            return 0;
        }
        BirthDate qd = q.birthDate();
        int closest = Integer.MAX_VALUE;
        boolean otherDay = false;
        for (BirthDate d : p.birthDates()) {
            if (qd instanceof BirthDate.Full qf && d instanceof BirthDate.Full df) {
                if (qf.date().equals(df.date())) {
                    if (why != null) why.add("date of birth " + qf + " matches (+" + fmt(BIRTH_DATE_SAME) + ")");
                    return BIRTH_DATE_SAME;
                }
                // two full dates of one year: another day is another person unless day and month were swapped
                boolean swapped = qf.date().getYear() == df.date().getYear()
                        && qf.date().getDayOfMonth() == df.date().getMonthValue() && qf.date().getMonthValue() == df.date().getDayOfMonth();
                if (qf.date().getYear() == df.date().getYear() && !swapped) {
                    otherDay = true;
                    continue;
                }
            }
            int gap = Math.max(0, Math.max(qd.firstYear() - d.lastYear(), d.firstYear() - qd.lastYear()));
            closest = Math.min(closest, gap);
        }
        if (closest == 0) {
            if (why != null) why.add("year of birth " + qd + " fits listed " + p.birthDates() + " (+" + fmt(BIRTH_YEAR_SAME) + ")");
            return BIRTH_YEAR_SAME;
        }
        if (otherDay) {
            if (why != null) why.add("date of birth " + qd + " is another day of the year of listed " + p.birthDates() + " (no change)");
            return 0;
        }
        if (closest <= BIRTH_YEAR_TOLERANCE) {
            if (why != null) why.add("year of birth " + qd + " is " + closest + " from listed " + p.birthDates() + " ("
                    + fmt(BIRTH_YEAR_NEAR) + ")");
            return BIRTH_YEAR_NEAR;
        }
        if (why != null) why.add("date of birth " + qd + " differs from listed " + p.birthDates() + " (" + fmt(BIRTH_DATE_DIFFERS) + ")");
        return BIRTH_DATE_DIFFERS;
    }

    private static double nationality(Query q, Entry.Person p, List<String> why) {
        if (q.nationality() == null || p.nationalities().isEmpty()) {
            return 0;
        }
        if (p.nationalities().contains(q.nationality())) {
            if (why != null) why.add("nationality " + q.nationality() + " matches (+" + fmt(NATIONALITY_SAME) + ")");
            return NATIONALITY_SAME;
        }
        if (why != null) why.add("nationality " + q.nationality() + " differs from listed " + p.nationalities() + " (" + fmt(NATIONALITY_DIFFERS) + ")");
        return NATIONALITY_DIFFERS;
    }

    private static double gender(Query q, Entry.Person p, List<String> why) {
        if (q.gender() == Gender.UNKNOWN || p.gender() == Gender.UNKNOWN || q.gender() == p.gender()) {
            return 0;
        }
        if (why != null) why.add("gender " + q.gender().name().toLowerCase(Locale.ROOT) + " differs from listed "
                + p.gender().name().toLowerCase(Locale.ROOT) + " (" + fmt(GENDER_DIFFERS) + ")");
        return GENDER_DIFFERS;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
