package org.entente.node.users;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.db.Database;
import org.jdbi.v3.core.Handle;

/**
 * Checks passwords and API keys, slowing down whoever guesses.
 *
 * <p>Argon2id costs tens of milliseconds by design, too much for every request of a TAXII client
 * that sends Basic credentials each time; a successful verification is therefore remembered for
 * {@link #REMEMBERED} in a bounded cache, keyed by a SHA-256 of the credential, together with the
 * stored hash it matched. Each request still reads the stored hash (one indexed read), so a revoked
 * key or a changed password stops working at once in every process.
 *
 * <p>Failures are counted per client address and per (account, client address) in PostgreSQL, so
 * that every process shares them: a guesser is slowed down, while the account's owner, from her own
 * address, still gets in with the right password. An unknown user costs as much as a wrong password,
 * so that the time of an answer does not tell which user names exist.
 */
public final class Authenticator {

    static final Duration REMEMBERED = Duration.ofSeconds(30);
    /** Failures allowed for one account from one address before each further attempt must wait. */
    static final int FREE_FAILURES_PER_ACCOUNT = 5;
    /** Failures allowed from one address, whatever the accounts, before it must wait. */
    static final int FREE_FAILURES_PER_ADDRESS = 20;
    static final long MAX_WAIT_SECONDS = 300;
    /** Failures older than this are forgiven. */
    static final Duration FORGIVEN_AFTER = Duration.ofMinutes(15);

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;
    private final Cache<String, Remembered> verified;

    /** A verified credential: the stored hash it was verified against. */
    private record Remembered(String storedHash) {}

    public Authenticator(Database db, AuditLog audit) {
        this(db, audit, Clock.systemUTC());
    }

    Authenticator(Database db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        // The cache keeps the node's time, so that what "remembered for 30 s" means can be tested.
        this.verified = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(REMEMBERED)
                .ticker(() -> clock.millis() * 1_000_000L).build();
    }

    private record Stored(Principal principal, String hash) {}

    public AuthResult password(String username, String password, String client) {
        if (username.indexOf('\0') >= 0 || password.indexOf('\0') >= 0) {
            // PostgreSQL text holds no NUL: no account can have such a name, but the answer must not say so faster.
            Passwords.verify(Passwords.decoy(), password);
            return failed("user:" + username.replace("\0", "\\0"), client, "unknown user or wrong password");
        }
        return authenticate("user:" + username, "p:" + sha256(username + "\u0000" + password), password, client,
                "SELECT id, username, is_admin, organisation_id, roles, password_hash FROM app_user WHERE username = :k",
                username, "unknown user or wrong password");
    }

    public AuthResult apiKey(String secret, String client) {
        if (!ApiKeys.looksLikeKey(secret) || secret.indexOf('\0') >= 0) {
            return new AuthResult.Rejected("not an Entente API key (they start with '" + ApiKeys.PREFIX + "')");
        }
        String keyId = secret.substring(ApiKeys.PREFIX.length(), secret.indexOf('_', ApiKeys.PREFIX.length()));
        return authenticate("key:" + keyId, "k:" + sha256(secret), secret, client,
                "SELECT u.id, u.username, u.is_admin, u.organisation_id, u.roles, k.key_hash FROM api_key k"
                        + " JOIN app_user u ON u.id = k.user_id WHERE k.key_id = :k AND NOT k.revoked",
                keyId, "unknown or revoked API key");
    }

