package org.entente.node.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL of a data folder. The process that starts the postmaster owns it: it holds an
 * exclusive lock on {@code DIR/postmaster.owner} for as long as the server runs, and stops the server
 * before it lets go. Any other process on the folder (a command beside {@code serve}) attaches to the
 * owner's server and never stops it.
 *
 * <p>A postmaster outlives a node killed with SIGKILL (pg_ctl detaches it). Two things clean up
 * after such an owner: a small watcher process started beside the postmaster stops it once the
 * owner's process is gone, and whoever next takes the lock stops any postmaster still running on the
 * folder before starting its own, since no live process owns it.
 */
final class EmbeddedServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);

    static final String OWNER_LOCK = "postmaster.owner";
    private static final Duration READY_WAIT = Duration.ofSeconds(60);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    /** Folders whose server this JVM owns: a second lock on the file here would fail, or release the first. */
    private static final Map<Path, EmbeddedServer> OWNED_HERE = new ConcurrentHashMap<>();

    private final Path pgdata;
    private final int port;
    private final EmbeddedPostgres postgres;
    private final long postmasterPid;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Process watcher;
    private final String note;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedServer(Path pgdata, int port, EmbeddedPostgres postgres, long postmasterPid, FileChannel lockChannel,
            FileLock lock, Process watcher, String note) {
        this.pgdata = pgdata;
        this.port = port;
        this.postgres = postgres;
        this.postmasterPid = postmasterPid;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.watcher = watcher;
        this.note = note;
    }

    /** Starts the folder's server, or attaches to the one its owner runs. */
    static synchronized EmbeddedServer open(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path pgdata = dataDir.resolve("pgdata").toAbsolutePath().normalize();
        EmbeddedServer mine = OWNED_HERE.get(pgdata);
        if (mine != null) return attached(pgdata, mine.port);
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        while (true) {
            FileChannel channel = FileChannel.open(dataDir.resolve(OWNER_LOCK),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock != null) {
                Optional<Postmaster> running = Postmaster.read(pgdata);
                if (running.isPresent() && running.get().alive() && running.get().ready() && startedByLiveZonky(pgdata)) {
                    // A node of an earlier version, which did not take our lock, runs this server.
                    release(channel, lock);
                    return attached(pgdata, running.get().port());
                }
                try {
                    return started(pgdata, channel, lock);
                } catch (IOException | RuntimeException e) {
                    release(channel, lock);
                    throw e;
                }
            }
            channel.close();
            Optional<Postmaster> running = Postmaster.read(pgdata);
            if (running.isPresent() && running.get().alive() && running.get().ready()) {
                return attached(pgdata, running.get().port());
            }
            // The owner is starting its server, or stopping it and about to let go of the lock.
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the embedded PostgreSQL in " + pgdata + " belongs to another process"
                        + " but has not become ready in " + READY_WAIT.toSeconds() + " s"
                        + running.map(p -> " (postmaster pid " + p.pid() + ", status '" + p.status() + "')").orElse(""));
            }
            sleep(200);
        }
    }

    /** zonky holds {@code epg-lock} in the data folder while its process runs the server. */
    private static boolean startedByLiveZonky(Path pgdata) throws IOException {
        Path zonkyLock = pgdata.resolve("epg-lock");
        if (!Files.isRegularFile(zonkyLock)) return false;
        try (FileChannel c = FileChannel.open(zonkyLock, StandardOpenOption.WRITE)) {
            FileLock probe = c.tryLock();
            if (probe == null) return true;
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    private static EmbeddedServer attached(Path pgdata, int port) {
        return new EmbeddedServer(pgdata, port, null, 0, null, null, null, "");
    }

    private static EmbeddedServer started(Path pgdata, FileChannel channel, FileLock lock) throws IOException {
        String note = "";
        Optional<Postmaster> left = Postmaster.read(pgdata);
        if (left.isPresent() && left.get().alive()) {
            Postmaster p = left.get();
            if (p.isPostgres()) {
                // We hold the lock, so the process that started it is gone: it is an orphan.
                stopOrphan(p);
                note = "; stopped PostgreSQL pid " + p.pid() + " left running on this folder by a node that was killed";
                LOG.warn("stopped the embedded PostgreSQL (pid {}) that a killed node left running on {}", p.pid(), pgdata);
            } else {
                // After a reboot the pid in a stale lock file can belong to any process, and the
                // postmaster would refuse to start while that process lives.
                Files.deleteIfExists(pgdata.resolve("postmaster.pid"));
            }
        }
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(pgdata)
                .setCleanDataDirectory(false)
                // Durable: a commit the node acknowledged (a TAXII 202, an audit record) survives a
                // machine crash. zonky starts the server with -F (fsync off) and synchronous_commit
                // off; settings given here come later on the command line and win. Bulk imports turn
                // synchronous_commit off for their own transactions only (ObjectStore.bulkWriter).
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
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
        long pid = Postmaster.read(pgdata).map(Postmaster::pid).orElse(0L);
        writeOwner(channel);
        EmbeddedServer server = new EmbeddedServer(pgdata, pg.getPort(), pg, pid, channel, lock, watch(pid, pgdata), note);
        OWNED_HERE.put(pgdata, server);
        return server;
    }

    int port() {
        return port;
    }

    boolean owned() {
        return postgres != null;
    }

    /** What the node prints about its database. */
    String description() {
        return "embedded PostgreSQL in " + pgdata + " (port " + port + (owned() ? "" : ", run by another process") + note + ")";
    }

    /** Stops the server if this process started it, and waits until the postmaster has exited. */
    @Override
    public void close() {
        if (!owned() || !closed.compareAndSet(false, true)) return;
        try {
            if (watcher != null) watcher.destroy();
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // pg_ctl gives up after 5 s while a large checkpoint may still be running: the server
            // is stopping either way, and the lock is kept until it is gone.
            awaitExit(postmasterPid, STOP_WAIT);
        } finally {
            OWNED_HERE.remove(pgdata, this);
            release(lockChannel, lock);
        }
    }

    private static void writeOwner(FileChannel channel) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    }

    /**
     * A shell that outlives this JVM and stops the postmaster once the JVM is gone, unless the
     * postmaster has already stopped (its lock file no longer names it).
     */
    private static Process watch(long pid, Path pgdata) {
        if (pid <= 0) return null;
        String script = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done;"
                + " [ \"$(head -n 1 \"$3\" 2>/dev/null)\" = \"$2\" ] && kill -INT \"$2\"; exit 0";
        try {
            return new ProcessBuilder("sh", "-c", script, "entente-postmaster-watch",
                    Long.toString(ProcessHandle.current().pid()), Long.toString(pid),
                    pgdata.resolve("postmaster.pid").toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            LOG.warn("no watcher for the embedded PostgreSQL (pid {}): {}; if this process is killed, the next start"
                    + " stops the server it leaves", pid, e.getMessage());
            return null;
        }
    }

    /** A fast shutdown (SIGINT: sessions are ended, the server checkpoints and exits), then an immediate one. */
    private static void stopOrphan(Postmaster p) {
        signal(p.pid(), "INT");
        if (awaitExit(p.pid(), STOP_WAIT)) return;
        signal(p.pid(), "QUIT");
        if (!awaitExit(p.pid(), Duration.ofSeconds(10))) {
            throw new IllegalStateException("PostgreSQL pid " + p.pid() + " is still running on " + p.pgdata()
                    + " although no node owns it, and does not stop: stop it, then start again");
        }
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // No kill command: SIGTERM is a smart shutdown, which ends once the sessions end.
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean awaitExit(long pid, Duration wait) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (pid <= 0 || h.isEmpty()) return true;
        try {
            h.get().onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !h.get().isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !h.get().isAlive();
        }
    }

    private static void release(FileChannel channel, FileLock lock) {
        try {
            if (lock != null) lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.warn("could not release {}: {}", OWNER_LOCK, e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded PostgreSQL");
        }
    }

    /** What {@code postmaster.pid} says: pid, port and status (lines 1, 4 and 8). */
    record Postmaster(Path pgdata, long pid, int port, String status) {

        static Optional<Postmaster> read(Path pgdata) throws IOException {
            List<String> lines;
            try {
                lines = Files.readAllLines(pgdata.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            if (lines.size() < 4) return Optional.empty(); // being written
            try {
                long pid = Long.parseLong(lines.get(0).trim());
                int port = Integer.parseInt(lines.get(3).trim());
                String status = lines.size() >= 8 ? lines.get(7).trim() : "";
                return Optional.of(new Postmaster(pgdata, pid, port, status));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        boolean alive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        boolean ready() {
            return status.equals("ready");
        }

        /** True unless the process is known to be another program (when its command is hidden, assume PostgreSQL). */
        boolean isPostgres() {
            return ProcessHandle.of(pid).flatMap(h -> h.info().command())
                    .map(c -> Path.of(c).getFileName().toString().startsWith("postgres"))
                    .orElse(true);
        }
    }
}
