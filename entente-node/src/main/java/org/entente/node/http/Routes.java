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

    /**
     * A stream of server-sent events (GET, {@code Accept: text/event-stream}): the consumer gets the
     * client once the stream is open and must keep it open ({@code keepAlive}) or close it.
     */
    public Routes sse(String path, java.util.function.Consumer<io.javalin.http.sse.SseClient> client) {
        app.sse(path, client);
        routes.add(new Route("GET", path, Access.AUTHENTICATED));
        return this;
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
        routes.add(new Route(method, path, access));
        return this;
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
