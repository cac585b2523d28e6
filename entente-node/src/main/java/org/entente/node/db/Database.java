package org.entente.node.db;

import org.entente.node.config.DatabaseLocation;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The node's PostgreSQL: opened, migrated to the current schema, pooled. Every feature keeps its
 * state here, so several node processes on one database serve the same data.
 */
public final class Database implements AutoCloseable {

    static final String EMBEDDED_DATABASE = "entente";

    private final javax.sql.DataSource pool;
    private final EmbeddedServer embedded;
    private final String description;
    private final Jdbi jdbi;

    private Database(javax.sql.DataSource pool, EmbeddedServer embedded, String description) {
        this.pool = pool;
        this.embedded = embedded;
        this.description = description;
        this.jdbi = Jdbi.create(pool);
    }

    /** The application name of the node's sessions, as {@code pg_stat_activity} shows it. */
    public static final String SESSION = "entente";

    public static Database open(DatabaseLocation location) {
        return open(location, SESSION);
    }

    /**
     * @param session the {@code application_name} of every connection, so that a tool can tell its
     *     own sessions from those of node processes (a restore refuses to run beside a node)
     */
    public static Database open(DatabaseLocation location, String session) {
        return switch (location) {
            case DatabaseLocation.Embedded e -> openEmbedded(e.dataDir(), session);
            case DatabaseLocation.External x -> {
                HikariDataSource pool = pool(x.jdbcUrl(), x.user(), x.password(), session);
                yield migrated(new Database(pool, null, x.jdbcUrl()));
            }
        };
    }

    /** The schema migrations of this build (classpath {@code db/migration}) on a database. */
    public static Flyway migrations(DataSource db) {
        return Flyway.configure().dataSource(db).locations("classpath:db/migration").load();
    }

    private static Database openEmbedded(Path dataDir, String session) {
        EmbeddedServer server;
        try {
            server = EmbeddedServer.open(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir.resolve("pgdata")
                    + ": " + e.getMessage(), e);
        }
        try {
            ensureDatabase(server.port());
            String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + EMBEDDED_DATABASE;
            HikariDataSource pool = pool(url, "postgres", "postgres", session);
            return migrated(new Database(pool, server, server.description()));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Plain JDBC: it runs before the pool (and so the Jdbi) exists, on the server's maintenance database. */
    private static void ensureDatabase(int port) {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            q.setString(1, EMBEDDED_DATABASE);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    try (var s = c.createStatement()) {
                        s.execute("CREATE DATABASE " + EMBEDDED_DATABASE);
                    } catch (SQLException e) {
                        // Another process opening the folder at the same moment created it first.
                        if (!"42P04".equals(e.getSQLState())) throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL on port " + port + " is not usable: " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(String url, String user, String password, String session) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        if (user != null) cfg.setUsername(user);
        if (password != null) cfg.setPassword(password);
        cfg.setMaximumPoolSize(12);
        cfg.setMinimumIdle(1);
        cfg.setPoolName("entente");
        // Set by statement rather than as a connection property, which the URL's own would override.
        cfg.setConnectionInitSql("SET application_name = '" + session.replace("'", "''") + "'");
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
            migrations(db.pool).migrate();
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
        if (pool instanceof HikariDataSource hikari) {
            return java.sql.DriverManager.getConnection(hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword());
        }
        // A data source given from outside (Database.of) is not ours to bypass; it is asked for one more session.
        return pool.getConnection();
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Every feature's SQL goes through this (bulk COPY excepted, which needs the driver's own API). */
    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * A database someone else opened and keeps (a tool working on a schema of another version, a
     * test): used as it is, neither migrated nor closed here.
     */
    public static Database of(javax.sql.DataSource dataSource, String description) {
        return new Database(dataSource, null, description);
    }

    /** The pool, for its metrics; null when the database was given, not opened here. */
    public HikariDataSource pool() {
        return pool instanceof HikariDataSource h ? h : null;
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
        if (pool instanceof HikariDataSource h) h.close();
        if (embedded != null) embedded.close();
    }
}
