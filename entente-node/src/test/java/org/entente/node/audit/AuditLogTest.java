package org.entente.node.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.entente.node.db.Database;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditLogTest {

    private DatabaseLocation location;
    private Database database;

    @BeforeEach
    void open() {
        location = TestPostgres.freshDatabase();
        database = Database.open(location);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void appendedRecordsVerifyAndCheckpointsAreSigned() {
        AuditLog log = new AuditLog(database);
        assertThat(log.verify().message()).isEqualTo("audit log intact: 0 records, 0 checkpoints, no checkpoint yet");

        Map<String, Object> awkward = new LinkedHashMap<>();
        awkward.put("zeta", 1.10);
        awkward.put("alpha", List.of(1, 2.5e-7, 12345678901234567890.0, "تجربة", "emoji \uD83D\uDE00"));
        awkward.put("nothing", null);
        awkward.put("nested", Map.of("b", true, "a", Map.of()));
        assertThat(log.append(new AuditEvent(AuditEvent.LOGIN, "alice", "CERT-FR", Map.of("via", "api-key")))).isEqualTo(1);
        assertThat(log.append(new AuditEvent(AuditEvent.RELEASE, "bob", "NCA", awkward))).isEqualTo(2);
        assertThat(log.append(new AuditEvent(AuditEvent.PURGE, AuditEvent.SYSTEM, Map.of("objects", 12)))).isEqualTo(3);

        assertThat(log.verify().message()).isEqualTo("audit log intact: 3 records, 0 checkpoints, no checkpoint yet");
        Checkpoint k = log.checkpoint();
        assertThat(k.seq()).isEqualTo(3);
        assertThat(NodeKey.verifies(log.publicKey(), k.message(), Chain.unhex(k.signature()))).isTrue();
        assertThat(log.checkpoint()).as("the head is signed already").isEqualTo(k);
        assertThat(log.checkpointIfBehind()).isEmpty();

        AuditVerification v = log.verify();
        assertThat(v.intact()).isTrue();
        assertThat(v.message()).isEqualTo("audit log intact: 3 records, 1 checkpoint, last checkpoint at seq 3");
    }

    @Test
    void everyNthRecordIsCheckpointedAndTheTimerSignsTheRest() {
        AuditLog log = new AuditLog(database, 3);
        assertThat(log.checkpointIfBehind()).as("nothing to sign in an empty log").isEmpty();
        assertThatThrownBy(log::checkpoint).hasMessageContaining("the audit log is empty");
        for (int i = 0; i < 7; i++) log.append(login("user" + i));
        assertThat(checkpointSeqs()).containsExactly(3L, 6L);
        assertThat(log.checkpointIfBehind()).map(Checkpoint::seq).contains(7L);
        assertThat(log.checkpointIfBehind()).isEmpty();
        assertThat(log.verify().message()).isEqualTo("audit log intact: 7 records, 3 checkpoints, last checkpoint at seq 7");
    }

    @Test
    void theNodeKeyIsCreatedOnceAndSharedByEveryProcess() {
        AuditLog one = new AuditLog(database);
        try (Database other = Database.open(TestPostgres.freshDatabase())) {
            assertThat(new AuditLog(other).publicKeyPem()).as("another database, another key")
                    .isNotEqualTo(one.publicKeyPem());
        }
        assertThat(new AuditLog(database).publicKeyPem()).isEqualTo(one.publicKeyPem());
        assertThat(one.publicKeyPem()).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(NodeKey.readPublicKeyPem(one.publicKeyPem())).isEqualTo(one.publicKey());
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws SQLException {
        AuditLog log = new AuditLog(database);
        log.append(login("alice"));

        assertThatThrownBy(() -> new AuditEvent("Login!", "alice", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case letters");
        assertThatThrownBy(() -> new AuditEvent(AuditEvent.LOGIN, " ", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs an actor");
        assertThatThrownBy(() -> log.append(new AuditEvent(AuditEvent.LOGIN, "alice", Map.of("note", "a\u0000b"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> log.append(new AuditEvent(AuditEvent.LOGIN, "alice", Map.of("thing", new Object()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON data");
        try (Connection c = database.dataSource().getConnection()) {
            assertThatThrownBy(() -> log.append(c, login("bob")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs an open transaction");
        }

        assertThat(count("audit_record")).isEqualTo(1);
        assertThat(log.append(login("carol"))).isEqualTo(2);
        assertThat(log.verify().intact()).isTrue();
    }

    @Test
    void aRolledBackChangeLeavesNoRecordAndNoGap() throws SQLException {
        AuditLog log = new AuditLog(database);
        log.append(login("alice"));
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            changeSomething(c, "agreement-1");
            assertThat(log.append(c, new AuditEvent(AuditEvent.AGREEMENT_CHANGE, "alice", "CERT-FR", Map.of("agreement", "1"))))
                    .isEqualTo(2);
            c.rollback();
        }
        assertThat(count("audit_record")).isEqualTo(1);
        assertThat(count("node_setting WHERE name = 'agreement-1'")).isZero();

        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            changeSomething(c, "agreement-2");
            assertThat(log.append(c, new AuditEvent(AuditEvent.AGREEMENT_CHANGE, "alice", "CERT-FR", Map.of("agreement", "2"))))
                    .as("the rolled-back seq is reused, so no gap").isEqualTo(2);
            c.commit();
        }
        assertThat(count("node_setting WHERE name = 'agreement-2'")).isEqualTo(1);
        assertThat(log.verify().message()).startsWith("audit log intact: 2 records");
    }

    @Test
    void concurrentAppendsFromTwoProcessesKeepOneContiguousChain() throws Exception {
        try (Database second = Database.open(location)) {
            // Two pools on one database behave as two node processes would.
            List<AuditLog> logs = List.of(new AuditLog(database, 50), new AuditLog(second, 50));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                AuditLog log = logs.get(t % 2);
                String actor = "worker" + t;
                results.add(pool.submit(() -> {
                    long[] seqs = new long[100];
                    for (int i = 0; i < seqs.length; i++) seqs[i] = log.append(login(actor));
                    return seqs;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<long[]> f : results) for (long s : f.get()) all.add(s);
            pool.shutdown();
            assertThat(all).doesNotHaveDuplicates().hasSize(400);
            assertThat(all.stream().mapToLong(Long::longValue).max()).hasValue(400);
            assertThat(checkpointSeqs()).containsExactly(50L, 100L, 150L, 200L, 250L, 300L, 350L, 400L);
            assertThat(logs.get(1).verify().message())
                    .isEqualTo("audit log intact: 400 records, 8 checkpoints, last checkpoint at seq 400");
        }
    }

    static AuditEvent login(String user) {
        return new AuditEvent(AuditEvent.LOGIN, user, "CERT-FR", Map.of("method", "password"));
    }

    private static void changeSomething(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO node_setting (name, value) VALUES (?, ?)")) {
            s.setString(1, name);
            s.setBytes(2, new byte[] {1});
            s.executeUpdate();
        }
    }

    private long count(String from) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<Long> checkpointSeqs() {
        List<Long> seqs = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq FROM audit_checkpoint ORDER BY seq")) {
            while (rs.next()) seqs.add(rs.getLong(1));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return seqs;
    }

}
