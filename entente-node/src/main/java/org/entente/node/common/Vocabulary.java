package org.entente.node.common;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The closed vocabularies of agreements (purposes, categories, sectors, roles) are enums written
 * in lower case with hyphens on the wire ("border-control"), and read back leniently as people
 * type them ("Border Control", "BORDER_CONTROL").
 */
public final class Vocabulary {
    private Vocabulary() {}

    public static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String s) {
        if (s == null) return Optional.empty();
        String k = s.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return Arrays.stream(type.getEnumConstants()).filter(v -> v.name().equals(k)).findFirst();
    }

    public static String choices(Enum<?>[] values) {
        return Arrays.stream(values).map(Vocabulary::wire).collect(Collectors.joining(", "));
    }
}
