package org.entente.node.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.entente.node.audit.AuditEvent;
import org.entente.node.common.InvalidInput;
import org.entente.node.http.Routes;
import org.entente.node.http.Sessions;
import org.entente.node.users.Principal;
import org.entente.screening.BirthDate;
import org.entente.screening.Entry;
import org.entente.screening.Gender;
import org.entente.screening.Hit;
import org.entente.screening.Query;
import org.entente.screening.documents.Mrz;
import org.entente.stix.StixJson;

/**
 * Screening at the border: one traveller by name and what else is known, a machine-readable zone
 * pasted from a document reader, or a manifest of travellers uploaded at once; each hit with its
 * score and the explanation of what met what.
 *
 * <p>Until the node serves its own watchlists (the screening service), the officer screens against
 * a list uploaded for her session (or, on a demo node, the demo list), with the screening library
 * itself. Each screening is recorded in the audit log: who screened how many, with how many hits.
 */
final class ScreeningScreens {
    static final int HITS = 10;
    static final int MANIFEST_LINES = 1000;
    static final String DEMO_LIST = "/demo/watchlist.jsonl";
    /** A manifest's line, as the format is written (the same as `entente screen --queries`). */
    static final String MANIFEST_FIELDS = "{\"id\", \"name\", \"birth_date\", \"nationality\", \"gender\", \"document\", \"mrz\"}";

    private final Pages pages;
    private final Console.Services s;
    private final SessionWatchlists lists;

    ScreeningScreens(Pages pages, Console.Services s) {
        this.pages = pages;
        this.s = s;
        this.lists = new SessionWatchlists(s.database());
    }

    void register(Routes routes) {
        routes.page("/console/screening", this::show);
        routes.action("/console/screening/watchlist", this::upload);
        routes.action("/console/screening/demo-watchlist", this::demoList);
        routes.action("/console/screening/traveller", this::traveller);
        routes.action("/console/screening/mrz", this::mrz);
        routes.action("/console/screening/manifest", this::manifest);
    }

    /** A hit as the officer reads it. */
    public record HitRow(String score, boolean match, String kind, String name, String list, String entryId,
            String reference, List<String> explanation) {}

    /** One screened traveller: what was asked, what the MRZ said, and the hits. */
    public record Screened(String query, String error, String document, List<String> warnings, List<HitRow> hits) {
        public long matches() {
            return hits.stream().filter(HitRow::match).count();
        }
    }

    public record ListInfo(String file, String format, String entries, String problems) {}

    public record Model(ListInfo list, boolean demo, String name, String birthDate, String nationality, String document,
            String mrz, List<Screened> results, String heading, Pages.Notice notice) {}

    private void show(Context ctx) {
        pages.access().requireScreening(Pages.principal(ctx));
        View v = pages.view(ctx);
        render(ctx, v, null, List.of(), null, null);
    }

    private void render(Context ctx, View v, Form form, List<Screened> results, String heading, Pages.Notice notice) {
        Sessions.Session session = pages.sessions().current(ctx).orElseThrow();
        Optional<SessionWatchlists.Loaded> list;
        try {
            list = lists.current(session);
        } catch (InvalidInput e) {
            list = Optional.empty();
        }
        ListInfo info = list.map(l -> new ListInfo(l.fileName(), l.format(), v.number(l.entries()), v.number(l.problems())))
                .orElse(null);
        Form f = form == null ? new Form(null, null, null, null, null) : form;
        pages.render(ctx, "screening.jte", v, new Model(info, s.config().demo(), f.name(), f.birthDate(), f.nationality(),
                f.document(), f.mrz(), results, heading, notice));
    }

    private record Form(String name, String birthDate, String nationality, String document, String mrz) {}

