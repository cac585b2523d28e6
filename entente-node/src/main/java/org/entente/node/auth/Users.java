package org.entente.node.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.partners.Role;
import org.entente.node.store.StoreException;

/**
 * Users, their API keys and collection permissions, and authentication with throttling of
 * repeated failures. Secrets are kept only as Argon2id hashes.
 *
 * <p>Argon2id costs tens of milliseconds by design, too much for every request of a TAXII client
 * that sends Basic credentials each time; a successful verification is therefore remembered in
 * this process for {@link #CACHE_SECONDS}, keyed by a SHA-256 of the credential, together with the
 * stored hash it matched. Each request still reads the stored hash (one indexed query), so a revoked
 * key or a changed password stops working at once in every process.
 */
public final class Users {

    static final int CACHE_SECONDS = 30;
    /** Failures allowed before each further attempt must wait, doubling from 1 s up to 5 minutes. */
    static final int FREE_FAILURES = 5;
    static final long MAX_WAIT_SECONDS = 300;
    static final String KEY_PREFIX = "ent_";

    private final DataSource db;
    private final AuditLog audit;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> verified;
    /** Who the changes made through this instance are attributed to in the audit log. */
    private final String actor;

    /** A verified credential: the principal and the stored hash it was verified against. */
    private record Cached(Principal principal, String storedHash, Instant until) {}

    public Users(DataSource db) {
        this(db, new AuditLog(db));
    }

    public Users(DataSource db, AuditLog audit) {
        this(db, audit, Clock.systemUTC());
    }

    Users(DataSource db, AuditLog audit, Clock clock) {
        this(db, audit, clock, new ConcurrentHashMap<>(), AuditEvent.SYSTEM);
    }

