package org.entente.node.users;

import org.entente.node.audit.AuditEvent;
import org.entente.node.common.InvalidInput;
import org.entente.node.db.Database;

/**
 * API keys of users, for tools. The secret is shown to its owner once; only its Argon2id hash is
 * kept, under a key id that lets a request find its hash with one indexed read.
 */
public final class ApiKeys {
    static final String PREFIX = "ent_";

    private final Database db;
    private final Accounts accounts;

    public ApiKeys(Database db, Accounts accounts) {
        this.db = db;
        this.accounts = accounts;
    }

    /** A new API key: the secret is shown to its owner once and never stored. */
    public record NewApiKey(String keyId, String secret) {}

    public NewApiKey create(String username, String label) {
        return create(username, label, AuditEvent.SYSTEM);
    }

    public NewApiKey create(String username, String label, String actor) {
        Accounts.User user = accounts.find(username).orElseThrow(() -> InvalidInput.of("Unknown user", "username",
                "no user named '" + username + "'"));
        String keyId = Passwords.randomSecret(9).replace('-', 'x').replace('_', 'y');
        String secret = PREFIX + keyId + "_" + Passwords.randomSecret(32);
        String hash = Passwords.hash(secret);
        db.jdbi().useTransaction(h -> {
            h.createUpdate("INSERT INTO api_key (user_id, key_id, key_hash, label) VALUES (:user, :key, :hash, :label)")
                    .bind("user", user.id()).bind("key", keyId).bind("hash", hash).bind("label", label).execute();
            accounts.audited(h, actor, "API key created", username, "key", keyId);
        });
        return new NewApiKey(keyId, secret);
    }

    /** A key as its owner's administrator sees it: never the secret. */
    public record Listed(String keyId, String label, java.time.Instant created, boolean revoked) {}

    /** A user's keys, newest first. */
    public java.util.List<Listed> list(String username) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT k.key_id, k.label, k.created, k.revoked FROM api_key k"
                        + " JOIN app_user u ON u.id = k.user_id WHERE u.username = :name ORDER BY k.created DESC, k.id DESC")
                .bind("name", username)
                .map((rs, ctx) -> new Listed(rs.getString(1), rs.getString(2),
                        rs.getObject(3, java.time.OffsetDateTime.class).toInstant(), rs.getBoolean(4))).list());
    }

    public void revoke(String keyId) {
        revoke(keyId, AuditEvent.SYSTEM);
    }

    public void revoke(String keyId, String actor) {
        db.jdbi().useTransaction(h -> {
            String owner = h.createQuery("UPDATE api_key k SET revoked = true FROM app_user u"
                            + " WHERE k.key_id = :key AND u.id = k.user_id RETURNING u.username")
                    .bind("key", keyId).mapTo(String.class).findOne()
                    .orElseThrow(() -> InvalidInput.of("Unknown API key", "key", "no API key with id '" + keyId + "'"));
            accounts.audited(h, actor, "API key revoked", owner, "key", keyId);
        });
    }

    static boolean looksLikeKey(String secret) {
        return secret.startsWith(PREFIX) && secret.indexOf('_', PREFIX.length()) > PREFIX.length();
    }
}
