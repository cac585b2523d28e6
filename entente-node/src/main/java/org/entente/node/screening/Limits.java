package org.entente.node.screening;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.db.Database;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.Policy;
import org.jdbi.v3.core.Handle;

/**
 * How many checks a user and an organisation may make per minute: the node's settings, lowered
 * for a partner's people by any agreement with that partner that sets a limit. Checks are counted
 * in PostgreSQL (table {@code screening_usage}, one row per subject and minute) so that every
 * process sees the same totals: each process admits against the last total it read plus what it
 * admitted since, and adds its counts in the same transaction as the checks' audit records (see
 * {@link Recorder}). The only slack is what other processes admitted since their last commit.
 */
public final class Limits implements Recorder.GroupHook {
    static final String LIMIT_CHANGE = "screening-limit-change";

    /** An agreement's limits on its partners (null: the node's setting). */
    public record AgreementLimit(String agreementId, Integer perUser, Integer perOrganisation) {}

    private final Database db;
    private final AuditLog audit;
    private final long perUser;
    private final long perOrganisation;

    private static final class Count {
        long window;
        /** The subject's total in PostgreSQL for the window, as of this process's last commit. */
        long stored;
        /** Admitted by this process and not yet in {@link #stored}. */
        long pending;
        /** Of {@link #pending}, what the group being written carries. */
        long flushing;
    }

    private final Map<String, Count> counts = new HashMap<>();
    private volatile Map<String, AgreementLimit> byAgreement;
    private volatile long agreementsRead;

    /** @param perUser checks per minute per user, 0 for no limit; perOrganisation the same per organisation */
    Limits(Database db, AuditLog audit, long perUser, long perOrganisation) {
        this.db = db;
        this.audit = audit;
        this.perUser = perUser;
        this.perOrganisation = perOrganisation;
    }

    /**
     * Admits {@code n} checks for a user of an organisation, or refuses (429, audited by the HTTP
     * layer) naming the limit and when to try again.
     */
    void admit(String username, String organisationId, boolean ownOrganisation, Policy policy, int n, Instant now) {
        long userLimit = perUser;
        long orgLimit = perOrganisation;
        if (!ownOrganisation) {
            for (Agreement a : policy.agreementsWith(organisationId)) {
                AgreementLimit l = agreementLimits().get(a.id());
                if (l == null) continue;
                if (l.perUser() != null) userLimit = lower(userLimit, l.perUser());
                if (l.perOrganisation() != null) orgLimit = lower(orgLimit, l.perOrganisation());
            }
        }
        long window = now.getEpochSecond() / 60;
        String user = "user:" + username;
        String org = "org:" + organisationId;
        synchronized (counts) {
            Count u = count(user, window);
            Count o = count(org, window);
            long retry = 60 - now.getEpochSecond() % 60;
            if (userLimit > 0 && u.stored + u.pending + n > userLimit) {
                throw refusal("user " + username, userLimit, n, retry);
            }
            if (orgLimit > 0 && o.stored + o.pending + n > orgLimit) {
                throw refusal("organisation " + organisationId, orgLimit, n, retry);
            }
            u.pending += n;
            o.pending += n;
        }
    }

    /** A refusal telling the caller when the window turns (the API sets Retry-After from it). */
    static final class TooMany extends RuntimeException {
        final long retryAfterSeconds;
        final Refusal refusal;

