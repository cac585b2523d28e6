package org.entente.node.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.db.Database;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** A backup written before the latest migrations comes back at its own schema version and is then migrated. */
class OlderSchemaRestoreTest {

    private static final Backups.Options BUILTIN = new Backups.Options(Backups.Method.BUILTIN, null, false, line -> { });

    @Test
    void aBackupOfAnOlderSchemaIsRestoredAtItsVersionThenMigrated(@TempDir Path dir) throws Exception {
        // A node of the version before consents (schema 3): an organisation and a signed audit log.
        DataSource old = dataSource(TestPostgres.freshDatabase());
        Flyway.configure().dataSource(old).locations("classpath:db/migration").target("3").load().migrate();
        execute(old, "INSERT INTO organisation (id, name, nation, sector, is_own) VALUES"
                + " ('identity--9f0c2b8e-6d4a-4a7e-8c1e-2f1d0f6b7a10', 'National Cybercrime Centre', 'EE', 'cybercrime', true)");
        AuditLog audit = new AuditLog(org.entente.node.db.Database.of(old, "schema 3"));
        audit.append(new AuditEvent("organisation-created", "cli:test", null, Map.of("name", "National Cybercrime Centre")));
        audit.append(new AuditEvent("login", "alice", null, Map.of("via", "password")));
        audit.checkpoint();
        Path file = dir.resolve("v3.backup");
        Backups.Written w = Backups.backup(old, "postgres", file, BUILTIN);
        assertThat(w.schemaVersion()).isEqualTo("3");

        DatabaseLocation.External target = TestPostgres.freshDatabase();
        try (Database db = Database.open(target, Backups.RESTORE_SESSION)) {
            Backups.Restored r = Backups.restore(db.dataSource(), "postgres", file, BUILTIN);
            assertThat(r.schemaVersion()).isEqualTo("3");
            assertThat(r.migratedTo()).isEqualTo(org.entente.node.testing.Schema.latest());
            assertThat(r.audit().intact()).as(r.audit().message()).isTrue();
            assertThat(r.audit().records()).isEqualTo(2);
            assertThat(strings(db.dataSource(), "SELECT name FROM organisation")).containsExactly("National Cybercrime Centre");
            assertThat(strings(db.dataSource(), "SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
                    .containsExactlyElementsOf(org.entente.node.testing.Schema.versions());
            // Migration 4 ran on the restored rows: organisation names are now unique whatever their case.
            assertThatThrownBy(() -> execute(db.dataSource(), "INSERT INTO organisation (id, name, nation, sector) VALUES"
                    + " ('identity--0b1d1e3c-0f55-4e38-9a0b-7c9d2e4f6a11', 'NATIONAL CYBERCRIME CENTRE', 'EE', 'cybercrime')"))
                    .hasMessageContaining("organisation_name_folded");
            assertThat(new AuditLog(db).verify().intact()).isTrue();
        }
    }

    private static DataSource dataSource(DatabaseLocation.External location) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(location.jdbcUrl());
        ds.setUser(location.user());
        ds.setPassword(location.password());
        return ds;
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> strings(DataSource ds, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
