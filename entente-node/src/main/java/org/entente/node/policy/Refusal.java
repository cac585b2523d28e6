package org.entente.node.policy;

/**
 * A request the policy will not consider at all (an unknown purpose, an organisation the caller
 * does not belong to, an account of no organisation), as opposed to a decision about an object.
 */
public final class Refusal extends RuntimeException {
    public final int status;
    public final String title;
    public final String rule;

    public Refusal(int status, String title, String rule, String description) {
        super(description);
        this.status = status;
        this.title = title;
        this.rule = rule;
    }
}
