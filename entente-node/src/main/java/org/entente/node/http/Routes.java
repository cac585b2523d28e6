package org.entente.node.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where APIs declare their endpoints: each one is registered with Javalin and remembered, so that
 * the OpenAPI description can be checked against the routes the node really serves.
 *
 * @param app the server
 */
public final class Routes {
    /**
     * An endpoint as served: method, path template, who may call it, and whether it is a console
     * page for browsers (HTML) rather than a part of the HTTP API that the OpenAPI document describes.
     */
    public record Route(String method, String path, Access access, boolean page) {}

    /** Who may call an endpoint: anyone, an API client with credentials, a browser signed in to the console. */
    public enum Access { PUBLIC, AUTHENTICATED, SESSION }

    /**
     * An HTML page for an error raised on a console path, in the reader's language; empty to fall
     * back to the JSON problem.
     */
    public interface ErrorPage {
        Optional<String> render(Context ctx, int status, String title, String description);
    }

    /**
     * What every console page's answer carries: a content security policy that allows no inline
     * script or style and nothing from elsewhere, no framing, no caching of what a page showed.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final Javalin app;
    private final Sessions sessions;
    private final List<Route> routes = new ArrayList<>();
    private final List<java.util.Map.Entry<java.util.regex.Pattern, Route>> patterns = new ArrayList<>();
    private ErrorPage errorPage;

    Routes(Javalin app, Sessions sessions) {
        this.app = app;
        this.sessions = sessions;
    }

    public Routes get(String path, Handler h) {
        return add("GET", path, h, Access.AUTHENTICATED);
    }

    public Routes post(String path, Handler h) {
        return add("POST", path, h, Access.AUTHENTICATED);
    }

    public Routes put(String path, Handler h) {
        return add("PUT", path, h, Access.AUTHENTICATED);
    }

    public Routes delete(String path, Handler h) {
        return add("DELETE", path, h, Access.AUTHENTICATED);
    }

    /**
     * A stream of server-sent events (GET, {@code Accept: text/event-stream}): the consumer gets the
     * client once the stream is open and must keep it open ({@code keepAlive}) or close it.
     */
    public Routes sse(String path, java.util.function.Consumer<io.javalin.http.sse.SseClient> client) {
        app.sse(path, client);
        routes.add(new Route("GET", path, Access.AUTHENTICATED, false));
        return this;
    }

    /** An endpoint anyone may call (health, sign-in). */
    public Routes publicGet(String path, Handler h) {
        return add("GET", path, h, Access.PUBLIC);
    }

    public Routes publicPost(String path, Handler h) {
        return add("POST", path, h, Access.PUBLIC);
    }

    /**
     * A console page for a signed-in user; a browser without a session is sent to the sign-in page,
     * which brings it back here afterwards.
     */
    public Routes page(String path, Handler h) {
        return add("GET", path, signedIn(h, false), Access.SESSION, true);
    }

    /** A change made from a console form: it needs a session and that session's CSRF token. */
    public Routes action(String path, Handler h) {
        return add("POST", path, signedIn(h, true), Access.SESSION, true);
    }

    /** A console page anyone may open (the sign-in page, style sheets); a session is picked up when there is one. */
    public Routes openPage(String path, Handler h) {
        return add("GET", path, framed(sessions::current, h), Access.PUBLIC, true);
    }

    /** The sign-in form's target: no session yet, so its CSRF token is the double-submitted one. */
    public Routes signIn(String path, Handler h) {
        return add("POST", path, framed(sessions::requireSignInToken, h), Access.PUBLIC, true);
    }

    /** A page without a session to require: its headers, a check first, and its body kept as it answers. */
    private static Handler framed(java.util.function.Consumer<Context> first, Handler h) {
        return ctx -> {
            pageHeaders(ctx);
            first.accept(ctx);
            h.handle(ctx);
            ctx.attribute(HttpServer.ERROR_WRITTEN, true);
        };
    }

    /** Renders errors of console paths as pages. */
    public Routes errorPage(ErrorPage page) {
        this.errorPage = page;
        return this;
    }

    Optional<ErrorPage> errorPage() {
        return Optional.ofNullable(errorPage);
    }

    public Sessions sessions() {
        return sessions;
    }

    private Handler signedIn(Handler h, boolean change) {
        return ctx -> {
            long started = System.nanoTime();
            pageHeaders(ctx);
            Optional<Sessions.Session> s = sessions.current(ctx);
            if (s.isEmpty()) {
                if (change) throw new HttpProblem(401, "Unauthorized", "sign in first; your session may have ended");
                String here = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
                String signIn = "/?next=" + URLEncoder.encode(here, StandardCharsets.UTF_8);
                if (ctx.header("HX-Request") != null) {
                    ctx.header("HX-Redirect", signIn).status(401);
                } else {
                    ctx.redirect(signIn, HttpStatus.SEE_OTHER);
                }
                return;
            }
            if (change) sessions.requireCsrf(ctx, s.get());
            h.handle(ctx);
            // A page that answers 400 with the form and its problems is its own error page.
            ctx.attribute(HttpServer.ERROR_WRITTEN, true);
            // What the node spent on the page, for the browser's developer tools and the page-time test.
            ctx.header("Server-Timing", String.format(java.util.Locale.ROOT, "app;dur=%.1f",
                    (System.nanoTime() - started) / 1e6));
        };
    }

    static void pageHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private Routes add(String method, String path, Handler h, Access access) {
        return add(method, path, h, access, false);
    }

    private Routes add(String method, String path, Handler h, Access access, boolean page) {
        switch (method) {
            case "GET" -> app.get(path, h);
            case "POST" -> app.post(path, h);
            case "PUT" -> app.put(path, h);
            case "DELETE" -> app.delete(path, h);
            default -> throw new IllegalArgumentException(method);
        }
        Route r = new Route(method, path, access, page);
        routes.add(r);
        patterns.add(java.util.Map.entry(java.util.regex.Pattern.compile(
                trimmed(path).replaceAll("\\{[^}/]+}", "[^/]+")), r));
        return this;
    }

    private static String trimmed(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * The template of the route a request was meant for, for requests refused before their
     * handler ran (authentication): null when no route has this path.
     */
    String template(String path) {
        String p = trimmed(path);
        for (var e : patterns) if (e.getKey().matcher(p).matches()) return e.getValue().path();
        return null;
    }

    /** A filter run before every matching request (e.g. content negotiation of one API). */
    public Routes before(String path, Handler h) {
        app.before(path, h);
        return this;
    }

    public List<Route> all() {
        return List.copyOf(routes);
    }

    /** Paths that need no credentials. */
    Set<String> publicPaths() {
        Set<String> out = new java.util.HashSet<>();
        for (Route r : routes) if (r.access() == Access.PUBLIC) out.add(r.method() + " " + r.path());
        return out;
    }
}
