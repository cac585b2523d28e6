package org.entente.node.users;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.InvalidInput;
import org.entente.node.db.Database;
import org.entente.node.db.Locks;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The people and tools of the own organisation and of partners: creating them, their roles and
 * passwords. Every change is audited in its own transaction, so a refused change leaves no record
 * claiming it happened and a change never goes unrecorded.
 */
public final class Accounts {
    private final Database db;
    private final AuditLog audit;

    public Accounts(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    public record User(long id, String username, boolean admin) {}

    /** A user as an administrator sees it in a list. */
    public record Listed(String username, boolean admin, Instant created, long liveKeys, String organisation,
            List<String> roles) {}

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
        return db.jdbi().inTransaction(h -> {
            Locks.FIRST_ADMINISTRATOR.acquire(h);
            if (h.createQuery("SELECT 1 FROM app_user WHERE is_admin LIMIT 1").mapTo(Integer.class).findOne().isPresent()) {
                return false;
            }
            h.createUpdate("INSERT INTO app_user (username, password_hash, is_admin, organisation_id, roles) VALUES"
                            + " (:name, :hash, true, (SELECT id FROM organisation WHERE is_own), '{administrator}')"
                            + " ON CONFLICT (username) DO UPDATE SET is_admin = true, password_hash = EXCLUDED.password_hash")
                    .bind("name", username).bind("hash", hash).execute();
            audit.append(h, new AuditEvent(AuditEvent.USER_CHANGE, AuditEvent.SYSTEM, null,
                    AuditEvent.detail("change", "created", "user", username, "administrator", true)));
            return true;
        });
    }

    public User create(String username, String password, boolean admin) {
        return create(username, password, admin, null, admin ? Set.of(Role.ADMINISTRATOR) : Set.of(Role.ANALYST),
                AuditEvent.SYSTEM);
    }

    public User create(String username, String password, boolean admin, String organisationId, Set<Role> roles) {
        return create(username, password, admin, organisationId, roles, AuditEvent.SYSTEM);
    }

    /** A user of {@code organisationId} (null: the node's own organisation) with the given roles. */
    public User create(String username, String password, boolean admin, String organisationId, Set<Role> roles,
            String actor) {
        // The flag (every collection) and the role (partners and agreements) mean one thing: keep them together.
        Set<Role> r = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
        if (r.contains(Role.ADMINISTRATOR)) admin = true;
        if (admin) r.add(Role.ADMINISTRATOR);
        validateUsername(username);
        validatePassword(password);
        if (r.isEmpty()) throw InvalidInput.of("Invalid user", "roles", "a user needs at least one role: " + Role.choices());
        boolean isAdmin = admin;
        String hash = Passwords.hash(password);
        try {
            return db.jdbi().inTransaction(h -> {
                long id = h.createQuery("INSERT INTO app_user (username, password_hash, is_admin, organisation_id, roles)"
                                + " VALUES (:name, :hash, :admin, coalesce(:org, (SELECT id FROM organisation WHERE is_own)),"
                                + " :roles) RETURNING id")
                        .bind("name", username).bind("hash", hash).bind("admin", isAdmin).bind("org", organisationId)
                        .bindArray("roles", String.class, r.stream().map(Role::wire).toList())
                        .mapTo(Long.class).one();
                audited(h, actor, "created", username, "administrator", isAdmin, "organisation", organisationId,
                        "roles", r.stream().map(Role::wire).sorted().toList());
                return new User(id, username, isAdmin);
            });
        } catch (UnableToExecuteStatementException e) {
            String state = e.getCause() instanceof java.sql.SQLException s ? s.getSQLState() : "";
            if ("23505".equals(state)) throw InvalidInput.of("Invalid user", "username", "a user named '" + username + "' already exists");
            if ("23503".equals(state)) throw InvalidInput.of("Invalid user", "organisation", "no organisation '" + organisationId + "'");
            throw e;
        }
    }

    public void setPassword(String username, String password) {
        setPassword(username, password, AuditEvent.SYSTEM);
    }

    public void setPassword(String username, String password, String actor) {
        validatePassword(password);
        String hash = Passwords.hash(password);
        db.jdbi().useTransaction(h -> {
            int n = h.createUpdate("UPDATE app_user SET password_hash = :hash WHERE username = :name")
                    .bind("hash", hash).bind("name", username).execute();
            if (n == 0) throw InvalidInput.of("Unknown user", "username", "no user named '" + username + "'");
            audited(h, actor, "password set", username);
        });
    }

