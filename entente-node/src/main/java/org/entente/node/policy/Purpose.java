package org.entente.node.policy;

import org.entente.node.common.Vocabulary;
import org.entente.node.users.Role;
import java.util.Optional;

/** Why data is asked for. Agreements permit purposes; every request declares one and it is recorded. */
public enum Purpose {
    PREVENTION, DETECTION, INVESTIGATION, PROSECUTION, BORDER_CONTROL, INTELLIGENCE_ANALYSIS;

    public String wire() {
        return Vocabulary.wire(this);
    }

    public static Optional<Purpose> parse(String s) {
        return Vocabulary.parse(Purpose.class, s);
    }

    public static String choices() {
        return Vocabulary.choices(values());
    }

    /**
     * The purpose a request of a user in this role is made for when it declares none: an officer at
     * the border screens for border control, an analyst analyses; an auditor reads no intelligence.
     */
    public static Optional<Purpose> defaultFor(Role role) {
        return Optional.ofNullable(switch (role) {
            case ANALYST, ADMINISTRATOR -> INTELLIGENCE_ANALYSIS;
            case BORDER_OFFICER -> BORDER_CONTROL;
            case LIAISON_OFFICER, SUPERVISOR -> INVESTIGATION;
            case AUDITOR -> null;
        });
    }
}
