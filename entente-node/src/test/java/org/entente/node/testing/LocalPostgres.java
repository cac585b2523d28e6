package org.entente.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.entente.node.config.DatabaseLocation;

/**
 * A PostgreSQL server of the machine's own installation (Debian keeps each version's programs in
 * /usr/lib/postgresql/N/bin), with its pg_dump, pg_restore and psql: the client tools that the
 * embedded PostgreSQL does not ship. Absent on machines without one; tests that need it are skipped.
 */
public final class LocalPostgres implements AutoCloseable {
    private static final List<String> PROGRAMS = List.of("initdb", "postgres", "pg_dump", "pg_restore", "psql");

    private final Path bin;
    private final Process server;
    private final int port;

    private LocalPostgres(Path bin, Process server, int port) {
        this.bin = bin;
        this.server = server;
        this.port = port;
    }

    /** The newest installed version's programs ($ENTENTE_TEST_PG_BIN first). */
    public static Optional<Path> installation() {
        String given = System.getenv("ENTENTE_TEST_PG_BIN");
        if (given != null && complete(Path.of(given))) return Optional.of(Path.of(given));
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(LocalPostgres::complete)
                    .max(Comparator.comparingInt(LocalPostgres::major));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static int major(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean complete(Path bin) {
        return PROGRAMS.stream().allMatch(p -> Files.isExecutable(bin.resolve(p)));
    }

    /** initdb in {@code dir} and a server on a free loopback port; trust authentication. */
    public static LocalPostgres start(Path bin, Path dir) {
        try {
            Path data = dir.resolve("data");
            // initdb and postgres refuse to run as root; a user namespace makes us someone else to them.
            List<String> asUser = isRoot() ? List.of("unshare", "-U") : List.of();
            run(command(asUser, bin.resolve("initdb").toString(), "-A", "trust", "-U", "postgres", "-D", data.toString(),
                    "-E", "UTF-8", "--no-sync"), dir.resolve("initdb.log"));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Process server = new ProcessBuilder(command(asUser, bin.resolve("postgres").toString(), "-D", data.toString(),
                    "-p", Integer.toString(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
            LocalPostgres pg = new LocalPostgres(bin, server, port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "")) {
                    return pg;
                } catch (SQLException notYet) {
                    if (System.nanoTime() > deadline || !server.isAlive()) {
                        pg.close();
                        throw new IllegalStateException("PostgreSQL from " + bin + " did not start: "
                                + Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8));
                    }
                    Thread.sleep(100);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path bin() {
        return bin;
    }

    public int major() {
        return major(bin);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A new database, with postgres/postgres as the test server's databases have (trust ignores the password). */
    public DatabaseLocation.External freshDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new DatabaseLocation.External(jdbcUrl(name), "postgres", "postgres");
    }

    @Override
    public void close() {
        try {
            // SIGINT: a fast shutdown, whatever sessions are left.
            new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).start().waitFor();
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly();
        } catch (IOException e) {
            server.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        }
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        id.waitFor();
        return uid.equals("0");
    }

    private static List<String> command(List<String> prefix, String... args) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(args));
        return all;
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }
}
