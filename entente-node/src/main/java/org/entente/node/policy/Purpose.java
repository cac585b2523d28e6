package org.entente.node.policy;

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
}
