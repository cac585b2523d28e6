package org.entente.node.policy;

import java.util.Optional;
import org.entente.node.common.Vocabulary;

/** How urgent a request for assistance is; an agreement sets the answer deadline of each. */
public enum Urgency {
    ROUTINE, URGENT, THREAT_TO_LIFE;

    public String wire() {
        return Vocabulary.wire(this);
    }

    public static Optional<Urgency> parse(String s) {
        return Vocabulary.parse(Urgency.class, s);
    }

    public static String choices() {
        return Vocabulary.choices(values());
    }
}
