package org.entente.node.partners;

import java.util.Optional;
import org.entente.node.policy.Vocabulary;
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
        return Vocabulary.wire(this);
    }

    public static Optional<Role> parse(String s) {
        return Vocabulary.parse(Role.class, s);
    }

    public static String choices() {
        return Vocabulary.choices(values());
    }
}
