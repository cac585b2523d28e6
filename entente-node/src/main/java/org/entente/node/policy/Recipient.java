package org.entente.node.policy;

/**
 * Who receives: an organisation, and the user acting for it when a person reads (null for a
 * partner node's sync or an organisation-level question such as a policy report).
 */
public record Recipient(String organisationId, String username) {
    public static Recipient organisation(String id) {
        return new Recipient(id, null);
    }
}
