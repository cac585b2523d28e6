package org.entente.node.policy;

import java.util.List;

/**
 * An object as the decision point sees it.
 *
 * @param facts its packed {@link ObjectFacts}
 * @param providerId the organisation that provided it; null for the node's own intelligence
 * @param viaAgreementId the agreement it was received under; null for own intelligence
 * @param redRecipients for TLP:RED objects, the named recipients (organisation ids, {@code user:NAME})
 * @param objectId its STIX id, for consents given for one object; null when unknown (a report over groups)
 */
public record Subject(int facts, String providerId, String viaAgreementId, List<String> redRecipients, String objectId) {
    /** Property in which a producer names the recipients of a TLP:RED object. */
    public static final String RED_RECIPIENTS = "x_entente_red_recipients";

    public Subject {
        redRecipients = redRecipients == null ? List.of() : List.copyOf(redRecipients);
    }

    public Subject(int facts, String providerId, String viaAgreementId, List<String> redRecipients) {
        this(facts, providerId, viaAgreementId, redRecipients, null);
    }

    public static Subject own(int facts) {
        return new Subject(facts, null, null, List.of(), null);
    }
}
