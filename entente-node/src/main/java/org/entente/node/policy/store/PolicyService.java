package org.entente.node.policy.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.entente.node.db.Database;
import org.entente.node.partners.PolicyEpoch;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.Consent;
import org.entente.node.policy.Policy;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Keeps the current {@link Policy} of this process. Organisations, agreements and consents live in
 * PostgreSQL; the snapshot in memory is rebuilt whenever the policy epoch moved, which every change
 * bumps in its own transaction, so that a suspended or terminated agreement stops the flow at once
 * in every process serving the database (one indexed read per request to check).
 */
public final class PolicyService {
    private final Database db;
    private volatile Snapshot snapshot;

    private record Snapshot(long epoch, Policy policy) {}

    public PolicyService(Database db) {
        this.db = db;
    }

    /** The policy as the database says it is now. */
    public Policy current() {
        long epoch = db.jdbi().withHandle(PolicyEpoch::current);
        Snapshot s = snapshot;
        if (s != null && s.epoch() == epoch) return s.policy();
        synchronized (this) {
            s = snapshot;
            if (s != null && s.epoch() >= epoch) return s.policy();
            Snapshot fresh = load();
            snapshot = fresh;
            return fresh.policy();
        }
    }

    private Snapshot load() {
        // One snapshot of all three tables, so that the epoch matches what was read.
        return db.jdbi().inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            long epoch = PolicyEpoch.current(h);
            String[] own = new String[1];
            Map<String, String> nations = new HashMap<>();
            h.createQuery("SELECT id, nation, is_own FROM organisation").map((rs, ctx) -> {
                nations.put(rs.getString(1), rs.getString(2));
                if (rs.getBoolean(3)) own[0] = rs.getString(1);
                return null;
            }).forEach(x -> { });
            List<Agreement> agreements = Agreements.load(h, "", null);
            List<Consent> consents = Consents.active(h);
            return new Snapshot(epoch, new Policy(own[0], nations, agreements, consents));
        });
    }
}
