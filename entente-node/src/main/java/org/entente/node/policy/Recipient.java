package org.entente.node.policy;

/**
 * Who receives: an organisation, and the user acting for it when a person reads (null for a
 * partner node's sync or an organisation-level question such as a policy report).
 *
 * @param agreementId when not null, the one agreement the release is decided under (a partner
 *     node's sync of a collection offered under that agreement); null: any agreement binding both
 */
public record Recipient(String organisationId, String username, String agreementId) {
    public Recipient(String organisationId, String username) {
        this(organisationId, username, null);
    }

    public static Recipient organisation(String id) {
        return new Recipient(id, null, null);
    }

    /** A partner's node syncing a collection offered to it under {@code agreementId}. */
    public static Recipient node(String organisationId, String agreementId) {
        return new Recipient(organisationId, null, agreementId);
    }
}
