package org.entente.node.db;

import org.entente.node.config.DatabaseLocation;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The node's PostgreSQL: opened, migrated to the current schema, pooled. Every feature keeps its
 * state here, so several node processes on one database serve the same data.
 */
public final class Database implements AutoCloseable {

    static final String EMBEDDED_DATABASE = "entente";

    private final HikariDataSource pool;
    private final EmbeddedPostgres embedded;
    private final String description;
    private final Jdbi jdbi;

    private Database(HikariDataSource pool, EmbeddedPostgres embedded, String description) {
        this.pool = pool;
        this.embedded = embedded;
        this.description = description;
        this.jdbi = Jdbi.create(pool);
    }

    public static Database open(DatabaseLocation location) {
        return switch (location) {
            case DatabaseLocation.Embedded e -> openEmbedded(e.dataDir());
            case DatabaseLocation.External x -> {
                HikariDataSource pool = pool(x.jdbcUrl(), x.user(), x.password());
                yield migrated(new Database(pool, null, x.jdbcUrl()));
            }
        };
    }

    private static Database openEmbedded(Path dataDir) {
        Path pgdata = dataDir.resolve("pgdata");
        try {
            Files.createDirectories(dataDir);
            // A node already running on this folder owns the server: connect to it rather than
            // starting a second postmaster on the same files (e.g. `entente import` beside `serve`).
            Optional<Integer> runningPort = runningPostmasterPort(pgdata);
            EmbeddedPostgres pg = null;
            int port;
            if (runningPort.isPresent()) {
                port = runningPort.get();
            } else {
                pg = EmbeddedPostgres.builder()
                        .setDataDirectory(pgdata)
                        .setCleanDataDirectory(false)
                        // Sized for a node that owns its machine: the identity index and the hot end of
                        // each collection stay in shared buffers at millions of objects, and rare
                        // checkpoints keep full-page images out of the WAL of bulk imports.
                        .setServerConfig("shared_buffers", "1GB")
                        .setServerConfig("wal_buffers", "64MB")
                        .setServerConfig("checkpoint_timeout", "15min")
                        .setServerConfig("max_wal_size", "8GB")
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .start();
                port = pg.getPort();
            }
            ensureDatabase(port);
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + EMBEDDED_DATABASE;
            HikariDataSource pool = pool(url, "postgres", "postgres");
            return migrated(new Database(pool, pg, "embedded PostgreSQL in " + pgdata + " (port " + port + ")"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + pgdata
                    + ": " + e.getMessage(), e);
        }
    }

    /** Reads the port of a live postmaster from its lock file (line 4 of postmaster.pid). */
    static Optional<Integer> runningPostmasterPort(Path pgdata) throws IOException {
        Path pidFile = pgdata.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 4) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            int port = Integer.parseInt(lines.get(3).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> port);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void ensureDatabase(int port) {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            q.setString(1, EMBEDDED_DATABASE);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    try (var s = c.createStatement()) {
                        s.execute("CREATE DATABASE " + EMBEDDED_DATABASE);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL on port " + port + " is not usable: " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        if (user != null) cfg.setUsername(user);
        if (password != null) cfg.setPassword(password);
        cfg.setMaximumPoolSize(12);
        cfg.setMinimumIdle(1);
        cfg.setPoolName("entente");
        cfg.setConnectionTimeout(10_000);
        cfg.setInitializationFailTimeout(10_000);
        try {
            return new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            throw new IllegalStateException("cannot connect to PostgreSQL at " + url + ": " + root.getMessage(), e);
        }
    }

    private static Database migrated(Database db) {
        try {
            Flyway.configure()
                    .dataSource(db.pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * A connection of its own, outside the pool, for a listener that holds it as long as the
     * process runs (LISTEN needs one session; a pooled one would be lost to the others).
     */
    public Connection dedicatedConnection() throws SQLException {
        return java.sql.DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Every feature's SQL goes through this (bulk COPY excepted, which needs the driver's own API). */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** The pool, for its metrics. */
    public HikariDataSource pool() {
        return pool;
    }

    /** The schema version Flyway reached, for health checks. */
    public String schemaVersion() {
        var current = flyway().info().current();
        return current == null ? "none" : current.getVersion().getVersion();
    }

    /** Migrations this build has that the database has not had. */
    public int pendingMigrations() {
        return flyway().info().pending().length;
    }

    private Flyway flyway() {
        return Flyway.configure().dataSource(pool).locations("classpath:db/migration").load();
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        pool.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
