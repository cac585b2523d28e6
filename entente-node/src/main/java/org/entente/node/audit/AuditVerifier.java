package org.entente.node.audit;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import org.entente.node.db.Database;
import org.jdbi.v3.core.result.ResultIterator;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Recomputes the audit chain from the database and names the first record that does not fit.
 * Reads one consistent snapshot in seq order through cursors (JDBI with a fetch size, in a
 * read-only repeatable-read transaction), so the log may be any size and may keep growing while
 * it runs.
 */
public final class AuditVerifier {

    private static final int FETCH = 1_000;

    private final Database db;
    private final PublicKey nodeKey;

    /** @param nodeKey the key the checkpoints must verify with (an auditor may bring a copy she trusts) */
    public AuditVerifier(Database db, PublicKey nodeKey) {
        this.db = db;
        this.nodeKey = nodeKey;
    }

    private record Head(long seq, byte[] hash) {}

    public AuditVerification verify() {
        return db.jdbi().inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            h.execute("SET TRANSACTION READ ONLY");
            Optional<Head> head = h.createQuery("SELECT seq, hash FROM audit_head")
                    .map((rs, ctx) -> new Head(rs.getLong(1), rs.getBytes(2))).findOne();
            if (head.isEmpty()) {
                return AuditVerification.bad(0, 0, 0, "the head row of the audit log is missing (table audit_head is empty)");
            }
            try (ResultIterator<AuditLog.Stored> records = h.createQuery("SELECT seq, at, kind, actor, organisation, detail::text,"
                            + " digest, hash FROM audit_record ORDER BY seq").setFetchSize(FETCH).map(AuditLog.STORED).iterator();
                    ResultIterator<Checkpoint> checkpoints = h.createQuery(
                            "SELECT seq, hash, at, signature FROM audit_checkpoint ORDER BY seq").setFetchSize(FETCH)
                            .map(AuditLog.CHECKPOINT).iterator()) {
                return walk(records, checkpoints, head.get().seq(), head.get().hash());
            }
        });
    }

    /** Both cursors advance together in seq order; each checkpoint is checked right after the record it signs. */
    private AuditVerification walk(Iterator<AuditLog.Stored> records, Iterator<Checkpoint> checkpoints, long headSeq, byte[] headHash) {
        long count = 0;
        long checked = 0;
        long lastCheckpoint = 0;
        byte[] previous = Chain.GENESIS;
        Checkpoint k = checkpoints.hasNext() ? checkpoints.next() : null;
        while (records.hasNext()) {
            AuditLog.Stored r = records.next();
            long seq = r.seq();
            long expected = count + 1;
            if (seq != expected) {
                return AuditVerification.bad(count, checked, expected, missing(expected, seq));
            }
            if (seq > headSeq) {
                return AuditVerification.bad(count, checked, seq, "record " + seq
                        + " was inserted (the head of the log is at seq " + headSeq + ")");
            }
            byte[] digest = Chain.digest(seq, r.at(), r.kind(), r.actor(), r.organisation(), Chain.parse(r.detail()));
            if (!Arrays.equals(digest, r.digest())) {
                return AuditVerification.bad(count, checked, seq, "record " + seq
                        + " was altered (its content no longer matches its digest)");
            }
            byte[] hash = Chain.hash(previous, digest);
            if (!Arrays.equals(hash, r.hash())) {
                return AuditVerification.bad(count, checked, seq, "record " + seq
                        + " was inserted or altered (its hash does not follow from " + predecessor(seq) + ")");
            }
            previous = hash;
            count = seq;
            while (k != null && k.seq() <= seq) {
                if (k.seq() < seq) {
                    // Only seq < 1 can get here: every other seq was met by its own record.
                    return AuditVerification.bad(count, checked, 0, "the checkpoint at seq " + k.seq()
                            + " names no record (it was inserted)");
                }
                if (!signed(k)) {
                    return AuditVerification.bad(count, checked, seq, forged(k));
                }
                if (!k.hash().equals(Chain.hex(hash))) {
                    long from = lastCheckpoint + 1;
                    return AuditVerification.bad(count, checked, from, rewritten(from, seq));
                }
                checked++;
                lastCheckpoint = seq;
                k = checkpoints.hasNext() ? checkpoints.next() : null;
            }
        }
        if (headSeq > count) {
            return AuditVerification.bad(count, checked, count + 1, "record " + (count + 1) + " is missing ("
                    + (count == 0 ? "the log is empty" : "the log ends at seq " + count) + " but its head is at seq " + headSeq + ")");
        }
        if (k != null) {
            if (!signed(k)) {
                return AuditVerification.bad(count, checked, k.seq(), forged(k));
            }
            return AuditVerification.bad(count, checked, count + 1, "record " + (count + 1) + " is missing (the log ends at seq "
                    + count + " but the node signed a checkpoint at seq " + k.seq() + ")");
        }
        if (!Arrays.equals(headHash, previous)) {
            return AuditVerification.bad(count, checked, count, "the head of the log does not match record " + count
                    + " (the chain was rewritten or the head row altered)");
        }
        return AuditVerification.ok(count, checked, "audit log intact: " + count + " record" + (count == 1 ? "" : "s") + ", "
                + checked + " checkpoint" + (checked == 1 ? "" : "s") + ", "
                + (checked == 0 ? "no checkpoint yet" : "last checkpoint at seq " + lastCheckpoint));
    }

    private boolean signed(Checkpoint k) {
        return NodeKey.verifies(nodeKey, k.message(), Chain.unhex(k.signature()));
    }

    static String missing(long expected, long found) {
        return expected == 1
                ? "record 1 is missing (the log starts at seq " + found + ")"
                : "record " + expected + " is missing (seq jumps from " + (expected - 1) + " to " + found + ")";
    }

    static String predecessor(long seq) {
        return seq == 1 ? "the start of the log" : "record " + (seq - 1);
    }

    static String forged(Checkpoint k) {
        return "the checkpoint at seq " + k.seq() + " is forged (its signature does not verify with the node's public key)";
    }

    /**
     * The chain is consistent record by record yet misses a signed hash: someone recomputed the
     * digests and hashes after a change. Which record changed cannot be told; it lies after the
     * last checkpoint that still matched.
     */
    static String rewritten(long from, long checkpoint) {
        return (from == checkpoint ? "record " + from + " was" : "records " + from + " to " + checkpoint + " were")
                + " rewritten (the recomputed chain does not reach the hash signed in the checkpoint at seq "
                + checkpoint + "; the first record that may differ is " + from + ")";
    }
}
