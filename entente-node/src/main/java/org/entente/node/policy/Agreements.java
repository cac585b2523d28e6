package org.entente.node.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.store.StoreException;

/**
 * Agreements as stored: the current version of each and every version it ever had. A change is
 * checked in full before anything is written, then stored, versioned, audited and made visible to
 * every node process (policy epoch) in one transaction.
 */
public final class Agreements {
    private final DataSource db;
    private final AuditLog audit;
    private final Predicate<String> partyExists;
    private final Predicate<List<String>> ownIsParty;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param partyExists whether an organisation id or {@code nation:CC} is known
     * @param ownIsParty whether a list of parties includes this node's own organisation
     */
    public Agreements(DataSource db, AuditLog audit, Predicate<String> partyExists, Predicate<List<String>> ownIsParty) {
        this.db = db;
        this.audit = audit;
        this.partyExists = partyExists;
        this.ownIsParty = ownIsParty;
    }

    public record Version(int version, String changedBy, java.time.Instant changedAt, JsonNode document) {}

    public Agreement create(JsonNode document, String actor) {
        String id = "agreement--" + UUID.randomUUID();
        Agreement a = Agreement.parse(document, id, 1, partyExists, ownIsParty);
        write(a, actor, true, null);
        return a;
    }

    /** Replaces the terms of an agreement with a new version. A terminated agreement stays terminated. */
    public Agreement update(String id, JsonNode document, String actor) {
        Agreement current = find(id).orElseThrow(() -> unknown(id));
        if (current.status() == Agreement.Status.TERMINATED) {
            throw InvalidInput.of("Agreement terminated", "/status", "agreement " + id
                    + " is terminated; a terminated agreement cannot be changed (create a new one)");
        }
        // A document read at version n and sent back must still be the current one: no lost update.
        JsonNode v = document == null ? null : document.get("version");
        if (v != null && v.canConvertToInt() && v.asInt() != current.version()) {
            throw InvalidInput.of("Concurrent change", "/version", "the document is of version " + v.asInt()
                    + " but agreement " + id + " is at version " + current.version() + "; read it again and repeat the change");
        }
        Agreement next = Agreement.parse(document, id, current.version() + 1, partyExists, ownIsParty);
        write(next, actor, false, current.version());
        return next;
    }

    /** Activates, suspends or terminates; the other terms stay as they are. */
    public Agreement setStatus(String id, Agreement.Status status, String actor) {
        Agreement current = find(id).orElseThrow(() -> unknown(id));
        if (current.status() == Agreement.Status.TERMINATED) {
            throw InvalidInput.of("Agreement terminated", "/status", "agreement " + id + " is terminated for good");
        }
        if (current.status() == status) return current;
        ObjectNode doc = current.toJson(json);
        doc.put("status", Agreement.wire(status));
        Agreement next = Agreement.parse(doc, id, current.version() + 1, partyExists, ownIsParty);
        write(next, actor, false, current.version());
        return next;
    }

    private static InvalidInput unknown(String id) {
        return new InvalidInput("Unknown agreement", List.of(new InvalidInput.Problem("agreement", "no agreement " + id)));
    }

    private void write(Agreement a, String actor, boolean insert, Integer expectedVersion) {
        ObjectNode doc = a.toJson(json);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (insert) {
                    try (PreparedStatement s = c.prepareStatement(
                            "INSERT INTO agreement (id, version, status, document) VALUES (?, ?, ?, ?::jsonb)")) {
                        s.setString(1, a.id());
                        s.setInt(2, a.version());
                        s.setString(3, Agreement.wire(a.status()));
                        s.setString(4, doc.toString());
                        s.executeUpdate();
                    }
                } else {
                    // Optimistic: two administrators changing one agreement at once must not lose a version.
                    try (PreparedStatement s = c.prepareStatement("UPDATE agreement SET version = ?, status = ?,"
                            + " document = ?::jsonb, updated = now() WHERE id = ? AND version = ?")) {
                        s.setInt(1, a.version());
                        s.setString(2, Agreement.wire(a.status()));
                        s.setString(3, doc.toString());
                        s.setString(4, a.id());
                        s.setInt(5, expectedVersion);
                        if (s.executeUpdate() != 1) {
                            throw InvalidInput.of("Concurrent change", "/version", "agreement " + a.id()
                                    + " was changed meanwhile; read it again and repeat the change");
                        }
                    }
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO agreement_version (agreement_id, version,"
                        + " document, changed_by) VALUES (?, ?, ?::jsonb, ?)")) {
                    s.setString(1, a.id());
                    s.setInt(2, a.version());
                    s.setString(3, doc.toString());
                    s.setString(4, actor);
                    s.executeUpdate();
                }
                PolicyService.bumpEpoch(c);
                audit.append(c, new AuditEvent(AuditEvent.AGREEMENT_CHANGE, actor, null,
                        AuditEvent.detail("change", insert ? "created" : "version " + a.version(), "agreement", a.id(),
                                "version", a.version(), "status", Agreement.wire(a.status()), "document", doc)));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not store agreement " + a.id() + ": " + e.getMessage(), e);
        }
    }

    public Optional<Agreement> find(String id) {
        List<Agreement> r = load("WHERE id = ?", id);
        return r.stream().findFirst();
    }

    public List<Agreement> all() {
        return load("ORDER BY updated DESC");
    }

    private List<Agreement> load(String where, String... args) {
        try (Connection c = db.getConnection()) {
            return load(c, where, args);
        } catch (SQLException e) {
            throw new StoreException("could not read agreements", e);
        }
    }

    static List<Agreement> load(Connection c, String where, String... args) throws SQLException {
        ObjectMapper json = new ObjectMapper();
        try (PreparedStatement s = c.prepareStatement("SELECT id, version, document FROM agreement " + where)) {
            for (int i = 0; i < args.length; i++) s.setString(i + 1, args[i]);
            try (ResultSet rs = s.executeQuery()) {
                List<Agreement> out = new ArrayList<>();
                while (rs.next()) {
                    // Stored documents were checked when written; parties may since have been renamed, not removed.
                    out.add(Agreement.parse(json.readTree(rs.getString(3)), rs.getString(1), rs.getInt(2), p -> true,
                            p -> true));
                }
                return out;
            } catch (java.io.IOException e) {
                throw new StoreException("a stored agreement is not JSON: " + e.getMessage(), e);
            }
        }
    }

    public List<Version> history(String id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT version, changed_by, changed_at, document FROM agreement_version WHERE agreement_id = ? ORDER BY version")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                List<Version> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Version(rs.getInt(1), rs.getString(2),
                            rs.getObject(3, java.time.OffsetDateTime.class).toInstant(), json.readTree(rs.getString(4))));
                }
                return out;
            }
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("could not read the history of agreement " + id, e);
        }
    }
}
