package org.entente.screening;

import java.util.Locale;

public enum Gender {
    MALE, FEMALE, UNKNOWN;

    /** Accepts male/female/m/f in any case; anything else blank is unknown, anything else an error. */
    public static Gender parse(String s) {
        if (s == null || s.isBlank()) {
            return UNKNOWN;
        }
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "m", "male" -> MALE;
            case "f", "female" -> FEMALE;
            case "u", "unknown", "x", "<" -> UNKNOWN;
            default -> throw new IllegalArgumentException("unknown gender '" + s + "' (expected male, female or unknown)");
        };
    }
}
