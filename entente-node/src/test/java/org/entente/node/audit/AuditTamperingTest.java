package org.entente.node.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.entente.node.db.Database;
import org.entente.node.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What someone with write access to the tables might do, and what `entente audit verify` then says. */
class AuditTamperingTest {

    private Database database;
    private AuditLog log;

    /** 20 records, signed at 10 and 20. */
    @BeforeEach
    void twentyRecords() {
        database = Database.open(TestPostgres.freshDatabase());
        log = new AuditLog(database, 10);
        for (int i = 1; i <= 20; i++) {
            log.append(new AuditEvent(AuditEvent.RELEASE, "analyst" + i, "CERT-FR", Map.of("object", "indicator--" + i, "tlp", "amber")));
        }
        assertThat(log.verify().message()).isEqualTo("audit log intact: 20 records, 2 checkpoints, last checkpoint at seq 20");
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void anEditedDetailIsNamed() {
        sql("UPDATE audit_record SET detail = jsonb_set(detail, '{tlp}', '\"clear\"') WHERE seq = 17");
        assertBroken(17, "record 17 was altered (its content no longer matches its digest)");
    }

    @Test
    void anEditedActorOrTimeIsNamed() {
        sql("UPDATE audit_record SET actor = 'nobody' WHERE seq = 4");
        assertBroken(4, "record 4 was altered (its content no longer matches its digest)");
    }

    @Test
    void aTimeShiftedByAMicrosecondIsNamed() {
        sql("UPDATE audit_record SET at = at + interval '1 microsecond' WHERE seq = 9");
        assertBroken(9, "record 9 was altered");
    }

    @Test
    void aRecordRemovedFromTheMiddleIsNamed() {
        sql("DELETE FROM audit_record WHERE seq = 17");
        assertBroken(17, "record 17 is missing (seq jumps from 16 to 18)");
    }

    @Test
    void theFirstRecordRemovedIsNamed() {
        sql("DELETE FROM audit_record WHERE seq = 1");
        assertBroken(1, "record 1 is missing (the log starts at seq 2)");
    }

    @Test
    void theNewestRecordsRemovedShowAgainstTheHead() {
        sql("DELETE FROM audit_record WHERE seq > 18");
        assertBroken(19, "record 19 is missing (the log ends at seq 18 but its head is at seq 20)");
    }

    @Test
    void theNewestRecordsRemovedWithTheHeadRewoundShowAgainstTheCheckpoint() {
        sql("DELETE FROM audit_record WHERE seq > 18");
        sql("UPDATE audit_head SET seq = 18, hash = (SELECT hash FROM audit_record WHERE seq = 18)");
        assertBroken(19, "record 19 is missing (the log ends at seq 18 but the node signed a checkpoint at seq 20)");
    }

    @Test
    void aForgedRecordWithARecomputedDigestBreaksTheChainThere() throws SQLException {
        forge(17, false);
        assertBroken(17, "record 17 was inserted or altered (its hash does not follow from record 16)");
    }

    @Test
    void aForgedRecordWithRecomputedDigestAndHashBreaksTheNextLink() throws SQLException {
        forge(17, true);
        assertBroken(18, "record 18 was inserted or altered (its hash does not follow from record 17)");
    }

    @Test
    void aChainRewrittenToTheHeadIsCaughtByTheCheckpoint() throws SQLException {
        forge(17, true);
        rechain(18);
        assertBroken(11, "records 11 to 20 were rewritten (the recomputed chain does not reach the hash signed in the"
                + " checkpoint at seq 20; the first record that may differ is 11)");
    }

    @Test
    void aRecordAppendedBehindTheHeadIsNamed() throws SQLException {
        insert(21, Instant.now(), "invented", true);
        assertBroken(21, "record 21 was inserted (the head of the log is at seq 20)");
    }

    @Test
    void aForgedCheckpointSignatureIsNamed() {
        sql("UPDATE audit_checkpoint SET signature = set_byte(signature, 0, (get_byte(signature, 0) + 1) % 256) WHERE seq = 10");
        assertBroken(10, "the checkpoint at seq 10 is forged (its signature does not verify with the node's public key)");
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsForged() throws Exception {
        NodeKey stranger = NodeKey.fromPkcs8(java.security.KeyPairGenerator.getInstance("Ed25519")
                .generateKeyPair().getPrivate().getEncoded());
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE audit_checkpoint SET signature = ? WHERE seq = 20");
                PreparedStatement q = c.prepareStatement("SELECT hash, at FROM audit_checkpoint WHERE seq = 20")) {
            byte[] hash;
            Instant at;
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                hash = rs.getBytes(1);
                at = AuditLog.instant(rs, 2);
            }
            s.setBytes(1, stranger.sign(Chain.checkpointMessage(20, hash, at)));
            s.executeUpdate();
        }
        assertBroken(20, "the checkpoint at seq 20 is forged");
    }

