package org.entente.node.common;

/**
 * A request the node will not consider at all (an unknown purpose, an organisation the caller does
 * not belong to, a partner writing into another's collection), as opposed to a decision about an
 * object. Whoever refuses may have audited it already; otherwise the HTTP layer does.
 */
public final class Refusal extends RuntimeException {
    public final int status;
    public final String title;
    public final String rule;
    private final boolean audited;

    public Refusal(int status, String title, String rule, String description) {
        this(status, title, rule, description, false);
    }

    private Refusal(int status, String title, String rule, String description, boolean audited) {
        super(description);
        this.status = status;
        this.title = title;
        this.rule = rule;
        this.audited = audited;
    }

    /** The same refusal, marked as already in the audit log. */
    public Refusal audited() {
        return audited ? this : new Refusal(status, title, rule, getMessage(), true);
    }

    public boolean wasAudited() {
        return audited;
    }
}
