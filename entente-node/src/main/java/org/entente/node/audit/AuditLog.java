package org.entente.node.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.entente.node.db.Database;
import org.entente.stix.StixJson;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

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
                if (k == null) key = k = NodeKey.of(db);
            }
        }
        return k;
    }

    /** Appends in a transaction of its own; returns the record's seq. */
    public long append(AuditEvent event) {
        Prepared p = prepare(event);
        return jdbi().inTransaction(h -> append(h, p));
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
            // With auto-commit the lock would end with the SELECT, and record and head would
            // commit separately: two appenders could then take the same seq.
            throw new IllegalArgumentException("append(Handle, …) needs an open transaction");
        }
        return append(h, prepare(event));
    }

    /**
     * As {@link #append(Handle, AuditEvent)}, for bulk writers that hold a plain connection for
     * COPY: the record joins their transaction, and the connection stays theirs (neither closed
     * nor committed here).
     */
    public long append(Connection c, AuditEvent event) {
        Prepared p = prepare(event);
        try {
            if (c.getAutoCommit()) {
                throw new IllegalArgumentException("append(Connection, …) needs an open transaction (auto-commit off)");
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        Jdbi onConnection = Jdbi.create(new ConnectionFactory() {
            @Override
            public Connection openConnection() {
                return c;
            }

            @Override
            public void closeConnection(Connection toClose) {
                // the caller's connection: it commits and closes it
            }
        });
        // A handle opened inside a transaction leaves it to its owner when closed.
        try (Handle h = onConnection.open()) {
            return append(h, p);
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

    private long append(Handle h, Prepared p) {
        return appendPrepared(h, List.of(p)).getFirst();
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
        return appendPrepared(h, events.stream().map(AuditLog::prepare).toList());
    }

    private List<Long> appendPrepared(Handle h, List<Prepared> records) {
        LockedHead head = lockHead(h);
        long seq = head.seq;
        byte[] hash = head.hash;
        Instant at = head.at;
        List<Long> seqs = new ArrayList<>(records.size());
        record Due(long seq, byte[] hash, Instant at) {}
        List<Due> checkpoints = new ArrayList<>();
        PreparedBatch batch = h.prepareBatch("INSERT INTO audit_record (seq, at, kind, actor, organisation, detail, digest, hash)"
                + " VALUES (:seq, :at, :kind, :actor, :organisation, CAST(:detail AS jsonb), :digest, :hash)");
        for (Prepared p : records) {
            seq++;
            at = notBefore(at);
            AuditEvent e = p.event();
            byte[] digest = Chain.digest(seq, at, e.kind(), e.actor(), e.organisation(), p.detailJson());
            hash = Chain.hash(hash, digest);
            batch.bind("seq", seq).bind("at", sql(at)).bind("kind", e.kind()).bind("actor", e.actor())
                    .bind("organisation", e.organisation()).bind("detail", p.detailJson()).bind("digest", digest)
                    .bind("hash", hash).add();
            seqs.add(seq);
            if (seq % checkpointInterval == 0) checkpoints.add(new Due(seq, hash, at));
        }
        batch.execute();
        h.createUpdate("UPDATE audit_head SET seq = :seq, hash = :hash, at = :at")
                .bind("seq", seq).bind("hash", hash).bind("at", sql(at)).execute();
        for (Due d : checkpoints) insertCheckpoint(h, d.seq(), d.hash(), d.at());
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
        return jdbi().inTransaction(h -> {
            LockedHead head = lockHead(h);
            if (head.seq == 0) return Optional.empty();
            Optional<Checkpoint> existing = checkpointAt(h, head.seq);
            if (existing.isPresent()) return returnExisting ? existing : Optional.empty();
            return Optional.of(insertCheckpoint(h, head.seq, head.hash, notBefore(head.at)));
        });
    }

    private Checkpoint insertCheckpoint(Handle h, long seq, byte[] hash, Instant at) {
        byte[] signature = key().sign(Chain.checkpointMessage(seq, hash, at));
        h.createUpdate("INSERT INTO audit_checkpoint (seq, hash, at, signature) VALUES (:seq, :hash, :at, :signature)")
                .bind("seq", seq).bind("hash", hash).bind("at", sql(at)).bind("signature", signature).execute();
        return new Checkpoint(seq, Chain.hex(hash), at, Chain.hex(signature));
    }

    static final RowMapper<Checkpoint> CHECKPOINT = (rs, ctx) -> new Checkpoint(rs.getLong(1), Chain.hex(rs.getBytes(2)),
            instant(rs, 3), Chain.hex(rs.getBytes(4)));

    /** A record as stored, for the verifier and the export (columns in this order). */
    record Stored(long seq, Instant at, String kind, String actor, String organisation, String detail, byte[] digest,
            byte[] hash) {}

    static final RowMapper<Stored> STORED = (rs, ctx) -> new Stored(rs.getLong(1), instant(rs, 2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6), rs.getBytes(7), rs.getBytes(8));

    static Optional<Checkpoint> checkpointAt(Handle h, long seq) {
        return h.createQuery("SELECT seq, hash, at, signature FROM audit_checkpoint WHERE seq = :seq").bind("seq", seq)
                .map(CHECKPOINT).findOne();
    }

    /** Verifies the whole log against this node's own key. */
    public AuditVerification verify() {
        return new AuditVerifier(db, key().publicKey()).verify();
    }

    public PublicKey publicKey() {
        return key().publicKey();
    }

    public String publicKeyPem() {
        return key().publicKeyPem();
    }

    Database database() {
        return db;
    }

    /** One record as a reader of the log sees it. */
    public record Entry(long seq, Instant at, String kind, String actor, String organisation, String detailJson) {}

    /**
     * Which records to read: null fields do not filter; {@code before} pages backwards (records with
     * a smaller seq), newest first.
     */
    public record Filter(String kind, String actor, Instant from, Instant until, Long before, int limit) {
        public Filter {
            if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be from 1 to 1000");
        }
    }

    /** Records matching the filter, newest first. */
    public java.util.List<Entry> records(Filter f) {
        StringBuilder sql = new StringBuilder("SELECT seq, at, kind, actor, organisation, detail::text FROM audit_record WHERE true");
        java.util.Map<String, Object> args = new java.util.LinkedHashMap<>();
        if (f.kind() != null) {
            sql.append(" AND kind = :kind");
            args.put("kind", f.kind());
        }
        if (f.actor() != null) {
            sql.append(" AND actor = :actor");
            args.put("actor", f.actor());
        }
        if (f.from() != null) {
            sql.append(" AND at >= :from");
            args.put("from", sql(f.from()));
        }
        if (f.until() != null) {
            sql.append(" AND at < :until");
            args.put("until", sql(f.until()));
        }
        if (f.before() != null) {
            sql.append(" AND seq < :before");
            args.put("before", f.before());
        }
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        return jdbi().withHandle(h -> {
            var q = h.createQuery(sql.toString()).bind("limit", f.limit());
            args.forEach(q::bind);
            return q.map((rs, ctx) -> new Entry(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6))).list();
        });
    }

    /** The kinds of record the log holds, for a reader's filter. */
    public java.util.List<String> kinds() {
        // A loose index scan over (kind, seq): one probe per kind, however long the log.
        return jdbi().withHandle(h -> h.createQuery("WITH RECURSIVE k AS ("
                + " (SELECT kind FROM audit_record ORDER BY kind LIMIT 1) UNION ALL"
                + " SELECT (SELECT r.kind FROM audit_record r WHERE r.kind > k.kind ORDER BY r.kind LIMIT 1) FROM k"
                + " WHERE k.kind IS NOT NULL) SELECT kind FROM k WHERE kind IS NOT NULL").mapTo(String.class).list());
    }

    /** The end of the chain: how many records, and the newest hash (health checks, metrics). */
    public record Head(long seq, String hash, Instant at) {}

    public Head head() {
        return jdbi().withHandle(h -> h.createQuery("SELECT seq, hash, at FROM audit_head").map((rs, ctx) ->
                new Head(rs.getLong(1), Chain.hex(rs.getBytes(2)), instant(rs, 3))).one());
    }

    private record LockedHead(long seq, byte[] hash, Instant at) {}

    /**
     * Also makes the transaction's commit wait for its WAL flush whatever the session or the caller
     * set: a transaction that appends a record is durable once acknowledged, even inside a bulk
     * import that turned synchronous_commit off for itself.
     */
    private static LockedHead lockHead(Handle h) {
        return h.createQuery("SELECT seq, hash, at, set_config('synchronous_commit', 'on', true) FROM audit_head FOR UPDATE")
                .map((rs, ctx) -> new LockedHead(rs.getLong(1), rs.getBytes(2), instant(rs, 3))).findOne()
                .orElseThrow(() -> new IllegalStateException("the audit log has lost its head row: run 'entente audit verify'"));
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
