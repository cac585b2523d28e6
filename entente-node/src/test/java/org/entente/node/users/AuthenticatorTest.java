package org.entente.node.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.entente.node.audit.AuditEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Passwords checked with Argon2id, verified credentials remembered briefly, guessers slowed down
 * by address: the owner of an account, from her own address, still gets in.
 */
class AuthenticatorTest {
    static UsersWorld world;
    static MovableClock clock = new MovableClock();
    static Authenticator authenticator;

    @BeforeAll
    static void open() {
        world = new UsersWorld();
        authenticator = new Authenticator(world.database, world.node.audit(), clock);
    }

    @AfterAll
    static void close() {
        world.close();
    }

    static final class MovableClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theRightPasswordAuthenticatesAsTheUserOfItsOrganisationAndIsAudited() {
        world.node.accounts().create("officer", "officer password 1", false, world.partner,
                java.util.Set.of(Role.BORDER_OFFICER));
        AuthResult r = authenticator.password("officer", "officer password 1", "198.51.100.1");
        assertThat(r).isInstanceOfSatisfying(AuthResult.Authenticated.class, a -> {
            assertThat(a.principal().organisationId()).isEqualTo(world.partner);
            assertThat(a.principal().roles()).containsExactly(Role.BORDER_OFFICER);
            assertThat(a.principal().admin()).isFalse();
        });
        UsersWorld.Record login = world.last();
        assertThat(login.kind()).isEqualTo(AuditEvent.LOGIN);
        assertThat(login.detail().path("client").asText()).isEqualTo("198.51.100.1");

        // Within the remembered window a client's next request is the same session, not a new login.
        long before = world.records();
        assertThat(authenticator.password("officer", "officer password 1", "198.51.100.1"))
                .isInstanceOf(AuthResult.Authenticated.class);
        assertThat(world.records()).isEqualTo(before);

        assertThat(authenticator.password("officer", "wrong password", "198.51.100.1"))
                .isInstanceOfSatisfying(AuthResult.Rejected.class, x -> assertThat(x.reason()).isEqualTo(
                        "unknown user or wrong password"));
        assertThat(world.last().kind()).isEqualTo(AuditEvent.LOGIN_FAILED);
        assertThat(authenticator.password("nobody", "wrong password", "198.51.100.1"))
                .isInstanceOfSatisfying(AuthResult.Rejected.class, x -> assertThat(x.reason()).isEqualTo(
                        "unknown user or wrong password"));
        assertThat(authenticator.password("no\0body", "pass\0word", "198.51.100.1")).isInstanceOf(AuthResult.Rejected.class);
    }

    /**
     * 6fe3fee counted failures per account only, so five wrong guesses from anywhere locked the
     * owner out everywhere (its Users class; the HTTP test of it is ProbeFindingsTest).
     */
    @Test
    void aGuesserIsThrottledAtItsAddressWhileTheOwnerGetsInFromHers() {
        world.node.accounts().create("target", "target password 1", false);
        String guesser = "203.0.113.9";
        for (int i = 0; i < Authenticator.FREE_FAILURES_PER_ACCOUNT; i++) {
            assertThat(authenticator.password("target", "guess " + i, guesser)).isInstanceOf(AuthResult.Rejected.class);
        }
        assertThat(authenticator.password("target", "guess again", guesser)).isInstanceOfSatisfying(
                AuthResult.Throttled.class, t -> assertThat(t.retryAfterSeconds()).isPositive());
        // The right password from the guesser's address waits too: the guesser cannot test it there.
        assertThat(authenticator.password("target", "target password 1", guesser)).isInstanceOf(AuthResult.Throttled.class);
        assertThat(authenticator.password("target", "target password 1", "198.51.100.4"))
                .as("the owner from her own address").isInstanceOf(AuthResult.Authenticated.class);

        clock.now = clock.now.plus(Authenticator.FORGIVEN_AFTER).plusSeconds(1);
        assertThat(authenticator.password("target", "guess after a while", guesser))
                .as("old failures are forgiven").isInstanceOf(AuthResult.Rejected.class);
    }

    /** One address guessing many accounts is slowed down as a whole; other addresses are not. */
    @Test
    void anAddressGuessingManyAccountsIsThrottledAsAWhole() {
        String sprayer = "203.0.113.77";
        for (int i = 0; i < Authenticator.FREE_FAILURES_PER_ADDRESS; i++) {
            assertThat(authenticator.password("sprayed-" + i, "password123", sprayer)).isInstanceOf(AuthResult.Rejected.class);
        }
        assertThat(authenticator.password("sprayed-x", "password123", sprayer)).isInstanceOf(AuthResult.Throttled.class);
        assertThat(authenticator.password("sprayed-x", "password123", "203.0.113.78")).isInstanceOf(AuthResult.Rejected.class);
    }

    /** The remembered verification is tied to the stored hash: a new password ends the old one at once. */
    @Test
    void aChangedPasswordEndsTheRememberedOneAtOnce() {
        world.node.accounts().create("mover", "old password 123", false);
        assertThat(authenticator.password("mover", "old password 123", "198.51.100.9")).isInstanceOf(AuthResult.Authenticated.class);
        world.node.accounts().setPassword("mover", "new password 123");
        assertThat(authenticator.password("mover", "old password 123", "198.51.100.9")).isInstanceOf(AuthResult.Rejected.class);
        assertThat(authenticator.password("mover", "new password 123", "198.51.100.9")).isInstanceOf(AuthResult.Authenticated.class);
    }

    /** Remembering is bounded in time too: after it, the password is verified (and audited) again. */
    @Test
    void aRememberedVerificationExpires() {
        world.node.accounts().create("expiring", "expiring password", false);
        assertThat(authenticator.password("expiring", "expiring password", "198.51.100.10"))
                .isInstanceOf(AuthResult.Authenticated.class);
        long before = world.records();
        clock.now = clock.now.plus(Authenticator.REMEMBERED).minusSeconds(1);
        assertThat(authenticator.password("expiring", "expiring password", "198.51.100.10"))
                .isInstanceOf(AuthResult.Authenticated.class);
        assertThat(world.records()).as("remembered").isEqualTo(before);
        clock.now = clock.now.plusSeconds(2);
        assertThat(authenticator.password("expiring", "expiring password", "198.51.100.10"))
                .isInstanceOf(AuthResult.Authenticated.class);
        assertThat(world.records()).as("verified and recorded again").isEqualTo(before + 1);
        assertThat(world.last().kind()).isEqualTo(AuditEvent.LOGIN);
    }
}
