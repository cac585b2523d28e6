package org.entente.node.http;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.Refusal;
import org.entente.node.db.Database;
import org.entente.node.users.Accounts;
import org.entente.node.users.Principal;

/**
 * Signed-in browsers of the console. A session is a row in PostgreSQL, so any node process behind
 * a load balancer serves it; the browser holds a random secret in an HttpOnly, SameSite=Strict
 * cookie (Secure whenever the node speaks TLS, which it must beyond loopback) and the table holds
 * only its SHA-256. Each session has a CSRF token that every form sends back.
 *
 * <p>A session ends when its user signs out, after {@link #idle} without a request, or
 * {@link #LONGEST} after sign-in, whichever comes first.
 */
public final class Sessions {
    public static final String COOKIE = "entente_session";
    /** The double-submit token of the sign-in form, before there is a session to hold one. */
    static final String SIGN_IN_COOKIE = "entente_sign_in";
    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** A working shift and its overtime: then the officer signs in again. */
    static final Duration LONGEST = Duration.ofHours(14);
    /** last_seen is written at most this often, not on every request. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final String ATTRIBUTE = "entente.session";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final Accounts accounts;
    private final AuditLog audit;
    private final boolean secureCookies;
    private final Duration idle;

    /**
     * @param secureCookies whether cookies carry the Secure flag (the node serves HTTPS)
     * @param idle how long a session lives without a request
     */
    public Sessions(Database db, Accounts accounts, AuditLog audit, boolean secureCookies, Duration idle) {
        this.db = db;
        this.accounts = accounts;
        this.audit = audit;
        this.secureCookies = secureCookies;
        this.idle = idle;
    }

