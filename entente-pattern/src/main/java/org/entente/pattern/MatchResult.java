package org.entente.pattern;

import java.util.List;

/**
 * Whether a pattern matched and, if so, the observed-data of the first binding found: their ids
 * ({@code observedDataRefs}, bare SCOs have none) and their positions in the {@link ObservationSet}.
 */
public record MatchResult(boolean matched, List<String> observedDataRefs, List<Integer> observationIndices) {
    static final MatchResult NO_MATCH = new MatchResult(false, List.of(), List.of());

    public MatchResult {
        observedDataRefs = List.copyOf(observedDataRefs);
        observationIndices = List.copyOf(observationIndices);
    }
}
