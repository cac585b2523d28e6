package org.entente.node.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.config.NodeConfig;
import org.entente.node.tls.Pem;
import org.entente.node.users.Principal;
import org.entente.node.users.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The users' port: one Javalin server with the node's APIs, authentication on everything below
 * {@code /taxii2} and {@code /api} but the public routes, a request id on every request (in the
 * logs, the audit records and the answer), timings per route and status, and one error model for
 * every failure, whether an API, the router or the web server itself raised it.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** One line per request served; its level is set apart from the rest (see ops.Logs). */
    public static final String ACCESS_LOG = "org.entente.node.http.access";
    private static final Logger ACCESS = LoggerFactory.getLogger(ACCESS_LOG);
    public static final String REQUEST_ID = "X-Request-Id";
    /** MDC key under which the request id reaches log lines and audit records. */
    public static final String MDC_REQUEST_ID = "request_id";
    private static final Pattern GOOD_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** Set once a response has its body (an error body, or a page that chose its own 4xx status): the router's error pages keep off it. */
    static final String ERROR_WRITTEN = "entente.error-written";

    /**
     * How a server listens and who calls it: the users' port (credentials below /taxii2 and /api,
     * TLS when configured, /metrics and the OpenAPI description), or the federation listener (mutual
     * TLS, every request from a partner's node).
     *
     * @param tls the TLS connector's factory, or null for plain HTTP (loopback only)
     * @param authenticateAll whether every request needs a principal, not only those below /taxii2 and /api
     * @param usersPort whether this is the users' port (with /metrics and /api/openapi.json)
     * @param meter the name of the request timer
     */
    private record Setup(String host, int port, long maxRequestSize, Supplier<SslContextFactory.Server> tls,
            java.util.function.Consumer<Context> authenticate, boolean authenticateAll, boolean usersPort,
            String meter) {}

    private final NodeConfig config;
    private final HttpAuth auth;
    private final Sessions sessions;
    private final AuditLog audit;
    private final MeterRegistry metrics;
    private final Supplier<String> scrape;
    private final List<Api> apis;
    private final Setup setup;
    private Javalin app;
    private Routes routes;

    /**
     * @param scrape the Prometheus text of the node's metrics, for {@code /metrics}
     */
    public HttpServer(NodeConfig config, HttpAuth auth, Sessions sessions, AuditLog audit, MeterRegistry metrics,
            Supplier<String> scrape, List<Api> apis) {
        this.config = config;
        this.auth = auth;
        this.sessions = sessions;
        this.audit = audit;
        this.metrics = metrics;
        this.scrape = scrape;
        this.apis = List.copyOf(apis);
        this.setup = new Setup(config.host(), config.port(), config.maxContentLength(),
                config.tls() ? this::usersTls : null, auth::authenticate, false, true, "http.server.requests");
    }

    private HttpServer(Setup setup, AuditLog audit, MeterRegistry metrics, List<Api> apis) {
        this.config = null;
        this.auth = null;
        this.sessions = null;
        this.scrape = null;
        this.audit = audit;
        this.metrics = metrics;
        this.apis = List.copyOf(apis);
        this.setup = setup;
    }

    /**
     * A listener on which every caller is authenticated by its TLS client certificate (the
     * federation listener): {@code ssl} requires and checks the certificate in the handshake, then
     * {@code authenticate} turns it into the request's principal (see {@link HttpAuth#actAs}).
     */
    public static HttpServer mutualTls(String host, int port, long maxRequestSize, SslContextFactory.Server ssl,
            java.util.function.Consumer<Context> authenticate, AuditLog audit, MeterRegistry metrics, List<Api> apis) {
        return new HttpServer(new Setup(host, port, maxRequestSize, () -> ssl, authenticate, true, false,
                "federation.server.requests"), audit, metrics, apis);
    }

    /** Starts listening; the configured port may be 0, {@link #port()} says which was taken. */
    public void start() {
        if (setup.tls() == null && !isLoopback(setup.host())) {
            throw new IllegalArgumentException("refusing to listen on " + setup.host() + " without TLS:"
                    + " give --tls-cert and --tls-key, or listen on 127.0.0.1");
        }
        Javalin javalin = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.router.ignoreTrailingSlashes = true;
            cfg.http.maxRequestSize = setup.maxRequestSize();
            cfg.http.prefer405over404 = true;
            // Files uploaded in the console (bundles, watchlists, manifests) have the same ceiling as a TAXII envelope.
            cfg.jetty.multipartConfig.maxFileSize(setup.maxRequestSize(), io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(setup.maxRequestSize() + 65536, io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
            cfg.jetty.modifyServletContextHandler(handler -> {
                handler.setErrorHandler(new JettyErrors());
                handler.addFilter(new FilterHolder(new IgnoreMethodOverride()), "/*", EnumSet.of(DispatcherType.REQUEST));
            });
            cfg.requestLogger.http(this::measured);
            if (setup.tls() != null) cfg.jetty.addConnector((server, httpConfig) -> tlsConnector(server, httpConfig));
        });
        Routes r = new Routes(javalin, sessions);
        this.routes = r;
        javalin.before(this::requestId);
        javalin.before(ctx -> {
            if (setup.authenticateAll() || needsCredentials(ctx, r)) setup.authenticate().accept(ctx);
        });
        // After authentication: an anonymous caller learns nothing, and leaves no audit record, by sending NULs.
        javalin.before(HttpServer::noNulInParameters);
        if (setup.usersPort()) {
            r.publicGet("/metrics", this::metricsEndpoint);
            new OpenApiDocument().register(r);
        }
        for (Api api : apis) api.register(r);
        errors(javalin, r);
        if (setup.tls() != null) javalin.start();
        else javalin.start(setup.host(), setup.port());
        this.app = javalin;
    }

    private static boolean needsCredentials(Context ctx, Routes routes) {
        String path = ctx.path();
        boolean protectedPath = ErrorBodies.isTaxii(path) || path.equals("/api") || path.startsWith("/api/");
        if (!protectedPath) return false;
        String normal = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return !routes.publicPaths().contains(ctx.req().getMethod() + " " + normal);
    }

    private void requestId(Context ctx) {
        String given = ctx.header(REQUEST_ID);
        String id = given != null && GOOD_REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
        ctx.attribute(REQUEST_ID, id);
        ctx.header(REQUEST_ID, id);
        MDC.put(MDC_REQUEST_ID, id);
    }

    /** PostgreSQL text cannot hold NUL, and no parameter of ours needs one: bad input, said so. */
    private static void noNulInParameters(Context ctx) {
        for (var e : ctx.queryParamMap().entrySet()) {
            boolean bad = e.getKey().indexOf('\0') >= 0 || e.getValue().stream().anyMatch(v -> v.indexOf('\0') >= 0);
            if (bad) {
                throw InvalidInput.of("Bad request", e.getKey().replace("\0", "\\0"),
                        "the parameter holds a NUL character (%00)");
            }
        }
    }

    /**
     * After every request: its timing by route and status, and one line of the access log, which
     * carries the request id like every other line logged while the request was served.
     */
    private void measured(Context ctx, Float millis) {
        String route;
        try {
            route = ctx.endpointHandlerPath();
        } catch (IllegalStateException e) {
            // Refused before its handler ran (authentication, a bad parameter): the route it was meant for.
            route = routes == null ? null : routes.template(ctx.path());
        }
        String shown = route == null || route.isEmpty() || route.equals("*") ? "unmatched" : route;
        int status = ctx.status().getCode();
        Timer.builder(setup.meter()).description(setup.usersPort() ? "HTTP requests of the users' port"
                        : "HTTP requests of the federation listener")
                .tag("method", ctx.req().getMethod()).tag("route", shown).tag("status", Integer.toString(status))
                .register(metrics).record(Duration.ofNanos((long) (millis * 1_000_000L)));
        String id = ctx.attribute(REQUEST_ID);
        try {
            if (id != null) MDC.put(MDC_REQUEST_ID, id);
            Principal p = HttpAuth.principalOrNull(ctx);
            double ms = Math.round(millis * 10) / 10.0;
            ACCESS.atInfo().addKeyValue("method", ctx.req().getMethod()).addKeyValue("path", ctx.path())
                    .addKeyValue("route", shown).addKeyValue("status", status).addKeyValue("ms", ms)
                    .addKeyValue("user", p == null ? null : p.username()).addKeyValue("client", ctx.ip())
                    .log("{} {} -> {} in {} ms", ctx.req().getMethod(), ctx.path(), status, ms);
        } finally {
            MDC.remove(MDC_REQUEST_ID);
        }
    }

    /**
     * Prometheus text: open to clients on loopback when the operator allows it (a collector on the
     * same machine), otherwise for administrators only.
     */
    private void metricsEndpoint(Context ctx) {
        boolean local = isLoopback(ctx.ip());
        if (!(local && config.metricsOpenOnLoopback())) {
            auth.authenticate(ctx);
            Principal p = HttpAuth.principal(ctx);
            if (!p.has(Role.ADMINISTRATOR)) throw HttpProblem.forbidden("the metrics are for administrators");
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(scrape.get());
    }

    // ---------------------------------------------------------------- errors

    private void errors(Javalin javalin, Routes routes) {
        this.routes = routes;
        javalin.exception(HttpProblem.class, (e, ctx) -> write(ctx, e.status(), e.title(), e.getMessage(), e.details(), null));
        javalin.exception(Refusal.class, (e, ctx) -> {
            if (!e.wasAudited()) rejected(ctx, e.rule, e.getMessage());
            write(ctx, e.status, e.title, e.getMessage(), Map.of(), null);
        });
        javalin.exception(InvalidInput.class, (e, ctx) -> {
            rejected(ctx, "invalid-input", e.getMessage());
            write(ctx, 400, e.title(), e.getMessage(), Map.of(), e.problems());
        });
        javalin.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 405) {
                // The router's own 405: say which methods the path has, in words and in Allow.
                String allowed = String.join(", ", e.getDetails().getOrDefault("availableMethods", "").split(",\\s*"));
                if (!allowed.isBlank()) ctx.header("Allow", allowed);
                write(ctx, 405, title(405), ctx.req().getMethod() + " is not supported on " + ctx.path()
                        + (allowed.isBlank() ? "" : "; it has " + allowed), Map.of(), null);
            } else {
                write(ctx, e.getStatus(), title(e.getStatus()), switch (e.getStatus()) {
                    case 404 -> "nothing at " + ctx.path();
                    case 413 -> "the request body is larger than the " + setup.maxRequestSize() + " bytes accepted";
                    default -> e.getMessage();
                }, Map.of(), null);
            }
        });
        javalin.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} {} failed", ctx.req().getMethod(), ctx.path(), e);
            write(ctx, 500, "Internal error", "the node could not complete the request; its operator finds the cause in"
                    + " the node's log under request id " + ctx.attribute(REQUEST_ID), Map.of(), null);
        });
        // What the router answers by itself (no such path, wrong method) gets the same bodies.
        for (int status : new int[] {400, 404, 405, 406, 413, 415, 500}) {
            javalin.error(status, ctx -> {
                if (ctx.attribute(ERROR_WRITTEN) != null) return;
                String description = switch (status) {
                    case 404 -> "nothing at " + ctx.path();
                    case 405 -> ctx.req().getMethod() + " is not supported on " + ctx.path();
                    default -> title(status);
                };
                write(ctx, status, title(status), description, Map.of(), null);
            });
        }
    }

    private void rejected(Context ctx, String rule, String reason) {
        Principal p = HttpAuth.principalOrNull(ctx);
        audit.append(new AuditEvent(AuditEvent.REJECTED_REQUEST, p == null ? "anonymous" : p.username(),
                p == null ? null : p.organisationId(), AuditEvent.detail("path", ctx.req().getMethod() + " " + ctx.path(),
                        "rule", rule, "reason", reason)));
    }

    private void write(Context ctx, int status, String title, String description, Map<String, Object> details,
            List<InvalidInput.Problem> problems) {
        if (routes != null && ErrorBodies.isPage(ctx.path()) && acceptsHtml(ctx)) {
            var page = routes.errorPage().flatMap(p -> p.render(ctx, status, title, description));
            if (page.isPresent()) {
                ctx.attribute(ERROR_WRITTEN, true);
                Routes.pageHeaders(ctx);
                ctx.status(status).contentType("text/html; charset=utf-8").result(page.get());
                return;
            }
        }
        ErrorBodies.Body b = ErrorBodies.of(ctx.path(), status, title, description, details, problems,
                ctx.attribute(REQUEST_ID));
        ctx.attribute(ERROR_WRITTEN, true);
        ctx.status(status).contentType(b.contentType()).result(b.text());
    }

    private static boolean acceptsHtml(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("text/html");
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 413 -> "Content too large";
            case 414 -> "URI too long";
            case 415 -> "Unsupported media type";
            case 422 -> "Unprocessable content";
            case 429 -> "Too many requests";
            case 431 -> "Request header fields too large";
            case 500 -> "Internal error";
            case 503 -> "Unavailable";
            default -> "HTTP " + status;
        };
    }

    // ---------------------------------------------------------------- TLS

    private SslContextFactory.Server usersTls() {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(Pem.keyStore(config.tlsCertificate(), config.tlsKey()));
        ssl.setKeyStorePassword(Pem.KEYSTORE_PASSWORD);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        return ssl;
    }

    private ServerConnector tlsConnector(Server server, HttpConfiguration httpConfig) {
        SslContextFactory.Server ssl = setup.tls().get();
        HttpConfiguration https = new HttpConfiguration(httpConfig);
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        https.addCustomizer(src);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(setup.host());
        connector.setPort(setup.port());
        return connector;
    }

    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- running

    public int port() {
        return app.port();
    }

    public String url() {
        String host = setup.host().contains(":") ? "[" + setup.host() + "]" : setup.host();
        return (setup.tls() != null ? "https" : "http") + "://" + host + ":" + port() + "/";
    }

    /** Every route the node serves, for the OpenAPI check. */
    public List<Routes.Route> routes() {
        return routes.all();
    }

    @Override
    public void close() {
        if (app != null) app.stop();
    }
}
