package org.entente.screening;

/** What a watchlist entry describes. */
public enum Kind {
    PERSON, ENTITY, DOCUMENT, VEHICLE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code person}, {@code entity}, {@code document} or {@code vehicle}. */
    public static Kind parse(String s) {
        for (Kind k : values()) {
            if (k.label().equalsIgnoreCase(s.strip())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + s + "' (expected person, entity, document or vehicle)");
    }
}
