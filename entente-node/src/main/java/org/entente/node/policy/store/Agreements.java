package org.entente.node.policy.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.InvalidInput;
import org.entente.node.db.Database;
import org.entente.node.partners.PolicyEpoch;
import org.entente.node.policy.Agreement;
import org.jdbi.v3.core.Handle;

/**
 * Agreements as stored: the current version of each and every version it ever had. A change is
 * checked in full before anything is written, then stored, versioned, audited and made visible to
 * every node process (policy epoch) in one transaction.
 */
public final class Agreements {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final AuditLog audit;
    private final Predicate<String> partyExists;
    private final Predicate<List<String>> ownIsParty;

    /**
     * @param partyExists whether an organisation id or {@code nation:CC} is known
     * @param ownIsParty whether a list of parties includes this node's own organisation
     */
    public Agreements(Database db, AuditLog audit, Predicate<String> partyExists, Predicate<List<String>> ownIsParty) {
        this.db = db;
        this.audit = audit;
        this.partyExists = partyExists;
        this.ownIsParty = ownIsParty;
    }

    public record Version(int version, String changedBy, Instant changedAt, JsonNode document) {}

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
        ObjectNode doc = current.toJson(JSON);
        doc.put("status", Agreement.wire(status));
        Agreement next = Agreement.parse(doc, id, current.version() + 1, partyExists, ownIsParty);
        write(next, actor, false, current.version());
        return next;
    }

    private static InvalidInput unknown(String id) {
        return InvalidInput.of("Unknown agreement", "agreement", "no agreement " + id);
    }

    private void write(Agreement a, String actor, boolean insert, Integer expectedVersion) {
        String doc = a.toJson(JSON).toString();
        db.jdbi().useTransaction(h -> {
            if (insert) {
                h.createUpdate("INSERT INTO agreement (id, version, status, document) VALUES (:id, :v, :s, :d::jsonb)")
                        .bind("id", a.id()).bind("v", a.version()).bind("s", Agreement.wire(a.status())).bind("d", doc)
                        .execute();
            } else {
                // Optimistic: two administrators changing one agreement at once must not lose a version.
                int n = h.createUpdate("UPDATE agreement SET version = :v, status = :s, document = :d::jsonb, updated = now()"
                                + " WHERE id = :id AND version = :expected")
                        .bind("v", a.version()).bind("s", Agreement.wire(a.status())).bind("d", doc).bind("id", a.id())
                        .bind("expected", expectedVersion).execute();
                if (n != 1) {
                    throw InvalidInput.of("Concurrent change", "/version", "agreement " + a.id()
                            + " was changed meanwhile; read it again and repeat the change");
                }
            }
            h.createUpdate("INSERT INTO agreement_version (agreement_id, version, document, changed_by)"
                            + " VALUES (:id, :v, :d::jsonb, :by)")
                    .bind("id", a.id()).bind("v", a.version()).bind("d", doc).bind("by", actor).execute();
            PolicyEpoch.bump(h);
            audit.append(h, new AuditEvent(AuditEvent.AGREEMENT_CHANGE, actor, null,
                    AuditEvent.detail("change", insert ? "created" : "version " + a.version(), "agreement", a.id(),
                            "version", a.version(), "status", Agreement.wire(a.status()), "document", tree(doc))));
        });
    }

    public Optional<Agreement> find(String id) {
        if (id == null || id.indexOf('\0') >= 0) return Optional.empty();
        return db.jdbi().withHandle(h -> load(h, "WHERE id = :id", id)).stream().findFirst();
    }

    public List<Agreement> all() {
        return db.jdbi().withHandle(h -> load(h, "ORDER BY updated DESC", null));
    }

    static List<Agreement> load(Handle h, String where, String id) {
        var q = h.createQuery("SELECT id, version, document FROM agreement " + where);
        if (id != null) q.bind("id", id);
        // Stored documents were checked when written; parties may since have been renamed, not removed.
        return q.map((rs, ctx) -> Agreement.parse(tree(rs.getString(3)), rs.getString(1), rs.getInt(2), p -> true,
                p -> true)).list();
    }

    public List<Version> history(String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT version, changed_by, changed_at, document"
                        + " FROM agreement_version WHERE agreement_id = :id ORDER BY version").bind("id", id)
                .map((rs, ctx) -> new Version(rs.getInt(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), tree(rs.getString(4)))).list());
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored agreement is not JSON: " + e.getMessage(), e);
        }
    }
}