    public Optional<User> find(String username) {
        if (username == null || username.indexOf('\0') >= 0) return Optional.empty();
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id, username, is_admin FROM app_user WHERE username = :name")
                .bind("name", username).map((rs, ctx) -> new User(rs.getLong(1), rs.getString(2), rs.getBoolean(3)))
                .findOne());
    }

    /**
     * A user as the console knows her while she is signed in.
     *
     * @param language the language she chose for the console (en, ar, fr), or null
     */
    public record SignedIn(Principal principal, String language) {}

    /** The languages the console speaks. */
    public static final List<String> LANGUAGES = List.of("en", "ar", "fr");

    /** The user behind a console session, read again on every request so that a change of roles applies at once. */
    public Optional<SignedIn> signedIn(long userId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id, username, is_admin, organisation_id, roles, language"
                        + " FROM app_user WHERE id = :id").bind("id", userId)
                .map((rs, ctx) -> new SignedIn(new Principal(rs.getLong(1), rs.getString(2), rs.getBoolean(3),
                        rs.getString(4), roles(rs.getArray(5))), rs.getString(6))).findOne());
    }

    /** Remembers the language a user reads the console in. */
    public void setLanguage(long userId, String language) {
        if (!LANGUAGES.contains(language)) {
            throw InvalidInput.of("Unknown language", "lang", "'" + language + "' is not one of " + LANGUAGES);
        }
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE app_user SET language = :l WHERE id = :id")
                .bind("l", language).bind("id", userId).execute());
    }

    /** Replaces a user's roles; the administrator flag follows the administrator role. */
    public void setRoles(String username, Set<Role> roles, String actor) {
        if (roles.isEmpty()) throw InvalidInput.of("Invalid user", "roles", "a user needs at least one role: " + Role.choices());
        boolean admin = roles.contains(Role.ADMINISTRATOR);
        List<String> wire = roles.stream().map(Role::wire).sorted().toList();
        db.jdbi().useTransaction(h -> {
            int n = h.createUpdate("UPDATE app_user SET roles = :roles, is_admin = :admin WHERE username = :name")
                    .bindArray("roles", String.class, wire).bind("admin", admin).bind("name", username).execute();
            if (n == 0) throw InvalidInput.of("Unknown user", "username", "no user named '" + username + "'");
            audited(h, actor, "roles set", username, "roles", wire, "administrator", admin);
        });
    }

    /** Every user, with the number of live API keys each has, by name. */
    public List<Listed> list() {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT u.username, u.is_admin, u.created, count(k.id) FILTER (WHERE NOT k.revoked),"
                                + " coalesce(o.name, '-'), u.roles FROM app_user u LEFT JOIN api_key k ON k.user_id = u.id"
                                + " LEFT JOIN organisation o ON o.id = u.organisation_id GROUP BY u.id, o.name ORDER BY u.username")
                .map((rs, ctx) -> new Listed(rs.getString(1), rs.getBoolean(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getLong(4), rs.getString(5),
                        List.of((String[]) rs.getArray(6).getArray())))
                .list());
    }

    /** Gives accounts made before organisations existed to the node's own organisation. */
    public int adoptOrphans(String ownOrganisationId) {
        return db.jdbi().withHandle(h -> h.createUpdate("UPDATE app_user SET organisation_id = :org WHERE organisation_id IS NULL")
                .bind("org", ownOrganisationId).execute());
    }

    public boolean anyAdmin() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT 1 FROM app_user WHERE is_admin LIMIT 1")
                .mapTo(Integer.class).findOne().isPresent());
    }

    void audited(Handle h, String actor, String change, String username, Object... more) {
        java.util.Map<String, Object> detail = AuditEvent.detail("change", change, "user", username);
        detail.putAll(AuditEvent.detail(more));
        audit.append(h, new AuditEvent(AuditEvent.USER_CHANGE, actor, null, detail));
    }

    static void validateUsername(String username) {
        if (username == null || !username.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw InvalidInput.of("Invalid user", "username",
                    "user names are 1 to 64 characters of letters, digits, '.', '_', '@' and '-'");
        }
    }

    static void validatePassword(String password) {
        if (password == null || password.length() < 12) {
            throw InvalidInput.of("Invalid password", "password", "passwords must have at least 12 characters");
        }
        if (password.length() > 1024) {
            throw InvalidInput.of("Invalid password", "password", "passwords must have at most 1024 characters");
        }
        if (password.indexOf('\0') >= 0) {
            throw InvalidInput.of("Invalid password", "password", "passwords cannot hold a NUL character");
        }
    }

    /** A generated password for accounts whose owner did not choose one. */
    public static String generatePassword() {
        return Passwords.randomSecret(18);
    }

    static Set<Role> roles(java.sql.Array a) throws java.sql.SQLException {
        EnumSet<Role> out = EnumSet.noneOf(Role.class);
        if (a == null) return out;
        for (Object o : (Object[]) a.getArray()) Role.parse(String.valueOf(o)).ifPresent(out::add);
        return out;
    }
}
