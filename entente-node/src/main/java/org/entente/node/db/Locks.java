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
    BOOTSTRAP(4242004);

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

    /** Takes the lock if free; false when another process holds it. Released at the end of the transaction. */
    public boolean tryAcquire(Handle h) {
        return h.createQuery("SELECT pg_try_advisory_xact_lock(:id)").bind("id", id).mapTo(Boolean.class).one();
    }
}
