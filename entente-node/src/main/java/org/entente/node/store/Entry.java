package org.entente.node.store;

import java.time.Instant;

/**
 * One object version in a collection.
 *
 * @param facts its packed policy facts; null for rows stored before they existed
 * @param latestFacts the facts of the newest version of the same object in the collection (they bind every version)
 * @param json null when only the manifest was asked for, unless the policy needs it to decide (TLP:RED, unknown facts)
 */
public record Entry(String id, Instant version, Instant dateAdded, String specVersion, Integer facts,
        Integer latestFacts, String json) {}