    /**
     * One indexed read of the stored hash; a credential verified moments ago against that same hash
     * passes without Argon2id, anything else waits out the throttle and is verified.
     */
    private AuthResult authenticate(String account, String cacheKey, String secret, String client, String lookup,
            String key, String rejection) {
        Optional<Stored> stored = db.jdbi().withHandle(h -> h.createQuery(lookup).bind("k", key)
                .map((rs, ctx) -> new Stored(new Principal(rs.getLong(1), rs.getString(2), rs.getBoolean(3),
                        rs.getString(4), Accounts.roles(rs.getArray(5))), rs.getString(6))).findOne());
        if (stored.isPresent()) {
            Remembered r = verified.getIfPresent(cacheKey);
            if (r != null && r.storedHash().equals(stored.get().hash())) {
                return new AuthResult.Authenticated(stored.get().principal());
            }
        }
        // One verification per credential at a time: a hundred requests of one tool arriving together
        // (or when the remembered credential expires) wait for the first instead of each spending an
        // Argon2id, which on a busy node starved every request of the CPU.
        Object lock = verifying.computeIfAbsent(cacheKey, k -> new Object());
        synchronized (lock) {
            try {
                if (stored.isPresent()) {
                    Remembered r = verified.getIfPresent(cacheKey);
                    if (r != null && r.storedHash().equals(stored.get().hash())) {
                        return new AuthResult.Authenticated(stored.get().principal());
                    }
                }
                return verify(account, cacheKey, secret, client, stored, rejection);
            } finally {
                verifying.remove(cacheKey, lock);
            }
        }
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Object> verifying = new java.util.concurrent.ConcurrentHashMap<>();

    private AuthResult verify(String account, String cacheKey, String secret, String client, Optional<Stored> stored,
            String rejection) {
        long wait = throttled(account, client);
        if (wait > 0) return new AuthResult.Throttled(wait);
        if (stored.isEmpty()) {
            Passwords.verify(Passwords.decoy(), secret);
            return failed(account, client, rejection);
        }
        if (!Passwords.verify(stored.get().hash(), secret)) return failed(account, client, rejection);
        Principal p = stored.get().principal();
        db.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM login_failure WHERE username = :k").bind("k", accountKey(account, client)).execute();
            // Within the remembered window a client's further requests are the same session, not new logins.
            audit.append(h, new AuditEvent(AuditEvent.LOGIN, p.username(), p.organisationId(),
                    AuditEvent.detail("account", account, "client", client)));
        });
        verified.put(cacheKey, new Remembered(stored.get().hash()));
        return new AuthResult.Authenticated(p);
    }

    private AuthResult failed(String account, String client, String reason) {
        Instant now = clock.instant();
        db.jdbi().useTransaction(h -> {
            count(h, accountKey(account, client), now);
            count(h, addressKey(client), now);
            audit.append(h, new AuditEvent(AuditEvent.LOGIN_FAILED, "anonymous", null,
                    AuditEvent.detail("account", account, "client", client, "reason", reason)));
        });
        return new AuthResult.Rejected(reason);
    }

    private void count(Handle h, String key, Instant now) {
        h.createUpdate("INSERT INTO login_failure (username, failures, last_failure) VALUES (:k, 1, :now)"
                        + " ON CONFLICT (username) DO UPDATE SET failures = CASE WHEN login_failure.last_failure < :forgiven"
                        + " THEN 1 ELSE login_failure.failures + 1 END, last_failure = EXCLUDED.last_failure")
                .bind("k", key).bind("now", utc(now)).bind("forgiven", utc(now.minus(FORGIVEN_AFTER))).execute();
    }

    /** Seconds the client must still wait before these credentials are checked again; 0 when free. */
    private long throttled(String account, String client) {
        Instant now = clock.instant();
        return db.jdbi().withHandle(h -> Math.max(
                wait(h, accountKey(account, client), FREE_FAILURES_PER_ACCOUNT, now),
                wait(h, addressKey(client), FREE_FAILURES_PER_ADDRESS, now)));
    }

    private static long wait(Handle h, String key, int free, Instant now) {
        return h.createQuery("SELECT failures, last_failure FROM login_failure WHERE username = :k").bind("k", key)
                .map((rs, ctx) -> {
                    int failures = rs.getInt(1);
                    Instant last = rs.getObject(2, OffsetDateTime.class).toInstant();
                    if (failures < free || last.isBefore(now.minus(FORGIVEN_AFTER))) return 0L;
                    long wait = Math.min(MAX_WAIT_SECONDS, 1L << Math.min(20, failures - free));
                    return Math.max(0, wait - Duration.between(last, now).toSeconds());
                }).findOne().orElse(0L);
    }

    private static String accountKey(String account, String client) {
        return account + "|" + client;
    }

    private static String addressKey(String client) {
        return "address:" + client;
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
