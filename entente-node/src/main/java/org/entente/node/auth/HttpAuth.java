package org.entente.node.auth;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Authenticates every request below the protected prefixes with HTTP Basic (user and password) or
 * a bearer API key, and hands the {@link Principal} to the handlers.
 */
public final class HttpAuth {
    private static final String ATTRIBUTE = "entente.principal";
    private final Users users;

    public HttpAuth(Users users) {
        this.users = users;
    }

    /** A refused authentication; the API that owns the path writes the error body. */
    public static final class Failure extends RuntimeException {
        public final int status;
        public final String title;
        public final long retryAfterSeconds;

        Failure(int status, String title, String description, long retryAfterSeconds) {
            super(description);
            this.status = status;
            this.title = title;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    public void protect(Javalin app, String pathPattern) {
        app.before(pathPattern, this::authenticate);
    }

    private void authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw challenge(ctx, "authentication required: send HTTP Basic credentials or 'Authorization: Bearer <API key>'");
        }
        String h = header.trim();
        int space = h.indexOf(' ');
        String scheme = space < 0 ? h : h.substring(0, space);
        String value = space < 0 ? "" : h.substring(space + 1).trim();
        AuthResult result = switch (scheme.toLowerCase(Locale.ROOT)) {
            case "basic" -> basic(ctx, value);
            case "bearer" -> value.isEmpty() ? new AuthResult.Rejected("the bearer token is empty")
                    : users.authenticateApiKey(value);
            default -> new AuthResult.Rejected("unsupported authorization scheme '" + scheme + "': use Basic or Bearer");
        };
        switch (result) {
            case AuthResult.Authenticated a -> ctx.attribute(ATTRIBUTE, a.principal());
            case AuthResult.Rejected r -> throw challenge(ctx, r.reason());
            case AuthResult.Throttled t -> {
                ctx.header("Retry-After", Long.toString(t.retryAfterSeconds()));
                throw new Failure(429, "Too many failed logins",
                        "too many failed attempts for this account; try again in " + t.retryAfterSeconds() + " s",
                        t.retryAfterSeconds());
            }
        }
    }

    private AuthResult basic(Context ctx, String value) {
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
        if (password.startsWith(Users.KEY_PREFIX) && (user.isEmpty() || user.equals("apikey"))) {
            return users.authenticateApiKey(password);
        }
        return users.authenticatePassword(user, password);
    }

    private static Failure challenge(Context ctx, String reason) {
        ctx.header("WWW-Authenticate", "Basic realm=\"entente\", charset=\"UTF-8\"");
        return new Failure(401, "Unauthorized", reason, 0);
    }

    /** The authenticated principal of a request that passed {@link #protect}. */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(ATTRIBUTE);
        if (p == null) throw new IllegalStateException("request was not authenticated: " + ctx.path());
        return p;
    }
}
