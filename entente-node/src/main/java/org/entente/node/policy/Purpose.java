package org.entente.node.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Why data is asked for. Agreements permit purposes; every request declares one and it is recorded. */
public enum Purpose {
    PREVENTION, DETECTION, INVESTIGATION, PROSECUTION, BORDER_CONTROL, INTELLIGENCE_ANALYSIS;

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Purpose> parse(String s) {
        if (s == null) return Optional.empty();
        String k = s.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return Arrays.stream(values()).filter(v -> v.name().equals(k)).findFirst();
    }

    public static String choices() {
        return Arrays.stream(values()).map(Purpose::wire).collect(Collectors.joining(", "));
    }
}
