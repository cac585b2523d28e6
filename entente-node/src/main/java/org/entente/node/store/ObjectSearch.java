package org.entente.node.store;

import java.time.Instant;
import java.util.List;

/**
 * What a person looks for among the latest versions of the objects of some collections: a value
 * they mention (as the look-up finds it), types, a pattern of the packed policy facts (the store
 * applies {@code (facts & factsMask) = factsValue} without knowing what the bits mean), and when
 * they arrived. Null and empty fields do not filter.
 */
public record ObjectSearch(List<String> collectionIds, String value, List<String> types, Integer factsMask,
        Integer factsValue, Instant addedFrom, Instant addedUntil, int limit) {
    public ObjectSearch {
        collectionIds = List.copyOf(collectionIds);
        types = List.copyOf(types);
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
        if ((factsMask == null) != (factsValue == null)) throw new IllegalArgumentException("mask and value go together");
    }
}
