package org.entente.node.policy.store;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.InvalidInput;
import org.entente.node.db.Database;
import org.entente.node.partners.PolicyEpoch;
import org.entente.node.policy.Consent;
import org.jdbi.v3.core.Handle;

/**
 * Consents as recorded: each given by a provider for one recipient, for one object or everything it
 * sent. Recording and withdrawing are audited and move the policy epoch, so they take effect at once.
 */
public final class Consents {
    private final Database db;
    private final AuditLog audit;
    private final Predicate<String> organisationExists;

    private final java.util.function.Consumer<Consent> revoked;

    public Consents(Database db, AuditLog audit, Predicate<String> organisationExists) {
        this(db, audit, organisationExists, c -> { });
    }

    /**
     * @param revoked told of each withdrawal after it took effect (the federation then withdraws what
     *     partners' nodes received under it)
     */
    public Consents(Database db, AuditLog audit, Predicate<String> organisationExists,
            java.util.function.Consumer<Consent> revoked) {
        this.db = db;
        this.audit = audit;
        this.organisationExists = organisationExists;
        this.revoked = revoked;
    }

    public Consent record(String providerId, String recipientId, String covers, String objectId, String reference,
            String actor) {
        List<InvalidInput.Problem> problems = new ArrayList<>();
        if (providerId == null || !organisationExists.test(providerId)) {
            problems.add(new InvalidInput.Problem("provider", "no organisation '" + printable(providerId) + "'"));
        }
        if (recipientId == null || !organisationExists.test(recipientId)) {
            problems.add(new InvalidInput.Problem("recipient", "no organisation '" + printable(recipientId) + "'"));
        }
        if (providerId != null && providerId.equals(recipientId)) {
            problems.add(new InvalidInput.Problem("recipient", "a provider needs no consent to receive its own data"));
        }
        Consent.Covers c = Consent.Covers.parse(covers).orElse(null);
        if (c == null) {
            problems.add(new InvalidInput.Problem("covers", "'" + printable(covers) + "' is not onward-sharing or judicial-use"));
        }
        if (reference == null || reference.isBlank()) {
            problems.add(new InvalidInput.Problem("reference", "say where the provider gave it (message, letter, case number)"));
        } else if (reference.indexOf('\0') >= 0 || reference.length() > 1000) {
            problems.add(new InvalidInput.Problem("reference", "at most 1000 characters, no NUL character"));
        }
        if (objectId != null && !objectId.matches("[a-z0-9-]+--[0-9a-fA-F-]{36}")) {
            problems.add(new InvalidInput.Problem("object", "'" + printable(objectId) + "' is not a STIX identifier"));
        }
        if (!problems.isEmpty()) throw new InvalidInput("Invalid consent", problems);
        return db.jdbi().inTransaction(h -> {
            Consent out = h.createQuery("INSERT INTO consent (provider_id, recipient_id, covers, object_id, reference,"
                            + " recorded_by) VALUES (:p, :r, :c, :o, :ref, :by) RETURNING id, recorded_at")
                    .bind("p", providerId).bind("r", recipientId).bind("c", c.wire()).bind("o", objectId)
                    .bind("ref", reference).bind("by", actor)
                    .map((rs, ctx) -> new Consent(rs.getLong(1), providerId, recipientId, c, objectId, reference, actor,
                            rs.getObject(2, OffsetDateTime.class).toInstant())).one();
            PolicyEpoch.bump(h);
            audit.append(h, new AuditEvent("consent-change", actor, null, AuditEvent.detail("change", "recorded",
                    "consent", out.id(), "provider", providerId, "recipient", recipientId, "covers", c.wire(),
                    "object", objectId, "reference", reference)));
            return out;
        });
    }

    private static String printable(String s) {
        return s == null ? "" : s.replace("\0", "\\0");
    }

    /** Withdraws a consent; returns it as it was. */
    public Consent revoke(long id, String actor) {
        Consent withdrawn = db.jdbi().inTransaction(h -> {
            Consent c = active(h).stream().filter(x -> x.id() == id).findFirst()
                    .orElseThrow(() -> InvalidInput.of("Unknown consent", "consent", "no consent " + id + " in force"));
            h.createUpdate("UPDATE consent SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL").bind("id", id).execute();
            PolicyEpoch.bump(h);
            audit.append(h, new AuditEvent("consent-change", actor, null, AuditEvent.detail("change", "revoked", "consent", id,
                    "provider", c.providerId(), "recipient", c.recipientId(), "covers", c.covers().wire(),
                    "object", c.objectId())));
            return c;
        });
        revoked.accept(withdrawn);
        return withdrawn;
    }

    /** Consents in force. */
    public List<Consent> active() {
        return db.jdbi().withHandle(Consents::active);
    }

    static List<Consent> active(Handle h) {
        return h.createQuery("SELECT id, provider_id, recipient_id, covers, object_id, reference, recorded_by, recorded_at"
                        + " FROM consent WHERE revoked_at IS NULL ORDER BY id")
                .map((rs, ctx) -> new Consent(rs.getLong(1), rs.getString(2), rs.getString(3),
                        Consent.Covers.parse(rs.getString(4)).orElseThrow(), rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getObject(8, OffsetDateTime.class).toInstant())).list();
    }
}
