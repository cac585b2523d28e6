package org.entente.node.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.entente.node.db.Database;
import org.entente.stix.StixJson;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The node's tamper-evident audit log: an append-only hash chain in PostgreSQL with signed
 * checkpoints (docs/AUDIT.md). Safe to share between threads, and between processes on one
 * database: every append locks the single {@code audit_head} row, so records get contiguous
 * sequence numbers in commit order.
 */
public final class AuditLog {

    public static final int DEFAULT_CHECKPOINT_INTERVAL = 1_000;

    private final Database db;
    private final int checkpointInterval;
    private volatile NodeKey key;

    public AuditLog(Database db) {
        this(db, DEFAULT_CHECKPOINT_INTERVAL);
    }

    /** @param checkpointInterval an append whose seq is a multiple of this also signs a checkpoint */
    public AuditLog(Database db, int checkpointInterval) {
        if (checkpointInterval < 1) {
            throw new IllegalArgumentException("the checkpoint interval must be at least 1, not " + checkpointInterval);
        }
        this.db = db;
        this.checkpointInterval = checkpointInterval;
    }

    /** The database's signing key, created by the first process that needs it. */
    private NodeKey key() {
        NodeKey k = key;
        if (k == null) {
            synchronized (this) {
                k = key;
                if (k == null) key = k = NodeKey.of(db.dataSource());
            }
        }
        return k;
    }

    /** Appends in a transaction of its own; returns the record's seq. */
    public long append(AuditEvent event) {
        Prepared p = prepare(event);
        return jdbi().inTransaction(h -> append(h.getConnection(), p));
    }

    /**
     * Appends inside the caller's open transaction, so that the change being audited and its
     * record commit or roll back together; returns the record's seq.
     *
     * <p>The head lock is held until the caller commits and every audited write of the node waits
     * for it: append last, just before committing.
     */
    public long append(Handle h, AuditEvent event) {
        if (!h.isInTransaction()) {
            throw new IllegalArgumentException("append(Handle, …) needs an open transaction");
        }
        return append(h.getConnection(), event);
    }