        TooMany(Refusal refusal, long retryAfterSeconds) {
            super(refusal.getMessage());
            this.refusal = refusal;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private static TooMany refusal(String who, long limit, int n, long retry) {
        return new TooMany(new Refusal(429, "Too many requests", "screening-rate-limit", "the screening limit of " + who
                + " is " + limit + " checks per minute" + (n > 1 ? " and this batch holds " + n : "")
                + "; try again in " + retry + " s"), retry);
    }

    private static long lower(long a, long b) {
        return a <= 0 ? b : Math.min(a, b);
    }

    private Count count(String subject, long window) {
        Count c = counts.computeIfAbsent(subject, k -> new Count());
        if (c.window != window) {
            // A new minute: what is still being written belongs to the old one.
            c.window = window;
            c.stored = 0;
            c.pending = 0;
            c.flushing = 0;
        }
        return c;
    }

    /** Counts are added to PostgreSQL at most this often (and read back): a few rows per interval, not per check. */
    static final long FLUSH_NANOS = 200_000_000L;
    private long flushed;

    @Override
    public void beforeCommit(Handle h) {
        if (System.nanoTime() - flushed < FLUSH_NANOS) return;
        flushed = System.nanoTime();
        Map<String, long[]> flush = new HashMap<>();
        synchronized (counts) {
            counts.forEach((subject, c) -> {
                long unwritten = c.pending - c.flushing;
                if (unwritten > 0) {
                    c.flushing += unwritten;
                    flush.put(subject, new long[] {c.window, unwritten, 0});
                }
            });
        }
        if (flush.isEmpty()) return;
        var batch = h.prepareBatch("INSERT INTO screening_usage (subject, window_start, checks)"
                + " VALUES (:s, to_timestamp(:w * 60), :n) ON CONFLICT (subject, window_start)"
                + " DO UPDATE SET checks = screening_usage.checks + excluded.checks");
        flush.forEach((s, v) -> batch.bind("s", s).bind("w", v[0]).bind("n", v[1]).add());
        batch.execute();
        String[] subjects = flush.keySet().toArray(String[]::new);
        h.createQuery("SELECT subject, extract(epoch FROM window_start)::bigint / 60, checks FROM screening_usage"
                        + " WHERE subject = ANY(:s) AND window_start = to_timestamp(:w * 60)")
                .bind("s", subjects).bind("w", flush.values().iterator().next()[0])
                .map((rs, ctx) -> {
                    long[] v = flush.get(rs.getString(1));
                    if (v != null && v[0] == rs.getLong(2)) v[2] = rs.getLong(3);
                    return null;
                }).forEach(x -> { });
        lastFlush = flush;
    }

    private Map<String, long[]> lastFlush;

    @Override
    public void afterCommit(boolean committed) {
        Map<String, long[]> flush = lastFlush;
        lastFlush = null;
        if (flush == null) return;
        synchronized (counts) {
            flush.forEach((subject, v) -> {
                Count c = counts.get(subject);
                if (c == null || c.window != v[0]) return;
                c.flushing -= v[1];
                if (committed) {
                    c.pending -= v[1];
                    c.stored = Math.max(c.stored, v[2]);
                }
            });
        }
    }

    /** Old windows are of no use to anyone: the node's retention job drops them. */
    int purge(Instant before) {
        return db.jdbi().withHandle(h -> h.createUpdate("DELETE FROM screening_usage WHERE window_start < :b")
                .bind("b", before.atOffset(java.time.ZoneOffset.UTC)).execute());
    }

    // ---------------------------------------------------------------- per agreement

    private Map<String, AgreementLimit> agreementLimits() {
        Map<String, AgreementLimit> m = byAgreement;
        if (m == null || System.nanoTime() - agreementsRead > 2_000_000_000L) {
            Map<String, AgreementLimit> fresh = new HashMap<>();
            for (AgreementLimit l : agreementLimitList()) fresh.put(l.agreementId(), l);
            byAgreement = m = Map.copyOf(fresh);
            agreementsRead = System.nanoTime();
        }
        return m;
    }

    List<AgreementLimit> agreementLimitList() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT agreement_id, per_user, per_organisation"
                        + " FROM screening_agreement_limit ORDER BY agreement_id")
                .map((rs, ctx) -> new AgreementLimit(rs.getString(1), (Integer) rs.getObject(2), (Integer) rs.getObject(3)))
                .list());
    }

    Optional<AgreementLimit> agreementLimit(String agreementId) {
        return agreementLimitList().stream().filter(l -> l.agreementId().equals(agreementId)).findFirst();
    }

    /** Sets (or with both null, lifts) an agreement's limits; audited. */
    AgreementLimit setAgreementLimit(String agreementId, Integer perUser, Integer perOrganisation, String actor,
            String actorOrganisation) {
        for (Integer v : new Integer[] {perUser, perOrganisation}) {
            if (v != null && v < 1) {
                throw InvalidInput.of("Invalid limit", v == perUser ? "/per_user" : "/per_organisation",
                        "a limit is a number of checks per minute, at least 1 (leave it out for none)");
            }
        }
        db.jdbi().useTransaction(h -> {
            if (perUser == null && perOrganisation == null) {
                h.createUpdate("DELETE FROM screening_agreement_limit WHERE agreement_id = :a").bind("a", agreementId).execute();
            } else {
                h.createUpdate("INSERT INTO screening_agreement_limit (agreement_id, per_user, per_organisation)"
                        + " VALUES (:a, :u, :o) ON CONFLICT (agreement_id) DO UPDATE SET per_user = excluded.per_user,"
                        + " per_organisation = excluded.per_organisation")
                        .bind("a", agreementId).bind("u", perUser).bind("o", perOrganisation).execute();
            }
            audit.append(h, new AuditEvent(LIMIT_CHANGE, actor, actorOrganisation, AuditEvent.detail("agreement",
                    agreementId, "per_user", perUser, "per_organisation", perOrganisation)));
        });
        byAgreement = null;
        return new AgreementLimit(agreementId, perUser, perOrganisation);
    }
}
