package org.entente.node.partners;

import java.util.Optional;
import org.entente.node.common.Vocabulary;

/** What kind of agency an organisation is. */
public enum Sector {
    CYBERCRIME, CERT, COUNTER_TERRORISM, POLICE, BORDER, CUSTOMS, FINANCIAL_INTELLIGENCE, JUDICIAL, INTELLIGENCE,
    MINISTRY, OTHER;

    public String wire() {
        return Vocabulary.wire(this);
    }

    public static Optional<Sector> parse(String s) {
        return Vocabulary.parse(Sector.class, s);
    }

    public static String choices() {
        return Vocabulary.choices(values());
    }
}
