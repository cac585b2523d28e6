package org.entente.node.store;

import java.time.Instant;

/**
 * A TAXII collection.
 *
 * @param providerId the organisation its content came from; null for this node's own intelligence
 * @param agreementId the agreement its content was received under; null for own intelligence
 */
public record CollectionInfo(String id, String alias, String title, String description, Instant created,
        String providerId, String agreementId) {
    public CollectionInfo(String id, String alias, String title, String description, Instant created) {
        this(id, alias, title, description, created, null, null);
    }
}
