package org.entente.node.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.entente.node.audit.AuditVerification;
import org.entente.node.db.Database;
import org.entente.node.config.DatabaseLocation;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Backup and restore of a node's database, embedded or external (docs/OPERATIONS.md).
 *
 * <p>A backup is one file: a zip of a manifest and either pg_dump's archive (when a pg_dump at least
 * as new as the server is at hand) or every table's rows in binary COPY format, all read in one
 * snapshot so that a node may keep writing meanwhile. A restore checks the whole file first, then
 * replaces the schema's content in one transaction, migrates a backup of an older schema to this
 * build's, and verifies the audit chain.
 */
public final class Backups {
    private Backups() {}

    /** The {@code application_name} of a restore's own connections: any other session is someone else's. */
    public static final String RESTORE_SESSION = "entente restore " + ProcessHandle.current().pid();

    /** The {@code application_name} of pg_dump, pg_restore and psql when we run them. */
    static final String TOOL_SESSION = "entente backup tool";

    private static final String DUMP_ENTRY = "pg_dump.custom";

    public enum Method {
        /** pg_dump when one at least as new as the server is found, the built-in backup otherwise. */
        AUTO,
        PG_DUMP,
        BUILTIN
    }

    /** Where the progress of a long run goes (standard error for the command line). */
    @FunctionalInterface
    public interface Progress {
        void report(String line);
    }

    /**
     * @param pgBin where to look for pg_dump, pg_restore and psql; null for the PATH
     * @param force backup: replace an existing file; restore: replace a database that is not empty
     */
    public record Options(Method method, Path pgBin, boolean force, Progress progress) {}

    public record Written(Path file, String method, int tables, long rows, long bytes, String schemaVersion,
            long auditSeq, Duration took) {}

    /**
     * @param migratedTo the schema version after the restore: the backup's, or this build's when the
     *     backup was of an older one
     * @param audit the verification of the restored audit chain, with the head compared to the backup's
     */
    public record Restored(String method, int tables, long rows, String schemaVersion, String migratedTo,
            AuditVerification audit, Duration took) {}

    /**
     * Writes a backup of the database to {@code file}.
     *
     * @throws IllegalArgumentException when the file exists (without force) or the asked method cannot be used
     * @throws IllegalStateException when reading the database or writing the file fails (no file is left behind)
     */
    public static Written backup(Database db, DatabaseLocation location, Path file, Options o) {
        return backup(db.dataSource(), password(location), file, o);
    }

    /** @param password for pg_dump; null when the connection needs none or its URL carries it */
    static Written backup(DataSource ds, String password, Path file, Options o) {
        long started = System.nanoTime();
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) throw new IllegalArgumentException(file + " is a folder; give the backup's file name");
        if (Files.exists(target) && !o.force()) throw new IllegalArgumentException(file + " exists: give --force to replace it");
        try (Connection c = ds.getConnection()) {
            int serverNum = Integer.parseInt(Schema.string(c, "SHOW server_version_num"));
            String serverVersion = Schema.string(c, "SHOW server_version");
            Optional<PgTools.Tool> pgDump = dumpTool(o, serverNum);
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (BackupFile.Writer out = new BackupFile.Writer(target, o.force())) {
                // Everything from here reads one snapshot.
                String schema = Schema.current(c);
                List<Manifest.Migration> migrations = Schema.migrations(c);
                Manifest.AuditHead head = Schema.auditHead(c);
                Map<String, List<Manifest.Column>> tables = Schema.tables(c);
                List<Manifest.Table> written;
                Manifest.Entry dump = null;
                if (pgDump.isPresent()) {
                    o.progress().report("backing up with " + pgDump.get());
                    String snapshot = Schema.string(c, "SELECT pg_export_snapshot()");
                    Map<String, String> env = PgTools.environment(c, password);
                    written = new ArrayList<>();
                    for (String t : Schema.loadOrder(c, tables.keySet())) {
                        written.add(new Manifest.Table(t, tables.get(t), Schema.count(c, t), null));
                    }
                    dump = out.write(DUMP_ENTRY, new Meter(o.progress(), "pg_dump archive", -1),
                            os -> PgTools.dump(pgDump.get(), env, snapshot, schema, os, o.progress()));
                } else {
                    o.progress().report("backing up with the built-in logical backup (binary COPY of every table)");
                    written = Builtin.write(c, tables, out, o.progress());
                }
                List<Manifest.SequenceState> sequences = Schema.sequences(c);
                Manifest m = new Manifest(Manifest.FORMAT_VERSION,
                        pgDump.isPresent() ? Manifest.Method.PG_DUMP : Manifest.Method.BUILTIN, Instant.now(),
                        ententeVersion(), schema, migrations, serverVersion, serverNum,
                        pgDump.map(PgTools.Tool::version).orElse(null), head, written, sequences, dump);
                c.rollback();
                out.finish(m.toJson(BackupFile.JSON));
                return new Written(target, pgDump.map(t -> "pg_dump " + t.version()).orElse("built-in"), written.size(),
                        m.rows(), out.size(), m.schemaVersion(), head.seq(), Duration.ofNanos(System.nanoTime() - started));
            }
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(file + " exists: give --force to replace it");
        } catch (SQLException e) {
            throw new IllegalStateException("the backup failed, no file was written: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("the backup failed, no file was written: " + e.getMessage(), e);
        }
    }