    /** As {@link #append(Handle, AuditEvent)}, for the bulk writers that work on a plain connection. */
    public long append(Connection c, AuditEvent event) {
        Prepared p = prepare(event);
        try {
            if (c.getAutoCommit()) {
                // With auto-commit the lock would end with the SELECT, and record and head would
                // commit separately: two appenders could then take the same seq.
                throw new IllegalArgumentException("append(Connection, …) needs an open transaction (auto-commit off)");
            }
            return append(c, p);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private Jdbi jdbi() {
        return db.jdbi();
    }

    /** The event turned into what will be stored, before the database is touched: bad input changes nothing. */
    private record Prepared(AuditEvent event, JsonNode detail, String detailJson) {}

    /** The MDC key under which the HTTP layer keeps the id of the request being served. */
    static final String REQUEST_ID = "request_id";

    private static Prepared prepare(AuditEvent event) {
        if (event == null) throw new IllegalArgumentException("no audit event");
        String requestId = org.slf4j.MDC.get(REQUEST_ID);
        if (requestId != null && !event.detail().containsKey(REQUEST_ID)) {
            // What an operator finds in the log under a request id, an auditor finds in the chain.
            java.util.Map<String, Object> d = new java.util.LinkedHashMap<>(event.detail());
            d.put(REQUEST_ID, requestId);
            event = new AuditEvent(event.kind(), event.actor(), event.organisation(), d);
        }
        Chain.checkStorable("the audit actor", event.actor());
        Chain.checkStorable("the audit organisation", event.organisation());
        JsonNode detail;
        String json;
        try {
            detail = StixJson.mapper().valueToTree(event.detail());
            Chain.checkStorable(detail);
            // Stored in canonical form: the verifier re-canonicalises what jsonb gives back, and
            // canonical text is a fixed point of that round trip (numbers included).
            json = StixJson.canonical(detail);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the audit detail of a '" + event.kind()
                    + "' event is not JSON data: " + e.getMessage(), e);
        }
        return new Prepared(event, detail, json);
    }

    private long append(Connection c, Prepared p) {
        try {
            return appendChecked(c, p);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private long appendChecked(Connection c, Prepared p) throws SQLException {
        return appendChecked(c, List.of(p)).getFirst();
    }

    /**
     * Appends many records inside the caller's open transaction with one turn of the head lock and
     * one batch of inserts (a writer that commits many requests' records together); returns their
     * seqs in order. The same rules as {@link #append(Handle, AuditEvent)}: append last.
     */
    public List<Long> appendAll(Handle h, List<AuditEvent> events) {
        if (!h.isInTransaction()) {
            throw new IllegalArgumentException("appendAll(Handle, …) needs an open transaction");
        }
        if (events.isEmpty()) return List.of();
        List<Prepared> prepared = events.stream().map(AuditLog::prepare).toList();
        try {
            return appendChecked(h.getConnection(), prepared);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private List<Long> appendChecked(Connection c, List<Prepared> records) throws SQLException {
        LockedHead head = lockHead(c);
        long seq = head.seq;
        byte[] hash = head.hash;
        Instant at = head.at;
        List<Long> seqs = new java.util.ArrayList<>(records.size());
        List<Object[]> checkpoints = new java.util.ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_record"
                + " (seq, at, kind, actor, organisation, detail, digest, hash) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)")) {
            for (Prepared p : records) {
                seq++;
                at = notBefore(at);
                AuditEvent e = p.event();
                byte[] digest = Chain.digest(seq, at, e.kind(), e.actor(), e.organisation(), p.detail());
                hash = Chain.hash(hash, digest);
                s.setLong(1, seq);
                s.setObject(2, sql(at));
                s.setString(3, e.kind());
                s.setString(4, e.actor());
                s.setString(5, e.organisation());
                s.setString(6, p.detailJson());
                s.setBytes(7, digest);
                s.setBytes(8, hash);
                if (records.size() == 1) s.executeUpdate();
                else s.addBatch();
                seqs.add(seq);
                if (seq % checkpointInterval == 0) checkpoints.add(new Object[] {seq, hash, at});
            }
            if (records.size() > 1) s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ?, at = ?")) {
            s.setLong(1, seq);
            s.setBytes(2, hash);
            s.setObject(3, sql(at));
            s.executeUpdate();
        }
        for (Object[] cp : checkpoints) insertCheckpoint(c, (Long) cp[0], (byte[]) cp[1], (Instant) cp[2]);
        return seqs;
    }

    /**
     * Signs the current head, or returns the checkpoint that already covers it.
     *
     * @throws IllegalStateException when the log has no record yet
     */
    public Checkpoint checkpoint() {
        return checkpoint(true).orElseThrow(() -> new IllegalStateException("the audit log is empty: there is nothing to checkpoint"));
    }

    /**
     * For a timer: signs the head when records were added since the last checkpoint; empty when
     * there was nothing new to sign.
     */
    public Optional<Checkpoint> checkpointIfBehind() {
        return checkpoint(false);
    }

    private Optional<Checkpoint> checkpoint(boolean returnExisting) {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                LockedHead head = lockHead(c);
                Optional<Checkpoint> result;
                if (head.seq == 0) {
                    result = Optional.empty();
                } else {
                    Optional<Checkpoint> existing = checkpointAt(c, head.seq);
                    if (existing.isPresent()) {
                        result = returnExisting ? existing : Optional.empty();
                    } else {
                        result = Optional.of(insertCheckpoint(c, head.seq, head.hash, notBefore(head.at)));
                    }
                }
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private Checkpoint insertCheckpoint(Connection c, long seq, byte[] hash, Instant at) throws SQLException {
        byte[] signature = key().sign(Chain.checkpointMessage(seq, hash, at));
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO audit_checkpoint (seq, hash, at, signature) VALUES (?, ?, ?, ?)")) {
            s.setLong(1, seq);
            s.setBytes(2, hash);
            s.setObject(3, sql(at));
            s.setBytes(4, signature);
            s.executeUpdate();
        }
        return new Checkpoint(seq, Chain.hex(hash), at, Chain.hex(signature));
    }

    static Optional<Checkpoint> checkpointAt(Connection c, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT seq, hash, at, signature FROM audit_checkpoint WHERE seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(checkpoint(rs)) : Optional.empty();
            }
        }
    }

    static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        return new Checkpoint(rs.getLong(1), Chain.hex(rs.getBytes(2)), instant(rs, 3), Chain.hex(rs.getBytes(4)));
    }

    /** Verifies the whole log against this node's own key. */
    public AuditVerification verify() {
        return new AuditVerifier(db.dataSource(), key().publicKey()).verify();
    }

    public PublicKey publicKey() {
        return key().publicKey();
    }

    public String publicKeyPem() {
        return key().publicKeyPem();
    }

    DataSource dataSource() {
        return db.dataSource();
    }

    /** The end of the chain: how many records, and the newest hash (health checks, metrics). */
    public record Head(long seq, String hash, Instant at) {}

    public Head head() {
        return jdbi().withHandle(h -> h.createQuery("SELECT seq, hash, at FROM audit_head").map((rs, ctx) ->
                new Head(rs.getLong(1), Chain.hex(rs.getBytes(2)), instant(rs, 3))).one());
    }

    private record LockedHead(long seq, byte[] hash, Instant at) {}

    private static LockedHead lockHead(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT seq, hash, at FROM audit_head FOR UPDATE");
                ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("the audit log has lost its head row: run 'entente audit verify'");
            }
            return new LockedHead(rs.getLong(1), rs.getBytes(2), instant(rs, 3));
        }
    }

    /** Times never run backwards along the chain, even across processes whose clocks differ a little. */
    private static Instant notBefore(Instant previous) {
        Instant now = Chain.micros(Instant.now());
        return previous != null && previous.isAfter(now) ? previous : now;
    }

    static OffsetDateTime sql(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("could not write the audit log: " + e.getMessage(), e);
    }
}
