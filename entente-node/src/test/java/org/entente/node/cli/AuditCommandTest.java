package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.node.testing.Cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.db.Database;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.testing.Cli.Run;
import org.entente.node.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {

    @TempDir Path dir;

    @Test
    void verifyExportAndCheckTheExportOffline() throws IOException, SQLException {
        DatabaseLocation.External db = TestPostgres.freshDatabase();
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=postgres&password=postgres";
        try (Database d = Database.open(db)) {
            AuditLog log = new AuditLog(d);
            log.append(new AuditEvent(AuditEvent.LOGIN, "alice", "CERT-FR", Map.of()));
            log.append(new AuditEvent(AuditEvent.RELEASE, "alice", "CERT-FR", Map.of("object", "indicator--1")));
            log.append(new AuditEvent(AuditEvent.DENY, "bob", "NCA", Map.of("object", "indicator--2", "reason", "tlp")));
        }

        Run verify = run("audit", "verify", "--database-url", url);
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out().strip()).isEqualTo("audit log intact: 3 records, 0 checkpoints, no checkpoint yet");

        Run checkpoint = run("audit", "checkpoint", "--database-url", url);
        assertThat(checkpoint.exit()).as(checkpoint.err()).isZero();
        assertThat(checkpoint.out()).startsWith("checkpoint at seq 3, hash ");

        Run key = run("audit", "public-key", "--database-url", url);
        assertThat(key.exit()).isZero();
        assertThat(key.out()).startsWith("-----BEGIN PUBLIC KEY-----").contains("-----END PUBLIC KEY-----");
        Path pem = Files.writeString(dir.resolve("node.pem"), key.out());

        Path file = dir.resolve("audit.json");
        Run export = run("audit", "export", "--database-url", url, "--from", "2000-01-01", "--until", "2100-01-01T00:00:00Z",
                "--output", file.toString());
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).contains("exported 3 records (seq 1 to 3) to " + file + ", proven by the checkpoint at seq 3");

        Run toStdout = run("audit", "export", "--database-url", url, "--from", "2000-01-01", "--until", "2100-01-01");
        assertThat(toStdout.exit()).isZero();
        assertThat(toStdout.out()).startsWith("{").contains("\"format\" : \"entente-audit-export\"");
        assertThat(toStdout.err()).as("the summary stays out of the export").contains("exported 3 records");

        Run offline = run("audit", "verify-export", file.toString(), "--public-key", pem.toString());
        assertThat(offline.exit()).as(offline.err()).isZero();
        assertThat(offline.out()).startsWith("export intact: 3 records (seq 1 to 3)");

        Files.writeString(file, Files.readString(file).replace("indicator--2", "indicator--9"));
        Run altered = run("audit", "verify-export", file.toString(), "--public-key", pem.toString());
        assertThat(altered.exit()).isEqualTo(1);
        assertThat(altered.err()).contains("record 3 was altered");

        try (Database d = Database.open(db); Connection c = d.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM audit_record WHERE seq = 2");
        }
        Run broken = run("audit", "verify", "--database-url", url);
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.err()).contains("record 2 is missing (seq jumps from 1 to 3)");
    }

    @Test
    void badInputIsAUsageError() throws IOException {
        DatabaseLocation.External db = TestPostgres.freshDatabase();
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=postgres&password=postgres";

        Run badTime = run("audit", "export", "--database-url", url, "--from", "yesterday", "--until", "2025-01-01");
        assertThat(badTime.exit()).isEqualTo(2);
        assertThat(badTime.err()).contains("'yesterday' is neither an RFC 3339 timestamp");

        Run noOffset = run("audit", "export", "--database-url", url, "--from", "2025-01-01T10:00:00", "--until", "2025-01-02");
        assertThat(noOffset.exit()).isEqualTo(2);

        Run backwards = run("audit", "export", "--database-url", url, "--from", "2025-02-01", "--until", "2025-01-01");
        assertThat(backwards.exit()).isEqualTo(2);
        assertThat(backwards.err()).contains("--from 2025-02-01T00:00:00Z is after --until 2025-01-01T00:00:00Z");

        Run missingUntil = run("audit", "export", "--database-url", url, "--from", "2025-01-01");
        assertThat(missingUntil.exit()).isEqualTo(2);
        assertThat(missingUntil.err()).contains("--until");

        Run empty = run("audit", "export", "--database-url", url, "--from", "2025-01-01", "--until", "2025-02-01");
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("the audit log is empty");
        Run nothingToSign = run("audit", "checkpoint", "--database-url", url);
        assertThat(nothingToSign.exit()).isEqualTo(2);
        assertThat(nothingToSign.err()).contains("nothing to checkpoint");

        Path notAKey = Files.writeString(dir.resolve("key.pem"), "hello");
        Run badKey = run("audit", "verify-export", dir.resolve("x.json").toString(), "--public-key", notAKey.toString());
        assertThat(badKey.exit()).isEqualTo(2);
        assertThat(badKey.err()).contains("no PEM public key");
        Run noKeyFile = run("audit", "verify-export", "x.json", "--public-key", dir.resolve("none.pem").toString());
        assertThat(noKeyFile.exit()).isEqualTo(2);
        assertThat(noKeyFile.err()).contains("no such file");

        Run help = run("audit", "export", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--from=TIME", "--until=TIME", "RFC 3339", "public key alone");
        assertThat(run("audit", "--help").out()).contains("verify-export", "public-key", "checkpoint");
    }
}
