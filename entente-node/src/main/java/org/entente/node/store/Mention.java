package org.entente.node.store;

import java.time.Instant;

/**
 * An object version, in a collection, that mentions an observable value (kind and value as stored),
 * with what the policy needs to decide whether the asker may learn of it.
 */
public record Mention(String objectId, String type, Instant version, String collectionId, String kind, String value,
        Integer facts, Integer latestFacts, String json, String providerId, String agreementId) {}
