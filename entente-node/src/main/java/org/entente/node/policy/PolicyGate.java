package org.entente.node.policy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.Refusal;
import org.entente.node.policy.store.PolicyService;
import org.entente.node.users.Principal;
import org.entente.node.users.Role;

/**
 * The door every read path passes through, whatever carries the request (HTTP, the command line,
 * a partner's node): it works out who receives and for which purpose, hands out a {@link Release}
 * that decides each object, and records what was let out and what was withheld in the audit log.
 */
public final class PolicyGate {
    public static final String PURPOSE_HEADER = "X-Entente-Purpose";
    public static final String ORGANISATION_HEADER = "X-Entente-Organisation";
    /** Withheld objects listed one by one in a deny record; beyond that they are counted. */
    static final int LISTED = 1000;

    private final PolicyService policies;
    private final AuditLog audit;
    private final PolicyMetrics metrics;

    public PolicyGate(PolicyService policies, AuditLog audit) {
        this(policies, audit, PolicyMetrics.NONE);
    }

    public PolicyGate(PolicyService policies, AuditLog audit, PolicyMetrics metrics) {
        this.policies = policies;
        this.audit = audit;
        this.metrics = metrics;
    }

    public PolicyService policies() {
        return policies;
    }

    /**
     * Opens the release of one request made by a user: the purpose declared (else her role's
     * default) and the organisation she acts for. A refused request is audited and thrown.
     *
     * @param declaredPurpose as the request states it, or null
     * @param declaredOrganisation the organisation the request claims to act for, or null
     * @param where what was asked, for the audit record of a refusal (e.g. "GET /taxii2/…")
     */
    public Release open(Principal p, String declaredPurpose, String declaredOrganisation, Action action, String where) {
        Policy policy = policies.current();
        try {
            Purpose purpose = purpose(declaredPurpose, p);
            String org = organisation(declaredOrganisation, p, policy);
            return new Release(policy, new Recipient(org, p.username()), purpose, action, Instant.now(), metrics);
        } catch (Refusal r) {
            rejected(p, where, r.rule, r.getMessage());
            throw r.audited();
        }
    }

    /** Opens the release to an organisation as a whole (an export, a partner node's pull). */
    public Release open(Recipient recipient, Purpose purpose, Action action) {
        return new Release(policies.current(), recipient, purpose, action, Instant.now(), metrics);
    }

    /**
     * Opens the release to a partner's node syncing a collection offered to it under
     * {@code agreementId}: decided under that agreement only, for any of its purposes, and objects
     * are sent whole (a redacted object would no longer match its producer's signature).
     *
     * @throws Refusal (403, audited by the caller) when this node holds no such agreement
     */
    public Release openForNode(String organisationId, String agreementId) {
        Policy policy = policies.current();
        Agreement a = policy.agreement(agreementId).orElseThrow(() -> new Refusal(403, "No agreement", "no-agreement",
                "agreement " + agreementId + " is not held by this node"));
        List<Purpose> purposes = a.rules().purposes().stream().sorted().toList();
        return new Release(policy, Recipient.node(organisationId, agreementId), purposes, Action.SYNC, Instant.now(),
                metrics).whole();
    }

    /** Records the release of one request: a release record for what went out, a deny record for what did not. */
    public void record(Release r, Principal p, String endpoint, Map<String, Object> where) {
        record(r, p.username(), p.organisationId(), endpoint, where);
    }

    public void record(Release r, String actor, String actorOrganisation, String endpoint, Map<String, Object> where) {
        if (!r.released().isEmpty()) {
            Map<String, Object> d = new LinkedHashMap<>(where);
            d.put("endpoint", endpoint);
            d.put("recipient", r.recipient().organisationId());
            d.put("purpose", purposes(r));
            d.put("action", r.action().wire());
            d.put("objects", r.released());
            d.put("by_agreement", r.releasedByAgreement());
            if (r.redacted() > 0) d.put("redacted", r.redacted());
            audit.append(new AuditEvent(AuditEvent.RELEASE, actor, actorOrganisation, d));
        }
        if (!r.withheld().isEmpty()) {
            Map<String, Object> d = new LinkedHashMap<>(where);
            d.put("endpoint", endpoint);
            d.put("recipient", r.recipient().organisationId());
            d.put("purpose", purposes(r));
            d.put("action", r.action().wire());
            List<Map<String, String>> w = r.withheld();
            d.put("withheld", w.size() > LISTED ? w.subList(0, LISTED) : w);
            d.put("withheld_count", w.size());
            audit.append(new AuditEvent(AuditEvent.DENY, actor, actorOrganisation, d));
        }
    }

    private static String purposes(Release r) {
        return String.join(",", r.purposes().stream().map(Purpose::wire).toList());
    }

    public void rejected(Principal p, String path, String rule, String reason) {
        audit.append(new AuditEvent(AuditEvent.REJECTED_REQUEST, p == null ? "anonymous" : p.username(),
                p == null ? null : p.organisationId(), AuditEvent.detail("path", path, "rule", rule, "reason", reason)));
    }

    /** The declared purpose, else the default of the caller's role. */
    public static Purpose purpose(String declared, Principal p) {
        if (declared != null && !declared.isBlank()) {
            return Purpose.parse(declared).orElseThrow(() -> new Refusal(400, "Unknown purpose", "unknown-purpose",
                    "purpose '" + declared.replace("\0", "\\0") + "' is not one that agreements know; declare one of "
                            + Purpose.choices() + " in the " + PURPOSE_HEADER + " header or the purpose parameter"));
        }
        for (Role role : Role.values()) {
            if (p.has(role) && Purpose.defaultFor(role).isPresent()) return Purpose.defaultFor(role).get();
        }
        throw new Refusal(400, "Purpose required", "no-purpose", "your roles (" + p.roles()
                + ") imply no purpose for reading intelligence; declare one of " + Purpose.choices()
                + " in the " + PURPOSE_HEADER + " header");
    }

    /** The caller's organisation; a declaration naming another one is a forgery and refused. */
    static String organisation(String declared, Principal p, Policy policy) {
        if (p.organisationId() == null || !policy.knows(p.organisationId())) {
            throw new Refusal(403, "No organisation", "missing-organisation", "account " + p.username()
                    + " belongs to no organisation known to this node; an administrator must assign one"
                    + " (entente user add … --org ORG)");
        }
        if (declared != null && !declared.isBlank() && !declared.trim().equals(p.organisationId())) {
            throw new Refusal(403, "Forged organisation", "forged-organisation", "account " + p.username()
                    + " acts for " + p.organisationId() + ", not for '" + declared.trim().replace("\0", "\\0") + "'");
        }
        return p.organisationId();
    }
}
