package org.entente.node.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How data leaves: read by a person or tool, received by a partner node's sync, exported, or answered to a query. */
public enum Action {
    READ, SYNC, EXPORT, QUERY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Action> parse(String s) {
        if (s == null) return Optional.empty();
        String k = s.trim().toUpperCase(Locale.ROOT);
        if (k.equals("RECEIVE")) return Optional.of(SYNC);
        return Arrays.stream(values()).filter(v -> v.name().equals(k)).findFirst();
    }
}
