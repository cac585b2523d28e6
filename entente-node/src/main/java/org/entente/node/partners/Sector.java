package org.entente.node.partners;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What kind of agency an organisation is. */
public enum Sector {
    CYBERCRIME, CERT, COUNTER_TERRORISM, POLICE, BORDER, CUSTOMS, FINANCIAL_INTELLIGENCE, JUDICIAL, INTELLIGENCE,
    MINISTRY, OTHER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Sector> parse(String s) {
        if (s == null) return Optional.empty();
        String k = s.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return Arrays.stream(values()).filter(v -> v.name().equals(k)).findFirst();
    }

    public static String choices() {
        return Arrays.stream(values()).map(Sector::wire).collect(Collectors.joining(", "));
    }
}
