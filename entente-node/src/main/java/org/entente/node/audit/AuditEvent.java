package org.entente.node.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One thing worth answering for later: who did what, on behalf of which organisation, with the
 * particulars in {@code detail} (JSON values: strings, numbers, booleans, null, lists, maps).
 *
 * <p>Kinds are open-ended lower-case words so that a new feature can log a new kind without a
 * schema change; the constants below are the ones the node uses.
 */
public record AuditEvent(String kind, String actor, String organisation, Map<String, Object> detail) {

    public static final String LOGIN = "login";
    public static final String LOGIN_FAILED = "login-failed";
    /** A policy decision that let data out. */
    public static final String RELEASE = "release";
    /** A policy decision that withheld data. */
    public static final String DENY = "deny";
    public static final String REJECTED_REQUEST = "rejected-request";
    public static final String ORGANISATION_CHANGE = "organisation-change";
    public static final String AGREEMENT_CHANGE = "agreement-change";
    public static final String USER_CHANGE = "user-change";
    public static final String PURGE = "purge";

    /** The actor of what the node does on its own (expiry, purges, scheduled jobs). */
    public static final String SYSTEM = "system";

    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    public AuditEvent {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("an audit kind is 1 to 63 lower-case letters, digits and '-'"
                    + " starting with a letter, not " + (kind == null ? "nothing" : "'" + kind + "'"));
        }
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("an audit event needs an actor (a user name or '" + SYSTEM + "')");
        }
        if (organisation != null && organisation.isBlank()) {
            organisation = null;
        }
        // Shallow, order-keeping copy: Map.copyOf would reject null values, which are valid JSON.
        detail = detail == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }

    public AuditEvent(String kind, String actor, Map<String, Object> detail) {
        this(kind, actor, null, detail);
    }

    /** A detail map from alternating names and values, in that order. */
    public static Map<String, Object> detail(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("names and values come in pairs");
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) m.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
        return m;
    }
}
