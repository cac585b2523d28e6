package org.entente.node.ops;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.Driver;

/**
 * PostgreSQL's own client tools: pg_dump writes the archive, pg_restore turns it back into SQL and
 * psql runs that SQL in one transaction of ours. Used only when the tools are at least as new as the
 * server, which pg_dump requires.
 */
final class PgTools {
    private PgTools() {}

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");

    /** A client program and the PostgreSQL version it belongs to. */
    record Tool(Path path, String version, int major) {
        @Override
        public String toString() {
            return path.getFileName() + " " + version + " (" + path + ")";
        }
    }

    /** The program in {@code pgBin}, or else on the PATH; empty when there is none. */
    static Optional<Tool> find(String name, Path pgBin) {
        List<Path> candidates = new ArrayList<>();
        if (pgBin != null) {
            candidates.add(pgBin.resolve(name));
        } else {
            String path = System.getenv("PATH");
            if (path != null) {
                for (String dir : path.split(File.pathSeparator)) {
                    if (!dir.isBlank()) candidates.add(Path.of(dir, name));
                }
            }
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return version(p);
        }
        return Optional.empty();
    }

    private static Optional<Tool> version(Path program) {
        try {
            Process p = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) return Optional.empty();
            Matcher m = VERSION.matcher(out);
            if (!m.find()) return Optional.empty();
            String version = m.group(1) + (m.group(2) == null ? "" : "." + m.group(2));
            return Optional.of(new Tool(program, version, Integer.parseInt(m.group(1))));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static int major(int serverVersionNum) {
        return serverVersionNum / 10_000;
    }

    /**
     * libpq's environment for the database a connection is on: host, port, database and user from
     * the connection, the password from the location (never on a command line), TLS settings from
     * the JDBC URL.
     */
    static Map<String, String> environment(Connection c, String password) throws SQLException {
        Properties url = Driver.parseURL(c.getMetaData().getURL(), new Properties());
        if (url == null) throw new IllegalStateException("cannot read the JDBC URL " + c.getMetaData().getURL());
        Map<String, String> env = new HashMap<>();
        env.put("PGHOST", url.getProperty("PGHOST", "localhost"));
        env.put("PGPORT", url.getProperty("PGPORT", "5432"));
        env.put("PGDATABASE", Schema.string(c, "SELECT current_database()"));
        env.put("PGUSER", c.getMetaData().getUserName());
        String pw = password != null ? password : url.getProperty("password");
        if (pw != null) env.put("PGPASSWORD", pw);
        putIf(env, "PGSSLMODE", url.getProperty("sslmode"));
        putIf(env, "PGSSLROOTCERT", url.getProperty("sslrootcert"));
        putIf(env, "PGSSLCERT", url.getProperty("sslcert"));
        putIf(env, "PGSSLKEY", url.getProperty("sslkey"));
        env.put("PGAPPNAME", Backups.TOOL_SESSION);
        return env;
    }

    private static void putIf(Map<String, String> env, String key, String value) {
        if (value != null && !value.isBlank()) env.put(key, value);
    }

    /** Runs pg_dump on the exported snapshot of the caller's transaction, its archive into {@code out}. */
    static void dump(Tool pgDump, Map<String, String> env, String snapshot, String schema, OutputStream out,
            Backups.Progress progress) throws IOException {
        Process p = start(env, pgDump.path().toString(), "--format=custom", "--snapshot=" + snapshot,
                "--schema=" + Schema.quote(schema), "--no-owner", "--no-privileges", "--verbose");
        p.getOutputStream().close();
        Errors errors = Errors.of(p.getErrorStream(), line -> {
            int at = line.indexOf("dumping contents of table ");
            if (at >= 0) progress.report("  " + line.substring(at));
        });
        p.getInputStream().transferTo(out);
        int exit = await(p);
        errors.join();
        if (exit != 0) throw new IllegalStateException("pg_dump failed (exit " + exit + "): " + errors.last());
    }

    /**
     * Replaces the current schema's content with the archive in one transaction: psql runs our BEGIN
     * and the emptying of the schema, then pg_restore's SQL, then the row-count checks and COMMIT,
     * which is sent only when pg_restore and the digest of the archive both came through. A failure
     * anywhere ends psql's session with the transaction open, and PostgreSQL rolls it back.
     */
    static void restore(Tool pgRestore, Tool psql, Map<String, String> env, InputStream archive, Manifest m,
            Backups.Progress progress) throws IOException {
        Process restore = start(env, pgRestore.path().toString(), "--no-owner", "--no-privileges", "--no-comments", "--file=-");
        Process sql = start(env, psql.path().toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1");
        Errors restoreErrors = Errors.of(restore.getErrorStream(), line -> { });
        Errors sqlErrors = Errors.of(sql.getErrorStream(), line -> { });
        Thread drain = Thread.ofPlatform().daemon().start(() -> {
            try (InputStream ignored = sql.getInputStream()) {
                ignored.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // psql ended
            }
        });
        IOException[] feedFailure = new IOException[1];
        Thread feed = Thread.ofPlatform().daemon().start(() -> {
            try (OutputStream in = restore.getOutputStream()) {
                archive.transferTo(in);
            } catch (IOException e) {
                feedFailure[0] = e;
                restore.destroy();
            }
        });
        String refusal = null;
        // ISO-8859-1 passes every byte through unchanged, whatever the archive's encoding.
        try (Writer to = new BufferedWriter(new OutputStreamWriter(sql.getOutputStream(), StandardCharsets.ISO_8859_1), 1 << 16);
                BufferedReader from = new BufferedReader(new InputStreamReader(restore.getInputStream(), StandardCharsets.ISO_8859_1), 1 << 16)) {
            to.write("BEGIN;\n");
            to.write(Schema.emptySchemaSql(false));
            boolean inCopy = false;
            String line;
            while ((line = from.readLine()) != null) {
                if (inCopy) {
                    if (line.equals("\\.")) inCopy = false;
                } else if (line.startsWith("COPY ") && line.endsWith("FROM stdin;")) {
                    inCopy = true;
                    progress.report("  " + line.substring(0, line.length() - " FROM stdin;".length()).replaceFirst(" \\(.*", ""));
                } else if (line.equals("CREATE SCHEMA " + m.schema() + ";") || line.equals("CREATE SCHEMA " + Schema.quote(m.schema()) + ";")) {
                    // The schema stays, with its owner and privileges; only its content is replaced.
                    line = "CREATE SCHEMA IF NOT EXISTS " + Schema.quote(m.schema()) + ";";
                } else if (TRANSACTION_CONTROL.contains(line)) {
                    // pg_restore writes these around large objects: they would commit half a restore.
                    refusal = "pg_restore's script ends or starts a transaction ('" + line + "')";
                    restore.destroy();
                    break;
                }
                to.write(line);
                to.write('\n');
            }
            int exit = await(restore);
            feed.join();
            restoreErrors.join();
            if (refusal == null && feedFailure[0] != null) refusal = "the archive could not be read: " + feedFailure[0].getMessage();
            if (refusal == null && exit != 0) refusal = "pg_restore failed (exit " + exit + "): " + restoreErrors.last();
            if (refusal == null) {
                to.write(rowCountChecks(m));
                to.write("COMMIT;\n");
            }
        } catch (IOException e) {
            // psql stopped reading: it met an error and ended (ON_ERROR_STOP), reported below
            restore.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            restore.destroy();
            refusal = "interrupted";
        }
        int exit = await(sql);
        sqlErrors.join();
        try {
            drain.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (exit != 0) throw new IllegalStateException("psql stopped the restore (exit " + exit + "): " + sqlErrors.last());
        if (refusal != null) throw new IllegalStateException(refusal);
    }

    private static final Set<String> TRANSACTION_CONTROL = Set.of("BEGIN;", "COMMIT;", "ROLLBACK;",
            "START TRANSACTION;");

    private static String rowCountChecks(Manifest m) {
        StringBuilder sb = new StringBuilder("DO $entente$\nDECLARE n bigint;\nBEGIN\n");
        for (Manifest.Table t : m.tables()) {
            String table = Schema.quote(m.schema()) + "." + Schema.quote(t.name());
            sb.append("  SELECT count(*) INTO n FROM ").append(table).append(";\n")
                    .append("  IF n <> ").append(t.rows()).append(" THEN RAISE EXCEPTION 'table % holds % rows after the restore,")
                    .append(" the backup counted ").append(t.rows()).append("', ")
                    .append("'").append(t.name().replace("'", "''")).append("', n; END IF;\n");
        }
        return sb.append("END\n$entente$;\n").toString();
    }

    private static Process start(Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        return pb.start();
    }

    private static int await(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            return -1;
        }
    }

    /** The last lines a program wrote to standard error, for the message when it fails. */
    private static final class Errors {
        private final Deque<String> lines = new ArrayDeque<>();
        private Thread reader;

        static Errors of(InputStream stderr, Consumer<String> each) {
            Errors e = new Errors();
            e.reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        each.accept(line);
                        synchronized (e.lines) {
                            e.lines.addLast(line);
                            if (e.lines.size() > 8) e.lines.removeFirst();
                        }
                    }
                } catch (IOException ignored) {
                    // the program ended
                }
            });
            return e;
        }

        void join() {
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String last() {
            synchronized (lines) {
                return lines.isEmpty() ? "(no message)" : String.join(" / ", lines);
            }
        }
    }
}
