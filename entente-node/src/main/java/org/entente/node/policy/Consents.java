package org.entente.node.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.store.StoreException;

/**
 * Consents as recorded: each given by a provider for one recipient, for one object or everything it
 * sent. Recording and withdrawing are audited and move the policy epoch, so they take effect at once.
 */
public final class Consents {
    private final DataSource db;
    private final AuditLog audit;
    private final Predicate<String> organisationExists;

    public Consents(DataSource db, AuditLog audit, Predicate<String> organisationExists) {
        this.db = db;
        this.audit = audit;
        this.organisationExists = organisationExists;
    }

    public Consent record(String providerId, String recipientId, String covers, String objectId, String reference,
            String actor) {
        List<InvalidInput.Problem> problems = new ArrayList<>();
        if (providerId == null || !organisationExists.test(providerId)) {
            problems.add(new InvalidInput.Problem("provider", "no organisation '" + providerId + "'"));
        }
        if (recipientId == null || !organisationExists.test(recipientId)) {
            problems.add(new InvalidInput.Problem("recipient", "no organisation '" + recipientId + "'"));
        }
        if (providerId != null && providerId.equals(recipientId)) {
            problems.add(new InvalidInput.Problem("recipient", "a provider needs no consent to receive its own data"));
        }
        Consent.Covers c = Consent.Covers.parse(covers).orElse(null);
        if (c == null) problems.add(new InvalidInput.Problem("covers", "'" + covers + "' is not onward-sharing or judicial-use"));
        if (reference == null || reference.isBlank()) {
            problems.add(new InvalidInput.Problem("reference", "say where the provider gave it (message, letter, case number)"));
        }
        if (objectId != null && !objectId.matches("[a-z0-9-]+--[0-9a-fA-F-]{36}")) {
            problems.add(new InvalidInput.Problem("object", "'" + objectId + "' is not a STIX identifier"));
        }
        if (!problems.isEmpty()) throw new InvalidInput("Invalid consent", problems);
        try (Connection conn = db.getConnection()) {
            conn.setAutoCommit(false);
            try (PreparedStatement s = conn.prepareStatement("INSERT INTO consent (provider_id, recipient_id, covers,"
                    + " object_id, reference, recorded_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id, recorded_at")) {
                s.setString(1, providerId);
                s.setString(2, recipientId);
                s.setString(3, c.wire());
                s.setString(4, objectId);
                s.setString(5, reference);
                s.setString(6, actor);
                Consent out;
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    out = new Consent(rs.getLong(1), providerId, recipientId, c, objectId, reference, actor,
                            rs.getObject(2, java.time.OffsetDateTime.class).toInstant());
                }
                PolicyService.bumpEpoch(conn);
                audit.append(conn, new AuditEvent("consent-change", actor, null, AuditEvent.detail("change", "recorded",
                        "consent", out.id(), "provider", providerId, "recipient", recipientId, "covers", c.wire(),
                        "object", objectId, "reference", reference)));
                conn.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not record the consent", e);
        }
    }

    public void revoke(long id, String actor) {
        try (Connection conn = db.getConnection()) {
            conn.setAutoCommit(false);
            try (PreparedStatement s = conn.prepareStatement(
                    "UPDATE consent SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL")) {
                s.setLong(1, id);
                if (s.executeUpdate() == 0) {
                    conn.rollback();
                    throw InvalidInput.of("Unknown consent", "consent", "no consent " + id + " in force");
                }
                PolicyService.bumpEpoch(conn);
                audit.append(conn, new AuditEvent("consent-change", actor, null,
                        AuditEvent.detail("change", "revoked", "consent", id)));
                conn.commit();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not revoke consent " + id, e);
        }
    }

    /** Consents in force. */
    public List<Consent> active() {
        try (Connection c = db.getConnection()) {
            return active(c);
        } catch (SQLException e) {
            throw new StoreException("could not read consents", e);
        }
    }

    static List<Consent> active(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, provider_id, recipient_id, covers, object_id, reference,"
                + " recorded_by, recorded_at FROM consent WHERE revoked_at IS NULL ORDER BY id");
             ResultSet rs = s.executeQuery()) {
            List<Consent> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Consent(rs.getLong(1), rs.getString(2), rs.getString(3),
                        Consent.Covers.parse(rs.getString(4)).orElseThrow(), rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getObject(8, java.time.OffsetDateTime.class).toInstant()));
            }
            return out;
        }
    }
}
