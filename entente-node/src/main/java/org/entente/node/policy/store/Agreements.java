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
    private final Countersigning countersigning;

    /**
     * @param partyExists whether an organisation id or {@code nation:CC} is known
     * @param ownIsParty whether a list of parties includes this node's own organisation
     */
    public Agreements(Database db, AuditLog audit, Predicate<String> partyExists, Predicate<List<String>> ownIsParty) {
        this(db, audit, partyExists, ownIsParty, Countersigning.NONE);
    }

    /** @param countersigning the parties' nodes that must sign each version (the federation) */
    public Agreements(Database db, AuditLog audit, Predicate<String> partyExists, Predicate<List<String>> ownIsParty,
            Countersigning countersigning) {
        this.db = db;
        this.audit = audit;
        this.partyExists = partyExists;
        this.ownIsParty = ownIsParty;
        this.countersigning = countersigning;
    }

    public record Version(int version, String changedBy, Instant changedAt, JsonNode document) {}

    public Agreement create(JsonNode document, String actor) {
        String id = "agreement--" + UUID.randomUUID();
        Agreement a = notProposed(Agreement.parse(document, id, 1, partyExists, ownIsParty));
        return write(a, actor, true, null);
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
        Agreement next = notProposed(Agreement.parse(document, id, current.version() + 1, partyExists, ownIsParty));
        return write(next, actor, false, current.version());
    }

    private static Agreement notProposed(Agreement a) {
        if (a.status() == Agreement.Status.PROPOSED) {
            throw InvalidInput.of("Invalid agreement", "/status", "'proposed' is set by the node while a partner's"
                    + " node has not signed a version; write draft, active, suspended or terminated");
        }
        return a;
    }

    /** Activates, suspends or terminates; the other terms stay as they are. */
    public Agreement setStatus(String id, Agreement.Status status, String actor) {
        Agreement current = find(id).orElseThrow(() -> unknown(id));
        if (current.status() == Agreement.Status.TERMINATED) {
            throw InvalidInput.of("Agreement terminated", "/status", "agreement " + id + " is terminated for good");
        }
        if (status == Agreement.Status.PROPOSED) throw notProposedStatus();
        if (current.status() == status) return current;
        ObjectNode doc = current.toJson(JSON);
        doc.put("status", Agreement.wire(status));
        Agreement next = Agreement.parse(doc, id, current.version() + 1, p -> true, ownIsParty);
        return write(next, actor, false, current.version());
    }

    private static InvalidInput notProposedStatus() {
        return InvalidInput.of("Invalid status", "/status", "'proposed' is set by the node while a partner's node"
                + " has not signed a version");
    }

    private static InvalidInput unknown(String id) {
        return InvalidInput.of("Unknown agreement", "agreement", "no agreement " + id);
    }

    /**
     * Stores a version made at this node. A version that lets data flow (active) waits for the
     * signatures of the parties' nodes: until then this node holds it as proposed. Stopping the
     * flow (suspension, termination) takes effect at once.
     */
    private Agreement write(Agreement a, String actor, boolean insert, Integer expectedVersion) {
        boolean awaits = a.status() == Agreement.Status.ACTIVE && !countersigning.countersigners(a).isEmpty();
        Agreement held = awaits ? a.withStatus(Agreement.Status.PROPOSED) : a;
        db.jdbi().useTransaction(h -> {
            store(h, a, held.status(), actor, insert, expectedVersion);
            countersigning.madeHere(h, a, actor);
        });
        return held;
    }

    /**
     * Stores a version of an agreement a partner's node proposed (its signature already checked by
     * the caller, in the caller's transaction): held as proposed until accepted here when it lets data
     * flow; a suspension or termination takes effect at once.
     *
     * @return the version as held
     * @throws InvalidInput when it does not follow the version held here, or names no own party
     */
    public Agreement receive(Handle h, JsonNode document, String actor) {
        String id = document.path("id").asText("");
        int version = document.path("version").asInt(0);
        if (!id.matches("agreement--[0-9a-fA-F-]{36}") || version < 1) {
            throw InvalidInput.of("Invalid agreement", "/id", "a proposed agreement needs its id and version");
        }
        Agreement a = Agreement.parse(document, id, version, p -> true, ownIsParty);
        if (a.status() == Agreement.Status.PROPOSED) throw notProposedStatus();
        Optional<Agreement> current = load(h, "WHERE id = :id FOR UPDATE", id).stream().findFirst();
        if (current.isPresent() && current.get().version() >= version) {
            throw InvalidInput.of("Stale agreement version", "/version", "agreement " + id + " is at version "
                    + current.get().version() + " here; version " + version + " does not follow it");
        }
        if (current.isPresent() && current.get().status() == Agreement.Status.TERMINATED) {
            throw InvalidInput.of("Agreement terminated", "/status", "agreement " + id + " is terminated here");
        }
        Agreement held = a.status() == Agreement.Status.ACTIVE ? a.withStatus(Agreement.Status.PROPOSED) : a;
        store(h, a, held.status(), actor, current.isEmpty(), current.map(Agreement::version).orElse(null));
        return held;
    }

    /**
     * Every party's node has signed the version held as proposed: it takes effect (its own status),
     * in the caller's transaction.
     */
    public Agreement takeEffect(Handle h, String id, int version, String actor) {
        Agreement a = load(h, "WHERE id = :id FOR UPDATE", id).stream().findFirst().orElseThrow(() -> unknown(id));
        if (a.version() != version || a.status() != Agreement.Status.PROPOSED) return a;
        Agreement signed = Agreement.parse(tree(h.createQuery("SELECT document::text FROM agreement WHERE id = :id")
                .bind("id", id).mapTo(String.class).one()), id, version, p -> true, p -> true);
        h.createUpdate("UPDATE agreement SET status = :s, updated = now() WHERE id = :id")
                .bind("s", Agreement.wire(signed.status())).bind("id", id).execute();
        PolicyEpoch.bump(h);
        audit.append(h, new AuditEvent(AuditEvent.AGREEMENT_CHANGE, actor, null, AuditEvent.detail("change",
                "in effect", "agreement", id, "version", version, "status", Agreement.wire(signed.status()))));
        return signed;
    }

    private void store(Handle h, Agreement a, Agreement.Status held, String actor, boolean insert,
            Integer expectedVersion) {
        String doc = a.toJson(JSON).toString();
        {
            if (insert) {
                h.createUpdate("INSERT INTO agreement (id, version, status, document) VALUES (:id, :v, :s, :d::jsonb)")
                        .bind("id", a.id()).bind("v", a.version()).bind("s", Agreement.wire(held)).bind("d", doc)
                        .execute();
            } else {
                // Optimistic: two administrators changing one agreement at once must not lose a version.
                int n = h.createUpdate("UPDATE agreement SET version = :v, status = :s, document = :d::jsonb, updated = now()"
                                + " WHERE id = :id AND version = :expected")
                        .bind("v", a.version()).bind("s", Agreement.wire(held)).bind("d", doc).bind("id", a.id())
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
                            "version", a.version(), "status", Agreement.wire(held), "document", tree(doc))));
        }
    }

    public Optional<Agreement> find(String id) {
        if (id == null || id.indexOf('\0') >= 0) return Optional.empty();
        return db.jdbi().withHandle(h -> load(h, "WHERE id = :id", id)).stream().findFirst();
    }

    public List<Agreement> all() {
        return db.jdbi().withHandle(h -> load(h, "ORDER BY updated DESC", null));
    }

    static List<Agreement> load(Handle h, String where, String id) {
        var q = h.createQuery("SELECT id, version, document, status FROM agreement " + where);
        if (id != null) q.bind("id", id);
        // Stored documents were checked when written; parties may since have been renamed, not removed.
        // The document is the version as its parties sign it; the status column is this node's view
        // (proposed while a party's node has not signed it).
        return q.map((rs, ctx) -> {
            Agreement a = Agreement.parse(tree(rs.getString(3)), rs.getString(1), rs.getInt(2), p -> true, p -> true);
            return "proposed".equals(rs.getString(4)) ? a.withStatus(Agreement.Status.PROPOSED) : a;
        }).list();
    }

    /** The version as its parties sign it: the document, whatever this node's view of its status. */
    public Optional<JsonNode> document(Handle h, String id, int version) {
        return h.createQuery("SELECT document::text FROM agreement_version WHERE agreement_id = :id AND version = :v")
                .bind("id", id).bind("v", version).mapTo(String.class).findOne().map(Agreements::tree);
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