    private Users(DataSource db, AuditLog audit, Clock clock, ConcurrentHashMap<String, Cached> verified, String actor) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        this.verified = verified;
        this.actor = actor;
    }

    /** The same users, with the changes made through the returned instance attributed to {@code actor}. */
    public Users actingAs(String actor) {
        return new Users(db, audit, clock, verified, actor);
    }

    private void audited(String change, String username, Object... more) {
        java.util.Map<String, Object> detail = AuditEvent.detail("change", change, "user", username);
        detail.putAll(AuditEvent.detail(more));
        audit.append(new AuditEvent(AuditEvent.USER_CHANGE, actor, null, detail));
    }

    public record User(long id, String username, boolean admin) {}

    /** A new API key: the secret is shown to its owner once and never stored. */
    public record NewApiKey(String keyId, String secret) {}

    public record Permission(boolean read, boolean write) {
        public static final Permission NONE = new Permission(false, false);
        public static final Permission ALL = new Permission(true, true);
    }

    // ---------------------------------------------------------------- administration

    /**
     * Creates the first administrator unless one exists. Several node processes may start at once
     * on one database: the advisory lock makes exactly one of them create it.
     *
     * @return true when this call created it
     */
    public boolean createFirstAdmin(String username, String password) {
        validateUsername(username);
        validatePassword(password);
        String hash = Passwords.hash(password);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement lock = c.createStatement()) {
                lock.execute("SELECT pg_advisory_xact_lock(4242001)");
                try (ResultSet rs = lock.executeQuery("SELECT 1 FROM app_user WHERE is_admin LIMIT 1")) {
                    if (rs.next()) {
                        c.rollback();
                        return false;
                    }
                }
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO app_user (username, password_hash, is_admin, organisation_id, roles) VALUES (?, ?, true,"
                                + " (SELECT id FROM organisation WHERE is_own), '{administrator}')"
                                + " ON CONFLICT (username) DO UPDATE SET is_admin = true, password_hash = EXCLUDED.password_hash")) {
                    s.setString(1, username);
                    s.setString(2, hash);
                    s.executeUpdate();
                }
                audit.append(c, new AuditEvent(AuditEvent.USER_CHANGE, AuditEvent.SYSTEM, null,
                        AuditEvent.detail("change", "created", "user", username, "administrator", true)));
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("could not create the first administrator", e);
        }
    }

    public User create(String username, String password, boolean admin) {
        return create(username, password, admin, null, admin ? java.util.Set.of(Role.ADMINISTRATOR) : java.util.Set.of(Role.ANALYST));
    }

    /** A user of {@code organisationId} (null: the node's own organisation) with the given roles. */
    public User create(String username, String password, boolean admin, String organisationId, java.util.Set<Role> roles) {
        // The flag (every collection) and the role (partners and agreements) mean one thing: keep them together.
        if (roles.contains(Role.ADMINISTRATOR)) admin = true;
        if (admin && !roles.contains(Role.ADMINISTRATOR)) {
            roles = java.util.EnumSet.copyOf(roles.isEmpty() ? java.util.Set.of(Role.ADMINISTRATOR) : roles);
            roles.add(Role.ADMINISTRATOR);
        }
        validateUsername(username);
        validatePassword(password);
        if (roles.isEmpty()) throw new IllegalArgumentException("a user needs at least one role: " + Role.choices());
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO app_user (username, password_hash, is_admin, organisation_id, roles) VALUES (?, ?, ?,"
                        + " coalesce(?, (SELECT id FROM organisation WHERE is_own)), ?) RETURNING id")) {
            s.setString(1, username);
            s.setString(2, Passwords.hash(password));
            s.setBoolean(3, admin);
            s.setString(4, organisationId);
            s.setArray(5, c.createArrayOf("text", roles.stream().map(Role::wire).toArray()));
            User created;
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                created = new User(rs.getLong(1), username, admin);
            }
            audited("created", username, "administrator", admin, "organisation", organisationId,
                    "roles", roles.stream().map(Role::wire).sorted().toList());
            return created;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new IllegalArgumentException("a user named '" + username + "' already exists");
            }
            if ("23503".equals(e.getSQLState())) {
                throw new IllegalArgumentException("no organisation '" + organisationId + "'");
            }
            throw new StoreException("could not create user " + username, e);
        }
    }

    public void setPassword(String username, String password) {
        validatePassword(password);
        int n = update("UPDATE app_user SET password_hash = ? WHERE username = ?", Passwords.hash(password), username);
        if (n == 0) throw new IllegalArgumentException("no user named '" + username + "'");
        verified.clear();
        audited("password set", username);
    }

    public Optional<User> find(String username) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT id, username, is_admin FROM app_user WHERE username = ?")) {
            s.setString(1, username);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new User(rs.getLong(1), rs.getString(2), rs.getBoolean(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read user " + username, e);
        }
    }

    /** Every user, with the number of live API keys each has, by name. */
    public List<String> describeAll() {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT u.username, u.is_admin, u.created, count(k.id) FILTER (WHERE NOT k.revoked),"
                        + " coalesce(o.name, '-'), array_to_string(u.roles, ',')"
                        + " FROM app_user u LEFT JOIN api_key k ON k.user_id = u.id LEFT JOIN organisation o ON o.id = u.organisation_id"
                        + " GROUP BY u.id, o.name ORDER BY u.username"); ResultSet rs = s.executeQuery()) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(String.format("%-24s %-6s %-26s %d  %s  %s", rs.getString(1), rs.getBoolean(2) ? "admin" : "user",
                        rs.getObject(3, java.time.OffsetDateTime.class).toInstant(), rs.getLong(4), rs.getString(5),
                        rs.getString(6)));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not list users", e);
        }
    }

    /** Gives accounts made before organisations existed to the node's own organisation. */
    public int adoptOrphans(String ownOrganisationId) {
        int n = update("UPDATE app_user SET organisation_id = ? WHERE organisation_id IS NULL", ownOrganisationId);
        if (n > 0) verified.clear();
        return n;
    }

    public boolean anyAdmin() {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM app_user WHERE is_admin LIMIT 1"); ResultSet rs = s.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            throw new StoreException("could not read users", e);
        }
    }

    public NewApiKey createApiKey(String username, String label) {
        User user = find(username).orElseThrow(() -> new IllegalArgumentException("no user named '" + username + "'"));
        String keyId = Passwords.randomSecret(9).replace('-', 'x').replace('_', 'y');
        String secret = KEY_PREFIX + keyId + "_" + Passwords.randomSecret(32);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO api_key (user_id, key_id, key_hash, label) VALUES (?, ?, ?, ?)")) {
            s.setLong(1, user.id());
            s.setString(2, keyId);
            s.setString(3, Passwords.hash(secret));
            s.setString(4, label);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not create an API key for " + username, e);
        }
        audited("API key created", username, "key", keyId);
        return new NewApiKey(keyId, secret);
    }

    public void revokeApiKey(String keyId) {
        if (update("UPDATE api_key SET revoked = true WHERE key_id = ?", keyId) == 0) {
            throw new IllegalArgumentException("no API key with id '" + keyId + "'");
        }
        verified.clear();
        audited("API key revoked", "?", "key", keyId);
    }

    public void grant(String collectionId, String username, boolean read, boolean write) {
        User user = find(username).orElseThrow(() -> new IllegalArgumentException("no user named '" + username + "'"));
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO collection_permission (collection_id, user_id, can_read, can_write) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (collection_id, user_id) DO UPDATE SET can_read = EXCLUDED.can_read,"
                        + " can_write = EXCLUDED.can_write")) {
            s.setString(1, collectionId);
            s.setLong(2, user.id());
            s.setBoolean(3, read);
            s.setBoolean(4, write);
            s.executeUpdate();
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) throw new IllegalArgumentException("no collection '" + collectionId + "'");
            throw new StoreException("could not grant access to " + collectionId, e);
        }
        audited("collection permission", username, "collection", collectionId, "read", read, "write", write);
    }

    public Permission permission(Principal p, String collectionId) {
        if (p.admin()) return Permission.ALL;
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT can_read, can_write FROM collection_permission WHERE collection_id = ? AND user_id = ?")) {
            s.setString(1, collectionId);
            s.setLong(2, p.userId());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Permission(rs.getBoolean(1), rs.getBoolean(2)) : Permission.NONE;
            }
        } catch (SQLException e) {
            throw new StoreException("could not read permissions", e);
        }
    }

    /** Collections the principal may read (all of them for an administrator). */
    public List<String> readableCollections(Principal p) {
        String sql = p.admin() ? "SELECT id FROM collection"
                : "SELECT collection_id FROM collection_permission WHERE user_id = ? AND can_read";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (!p.admin()) s.setLong(1, p.userId());
            try (ResultSet rs = s.executeQuery()) {
                List<String> out = new java.util.ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        } catch (SQLException e) {
            throw new StoreException("could not read permissions", e);
        }
    }

    // ---------------------------------------------------------------- authentication

    public AuthResult authenticatePassword(String username, String password) {
        String cacheKey = "p:" + sha256(username + "\u0000" + password);
        return authenticate("user:" + username, cacheKey, password,
                "SELECT id, username, is_admin, organisation_id, roles, password_hash FROM app_user WHERE username = ?", username,
                "unknown user or wrong password");
    }

    public AuthResult authenticateApiKey(String secret) {
        String cacheKey = "k:" + sha256(secret);
        if (!secret.startsWith(KEY_PREFIX) || secret.indexOf('_', KEY_PREFIX.length()) < 0) {
            return new AuthResult.Rejected("not an Entente API key (they start with '" + KEY_PREFIX + "')");
        }
        String keyId = secret.substring(KEY_PREFIX.length(), secret.indexOf('_', KEY_PREFIX.length()));
        return authenticate("key:" + keyId, cacheKey, secret,
                "SELECT u.id, u.username, u.is_admin, u.organisation_id, u.roles, k.key_hash FROM api_key k"
                        + " JOIN app_user u ON u.id = k.user_id"
                        + " WHERE k.key_id = ? AND NOT k.revoked", keyId, "unknown or revoked API key");
    }

    /**
     * One indexed read of the stored hash; a credential verified moments ago against that same hash
     * passes without Argon2id, anything else waits out the account's throttle and is verified.
     */
    private AuthResult authenticate(String account, String cacheKey, String secret, String lookup, String key,
            String rejection) {
        Principal p = null;
        String stored = null;
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(lookup)) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    p = new Principal(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                            roles(rs.getArray(5)));
                    stored = rs.getString(6);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not authenticate", e);
        }
        if (stored != null && stillValid(cacheKey, stored)) return new AuthResult.Authenticated(p);
        long wait = throttled(account);
        if (wait > 0) return new AuthResult.Throttled(wait);
        if (stored != null && Passwords.verify(stored, secret)) return succeeded(account, cacheKey, p, stored);
        return failed(account, rejection);
    }

    /**
     * Whether this exact credential was verified recently against the hash that is still stored:
     * a revoked key or a changed password no longer matches, in every process at once.
     */
    private boolean stillValid(String cacheKey, String storedHash) {
        Cached c = verified.get(cacheKey);
        if (c == null) return false;
        if (c.until().isBefore(clock.instant())) {
            verified.remove(cacheKey, c);
            return false;
        }
        return c.storedHash().equals(storedHash);
    }

    private AuthResult succeeded(String account, String cacheKey, Principal p, String storedHash) {
        update("DELETE FROM login_failure WHERE username = ?", account);
        if (verified.size() > 10_000) verified.clear();
        verified.put(cacheKey, new Cached(p, storedHash, clock.instant().plusSeconds(CACHE_SECONDS)));
        // Within the cache window a client's further requests are the same session, not new logins.
        audit.append(new AuditEvent(AuditEvent.LOGIN, p.username(), p.organisationId(),
                AuditEvent.detail("account", account)));
        return new AuthResult.Authenticated(p);
    }

    private AuthResult failed(String account, String reason) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO login_failure (username, failures, last_failure) VALUES (?, 1, ?)"
                        + " ON CONFLICT (username) DO UPDATE SET failures = login_failure.failures + 1,"
                        + " last_failure = EXCLUDED.last_failure")) {
            s.setString(1, account);
            s.setObject(2, clock.instant().atOffset(java.time.ZoneOffset.UTC));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not record a failed login", e);
        }
        audit.append(new AuditEvent(AuditEvent.LOGIN_FAILED, "anonymous", null,
                AuditEvent.detail("account", account, "reason", reason)));
        return new AuthResult.Rejected(reason);
    }

    /** Seconds the account must still wait before its credentials are checked again; 0 when free. */
    private long throttled(String account) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT failures, last_failure FROM login_failure WHERE username = ?")) {
            s.setString(1, account);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) return 0;
                int failures = rs.getInt(1);
                if (failures < FREE_FAILURES) return 0;
                long wait = Math.min(MAX_WAIT_SECONDS, 1L << Math.min(20, failures - FREE_FAILURES));
                Instant last = rs.getObject(2, java.time.OffsetDateTime.class).toInstant();
                long elapsed = java.time.Duration.between(last, clock.instant()).toSeconds();
                return Math.max(0, wait - elapsed);
            }
        } catch (SQLException e) {
            throw new StoreException("could not read failed logins", e);
        }
    }

    // ---------------------------------------------------------------- helpers

    static java.util.Set<Role> roles(java.sql.Array a) throws SQLException {
        java.util.EnumSet<Role> out = java.util.EnumSet.noneOf(Role.class);
        if (a == null) return out;
        for (Object o : (Object[]) a.getArray()) Role.parse(String.valueOf(o)).ifPresent(out::add);
        return out;
    }

    private int update(String sql, String... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setString(i + 1, args[i]);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not update users", e);
        }
    }

    static void validateUsername(String username) {
        if (username == null || !username.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException(
                    "user names are 1 to 64 characters of letters, digits, '.', '_', '@' and '-'");
        }
    }

    static void validatePassword(String password) {
        if (password == null || password.length() < 12) {
            throw new IllegalArgumentException("passwords must have at least 12 characters");
        }
        if (password.length() > 1024) {
            throw new IllegalArgumentException("passwords must have at most 1024 characters");
        }
    }

    /** A generated password for accounts whose owner did not choose one. */
    public static String generatePassword() {
        return Passwords.randomSecret(18);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
