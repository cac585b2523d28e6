package org.entente.node.partners;

import org.entente.node.db.Database;
import org.jdbi.v3.core.Handle;

/**
 * Counts changes of organisations, agreements and consents. Each process keeps the sharing policy
 * in memory and reloads it when this moves, so a terminated agreement stops the flow in every
 * process at once; every change bumps it inside its own transaction.
 */
public final class PolicyEpoch {
    private final Database db;

    public PolicyEpoch(Database db) {
        this.db = db;
    }

    public static void bump(Handle h) {
        h.createUpdate("UPDATE policy_epoch SET epoch = epoch + 1").execute();
    }

    public long current() {
        return db.jdbi().withHandle(PolicyEpoch::current);
    }

    public static long current(Handle h) {
        return h.createQuery("SELECT epoch FROM policy_epoch").mapTo(Long.class).one();
    }
}
