package org.entente.node.policy;

import java.util.Locale;
import java.util.Optional;
import org.entente.stix.Tlp;

/**
 * TLP 2.0 levels in increasing order of restriction. TLP 1.0 markings map to their 2.0
 * counterparts (WHITE is CLEAR). {@link #UNMARKED} is an object without TLP marking.
 */
public enum TlpLevel {
    UNMARKED, CLEAR, GREEN, AMBER, AMBER_STRICT, RED;

    public String wire() {
        return this == AMBER_STRICT ? "amber+strict" : name().toLowerCase(Locale.ROOT);
    }

    public String label() {
        return this == UNMARKED ? "no TLP marking" : "TLP:" + wire().toUpperCase(Locale.ROOT);
    }

    /** A ceiling as an agreement writes it ("amber", "AMBER+STRICT", "TLP:GREEN", "white"). */
    public static Optional<TlpLevel> parse(String s) {
        if (s == null) return Optional.empty();
        String k = s.trim().toLowerCase(Locale.ROOT);
        if (k.startsWith("tlp:")) k = k.substring(4);
        return switch (k) {
            case "clear", "white" -> Optional.of(CLEAR);
            case "green" -> Optional.of(GREEN);
            case "amber" -> Optional.of(AMBER);
            case "amber+strict", "amber-strict", "amber_strict" -> Optional.of(AMBER_STRICT);
            case "red" -> Optional.of(RED);
            default -> Optional.empty();
        };
    }

    /** The level of a standard TLP marking-definition id; empty for any other id. */
    public static Optional<TlpLevel> ofMarking(String markingId) {
        return Tlp.level(markingId).flatMap(TlpLevel::parse);
    }

    public boolean atMost(TlpLevel ceiling) {
        return ordinal() <= ceiling.ordinal();
    }
}
