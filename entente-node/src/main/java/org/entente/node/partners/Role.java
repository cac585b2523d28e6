package org.entente.node.partners;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.entente.node.policy.Purpose;

/**
 * What a user does. The role decides the purpose a request is made for when the caller does not
 * declare one: an officer at the border screens for border control, an analyst analyses.
 */
public enum Role {
    ANALYST(Purpose.INTELLIGENCE_ANALYSIS),
    BORDER_OFFICER(Purpose.BORDER_CONTROL),
    LIAISON_OFFICER(Purpose.INVESTIGATION),
    SUPERVISOR(Purpose.INVESTIGATION),
    ADMINISTRATOR(Purpose.INTELLIGENCE_ANALYSIS),
    AUDITOR(null);

    private final Purpose defaultPurpose;

    Role(Purpose defaultPurpose) {
        this.defaultPurpose = defaultPurpose;
    }

    /** The purpose assumed when a request declares none; empty for roles that read no intelligence. */
    public Optional<Purpose> defaultPurpose() {
        return Optional.ofNullable(defaultPurpose);
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Role> parse(String s) {
        if (s == null) return Optional.empty();
        String k = s.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return Arrays.stream(values()).filter(v -> v.name().equals(k)).findFirst();
    }

    public static String choices() {
        return Arrays.stream(values()).map(Role::wire).collect(Collectors.joining(", "));
    }
}
