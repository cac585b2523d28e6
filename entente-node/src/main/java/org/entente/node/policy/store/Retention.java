package org.entente.node.policy.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.db.Database;
import org.entente.node.db.Locks;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.Policy;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;

/**
 * Purges what was kept longer than the agreement that brought it in allows: every version of an
 * object whose first version arrived in a partner's collection more than {@code retention_days}
 * ago. Purges are logged for propagation (deleted_object) and audited, in the same transaction.
 * Several node processes may run it at once; an advisory lock lets one work.
 */
public final class Retention {
    /** Object ids listed one by one in a purge record; beyond that they are counted. */
    static final int LISTED = 1000;

    private final Database db;
    private final ObjectStore store;
    private final PolicyService policies;
    private final AuditLog audit;

    public Retention(Database db, ObjectStore store, PolicyService policies, AuditLog audit) {
        this.db = db;
        this.store = store;
        this.policies = policies;
        this.audit = audit;
    }

    public record Purge(String collectionId, String agreementId, int retentionDays, Instant cutoff, int objects,
            int versions) {}

    /** Objects of a partner's collection whose retention ends within a horizon. */
    public record Due(String collectionId, String agreementId, int retentionDays, long objects) {}

    /**
     * What the purge will remove between now and {@code now + within}, by collection: read only,
     * for the people who should hear of it first.
     */
    public List<Due> due(Instant now, Duration within) {
        Policy policy = policies.current();
        List<Due> out = new ArrayList<>();
        for (CollectionInfo c : store.collections()) {
            if (c.agreementId() == null) continue;
            Agreement a = policy.agreement(c.agreementId()).orElse(null);
            if (a == null || a.rules().retentionDays() == null) continue;
            int days = a.rules().retentionDays();
            long n = store.countFirstAddedBefore(c.id(), now.plus(within).minus(Duration.ofDays(days)));
            if (n > 0) out.add(new Due(c.id(), a.id(), days, n));
        }
        return out;
    }

    /** @return what was purged (or would be, with {@code dryRun}); empty when another process holds the job */
    public List<Purge> run(Instant now, boolean dryRun, String actor) {
        return attempt(now, dryRun, actor).orElse(List.of());
    }

    /** As {@link #run}, but says when another process holds the job: empty then, a list (maybe empty) otherwise. */
    public Optional<List<Purge>> attempt(Instant now, boolean dryRun, String actor) {
        Policy policy = policies.current();
        List<CollectionInfo> targets = store.collections().stream().filter(c -> c.agreementId() != null).toList();
        return db.jdbi().inTransaction(h -> {
            if (!Locks.RETENTION.tryAcquire(h)) return Optional.empty();
            List<Purge> done = new ArrayList<>();
            for (CollectionInfo t : targets) {
                Agreement a = policy.agreement(t.agreementId()).orElse(null);
                if (a == null || a.rules().retentionDays() == null) continue;
                int days = a.rules().retentionDays();
                Instant cutoff = now.minus(Duration.ofDays(days));
                ObjectStore.Purged p = store.purgeFirstAddedBefore(h, t.id(), cutoff, dryRun, LISTED);
                if (p.objects() == 0) continue;
                if (!dryRun) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("collection", t.id());
                    d.put("agreement", t.agreementId());
                    d.put("retention_days", days);
                    d.put("cutoff", cutoff.toString());
                    d.put("objects", p.objects());
                    d.put("versions", p.versions());
                    d.put("ids", p.ids());
                    audit.append(h, new AuditEvent(AuditEvent.PURGE, actor, null, d));
                }
                done.add(new Purge(t.id(), t.agreementId(), days, cutoff, p.objects(), p.versions()));
            }
            return Optional.of(done);
        });
    }
}