    @Test
    void verificationAgainstAnotherNodesKeyFailsAtTheFirstCheckpoint() {
        try (Database other = Database.open(TestPostgres.freshDatabase())) {
            AuditVerification v = new AuditVerifier(database, new AuditLog(other).publicKey()).verify();
            assertThat(v.intact()).isFalse();
            assertThat(v.firstBadSeq()).isEqualTo(10);
        }
    }

    private void assertBroken(long seq, String message) {
        AuditVerification v = log.verify();
        assertThat(v.intact()).as(v.message()).isFalse();
        assertThat(v.message()).startsWith(message);
        assertThat(v.firstBadSeq()).isEqualTo(seq);
    }

    /** Replaces record {@code seq} by an invented one with a correct digest; with {@code rehash} also a correct hash. */
    private void forge(long seq, boolean rehash) throws SQLException {
        Instant at;
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT at FROM audit_record WHERE seq = " + seq)) {
            rs.next();
            at = AuditLog.instant(rs, 1);
        }
        sql("DELETE FROM audit_record WHERE seq = " + seq);
        insert(seq, at, "someone-else", rehash);
    }

    private void insert(long seq, Instant at, String actor, boolean rehash) throws SQLException {
        var detail = org.entente.stix.StixJson.mapper().valueToTree(Map.of("object", "indicator--x", "tlp", "clear"));
        byte[] digest = Chain.digest(seq, at, AuditEvent.RELEASE, actor, "CERT-FR", (com.fasterxml.jackson.databind.JsonNode) detail);
        try (Connection c = database.dataSource().getConnection()) {
            byte[] hash = rehash ? Chain.hash(hashOf(c, seq - 1), digest) : new byte[32];
            try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_record (seq, at, kind, actor, organisation, detail,"
                    + " digest, hash) VALUES (?, ?, 'release', ?, 'CERT-FR', ?::jsonb, ?, ?)")) {
                s.setLong(1, seq);
                s.setObject(2, AuditLog.sql(at));
                s.setString(3, actor);
                s.setString(4, detail.toString());
                s.setBytes(5, digest);
                s.setBytes(6, hash);
                s.executeUpdate();
            }
        }
    }

    /** Recomputes the hashes from {@code from} to the end and moves the head, as a careful forger would. */
    private void rechain(long from) throws SQLException {
        try (Connection c = database.dataSource().getConnection()) {
            byte[] previous = hashOf(c, from - 1);
            long seq = from;
            while (true) {
                byte[] digest;
                try (PreparedStatement q = c.prepareStatement("SELECT digest FROM audit_record WHERE seq = ?")) {
                    q.setLong(1, seq);
                    try (ResultSet rs = q.executeQuery()) {
                        if (!rs.next()) break;
                        digest = rs.getBytes(1);
                    }
                }
                previous = Chain.hash(previous, digest);
                try (PreparedStatement u = c.prepareStatement("UPDATE audit_record SET hash = ? WHERE seq = ?")) {
                    u.setBytes(1, previous);
                    u.setLong(2, seq);
                    u.executeUpdate();
                }
                seq++;
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE audit_head SET hash = ?")) {
                u.setBytes(1, previous);
                u.executeUpdate();
            }
        }
    }

    private static byte[] hashOf(Connection c, long seq) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT hash FROM audit_record WHERE seq = ?")) {
            q.setLong(1, seq);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    private void sql(String statement) {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
