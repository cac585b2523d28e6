package org.entente.node.db;

import org.jdbi.v3.core.Handle;

/**
 * Every PostgreSQL advisory lock the node takes, named in one place: two features must never share
 * an id by accident, and an operator reading {@code pg_locks} can tell what holds one.
 */
public enum Locks {
    /** Creating the first administrator: several processes may start at once on one database. */
    FIRST_ADMINISTRATOR(4242001),
    /** The retention job: every process schedules it, one runs it. */
    RETENTION(4242002),
    /** Creating the node's own organisation at first start. */
    OWN_ORGANISATION(4242003),
    /** Loading the bootstrap definitions (handling codes) and the demo data. */
    BOOTSTRAP(4242004),
    /** Syncing one peer (keyed by the peer's number): several processes on one database sync it once. */
    FEDERATION_SYNC(4242010),
    /** Creating or rotating the node's federation keys and certificate. */
    FEDERATION_KEYS(4242011);

    private final long id;

    Locks(long id) {
        this.id = id;
    }

    public long id() {
        return id;
    }

    /** Waits for the lock; it is released when the handle's transaction ends. */
    public void acquire(Handle h) {
        h.execute("SELECT pg_advisory_xact_lock(?)", id);
    }

    /**
     * Takes the lock for one key (e.g. one peer) for the whole session of {@code c}, across
     * transactions, if it is free; false when another session holds it. Release it with
     * {@link #release(java.sql.Connection, int)} before the connection goes back to the pool.
     */
    public boolean tryAcquire(java.sql.Connection c, int key) throws java.sql.SQLException {
        try (var s = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            s.setInt(1, Math.toIntExact(id));
            s.setInt(2, key);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public void release(java.sql.Connection c, int key) throws java.sql.SQLException {
        try (var s = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            s.setInt(1, Math.toIntExact(id));
            s.setInt(2, key);
            s.execute();
        }
    }

    /** Takes the lock if free; false when another process holds it. Released at the end of the transaction. */
    public boolean tryAcquire(Handle h) {
        return h.createQuery("SELECT pg_try_advisory_xact_lock(:id)").bind("id", id).mapTo(Boolean.class).one();
    }
}