    private static Optional<PgTools.Tool> dumpTool(Options o, int serverNum) {
        if (o.method() == Method.BUILTIN) return Optional.empty();
        int server = PgTools.major(serverNum);
        Optional<PgTools.Tool> tool = PgTools.find("pg_dump", o.pgBin());
        String where = o.pgBin() == null ? "on the PATH" : "in " + o.pgBin();
        String why;
        if (tool.isEmpty()) {
            why = "no pg_dump " + where;
        } else if (tool.get().major() < server) {
            why = tool.get() + " cannot dump a PostgreSQL " + server + " server";
        } else {
            return tool;
        }
        if (o.method() == Method.PG_DUMP) {
            throw new IllegalArgumentException("--method pg_dump: " + why + " (pg_dump must be of PostgreSQL " + server
                    + " or later; give its folder with --pg-bin)");
        }
        o.progress().report(why + ": using the built-in logical backup");
        return Optional.empty();
    }

    /**
     * Replaces the database's content with a backup's.
     *
     * @throws IllegalArgumentException when the file is missing, damaged or of a newer schema, the
     *     database is not empty or in use (without force), or the tools the backup needs are missing;
     *     nothing was changed
     * @throws IllegalStateException when the restore failed in the database; its transaction was rolled back
     */
    public static Restored restore(Database db, DatabaseLocation location, Path file, Options o) {
        return restore(db.dataSource(), password(location), file, o);
    }

