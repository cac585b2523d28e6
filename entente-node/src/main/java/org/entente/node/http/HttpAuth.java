package org.entente.node.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.entente.node.users.AuthResult;
import org.entente.node.users.Authenticator;
import org.entente.node.users.Principal;

/**
 * Authenticates requests with HTTP Basic (user and password) or a bearer API key, and hands the
 * {@link Principal} to the handlers. Failures are counted against the client's address.
 */
public final class HttpAuth {
    private static final String ATTRIBUTE = "entente.principal";
    private final Authenticator authenticator;

    public HttpAuth(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** A refused authentication: 401 with a challenge, or 429 while the client must wait. */
    public static final class Failure extends HttpProblem {
        Failure(int status, String title, String description) {
            super(status, title, description);
        }
    }

    void authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw challenge(ctx, "authentication required: send HTTP Basic credentials or 'Authorization: Bearer <API key>'");
        }
        String h = header.trim();
        int space = h.indexOf(' ');
        String scheme = space < 0 ? h : h.substring(0, space);
        String value = space < 0 ? "" : h.substring(space + 1).trim();
        String client = ctx.ip();
        AuthResult result = switch (scheme.toLowerCase(Locale.ROOT)) {
            case "basic" -> basic(value, client);
            case "bearer" -> value.isEmpty() ? new AuthResult.Rejected("the bearer token is empty")
                    : authenticator.apiKey(value, client);
            default -> new AuthResult.Rejected("unsupported authorization scheme '" + printable(scheme) + "': use Basic or Bearer");
        };
        switch (result) {
            case AuthResult.Authenticated a -> ctx.attribute(ATTRIBUTE, a.principal());
            case AuthResult.Rejected r -> throw challenge(ctx, r.reason());
            case AuthResult.Throttled t -> {
                ctx.header("Retry-After", Long.toString(t.retryAfterSeconds()));
                throw new Failure(429, "Too many failed logins",
                        "too many failed attempts from your address; try again in " + t.retryAfterSeconds() + " s");
            }
        }
    }

    private AuthResult basic(String value, String client) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new AuthResult.Rejected("the Basic credentials are not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) return new AuthResult.Rejected("the Basic credentials lack the ':' between user and password");
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        // Tools send a key as the password of a Basic login too.
        if (password.startsWith("ent_") && (user.isEmpty() || user.equals("apikey"))) {
            return authenticator.apiKey(password, client);
        }
        return authenticator.password(user, password, client);
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }

    private static Failure challenge(Context ctx, String reason) {
        ctx.header("WWW-Authenticate", "Basic realm=\"entente\", charset=\"UTF-8\"");
        return new Failure(401, "Unauthorized", reason);
    }

    /** The authenticated principal of a request. */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(ATTRIBUTE);
        if (p == null) throw new IllegalStateException("request was not authenticated: " + ctx.path());
        return p;
    }

    /** The principal, or null on paths that need none. */
    public static Principal principalOrNull(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }

    /** For other ways of signing in (the console's session): the request acts for this principal. */
    public static void actAs(Context ctx, Principal p) {
        ctx.attribute(ATTRIBUTE, p);
    }
}
