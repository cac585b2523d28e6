package org.entente.node.screening;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import java.sql.Connection;
import java.sql.SQLException;
import org.entente.node.db.Database;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the screening service must record (audit records of checks and hits, hit records,
 * usage counts) with group commit: one writer thread takes whatever requests are waiting and writes
 * them in one transaction, and each request is answered only once its records are committed. Under
 * load a hundred checks share one commit and one turn of the audit chain's lock; alone, a check
 * waits for its own commit only.
 */
final class Recorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    /** Most writes committed together. */
    static final int GROUP = 256;

    /**
     * One request's records, written inside the group's transaction once the group's hits are
     * inserted ({@code stored}: this request's, in the order it gave them); returns what the request
     * needs back. Its audit records go into {@code audit}: the group appends them all at once, last.
     */
    @FunctionalInterface
    interface Work<T> {
        T write(Handle h, List<HitStore.Stored> stored, List<AuditEvent> audit);
    }

    /** A request's hits and work and, once written, its result: the request learns it only after the commit. */
    private static final class Pending<T> {
        final List<HitStore.NewHit> hits;
        final Work<T> work;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;

        Pending(List<HitStore.NewHit> hits, Work<T> work) {
            this.hits = hits;
            this.work = work;
        }

        CompletableFuture<T> done() {
            return done;
        }

        void write(Handle h, List<HitStore.Stored> stored, List<AuditEvent> audit) {
            result = work.write(h, stored, audit);
        }

        void committed() {
            done.complete(result);
        }
    }

    private final Database db;
    private final AuditLog audit;
    private final BlockingQueue<Pending<?>> queue = new ArrayBlockingQueue<>(10_000);
    private final GroupHook hook;
    private final boolean durable;
    private volatile Thread writer;
    private volatile boolean closed;

    /** What every group writes besides its requests' records (the usage counts), and learns after its commit. */
    interface GroupHook {
        GroupHook NONE = new GroupHook() {
            public void beforeCommit(Handle h) {}

            public void afterCommit(boolean committed) {}
        };

        void beforeCommit(Handle h);

        void afterCommit(boolean committed);
    }

    /**
     * @param durable whether each group waits for its WAL to reach the disk before the requests are
     *     answered; without it PostgreSQL may lose the last groups committed (never part of one) if
     *     its server crashes, and a check costs no disk flush
     */
    Recorder(Database db, AuditLog audit, GroupHook hook, boolean durable) {
        this.db = db;
        this.audit = audit;
        this.hook = hook;
        this.durable = durable;
    }

    private synchronized void ensureStarted() {
        if (writer == null && !closed) {
            writer = Thread.ofPlatform().name("entente-screening-recorder").daemon().start(this::run);
        }
    }

    /** Records and waits for the commit. */
    <T> T record(Work<T> work) {
        return record(List.of(), work);
    }

    /**
     * Records hits and the request's other records, and waits for the commit. The hits of the whole
     * group are numbered and inserted together (one counter update, one COPY, one notice to the other
     * processes), before each request writes the rest.
     */
    <T> T record(List<HitStore.NewHit> hits, Work<T> work) {
        if (closed) throw new IllegalStateException("the node is stopping");
        ensureStarted();
        Pending<T> p = new Pending<>(hits, work);
        try {
            if (!queue.offer(p, 10, TimeUnit.SECONDS)) throw new IllegalStateException("the audit writer is overloaded");
            return p.done().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the audit writer did not commit within 60 s", e);
        }
    }

    private void run() {
        List<Pending<?>> group = new ArrayList<>(GROUP);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                group.add(first);
                queue.drainTo(group, GROUP - 1);
                write(group);
            } catch (InterruptedException e) {
                if (closed) break;
            } finally {
                group.clear();
            }
        }
        Pending<?> p;
        while ((p = queue.poll()) != null) p.done().completeExceptionally(new IllegalStateException("the node stopped"));
        closeSession();
    }

    /**
     * The writer's own session, outside the pool: it never queues behind the requests for a
     * connection, and its commit mode is set once. Reopened after a failure.
     */
    private Jdbi session() throws SQLException {
        if (session == null || connection == null || connection.isClosed()) {
            closeSession();
            connection = db.dedicatedConnection();
            try (var s = connection.createStatement()) {
                s.execute("SET synchronous_commit = " + (durable ? "on" : "off"));
            }
            session = Jdbi.create(connection);
        }
        return session;
    }

    private void closeSession() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the recorder's session: {}", e.getMessage());
            }
        }
        connection = null;
        session = null;
    }

    private Connection connection;
    private Jdbi session;

    private void write(List<Pending<?>> group) {
        Jdbi jdbi;
        try {
            jdbi = session();
        } catch (SQLException e) {
            closeSession();
            IllegalStateException failure = new IllegalStateException("the screening records cannot be written: "
                    + e.getMessage(), e);
            group.forEach(p -> p.done().completeExceptionally(failure));
            return;
        }
        try {
            jdbi.useTransaction(h -> {
                List<AuditEvent> records = new ArrayList<>();
                writeAll(h, group, records);
                hook.beforeCommit(h);
                audit.appendAll(h, records);
            });
            hook.afterCommit(true);
            group.forEach(Pending::committed);
        } catch (RuntimeException e) {
            hook.afterCommit(false);
            // One bad write must not fail the others: each alone, in a transaction of its own.
            if (group.size() > 1) {
                LOG.warn("screening records: a group of {} failed ({}); writing them one by one", group.size(), e.getMessage());
                for (Pending<?> p : group) {
                    try {
                        jdbi.useTransaction(h -> {
                            List<AuditEvent> records = new ArrayList<>();
                            writeAll(h, List.of(p), records);
                            audit.appendAll(h, records);
                        });
                        p.committed();
                    } catch (RuntimeException one) {
                        p.done().completeExceptionally(one);
                    }
                }
            } else {
                group.getFirst().done().completeExceptionally(e);
            }
            if (e instanceof org.jdbi.v3.core.ConnectionException || e.getCause() instanceof SQLException) closeSession();
        }
    }

    /**
     * Inserts the hits of every request of the group at once, then lets each request write the rest
     * with its own hits as stored. Statements per group, not per request: under load a group holds a
     * hundred checks, and their round trips were most of the writer's time and of PostgreSQL's.
     */
    private static void writeAll(Handle h, List<Pending<?>> group, List<AuditEvent> records) {
        List<HitStore.NewHit> all = new ArrayList<>();
        for (Pending<?> p : group) all.addAll(p.hits);
        List<HitStore.Stored> stored = List.of();
        if (!all.isEmpty()) {
            stored = HitStore.insert(h, HitStore.nextEvents(h, all.size()), java.time.Instant.now(), all);
        }
        int from = 0;
        for (Pending<?> p : group) {
            int to = from + p.hits.size();
            p.write(h, stored.subList(from, to), records);
            from = to;
        }
        if (!all.isEmpty()) h.execute("SELECT pg_notify('" + WatchlistStore.CHANNEL + "', 'event')");
    }

    @Override
    public void close() {
        closed = true;
        Thread w = writer;
        if (w != null) {
            try {
                w.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
