package org.entente.node.policy;

/**
 * The answer of the decision point for one object, one recipient, one purpose and one action: the
 * rule that decided, the agreement it applied (null when none did) and a reason a person can read.
 */
public sealed interface Decision {
    String rule();

    String agreementId();

    String reason();

    default boolean permitted() {
        return this instanceof Permit;
    }

    record Permit(String rule, String agreementId, String reason) implements Decision {}

    record Deny(String rule, String agreementId, String reason) implements Decision {}
}
