package org.entente.node.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.http.HttpAuth;
import org.entente.node.http.Sessions;
import org.entente.node.policy.store.PolicyViews;
import org.entente.node.users.Accounts;
import org.entente.node.users.Principal;
import org.entente.node.users.Role;

/**
 * What every screen shares: the reader's language (a {@code ?lang=} on any page, remembered for a
 * signed-in user; otherwise a cookie, then the browser's preference), the navigation she may use,
 * rendering a precompiled template, and turning refused input into a notice on the page.
 */
final class Pages {
    static final String LANGUAGE_COOKIE = "entente_lang";

    private final TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html,
            Pages.class.getClassLoader(), Pages.class.getPackageName());
    private final Sessions sessions;
    private final Accounts accounts;
    private final PolicyViews views;
    private final Access access;

    Pages(Sessions sessions, Accounts accounts, PolicyViews views, Access access) {
        this.sessions = sessions;
        this.accounts = accounts;
        this.views = views;
        this.access = access;
    }

    /** A message shown at the top of a page: a change done, or input refused with each problem. */
    public record Notice(boolean ok, String text, List<InvalidInput.Problem> problems) {
        static Notice done(String text) {
            return new Notice(true, text, List.of());
        }
    }

    /** The language of this request, remembering a {@code ?lang=} choice. */
    Texts texts(Context ctx) {
        String asked = ctx.queryParam("lang");
        Optional<Sessions.Session> s = sessions.current(ctx);
        if (Texts.known(asked)) {
            if (s.isPresent() && !asked.equals(s.get().language())) accounts.setLanguage(s.get().principal().userId(), asked);
            if (!asked.equals(ctx.cookie(LANGUAGE_COOKIE))) ctx.cookie(sessions.cookie(LANGUAGE_COOKIE, asked, 365 * 24 * 3600));
            return Texts.of(asked);
        }
        if (s.isPresent() && Texts.known(s.get().language())) return Texts.of(s.get().language());
        String cookie = ctx.cookie(LANGUAGE_COOKIE);
        if (Texts.known(cookie)) return Texts.of(cookie);
        return Texts.of(fromBrowser(ctx.header("Accept-Language")));
    }

    /** The first of the browser's languages that the console speaks. */
    static String fromBrowser(String acceptLanguage) {
        if (acceptLanguage == null) return Texts.LANGUAGES.getFirst();
        try {
            for (var range : java.util.Locale.LanguageRange.parse(acceptLanguage)) {
                String primary = range.getRange().split("-")[0].toLowerCase(java.util.Locale.ROOT);
                if (Texts.known(primary)) return primary;
            }
        } catch (IllegalArgumentException ignored) {
            // An unreadable header chooses nothing.
        }
        return Texts.LANGUAGES.getFirst();
    }

    View view(Context ctx) {
        Texts t = texts(ctx);
        Optional<Sessions.Session> s = sessions.current(ctx);
        Principal p = s.map(Sessions.Session::principal).orElse(null);
        return new View(t, p, s.map(Sessions.Session::csrfToken).orElse(null), ctx.path(), ctx.queryParamMap(),
                p == null ? List.of() : navigation(t, p, ctx.path()));
    }

    /** The screens a person may use, in the order of her day: what is new, what to look at, who to share with. */
    private List<View.Link> navigation(Texts t, Principal p, String path) {
        List<View.Link> out = new ArrayList<>();
        add(out, t, path, "/console", "nav.dashboard");
        add(out, t, path, "/console/intelligence", "nav.intelligence");
        if (access.mayImport(p)) add(out, t, path, "/console/import", "nav.import");
        if (access.mayScreen(p)) add(out, t, path, "/console/screening", "nav.screening");
        if (access.mayReadRequests(p)) add(out, t, path, "/console/requests", "nav.requests");
        add(out, t, path, "/console/partners", "nav.partners");
        add(out, t, path, "/console/explain", "nav.explain");
        if (access.mayAudit(p)) add(out, t, path, "/console/audit", "nav.audit");
        if (p.has(Role.ADMINISTRATOR)) add(out, t, path, "/console/users", "nav.users");
        if (p.has(Role.ADMINISTRATOR)) add(out, t, path, "/console/peers", "nav.peers");
        return out;
    }

    private static void add(List<View.Link> out, Texts t, String path, String href, String key) {
        boolean current = href.equals("/console") ? path.equals("/console") || path.equals("/console/")
                : path.equals(href) || path.startsWith(href + "/")
                        || (href.equals("/console/intelligence") && path.startsWith("/console/objects"))
                        || (href.equals("/console/partners") && path.startsWith("/console/agreements"));
        out.add(new View.Link(href, t.t(key), current));
    }

    /** Renders a template with the page's view and model and sends it. */
    void render(Context ctx, String template, View v, Object model) {
        ctx.contentType("text/html; charset=utf-8").result(html(template, v, model));
    }

    String html(String template, View v, Object model) {
        StringOutput out = new StringOutput(16_384);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("v", v);
        if (model != null) params.put("m", model);
        templates.render(template, params, out);
        return out.toString();
    }

    /** Input the services refused, as a notice naming each field. */
    static Notice refused(View v, InvalidInput e) {
        return new Notice(false, v.t("notice.refused", e.title()), e.problems());
    }

    static Notice refused(View v, Refusal r) {
        return new Notice(false, v.t("notice.refused", r.getMessage()), List.of());
    }

    static Principal principal(Context ctx) {
        return HttpAuth.principal(ctx);
    }

    PolicyViews views() {
        return views;
    }

    Access access() {
        return access;
    }

    Sessions sessions() {
        return sessions;
    }

    /** A query parameter with blanks as absent. */
    static String param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** A date of a form (YYYY-MM-DD) as the first instant of that day in UTC, plus {@code days}; null when not given. */
    static java.time.Instant day(String text, String field, List<InvalidInput.Problem> problems, int days) {
        if (text == null) return null;
        try {
            return java.time.LocalDate.parse(text).plusDays(days).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            problems.add(new InvalidInput.Problem(field, "'" + text + "' is not a date (YYYY-MM-DD)"));
            return null;
        }
    }

    static String form(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
