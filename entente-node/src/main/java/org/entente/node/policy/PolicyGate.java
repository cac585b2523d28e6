package org.entente.node.policy;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.auth.Principal;
import org.entente.node.partners.Role;

/**
 * The door every read path passes through: it works out who receives and for which purpose,
 * hands out a {@link Release} that decides each object, and records what was let out and what was
 * withheld in the audit log before the response goes.
 */
public final class PolicyGate {
    public static final String PURPOSE_HEADER = "X-Entente-Purpose";
    public static final String ORGANISATION_HEADER = "X-Entente-Organisation";
    /** Withheld objects listed one by one in a deny record; beyond that they are counted. */
    static final int LISTED = 1000;

    private final PolicyService policies;
    private final AuditLog audit;

    public PolicyGate(PolicyService policies, AuditLog audit) {
        this.policies = policies;
        this.audit = audit;
    }

    public PolicyService policies() {
        return policies;
    }

    /** Opens the release of one request; a refused request is audited and thrown. */
    public Release open(Context ctx, Principal p, Action action) {
        Policy policy = policies.current();
        try {
            Purpose purpose = purpose(ctx.header(PURPOSE_HEADER), ctx.queryParam("purpose"), p);
            String org = organisation(ctx.header(ORGANISATION_HEADER), p, policy);
            return new Release(policy, new Recipient(org, p.username()), purpose, action, Instant.now());
        } catch (Refusal r) {
            audit.append(new AuditEvent(AuditEvent.REJECTED_REQUEST, p.username(), p.organisationId(),
                    AuditEvent.detail("path", ctx.path(), "method", ctx.method().name(), "rule", r.rule, "reason", r.getMessage())));
            throw r;
        }
    }

    /** Records the release of one request: a release record for what went out, a deny record for what did not. */
    public void record(Release r, Principal p, String endpoint, Map<String, Object> where) {
        if (!r.released().isEmpty()) {
            Map<String, Object> d = new LinkedHashMap<>(where);
            d.put("endpoint", endpoint);
            d.put("recipient", r.recipient().organisationId());
            d.put("purpose", r.purpose().wire());
            d.put("action", r.action().wire());
            d.put("objects", r.released());
            d.put("by_agreement", r.releasedByAgreement());
            if (r.redacted() > 0) d.put("redacted", r.redacted());
            audit.append(new AuditEvent(AuditEvent.RELEASE, p.username(), p.organisationId(), d));
        }
        if (!r.withheld().isEmpty()) {
            Map<String, Object> d = new LinkedHashMap<>(where);
            d.put("endpoint", endpoint);
            d.put("recipient", r.recipient().organisationId());
            d.put("purpose", r.purpose().wire());
            d.put("action", r.action().wire());
            List<Map<String, String>> w = r.withheld();
            d.put("withheld", w.size() > LISTED ? w.subList(0, LISTED) : w);
            d.put("withheld_count", w.size());
            audit.append(new AuditEvent(AuditEvent.DENY, p.username(), p.organisationId(), d));
        }
    }

    public void rejected(Principal p, String path, String rule, String reason) {
        audit.append(new AuditEvent(AuditEvent.REJECTED_REQUEST, p == null ? "anonymous" : p.username(),
                p == null ? null : p.organisationId(), AuditEvent.detail("path", path, "rule", rule, "reason", reason)));
    }

    /** The declared purpose, else the default of the caller's role. */
    static Purpose purpose(String header, String param, Principal p) {
        String declared = header != null && !header.isBlank() ? header : param;
        if (declared != null && !declared.isBlank()) {
            return Purpose.parse(declared).orElseThrow(() -> new Refusal(400, "Unknown purpose", "unknown-purpose",
                    "purpose '" + declared + "' is not one that agreements know; declare one of " + Purpose.choices()
                            + " in the " + PURPOSE_HEADER + " header or the purpose parameter"));
        }
        for (Role role : Role.values()) {
            if (p.has(role) && role.defaultPurpose().isPresent()) return role.defaultPurpose().get();
        }
        throw new Refusal(400, "Purpose required", "no-purpose", "your roles (" + p.roles()
                + ") imply no purpose for reading intelligence; declare one of " + Purpose.choices()
                + " in the " + PURPOSE_HEADER + " header");
    }

    /** The caller's organisation; a header naming another one is a forgery and refused. */
    static String organisation(String header, Principal p, Policy policy) {
        if (p.organisationId() == null || !policy.knows(p.organisationId())) {
            throw new Refusal(403, "No organisation", "missing-organisation", "account " + p.username()
                    + " belongs to no organisation known to this node; an administrator must assign one"
                    + " (entente user add … --org ORG)");
        }
        if (header != null && !header.isBlank() && !header.trim().equals(p.organisationId())) {
            throw new Refusal(403, "Forged organisation", "forged-organisation", "account " + p.username()
                    + " acts for " + p.organisationId() + ", not for '" + header.trim() + "'");
        }
        return p.organisationId();
    }
}