    static Restored restore(DataSource ds, String password, Path file, Options o) {
        long started = System.nanoTime();
        Manifest m;
        long rows;
        try (BackupFile.Reader in = BackupFile.Reader.open(file)) {
            m = in.manifest();
            o.progress().report("checking " + file + ": " + (m.method() == Manifest.Method.PG_DUMP ? "pg_dump " + m.toolVersion()
                    : "built-in") + " backup of " + m.created() + ", schema version " + m.schemaVersion()
                    + ", PostgreSQL " + m.serverVersion());
            if (m.method() == Manifest.Method.PG_DUMP) {
                in.check(m.dump(), new Meter(o.progress(), "checking", m.dump().bytes()));
            } else {
                Meter meter = new Meter(o.progress(), "checking", m.tables().stream().mapToLong(t -> t.entry().bytes()).sum());
                for (Manifest.Table t : m.tables()) in.check(t.entry(), meter);
            }
            Flyway flyway = Database.migrations(ds);
            Map<String, String> scripts = scripts(flyway, m);
            PgTools.Tool[] tools = m.method() == Manifest.Method.PG_DUMP ? restoreTools(o, m) : null;
            try (Connection c = ds.getConnection()) {
                String schema = Schema.current(c);
                if (m.method() == Manifest.Method.PG_DUMP && !schema.equals(m.schema())) {
                    throw new IllegalArgumentException("the backup is of schema '" + m.schema() + "' and this database's"
                            + " is '" + schema + "': pg_restore recreates the schema it dumped");
                }
                checkTarget(c, o);
                if (m.method() == Manifest.Method.BUILTIN) {
                    rows = loadBuiltin(c, in, m, scripts, o.progress());
                } else {
                    Map<String, String> env = PgTools.environment(c, password);
                    o.progress().report("restoring with " + tools[0] + " and " + tools[1]);
                    try (InputStream archive = in.open(m.dump(), new Meter(o.progress(), "restoring", m.dump().bytes()))) {
                        PgTools.restore(tools[0], tools[1], env, archive, m, o.progress());
                    }
                    rows = m.rows();
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        } catch (Manifest.Damaged e) {
            throw new IllegalArgumentException(file + " is damaged, nothing was changed: " + e.getMessage(), e);
        } catch (Manifest.Unsupported e) {
            throw new IllegalArgumentException(file + " cannot be restored here, nothing was changed: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("the restore failed and was rolled back: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("the restore failed and was rolled back: " + e.getMessage(), e);
        }
        Flyway flyway = Database.migrations(ds);
        flyway.migrate();
        MigrationInfo current = flyway.info().current();
        String now = current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion();
        return new Restored(m.method() == Manifest.Method.PG_DUMP ? "pg_dump " + m.toolVersion() : "built-in",
                m.tables().size(), rows, m.schemaVersion(), now, verifyAudit(ds, m), Duration.ofNanos(System.nanoTime() - started));
    }

    /** Refuses a database that other sessions use or that holds data, unless forced; says what force replaces. */
    private static void checkTarget(Connection c, Options o) throws SQLException {
        List<String> others = Schema.otherSessions(c, RESTORE_SESSION);
        if (!others.isEmpty()) {
            String who = others.size() + " other session" + (others.size() == 1 ? " is" : "s are") + " connected to this database ("
                    + String.join("; ", others) + ")";
            if (!o.force()) {
                throw new IllegalArgumentException(who + ": stop the node processes using it before restoring"
                        + " (or give --force)");
            }
            o.progress().report("--force: restoring although " + who);
        }
        Map<String, Long> contents = Schema.contents(c);
        if (!contents.isEmpty()) {
            String what = contents.entrySet().stream().map(e -> e.getKey() + " " + rows(e.getValue()))
                    .collect(Collectors.joining(", "));
            if (!o.force()) {
                throw new IllegalArgumentException("the database is not empty (" + what + "): a restore replaces all of it;"
                        + " give --force to replace it");
            }
            o.progress().report("--force: replacing everything in the database: " + what);
        }
    }

    private static long loadBuiltin(Connection c, BackupFile.Reader in, Manifest m, Map<String, String> scripts,
            Progress progress) throws SQLException {
        c.setAutoCommit(false);
        try {
            progress.report("restoring " + m.tables().size() + " tables, " + rows(m.rows()));
            // A session that --force let stay may hold a lock on a table: give up rather than hang.
            Builtin.run(c, "SET LOCAL lock_timeout = '60s'");
            Builtin.run(c, Schema.emptySchemaSql(true));
            // The schema the rows were read from: the backup's own migrations, replayed from this build.
            for (Manifest.Migration x : m.migrations()) Builtin.run(c, scripts.get(x.version()));
            // Rows the migrations seed (the audit head, the policy epoch) come from the backup too.
            Builtin.run(c, "TRUNCATE " + Schema.tables(c).keySet().stream().map(Schema::quote).collect(Collectors.joining(", ")));
            long rows = Builtin.load(c, in, m, progress);
            c.commit();
            return rows;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * This build's script of every migration the backup had applied, by version.
     *
     * @throws Manifest.Unsupported when the backup is of a newer schema, or a migration differs from this build's
     */
    private static Map<String, String> scripts(Flyway flyway, Manifest m) throws IOException {
        Map<MigrationVersion, MigrationInfo> ours = new HashMap<>();
        MigrationVersion newest = MigrationVersion.EMPTY;
        for (MigrationInfo i : flyway.info().all()) {
            if (i.getVersion() == null) continue;
            ours.put(i.getVersion(), i);
            if (i.getVersion().compareTo(newest) > 0) newest = i.getVersion();
        }
        Location location = flyway.getConfiguration().getLocations()[0];
        Map<String, String> scripts = new HashMap<>();
        for (Manifest.Migration x : m.migrations()) {
            MigrationVersion v = MigrationVersion.fromVersion(x.version());
            if (v.compareTo(newest) > 0) {
                throw new Manifest.Unsupported("it holds schema version " + m.schemaVersion() + ", newer than this Entente's "
                        + newest.getVersion() + ": restore it with the Entente that wrote it (" + m.ententeVersion()
                        + ") or a newer one");
            }
            MigrationInfo i = ours.get(v);
            if (i == null || !"SQL".equals(x.type()) || !x.script().equals(i.getScript())
                    || !Objects.equals(x.checksum(), i.getResolvedChecksum())) {
                throw new Manifest.Unsupported("its migration " + x.version() + " (" + x.script() + ", checksum " + x.checksum()
                        + ") is not this build's" + (i == null ? "" : " (" + i.getScript() + ", checksum " + i.getResolvedChecksum() + ")"));
            }
            String resource = location.getRootPath() + "/" + i.getScript();
            try (InputStream s = Database.class.getClassLoader().getResourceAsStream(resource)) {
                if (s == null) throw new IllegalStateException("this build lacks its migration script " + resource);
                String text = new String(s.readAllBytes(), StandardCharsets.UTF_8);
                if (text.contains("${")) {
                    throw new IllegalStateException("migration " + i.getScript() + " has Flyway placeholders, which a restore"
                            + " does not replace");
                }
                scripts.put(x.version(), text);
            }
        }
        return scripts;
    }

    private static PgTools.Tool[] restoreTools(Options o, Manifest m) {
        int needed = Integer.parseInt(m.toolVersion().replaceFirst("\\..*", ""));
        PgTools.Tool[] tools = new PgTools.Tool[2];
        String[] names = {"pg_restore", "psql"};
        for (int i = 0; i < 2; i++) {
            Optional<PgTools.Tool> t = PgTools.find(names[i], o.pgBin());
            if (t.isEmpty() || t.get().major() < needed) {
                throw new IllegalArgumentException("this backup was written by pg_dump " + m.toolVersion() + ": restoring it"
                        + " needs pg_restore and psql of PostgreSQL " + needed + " or later, and "
                        + (t.isEmpty() ? "there is no " + names[i] + (o.pgBin() == null ? " on the PATH" : " in " + o.pgBin())
                                : "the " + names[i] + " found is " + t.get()) + " (give their folder with --pg-bin)");
            }
            tools[i] = t.get();
        }
        return tools;
    }

    /** The chain as restored, and its head against the one the backup recorded. */
    private static AuditVerification verifyAudit(DataSource ds, Manifest m) {
        AuditVerification v = new org.entente.node.audit.AuditLog(Database.of(ds, "restored")).verify();
        if (!v.intact()) return v;
        Manifest.AuditHead head;
        try (Connection c = ds.getConnection()) {
            head = Schema.auditHead(c);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the restored audit head: " + e.getMessage(), e);
        }
        if (!head.equals(m.auditHead())) {
            return new AuditVerification(false, v.records(), v.checkpoints(), Math.min(head.seq(), m.auditHead().seq()) + 1,
                    "the restored audit log ends at seq " + head.seq() + " (hash " + head.hash() + ") but the backup's ended at seq "
                            + m.auditHead().seq() + " (hash " + m.auditHead().hash() + ")");
        }
        return v;
    }

    private static String password(DatabaseLocation location) {
        return location instanceof DatabaseLocation.External x ? x.password() : null;
    }

    private static String ententeVersion() {
        String v = Backups.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    static String rows(long n) {
        return String.format("%,d row%s", n, n == 1 ? "" : "s");
    }

    /** Bytes for people: 312.4 MB. */
    static String size(long bytes) {
        if (bytes < 1024) return bytes + " bytes";
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
