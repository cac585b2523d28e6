package org.entente.screening.names;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How similar two names are, and why.
 *
 * @param score      in [0, 1]
 * @param pairs      which word met which, by which rule
 * @param unmatchedA words of the first name that met nothing
 * @param unmatchedB words of the second name that met nothing
 * @param notes      what the analysis did (honorifics dropped, transliteration, ...)
 */
public record NameMatch(double score, List<Pair> pairs, List<String> unmatchedA, List<String> unmatchedB,
                        List<String> notes) {

    public static final NameMatch NONE = new NameMatch(0, List.of(), List.of(), List.of(), List.of());

    public NameMatch {
        pairs = List.copyOf(pairs);
        unmatchedA = List.copyOf(unmatchedA);
        unmatchedB = List.copyOf(unmatchedB);
        notes = List.copyOf(notes);
    }

    /** One word of each name that were paired. */
    public record Pair(String a, String b, double score, String rule) {
    }

    /** A sentence an officer can read. */
    public String explain() {
        List<String> parts = new ArrayList<>();
        for (Pair p : pairs) {
            parts.add(p.a + " ~ " + p.b + " (" + p.rule + ", " + String.format(Locale.ROOT, "%.2f", p.score) + ")");
        }
        if (!unmatchedA.isEmpty()) {
            parts.add("unmatched in query: " + String.join(" ", unmatchedA));
        }
        if (!unmatchedB.isEmpty()) {
            parts.add("unmatched in listed name: " + String.join(" ", unmatchedB));
        }
        parts.addAll(notes);
        return String.join("; ", parts);
    }
}
