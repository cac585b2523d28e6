package org.entente.node.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps as TAXII shows them, at PostgreSQL's microsecond precision. */
public final class Timestamps {
    private Timestamps() {}

    private static final DateTimeFormatter MILLIS = formatter(3);
    private static final DateTimeFormatter MICROS = formatter(6);

    private static DateTimeFormatter formatter(int digits) {
        return new DateTimeFormatterBuilder()
                .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
                .appendFraction(ChronoField.MICRO_OF_SECOND, digits, digits, true)
                .appendLiteral('Z')
                .toFormatter()
                .withZone(ZoneOffset.UTC);
    }

    /** Milliseconds when they suffice (as STIX producers write modified), microseconds otherwise. */
    public static String format(Instant t) {
        return (t.getNano() % 1_000_000 == 0 ? MILLIS : MICROS).format(t);
    }

    /** Always six fractional digits, so that date_added values of one collection also sort as text. */
    public static String formatMicros(Instant t) {
        return MICROS.format(t);
    }

    /**
     * Parses an RFC 3339 timestamp (any offset); null when the text is not one, or names a year
     * outside 0001–9999 (RFC 3339 has four-digit years, and PostgreSQL has no year 0).
     */
    public static Instant parse(String text) {
        if (text == null) return null;
        try {
            OffsetDateTime t = OffsetDateTime.parse(text.trim());
            Instant utc = t.toInstant();
            int year = utc.atOffset(java.time.ZoneOffset.UTC).getYear();
            return year < 1 || year > 9999 || t.getYear() < 1 || t.getYear() > 9999 ? null : utc;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    static OffsetDateTime sql(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    static Instant read(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
