package org.entente.node.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.entente.node.audit.AuditLog;
import org.entente.node.config.NodeConfig;
import org.entente.node.db.Database;
import org.entente.node.federation.Federation;
import org.entente.node.http.Api;
import org.entente.node.http.Routes;
import org.entente.node.http.Sessions;
import org.entente.node.intake.Admission;
import org.entente.node.intake.Importer;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.PolicyGate;
import org.entente.node.policy.store.Agreements;
import org.entente.node.policy.store.PolicyViews;
import org.entente.node.policy.store.Retention;
import org.entente.node.requests.Requests;
import org.entente.node.screening.ScreeningService;
import org.entente.node.store.ObjectStore;
import org.entente.node.users.Accounts;
import org.entente.node.users.ApiKeys;
import org.entente.node.users.AuthResult;
import org.entente.node.users.Authenticator;
import org.entente.node.users.Permissions;

/**
 * The web console on the users' port: server-rendered pages (jte templates compiled at build
 * time) over the same services and the same policy decisions as the HTTP API, in English, Arabic
 * and French. Sign-in at {@code /}, the screens under {@code /console}.
 */
public final class Console implements Api {

    /** The services the screens are views over. */
    public record Services(NodeConfig config, Database database, Sessions sessions, Authenticator authenticator,
            Accounts accounts, ApiKeys apiKeys, Permissions permissions, Organisations organisations, ObjectStore store,
            PolicyGate gate, PolicyViews views, Agreements agreements, Retention retention, AuditLog audit,
            Importer importer, Admission admission, ScreeningService screening, Federation federation, Requests requests) {}

    private static final Map<String, String> ASSETS = Map.of(
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "htmx.min.js", "text/javascript; charset=utf-8");

    private final Services s;
    private final Pages pages;
    private final Dashboard dashboard;
    private final Intelligence intelligence;
    private final ImportScreen imports;
    private final PartnerScreens partners;
    private final UserScreens users;
    private final AuditScreens auditScreens;
    private final ScreeningScreens screening;
    private final PeerScreens peers;
    private final RequestScreens requests;

    public Console(Services s) {
        this.s = s;
        Access access = new Access(s.views(), s.permissions(), s.store(), s.requests());
        this.pages = new Pages(s.sessions(), s.accounts(), s.views(), access);
        this.dashboard = new Dashboard(pages, s);
        this.intelligence = new Intelligence(pages, s);
        this.imports = new ImportScreen(pages, s);
        this.partners = new PartnerScreens(pages, s);
        this.users = new UserScreens(pages, s);
        this.auditScreens = new AuditScreens(pages, s);
        this.screening = new ScreeningScreens(pages, s);
        this.peers = new PeerScreens(pages, s);
        this.requests = new RequestScreens(pages, s);
    }

    @Override
    public void register(Routes routes) {
        routes.openPage("/", this::home);
        routes.signIn("/sign-in", this::signIn);
        routes.action("/sign-out", this::signOut);
        routes.openPage("/console/assets/{file}", this::asset);
        routes.page("/console", dashboard::show);
        intelligence.register(routes);
        imports.register(routes);
        partners.register(routes);
        users.register(routes);
        auditScreens.register(routes);
        screening.register(routes);
        peers.register(routes);
        requests.register(routes);
        routes.errorPage(this::errorPage);
    }

    // ---------------------------------------------------------------- signing in and out

    /**
     * The model of the sign-in page.
     *
     * @param language the language chosen on the sign-in page itself ({@code ?lang=}), or null
     */
    public record SignIn(String next, String error, String csrf, String username, boolean demo, String language) {}

    private void home(Context ctx) {
        if (s.sessions().current(ctx).isPresent()) {
            ctx.redirect("/console", HttpStatus.SEE_OTHER);
            return;
        }
        View v = pages.view(ctx);
        String chosen = Texts.known(ctx.queryParam("lang")) ? ctx.queryParam("lang") : null;
        pages.render(ctx, "signin.jte", v, new SignIn(safeNext(ctx.queryParam("next")), null,
                s.sessions().signInToken(ctx), "", s.config().demo(), chosen));
    }

    private void signIn(Context ctx) {
        String username = ctx.formParam("username") == null ? "" : ctx.formParam("username");
        String password = ctx.formParam("password") == null ? "" : ctx.formParam("password");
        String next = safeNext(ctx.formParam("next"));
        AuthResult result = username.isBlank() ? new AuthResult.Rejected("no user name")
                : s.authenticator().password(username.strip(), password, ctx.ip());
        if (result instanceof AuthResult.Authenticated a) {
            Sessions.Session session = s.sessions().start(ctx, a.principal());
            // A language picked on the sign-in page is this person's choice; otherwise her remembered one
            // stands, and a first-timer keeps the language the page was shown in.
            String picked = ctx.formParam("lang");
            String shown = ctx.cookie(Pages.LANGUAGE_COOKIE);
            if (Texts.known(picked)) s.accounts().setLanguage(a.principal().userId(), picked);
            else if (session.language() == null && Texts.known(shown)) s.accounts().setLanguage(a.principal().userId(), shown);
            ctx.redirect(next == null ? "/console" : next, HttpStatus.SEE_OTHER);
            return;
        }
        View v = pages.view(ctx);
        String error;
        if (result instanceof AuthResult.Throttled t) {
            ctx.status(429).header("Retry-After", Long.toString(t.retryAfterSeconds()));
            error = v.t("signin.throttled", t.retryAfterSeconds());
        } else {
            ctx.status(401);
            error = v.t("signin.failed");
        }
        pages.render(ctx, "signin.jte", v, new SignIn(next, error, s.sessions().signInToken(ctx), username,
                s.config().demo(), Texts.known(ctx.formParam("lang")) ? ctx.formParam("lang") : null));
    }

    private void signOut(Context ctx) {
        s.sessions().end(ctx);
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    /** Only a path of this node's console, never another site (an open redirect would help phishing). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/console") || next.contains("//") || next.contains("\\")
                || next.chars().anyMatch(c -> c < 0x20)) {
            return null;
        }
        return next;
    }

    // ---------------------------------------------------------------- assets and errors

    private void asset(Context ctx) {
        String file = ctx.pathParam("file");
        String type = ASSETS.get(file);
        if (type == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("");
            return;
        }
        try (InputStream in = Console.class.getResourceAsStream("/console/assets/" + file)) {
            if (in == null) throw new IllegalStateException("/console/assets/" + file + " missing from the build");
            ctx.header("Cache-Control", "public, max-age=3600").contentType(type).result(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("could not read /console/assets/" + file, e);
        }
    }

    /** The model of the error page. */
    public record Failure(int status, String heading, String detail) {}

    private Optional<String> errorPage(Context ctx, int status, String title, String description) {
        View v = pages.view(ctx);
        String key = "error." + status;
        String heading = v.texts().has(key) ? v.t(key) : v.t("error.other", status);
        return Optional.of(pages.html("error.jte", v, new Failure(status, heading, description)));
    }
}
