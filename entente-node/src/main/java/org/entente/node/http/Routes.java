package org.entente.node.http;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where APIs declare their endpoints: each one is registered with Javalin and remembered, so that
 * the OpenAPI description can be checked against the routes the node really serves.
 *
 * @param app the server
 */
public final class Routes {
    /** An endpoint as served: method, path template and who may call it. */
    public record Route(String method, String path, Access access) {}

    /** Who may call an endpoint. */
    public enum Access { PUBLIC, AUTHENTICATED }

    private final Javalin app;
    private final List<Route> routes = new ArrayList<>();
    private final List<java.util.Map.Entry<java.util.regex.Pattern, Route>> patterns = new ArrayList<>();

    Routes(Javalin app) {
        this.app = app;
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

    /** An endpoint anyone may call (health, sign-in). */
    public Routes publicGet(String path, Handler h) {
        return add("GET", path, h, Access.PUBLIC);
    }

    public Routes publicPost(String path, Handler h) {
        return add("POST", path, h, Access.PUBLIC);
    }

    private Routes add(String method, String path, Handler h, Access access) {
        switch (method) {
            case "GET" -> app.get(path, h);
            case "POST" -> app.post(path, h);
            case "PUT" -> app.put(path, h);
            case "DELETE" -> app.delete(path, h);
            default -> throw new IllegalArgumentException(method);
        }
        Route r = new Route(method, path, access);
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
