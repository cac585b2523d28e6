package org.entente.node.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.entente.node.audit.AuditEvent;
import org.entente.node.common.InvalidInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API keys: shown once, kept as a hash, audited when made and revoked, dead at once when revoked. */
class ApiKeysTest {
    static UsersWorld world;
    static ApiKeys keys;
    static Authenticator authenticator;

    @BeforeAll
    static void open() {
        world = new UsersWorld();
        keys = world.node.apiKeys();
        authenticator = world.node.authenticator();
        world.node.accounts().create("tool", "tool account password", false);
    }

    @AfterAll
    static void close() {
        world.close();
    }

    @Test
    void aKeyIsShownOnceStoredAsAHashAndAudited() {
        long before = world.records();
        ApiKeys.NewApiKey k = keys.create("tool", "sensor uploads", "root");
        assertThat(k.secret()).startsWith("ent_" + k.keyId() + "_");
        assertThat(world.records()).isEqualTo(before + 1);
        UsersWorld.Record r = world.last();
        assertThat(r.kind()).isEqualTo(AuditEvent.USER_CHANGE);
        assertThat(r.detail().path("change").asText()).isEqualTo("API key created");
        assertThat(r.detail().path("key").asText()).isEqualTo(k.keyId());
        assertThat(r.detail().toString()).doesNotContain(k.secret());
        String stored = world.database.jdbi().withHandle(h -> h.createQuery("SELECT key_hash FROM api_key WHERE key_id = :k")
                .bind("k", k.keyId()).mapTo(String.class).one());
        assertThat(stored).startsWith("$argon2id$").doesNotContain(k.secret());
        AuthResult a = authenticator.apiKey(k.secret(), "192.0.2.1");
        assertThat(a).isInstanceOfSatisfying(AuthResult.Authenticated.class,
                x -> assertThat(x.principal().username()).isEqualTo("tool"));
        assertThat(world.node.accounts().list().stream().filter(l -> l.username().equals("tool")).findFirst()
                .orElseThrow().liveKeys()).isPositive();
    }

    /** The verified key is remembered for a while; revoking it ends that at once. */
    @Test
    void aRevokedKeyStopsAtOnceThoughItWasJustVerified() {
        ApiKeys.NewApiKey k = keys.create("tool", "to revoke", "root");
        assertThat(authenticator.apiKey(k.secret(), "192.0.2.2")).isInstanceOf(AuthResult.Authenticated.class);
        assertThat(authenticator.apiKey(k.secret(), "192.0.2.2")).as("remembered").isInstanceOf(AuthResult.Authenticated.class);
        long before = world.records();
        keys.revoke(k.keyId(), "root");
        assertThat(world.records()).isEqualTo(before + 1);
        assertThat(world.last().detail().path("change").asText()).isEqualTo("API key revoked");
        assertThat(world.last().detail().path("user").asText()).isEqualTo("tool");
        assertThat(authenticator.apiKey(k.secret(), "192.0.2.2")).isInstanceOfSatisfying(AuthResult.Rejected.class,
                r -> assertThat(r.reason()).contains("revoked"));
    }

    @Test
    void refusedKeyChangesLeaveNoAuditRecord() {
        long before = world.records();
        assertThatThrownBy(() -> keys.create("nobody", "x", "root"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.problems().getFirst().field()).isEqualTo("username"));
        assertThatThrownBy(() -> keys.revoke("no-such-key", "root"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.problems().getFirst().field()).isEqualTo("key"));
        assertThat(world.records()).isEqualTo(before);
    }

    @Test
    void whatIsNotAKeyIsRejectedWithoutALookUp() {
        assertThat(authenticator.apiKey("not-a-key", "192.0.2.3")).isInstanceOfSatisfying(AuthResult.Rejected.class,
                r -> assertThat(r.reason()).contains("ent_"));
        assertThat(authenticator.apiKey("ent_abc_\0", "192.0.2.3")).isInstanceOf(AuthResult.Rejected.class);
        ApiKeys.NewApiKey k = keys.create("tool", "guessed", "root");
        assertThat(authenticator.apiKey("ent_" + k.keyId() + "_wrong", "192.0.2.3")).isInstanceOf(AuthResult.Rejected.class);
    }
}
