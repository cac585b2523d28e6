package org.entente.screening;

import java.util.List;

/**
 * One entry found for a query.
 *
 * @param score       in [0, 1]
 * @param match       whether the score reaches the threshold of the entry's list
 * @param explanation which query value met which listed value by which rule, and what raised or
 *                    lowered the score, one line each
 */
public record Hit(Entry entry, double score, boolean match, List<String> explanation) {
    public Hit {
        explanation = List.copyOf(explanation);
    }

    public String explain() {
        return String.join("; ", explanation);
    }
}
