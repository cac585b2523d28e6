package org.entente.node.audit;

import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import javax.sql.DataSource;

/**
 * Recomputes the audit chain from the database and names the first record that does not fit.
 * Reads one consistent snapshot in seq order through a cursor, so the log may be any size and may
 * keep growing while it runs.
 */
public final class AuditVerifier {

    private static final int FETCH = 1_000;

    private final DataSource db;
    private final PublicKey nodeKey;

    /** @param nodeKey the key the checkpoints must verify with (an auditor may bring a copy she trusts) */
    public AuditVerifier(DataSource db, PublicKey nodeKey) {
        this.db = db;
        this.nodeKey = nodeKey;
    }

    public AuditVerification verify() {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                return verify(c);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the audit log: " + e.getMessage(), e);
        }
    }

    private AuditVerification verify(Connection c) throws SQLException {
        long headSeq;
        byte[] headHash;
        try (PreparedStatement s = c.prepareStatement("SELECT seq, hash FROM audit_head"); ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return AuditVerification.bad(0, 0, 0, "the head row of the audit log is missing (table audit_head is empty)");
            }
            headSeq = rs.getLong(1);
            headHash = rs.getBytes(2);
        }
        try (PreparedStatement records = c.prepareStatement("SELECT seq, at, kind, actor, organisation, detail::text, digest, hash"
                        + " FROM audit_record ORDER BY seq");
                PreparedStatement checkpoints = c.prepareStatement(
                        "SELECT seq, hash, at, signature FROM audit_checkpoint ORDER BY seq")) {
            records.setFetchSize(FETCH);
            checkpoints.setFetchSize(FETCH);
            try (ResultSet r = records.executeQuery(); ResultSet cp = checkpoints.executeQuery()) {
                return walk(r, cp, headSeq, headHash);
            }
        }
    }

    /** Both cursors advance together in seq order; each checkpoint is checked right after the record it signs. */
    private AuditVerification walk(ResultSet r, ResultSet cp, long headSeq, byte[] headHash) throws SQLException {
        long count = 0;
        long checked = 0;
        long lastCheckpoint = 0;
        byte[] previous = Chain.GENESIS;
        boolean moreCheckpoints = cp.next();
        while (r.next()) {
            long seq = r.getLong(1);
            long expected = count + 1;
            if (seq != expected) {
                return AuditVerification.bad(count, checked, expected, missing(expected, seq));
            }
            if (seq > headSeq) {
                return AuditVerification.bad(count, checked, seq, "record " + seq
                        + " was inserted (the head of the log is at seq " + headSeq + ")");
            }
            Instant at = AuditLog.instant(r, 2);
            byte[] digest = Chain.digest(seq, at, r.getString(3), r.getString(4), r.getString(5), Chain.parse(r.getString(6)));
            if (!Arrays.equals(digest, r.getBytes(7))) {
                return AuditVerification.bad(count, checked, seq, "record " + seq
                        + " was altered (its content no longer matches its digest)");
            }
            byte[] hash = Chain.hash(previous, digest);
            if (!Arrays.equals(hash, r.getBytes(8))) {
                return AuditVerification.bad(count, checked, seq, "record " + seq
                        + " was inserted or altered (its hash does not follow from " + predecessor(seq) + ")");
            }
            previous = hash;
            count = seq;
            while (moreCheckpoints && cp.getLong(1) <= seq) {
                Checkpoint k = AuditLog.checkpoint(cp);
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
                moreCheckpoints = cp.next();
            }
        }
        if (headSeq > count) {
            return AuditVerification.bad(count, checked, count + 1, "record " + (count + 1) + " is missing ("
                    + (count == 0 ? "the log is empty" : "the log ends at seq " + count) + " but its head is at seq " + headSeq + ")");
        }
        if (moreCheckpoints) {
            Checkpoint k = AuditLog.checkpoint(cp);
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
