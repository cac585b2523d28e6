package org.entente.node;

import org.entente.node.config.NodeConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.db.Database;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node acknowledges survives a machine crash: a 202 "complete", a user change, an audit record. */
class DurabilityTest {

    @Test
    void theEmbeddedPostgresOfANodeCommitsDurably(@TempDir Path dir) throws Exception {
        NodeConfig config = new NodeConfig("127.0.0.1", 0, new DatabaseLocation.Embedded(dir.resolve("data")), false,
                null, null, NodeConfig.DEFAULT_MAX_CONTENT_LENGTH, "durable");
        try (Node node = Node.start(config)) {
            DataSource ds = node.database().dataSource();
            assertThat(show(ds, "fsync")).isEqualTo("on");
            assertThat(show(ds, "synchronous_commit")).isEqualTo("on");
            assertThat(show(ds, "full_page_writes")).isEqualTo("on");
        }
    }

    @Test
    void aTransactionThatAppendsAnAuditRecordCommitsDurablyEvenInABulkImport() throws Exception {
        try (Database db = Database.open(TestPostgres.freshDatabase())) {
            AuditLog audit = new AuditLog(db);
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL synchronous_commit = off"); // as ObjectStore.bulkWriter does
                }
                assertThat(show(c, "synchronous_commit")).isEqualTo("off");
                audit.append(c, new AuditEvent("import", "cli:test", null, Map.of("objects", 3)));
                assertThat(show(c, "synchronous_commit")).as("at commit, after the append").isEqualTo("on");
                c.commit();
                c.setAutoCommit(true);
            }
            assertThat(audit.verify().intact()).isTrue();
        }
    }

    @Test
    void aStaleLockFileNamingAnotherProgramDoesNotKeepTheServerFromStarting(@TempDir Path dir) throws Exception {
        DatabaseLocation.Embedded location = new DatabaseLocation.Embedded(dir.resolve("data"));
        Database.open(location).close();
        Path pidFile = dir.resolve("data/pgdata/postmaster.pid");
        assertThat(pidFile).doesNotExist();
        // After a reboot, the pid in a lock file left by a crash may belong to any program.
        Process other = new ProcessBuilder("sleep", "120").start();
        try {
            Files.writeString(pidFile, other.pid() + "\n" + pidFile.getParent() + "\n1700000000\n5432\n/tmp\n127.0.0.1\n"
                    + "  5432001     32768\nready   \n");
            try (Database db = Database.open(location)) {
                assertThat(show(db.dataSource(), "fsync")).isEqualTo("on");
            }
            assertThat(other.isAlive()).as("the other program is left alone").isTrue();
        } finally {
            other.destroy();
        }
    }

    private static String show(DataSource ds, String setting) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return show(c, setting);
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
