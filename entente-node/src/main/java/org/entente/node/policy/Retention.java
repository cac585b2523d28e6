package org.entente.node.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.store.StoreException;

/**
 * Purges what was kept longer than the agreement that brought it in allows: every version of an
 * object whose first version arrived in a partner's collection more than {@code retention_days}
 * ago. Purges are logged for propagation (deleted_object) and audited, in the same transaction.
 * Several node processes may run it at once; an advisory lock lets one work.
 */
public final class Retention {
    /** Object ids listed one by one in a purge record; beyond that they are counted. */
    static final int LISTED = 1000;
    private static final long LOCK = 4242002;

    private final DataSource db;
    private final PolicyService policies;
    private final AuditLog audit;

    public Retention(DataSource db, PolicyService policies, AuditLog audit) {
        this.db = db;
        this.policies = policies;
        this.audit = audit;
    }

    public record Purge(String collectionId, String agreementId, int retentionDays, Instant cutoff, int objects,
            int versions) {}

    /** @return what was purged (or would be, with {@code dryRun}); empty when another process holds the job */
    public List<Purge> run(Instant now, boolean dryRun, String actor) {
        return attempt(now, dryRun, actor).orElse(List.of());
    }

    /** As {@link #run}, but says when another process holds the job: empty then, a list (maybe empty) otherwise. */
    public java.util.Optional<List<Purge>> attempt(Instant now, boolean dryRun, String actor) {
        Policy policy = policies.current();
        List<Purge> done = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT pg_try_advisory_xact_lock(" + LOCK + ")")) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        c.rollback();
                        return java.util.Optional.empty();
                    }
                }
                record Target(String id, int num, String agreement) {}
                List<Target> targets = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT id, num, agreement_id FROM collection WHERE agreement_id IS NOT NULL ORDER BY created")) {
                    while (rs.next()) targets.add(new Target(rs.getString(1), rs.getInt(2), rs.getString(3)));
                }
                for (Target t : targets) {
                    Agreement a = policy.agreement(t.agreement()).orElse(null);
                    if (a == null || a.rules().retentionDays() == null) continue;
                    int days = a.rules().retentionDays();
                    Instant cutoff = now.minus(Duration.ofDays(days));
                    Purge p = dryRun ? count(c, t.num(), t.id(), t.agreement(), days, cutoff)
                            : purge(c, t.num(), t.id(), t.agreement(), days, cutoff, actor);
                    if (p.objects() > 0) done.add(p);
                }
                if (dryRun) c.rollback();
                else c.commit();
                return java.util.Optional.of(done);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("retention run failed: " + e.getMessage(), e);
        }
    }

    private static final String EXPIRED = "SELECT id FROM stix_object WHERE collection_no = ? GROUP BY id HAVING min(date_added) < ?";

    private Purge count(Connection c, int num, String collection, String agreement, int days, Instant cutoff)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*), coalesce(sum(n), 0) FROM (SELECT o.id, count(*) n"
                + " FROM stix_object o WHERE o.collection_no = ? AND o.id IN (" + EXPIRED + ") GROUP BY o.id) x")) {
            s.setInt(1, num);
            s.setInt(2, num);
            s.setObject(3, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Purge(collection, agreement, days, cutoff, rs.getInt(1), rs.getInt(2));
            }
        }
    }

    private Purge purge(Connection c, int num, String collection, String agreement, int days, Instant cutoff,
            String actor) throws SQLException {
        String sql = "WITH expired AS (" + EXPIRED + "),"
                + " gone AS (DELETE FROM stix_object o USING expired e WHERE o.collection_no = ? AND o.id = e.id"
                + "   RETURNING o.pk, o.id, CASE WHEN o.version_key = '-infinity' THEN o.date_added ELSE o.version_key END AS version),"
                + " unindexed AS (DELETE FROM observable WHERE object_pk IN (SELECT pk FROM gone)),"
                + " logged AS (INSERT INTO deleted_object (collection_id, object_id, version) SELECT ?, id, version FROM gone)"
                + " SELECT id, count(*) FROM gone GROUP BY id ORDER BY id";
        List<String> ids = new ArrayList<>();
        int objects = 0;
        int versions = 0;
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(1, num);
            s.setObject(2, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            s.setInt(3, num);
            s.setString(4, collection);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    objects++;
                    versions += rs.getInt(2);
                    if (ids.size() < LISTED) ids.add(rs.getString(1));
                }
            }
        }
        if (objects > 0) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("collection", collection);
            d.put("agreement", agreement);
            d.put("retention_days", days);
            d.put("cutoff", cutoff.toString());
            d.put("objects", objects);
            d.put("versions", versions);
            d.put("ids", ids);
            audit.append(c, new AuditEvent(AuditEvent.PURGE, actor, null, d));
        }
        return new Purge(collection, agreement, days, cutoff, objects, versions);
    }
}
