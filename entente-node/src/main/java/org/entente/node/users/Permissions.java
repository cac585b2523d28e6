package org.entente.node.users;

import java.util.List;
import org.entente.node.audit.AuditEvent;
import org.entente.node.common.InvalidInput;
import org.entente.node.db.Database;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Which collections a user may read and write; administrators may do both on every collection. */
public final class Permissions {
    private final Database db;
    private final Accounts accounts;

    public Permissions(Database db, Accounts accounts) {
        this.db = db;
        this.accounts = accounts;
    }

    public record Permission(boolean read, boolean write) {
        public static final Permission NONE = new Permission(false, false);
        public static final Permission ALL = new Permission(true, true);
    }

    public void grant(String collectionId, String username, boolean read, boolean write) {
        grant(collectionId, username, read, write, AuditEvent.SYSTEM);
    }

    public void grant(String collectionId, String username, boolean read, boolean write, String actor) {
        Accounts.User user = accounts.find(username).orElseThrow(() -> InvalidInput.of("Unknown user", "username",
                "no user named '" + username + "'"));
        try {
            db.jdbi().useTransaction(h -> {
                h.createUpdate("INSERT INTO collection_permission (collection_id, user_id, can_read, can_write)"
                                + " VALUES (:c, :u, :r, :w) ON CONFLICT (collection_id, user_id) DO UPDATE"
                                + " SET can_read = EXCLUDED.can_read, can_write = EXCLUDED.can_write")
                        .bind("c", collectionId).bind("u", user.id()).bind("r", read).bind("w", write).execute();
                accounts.audited(h, actor, "collection permission", username, "collection", collectionId,
                        "read", read, "write", write);
            });
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof java.sql.SQLException s && "23503".equals(s.getSQLState())) {
                throw InvalidInput.of("Unknown collection", "collection", "no collection '" + collectionId + "'");
            }
            throw e;
        }
    }

    public Permission permission(Principal p, String collectionId) {
        if (p.admin()) return Permission.ALL;
        return db.jdbi().withHandle(h -> h.createQuery("SELECT can_read, can_write FROM collection_permission"
                        + " WHERE collection_id = :c AND user_id = :u")
                .bind("c", collectionId).bind("u", p.userId())
                .map((rs, ctx) -> new Permission(rs.getBoolean(1), rs.getBoolean(2))).findOne().orElse(Permission.NONE));
    }

    /** A user's permission on one collection. */
    public record Grant(String collectionId, boolean read, boolean write) {}

    /** The collections a user was granted, whatever the administrator flag adds. */
    public List<Grant> grants(String username) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT p.collection_id, p.can_read, p.can_write"
                        + " FROM collection_permission p JOIN app_user u ON u.id = p.user_id WHERE u.username = :name"
                        + " ORDER BY p.collection_id")
                .bind("name", username).map((rs, ctx) -> new Grant(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3)))
                .list());
    }

    /** Collections the principal may write to (all of them for an administrator). */
    public List<String> writableCollections(Principal p) {
        return db.jdbi().withHandle(h -> p.admin()
                ? h.createQuery("SELECT id FROM collection").mapTo(String.class).list()
                : h.createQuery("SELECT collection_id FROM collection_permission WHERE user_id = :u AND can_write")
                        .bind("u", p.userId()).mapTo(String.class).list());
    }

    /** Collections the principal may read (all of them for an administrator). */
    public List<String> readableCollections(Principal p) {
        return db.jdbi().withHandle(h -> p.admin()
                ? h.createQuery("SELECT id FROM collection").mapTo(String.class).list()
                : h.createQuery("SELECT collection_id FROM collection_permission WHERE user_id = :u AND can_read")
                        .bind("u", p.userId()).mapTo(String.class).list());
    }
}
