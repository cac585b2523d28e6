package org.entente.node.requests;

import java.util.Optional;
import org.entente.node.common.Vocabulary;

/** Where a request for assistance stands, the same at both ends once their messages have crossed. */
public enum RequestState {
    DRAFT, SENT, RECEIVED, ACKNOWLEDGED, IN_PROGRESS, PARTIALLY_ANSWERED, ANSWERED, REFUSED, WITHDRAWN;

    public String wire() {
        return Vocabulary.wire(this);
    }

    public static Optional<RequestState> parse(String s) {
        return Vocabulary.parse(RequestState.class, s);
    }

    public static String choices() {
        return Vocabulary.choices(values());
    }

    /** Still waiting for something: neither answered in full, refused nor withdrawn. */
    public boolean open() {
        return this != ANSWERED && this != REFUSED && this != WITHDRAWN;
    }
}