    /**
     * A signed-in browser.
     *
     * @param language the user's chosen language, or null when she has not chosen one
     */
    public record Session(byte[] tokenHash, Principal principal, String csrfToken, String language) {
        /** A short, non-secret name of the session for audit records (the hash's first bytes). */
        public String reference() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 6; i++) sb.append(String.format("%02x", tokenHash[i]));
            return sb.toString();
        }
    }

    /** The request's session, if its cookie names a live one; the request then acts for its user. */
    public Optional<Session> current(Context ctx) {
        Session cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) return Optional.of(cached);
        String token = ctx.cookie(COOKIE);
        if (token == null || token.isEmpty() || token.length() > 100) return Optional.empty();
        byte[] hash = sha256(token);
        Instant now = Instant.now();
        record Row(long userId, String csrf, Instant created, Instant lastSeen) {}
        Optional<Row> row = db.jdbi().withHandle(h -> h.createQuery("SELECT user_id, csrf_token, created, last_seen"
                        + " FROM console_session WHERE token_hash = :h").bind("h", hash)
                .map((rs, c) -> new Row(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
                        rs.getObject(4, OffsetDateTime.class).toInstant())).findOne());
        if (row.isEmpty()) return Optional.empty();
        Row r = row.get();
        if (r.lastSeen().plus(idle).isBefore(now) || r.created().plus(LONGEST).isBefore(now)) {
            delete(hash);
            return Optional.empty();
        }
        Optional<Accounts.SignedIn> user = accounts.signedIn(r.userId());
        if (user.isEmpty()) return Optional.empty();
        if (r.lastSeen().plus(TOUCH_EVERY).isBefore(now)) {
            db.jdbi().useHandle(h -> h.createUpdate("UPDATE console_session SET last_seen = now() WHERE token_hash = :h")
                    .bind("h", hash).execute());
        }
        Session s = new Session(hash, user.get().principal(), r.csrf(), user.get().language());
        ctx.attribute(ATTRIBUTE, s);
        HttpAuth.actAs(ctx, s.principal());
        return Optional.of(s);
    }

    /**
     * Starts a session for a user whose credentials were just verified: a fresh secret (never one
     * the browser brought, so a planted cookie cannot be adopted), recorded in the audit log.
     */
    public Session start(Context ctx, Principal p) {
        String token = random(32);
        byte[] hash = sha256(token);
        String csrf = random(24);
        Instant expired = Instant.now().minus(idle);
        db.jdbi().useTransaction(h -> {
            // Sessions nobody ended are cleared here rather than by a job of their own.
            h.createUpdate("DELETE FROM console_session WHERE last_seen < :expired OR created < :tooOld")
                    .bind("expired", utc(expired)).bind("tooOld", utc(Instant.now().minus(LONGEST))).execute();
            h.createUpdate("INSERT INTO console_session (token_hash, user_id, csrf_token, client)"
                            + " VALUES (:h, :u, :c, :client)")
                    .bind("h", hash).bind("u", p.userId()).bind("c", csrf).bind("client", ctx.ip()).execute();
        });
        ctx.cookie(cookie(COOKIE, token, -1));
        ctx.removeCookie(SIGN_IN_COOKIE, "/");
        Session s = new Session(hash, p, csrf, accounts.signedIn(p.userId()).map(Accounts.SignedIn::language).orElse(null));
        ctx.attribute(ATTRIBUTE, s);
        HttpAuth.actAs(ctx, p);
        audit.append(new AuditEvent("session-start", p.username(), p.organisationId(),
                AuditEvent.detail("session", s.reference(), "client", ctx.ip())));
        return s;
    }

    /** Signs the browser out: the row goes, and the cookie with it. */
    public void end(Context ctx) {
        Optional<Session> s = current(ctx);
        ctx.cookie(cookie(COOKIE, "", 0));
        if (s.isEmpty()) return;
        delete(s.get().tokenHash());
        Principal p = s.get().principal();
        audit.append(new AuditEvent("session-end", p.username(), p.organisationId(),
                AuditEvent.detail("session", s.get().reference(), "client", ctx.ip())));
    }

    private void delete(byte[] hash) {
        db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM console_session WHERE token_hash = :h").bind("h", hash)
                .execute());
    }

    /**
     * Refuses a change whose form or header does not carry the session's CSRF token: a page of
     * another site cannot read the token, so it cannot forge the form. The refusal is audited.
     */
    public void requireCsrf(Context ctx, Session s) {
        if (!sameToken(csrfOf(ctx), s.csrfToken())) {
            throw new Refusal(403, "Forbidden", "csrf-token", "the form did not carry this session's CSRF token;"
                    + " reload the page and submit it again");
        }
    }

    /** The sign-in form's token: the same random value in a cookie and in the form (double submit). */
    public String signInToken(Context ctx) {
        String existing = ctx.cookie(SIGN_IN_COOKIE);
        if (existing != null && existing.matches("[A-Za-z0-9_-]{32}")) return existing;
        String token = random(24);
        ctx.cookie(cookie(SIGN_IN_COOKIE, token, -1));
        return token;
    }

    public void requireSignInToken(Context ctx) {
        String cookie = ctx.cookie(SIGN_IN_COOKIE);
        if (cookie == null || !sameToken(csrfOf(ctx), cookie)) {
            throw new Refusal(403, "Forbidden", "csrf-token", "the sign-in form did not carry its CSRF token;"
                    + " reload the page and sign in again");
        }
    }

    private static String csrfOf(Context ctx) {
        String header = ctx.header(CSRF_HEADER);
        if (header != null && !header.isEmpty()) return header;
        return ctx.formParam(CSRF_FIELD);
    }

    private static boolean sameToken(String given, String expected) {
        return given != null && expected != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    /** A cookie of the console: HttpOnly, SameSite=Strict, Secure over TLS; maxAge -1 ends with the browser. */
    public Cookie cookie(String name, String value, int maxAge) {
        Cookie c = new Cookie(name, value, "/", maxAge, secureCookies);
        c.setHttpOnly(true);
        c.setSameSite(SameSite.STRICT);
        return c;
    }

    public boolean secureCookies() {
        return secureCookies;
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
