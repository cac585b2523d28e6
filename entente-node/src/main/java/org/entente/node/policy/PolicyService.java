package org.entente.node.policy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.entente.node.store.StoreException;

/**
 * Keeps the current {@link Policy} of this process. Organisations and agreements live in
 * PostgreSQL; the snapshot in memory is rebuilt whenever the policy epoch moved, which every change
 * bumps in its own transaction, so that a suspended or terminated agreement stops the flow at once
 * in every process serving the database (one indexed read per request to check).
 */
public final class PolicyService {
    private final DataSource db;
    private volatile Snapshot snapshot;

    private record Snapshot(long epoch, Policy policy) {}

    public PolicyService(DataSource db) {
        this.db = db;
    }

    /** Called inside every transaction that changes organisations or agreements. */
    public static void bumpEpoch(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE policy_epoch SET epoch = epoch + 1");
        }
    }

    /** The policy as the database says it is now. */
    public Policy current() {
        long epoch = epoch();
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

    private long epoch() {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT epoch FROM policy_epoch")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("could not read the policy epoch", e);
        }
    }

    private Snapshot load() {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            // One snapshot of all three tables, so that the epoch matches what was read.
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
            long epoch;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT epoch FROM policy_epoch")) {
                rs.next();
                epoch = rs.getLong(1);
            }
            String own = null;
            Map<String, String> nations = new HashMap<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, nation, is_own FROM organisation")) {
                while (rs.next()) {
                    nations.put(rs.getString(1), rs.getString(2));
                    if (rs.getBoolean(3)) own = rs.getString(1);
                }
            }
            List<Agreement> agreements = Agreements.load(c, "");
            List<Consent> consents = Consents.active(c);
            c.commit();
            return new Snapshot(epoch, new Policy(own, nations, agreements, consents));
        } catch (SQLException e) {
            throw new StoreException("could not load the sharing policy", e);
        }
    }
}
