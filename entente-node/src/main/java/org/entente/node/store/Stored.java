package org.entente.node.store;

import java.time.Instant;

/**
 * A stored object version with where it is held: its collection and that collection's provenance,
 * which the policy needs to decide whether it may be shown.
 *
 * @param providerId the provider of the collection; null for the node's own intelligence
 * @param facts its packed policy facts; null for rows stored before they existed
 * @param latestFacts the facts of the newest version of the object in the collection
 */
public record Stored(String collectionId, String providerId, String agreementId, String id, String type,
        Instant version, Instant dateAdded, Integer facts, Integer latestFacts, String json) {}