    private void upload(Context ctx) {
        pages.access().requireScreening(Pages.principal(ctx));
        View v = pages.view(ctx);
        UploadedFile file = ctx.uploadedFile("watchlist");
        try {
            if (file == null || file.size() == 0) throw InvalidInput.of("Invalid watchlist", "watchlist", "choose a watchlist file");
            SessionWatchlists.Loaded l = lists.store(session(ctx), file.filename(), read(file));
            render(ctx, v, null, List.of(), null, Pages.Notice.done(v.t("screening.loaded", l.fileName(), l.entries())));
        } catch (InvalidInput e) {
            ctx.status(400);
            render(ctx, v, null, List.of(), null, Pages.refused(v, e));
        }
    }

    private void demoList(Context ctx) {
        pages.access().requireScreening(Pages.principal(ctx));
        View v = pages.view(ctx);
        if (!s.config().demo()) throw InvalidInput.of("No demo list", "watchlist", "this node was not started with --demo");
        byte[] content;
        try (InputStream in = ScreeningScreens.class.getResourceAsStream(DEMO_LIST)) {
            if (in == null) throw new IllegalStateException(DEMO_LIST + " missing from the build");
            content = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SessionWatchlists.Loaded l = lists.store(session(ctx), "demo-watchlist.jsonl", content);
        render(ctx, v, null, List.of(), null, Pages.Notice.done(v.t("screening.loaded", l.fileName(), l.entries())));
    }

    private void traveller(Context ctx) {
        View v = pages.view(ctx);
        Form form = new Form(Pages.form(ctx, "name"), Pages.form(ctx, "birth_date"), Pages.form(ctx, "nationality"),
                Pages.form(ctx, "document"), null);
        screenOne(ctx, v, form, () -> query(form.name(), form.birthDate(), form.nationality(), null, form.document(), null));
    }

    private void mrz(Context ctx) {
        View v = pages.view(ctx);
        Form form = new Form(null, null, null, null, ctx.formParam("mrz"));
        screenOne(ctx, v, form, () -> {
            if (form.mrz() == null || form.mrz().isBlank()) throw InvalidInput.of("Invalid MRZ", "mrz", "paste the MRZ lines");
            return query(null, null, null, null, null, form.mrz());
        });
    }

    private void screenOne(Context ctx, View v, Form form, java.util.function.Supplier<Query> query) {
        Principal p = Pages.principal(ctx);
        pages.access().requireScreening(p);
        try {
            SessionWatchlists.Loaded list = list(ctx);
            Query q;
            try {
                q = query.get();
            } catch (IllegalArgumentException e) {
                throw InvalidInput.of("Invalid query", form.mrz() != null ? "mrz" : "name", e.getMessage());
            }
            Screened one = screen(v, list, label(q), q);
            audit(p, "traveller", 1, one.matches(), list);
            render(ctx, v, form, List.of(one), v.t("screening.results"), null);
        } catch (InvalidInput e) {
            ctx.status(400);
            render(ctx, v, form, List.of(), null, Pages.refused(v, e));
        }
    }

    /** A manifest: one traveller per line, as JSON ({"id", "name", "birth_date", "nationality", "document", "mrz"}). */
    private void manifest(Context ctx) {
        Principal p = Pages.principal(ctx);
        pages.access().requireScreening(p);
        View v = pages.view(ctx);
        try {
            SessionWatchlists.Loaded list = list(ctx);
            UploadedFile file = ctx.uploadedFile("manifest");
            if (file == null || file.size() == 0) throw InvalidInput.of("Invalid manifest", "manifest", "choose a manifest file");
            List<Screened> results = new ArrayList<>();
            long matches = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(file.content(), StandardCharsets.UTF_8))) {
                String line;
                int n = 0;
                while ((line = in.readLine()) != null && results.size() < MANIFEST_LINES) {
                    n++;
                    if (line.isBlank()) continue;
                    Screened r = manifestLine(v, list, n, line);
                    matches += r.matches();
                    results.add(r);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            audit(p, "manifest", results.size(), matches, list);
            render(ctx, v, null, results, v.t("screening.manifest-results", file.filename(), results.size()), null);
        } catch (InvalidInput e) {
            ctx.status(400);
            render(ctx, v, null, List.of(), null, Pages.refused(v, e));
        }
    }

    private Screened manifestLine(View v, SessionWatchlists.Loaded list, int n, String line) {
        String label = v.t("screening.line", n);
        try {
            JsonNode o = StixJson.mapper().readTree(line);
            if (!o.isObject()) return new Screened(label, v.t("screening.line-not-object"), null, List.of(), List.of());
            if (o.hasNonNull("id")) label = label + " · " + o.get("id").asText();
            Query q = query(text(o, "name"), text(o, "birth_date"), text(o, "nationality"), text(o, "gender"),
                    text(o, "document"), text(o, "mrz"));
            return screen(v, list, label + " · " + label(q), q);
        } catch (JsonProcessingException e) {
            return new Screened(label, v.t("screening.line-not-json", e.getOriginalMessage()), null, List.of(), List.of());
        } catch (IllegalArgumentException e) {
            return new Screened(label, e.getMessage(), null, List.of(), List.of());
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isValueNode()) throw new IllegalArgumentException("\"" + field + "\" must be a string");
        return n.asText();
    }

    /** A query from what the officer typed; the MRZ fills in what was not typed. */
    static Query query(String name, String birthDate, String nationality, String gender, String document, String mrz) {
        Query q = Query.name(name);
        if (birthDate != null && !birthDate.isBlank()) q = q.withBirthDate(BirthDate.parse(birthDate.strip()));
        if (nationality != null && !nationality.isBlank()) q = q.withNationality(nationality);
        if (gender != null && !gender.isBlank()) q = q.withGender(Gender.parse(gender));
        if (document != null && !document.isBlank()) q = q.withDocument(document.strip());
        if (mrz != null && !mrz.isBlank()) q = q.withMrz(Mrz.parse(mrz));
        if ((q.name() == null || q.name().isBlank()) && (q.document() == null || q.document().isBlank())) {
            throw new IllegalArgumentException("give a name or a document number");
        }
        return q;
    }

    private static String label(Query q) {
        if (q.name() != null && !q.name().isBlank()) return q.name();
        return q.document() == null ? "" : q.document();
    }

    private Screened screen(View v, SessionWatchlists.Loaded list, String label, Query q) {
        List<String> warnings = new ArrayList<>();
        String document = null;
        if (q.mrz() != null) {
            Mrz m = q.mrz();
            document = v.t("screening.mrz-read", m.fullName(), m.documentNumber(), m.nationality(),
                    m.birthDate() == null ? "?" : v.date(m.birthDate()));
            warnings.addAll(m.problems());
        }
        List<HitRow> hits = new ArrayList<>();
        for (Hit h : list.index().screen(q, HITS)) {
            Entry e = h.entry();
            hits.add(new HitRow(v.decimal(h.score()), h.match(), v.word("screening.kind.", e.kind().label()), e.label(),
                    e.listing().list(), e.listing().id(), e.listing().reference() == null ? "" : e.listing().reference(),
                    h.explanation()));
        }
        return new Screened(label, null, document, warnings, hits);
    }

    private SessionWatchlists.Loaded list(Context ctx) {
        return lists.current(session(ctx)).orElseThrow(() -> InvalidInput.of("No watchlist", "watchlist",
                "upload a watchlist to screen against first"));
    }

    private Sessions.Session session(Context ctx) {
        return pages.sessions().current(ctx).orElseThrow();
    }

    private static byte[] read(UploadedFile file) {
        try (InputStream in = file.content()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Who screened how many travellers with how many hits: not their names, which are personal data. */
    private void audit(Principal p, String what, int queries, long matches, SessionWatchlists.Loaded list) {
        s.audit().append(new AuditEvent("screening", p.username(), p.organisationId(), AuditEvent.detail("what", what,
                "queries", queries, "hits", matches, "watchlist", list.fileName(), "entries", list.entries(),
                "via", "console")));
    }
}
