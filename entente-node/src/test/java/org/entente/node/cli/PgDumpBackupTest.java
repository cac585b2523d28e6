package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import org.entente.node.testing.Cli.Run;
import org.entente.node.testing.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups through pg_dump and pg_restore, on a PostgreSQL of the machine's own installation (the
 * embedded one ships no client tools). Skipped where none is installed.
 */
class PgDumpBackupTest {

    @TempDir
    static Path serverDir;

    static LocalPostgres server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        var bin = LocalPostgres.installation();
        assumeTrue(bin.isPresent(), "no PostgreSQL installation with pg_dump, pg_restore and psql (/usr/lib/postgresql/N/bin)");
        server = LocalPostgres.start(bin.get(), serverDir);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private CliDatabase fresh(String name) {
        return new CliDatabase(server.freshDatabase(name + "_" + System.nanoTime()));
    }

    @Test
    void aPgDumpBackupRestoresIntoItsOwnServerAndIntoTheEmbeddedVersion() throws Exception {
        BackupRestoreTest.Source s = BackupRestoreTest.populate(CliDatabase.withPartners(fresh("src")), dir);
        Path file = dir.resolve("node.backup");
        Run backup = s.db().ok("backup", file.toString(), "--method", "pg_dump", "--pg-bin", server.bin().toString());
        assertThat(backup.out()).contains("(pg_dump " + server.major() + ".");
        assertThat(backup.err()).contains("dumping contents of table \"public.stix_object\"");
        JsonNode manifest = BackupRestoreTest.manifest(file);
        assertThat(manifest.path("method").asText()).isEqualTo("pg_dump");
        assertThat(manifest.path("dump").path("name").asText()).isEqualTo("pg_dump.custom");

        CliDatabase sameServer = fresh("dst");
        Run restore = sameServer.ok("restore", file.toString(), "--pg-bin", server.bin().toString());
        assertThat(restore.out()).contains("(pg_dump " + server.major() + ".").contains("audit log intact:");
        assertThat(BackupRestoreTest.fingerprint(sameServer)).isEqualTo(BackupRestoreTest.fingerprint(s.db()));

        // psql of this version runs pg_restore's SQL on the test suite's PostgreSQL 17 just as well.
        CliDatabase embeddedVersion = new CliDatabase();
        embeddedVersion.ok("restore", file.toString(), "--pg-bin", server.bin().toString());
        assertThat(BackupRestoreTest.fingerprint(embeddedVersion)).isEqualTo(BackupRestoreTest.fingerprint(s.db()));
        embeddedVersion.ok("user", "add", "bob");
    }

    @Test
    void aFailedPgRestoreRollsEverythingBack() throws Exception {
        BackupRestoreTest.Source s = BackupRestoreTest.populate(CliDatabase.withPartners(fresh("src")), dir);
        Path file = dir.resolve("node.backup");
        s.db().ok("backup", file.toString(), "--method", "pg_dump", "--pg-bin", server.bin().toString());
        Path miscounted = BackupRestoreTest.rewrite(file, "miscounted.backup", m -> {
            for (JsonNode t : m.path("tables")) {
                if (t.path("name").asText().equals("stix_object")) ((ObjectNode) t).put("rows", t.path("rows").asLong() + 1);
            }
        });
        CliDatabase target = CliDatabase.withPartners(fresh("dst"));
        Map<String, String> before = BackupRestoreTest.fingerprint(target);
        Run r = target.refused("restore", miscounted.toString(), "--force", "--pg-bin", server.bin().toString());
        assertThat(r.err()).contains("psql stopped the restore").contains("table stix_object holds 25 rows after the restore,"
                + " the backup counted 26");
        assertThat(BackupRestoreTest.fingerprint(target)).isEqualTo(before);
    }

    @Test
    void aPgDumpOlderThanTheServerIsNotUsed() throws Exception {
        assumeTrue(server.major() < 17, "the installed pg_dump can dump the test suite's PostgreSQL 17");
        CliDatabase db = CliDatabase.withPartners(); // on the suite's PostgreSQL 17
        Path file = dir.resolve("auto.backup");
        Run auto = db.ok("backup", file.toString(), "--pg-bin", server.bin().toString());
        assertThat(auto.err()).contains("pg_dump " + server.major() + ".").contains("cannot dump a PostgreSQL 17 server:"
                + " using the built-in logical backup");
        assertThat(BackupRestoreTest.manifest(file).path("method").asText()).isEqualTo("builtin");
        Run refused = db.refused("backup", dir.resolve("pg.backup").toString(), "--method", "pg_dump",
                "--pg-bin", server.bin().toString());
        assertThat(refused.err()).contains("pg_dump must be of PostgreSQL 17 or later");
    }
}
