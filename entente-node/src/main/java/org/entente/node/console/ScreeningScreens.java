package org.entente.node.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.entente.node.common.InvalidInput;
import org.entente.node.http.Routes;
import org.entente.node.partners.Organisation;
import org.entente.node.screening.ScreeningService;
import org.entente.node.screening.Traveller;
import org.entente.node.users.Principal;
import org.entente.screening.documents.Mrz;
import org.entente.stix.StixJson;

/**
 * Screening at the border against the watchlists the node serves: one traveller by name and what
 * else is known, a machine-readable zone pasted from a document reader, or a manifest of travellers
 * uploaded at once (JSON Lines, as {@code POST /api/screening/batch} takes it); each hit with its
 * score, the explanation of what met what, and whom to contact about it.
 *
 * <p>Every check goes through {@link ScreeningService} as the API's do: the policy decides list by
 * list for the person's organisation and declared purpose, hits are recorded and told to the list's
 * owner, the check is audited, limits and sweeps apply. A list the policy withholds is never
 * screened, so no page can show its entries.
 */
final class ScreeningScreens {
    /** A manifest's line, as the format is written (the same as `entente screen --queries`). */
    static final String MANIFEST_FIELDS = "{\"id\", \"name\", \"birth_date\", \"nationality\", \"gender\", \"document\", \"mrz\"}";

    private final Pages pages;
    private final ScreeningService service;
    private final Console.Services s;

    ScreeningScreens(Pages pages, Console.Services s) {
        this.pages = pages;
        this.s = s;
        this.service = s.screening();
    }

    void register(Routes routes) {
        routes.page("/console/screening", this::show);
        routes.action("/console/screening/traveller", this::traveller);
        routes.action("/console/screening/mrz", this::mrz);
        routes.action("/console/screening/manifest", this::manifest);
    }

    /** Whom to ask about a hit: the list's owner (for a received list, its provider) and its contact point. */
    public record FollowUp(String organisation, String contactPoint, String reference, String hit) {}

    /** A hit as the officer reads it. */
    public record HitRow(String score, String kind, String name, String list, String entryId, List<String> explanation,
            FollowUp followUp) {}

    /** One screened traveller: what was asked, what the MRZ said, and the hits. */
    public record Screened(String query, String document, List<String> warnings, List<HitRow> hits) {}

    /** A watchlist served, as the policy decides it for this person and purpose. */
    public record ListRow(String name, String id, String owner, String entries, String tlp, boolean permitted, String rule) {}

    public record Model(String purpose, List<Intelligence.Option> purposes, List<ListRow> lists, String name,
            String birthDate, String nationality, String document, String mrz, List<Screened> results, String heading,
            Pages.Notice notice) {}

    private record Form(String name, String birthDate, String nationality, String document, String mrz) {
        static final Form EMPTY = new Form(null, null, null, null, null);
    }

    private void show(Context ctx) {
        pages.access().requireScreening(Pages.principal(ctx));
        View v = pages.view(ctx);
        ScreeningService.Caller c = caller(ctx, Pages.param(ctx, "purpose"));
        render(ctx, v, c, Form.EMPTY, List.of(), null, null);
    }

    private ScreeningService.Caller caller(Context ctx, String purpose) {
        Principal p = Pages.principal(ctx);
        pages.access().requireScreening(p);
        return service.caller(p, purpose, null, ctx.method() + " " + ctx.path());
    }

    private void render(Context ctx, View v, ScreeningService.Caller c, Form f, List<Screened> results, String heading,
            Pages.Notice notice) {
        List<ListRow> lists = new ArrayList<>();
        for (ScreeningService.Listed l : service.visible(c)) {
            String owner = s.organisations().find(l.list().received() ? l.list().providerId() : l.list().ownerId())
                    .map(Organisation::name).orElse(l.list().ownerId());
            lists.add(new ListRow(l.list().name(), l.list().id(), owner, v.number(l.entries()),
                    v.word("marking.tlp.", l.list().tlp().wire()), l.decision().permitted(), l.decision().reason()));
        }
        pages.render(ctx, "screening.jte", v, new Model(c.purpose().wire(), Intelligence.purposes(v), lists, f.name(),
                f.birthDate(), f.nationality(), f.document(), f.mrz(), results, heading, notice));
    }

    private void traveller(Context ctx) {
        Form form = new Form(Pages.form(ctx, "name"), Pages.form(ctx, "birth_date"), Pages.form(ctx, "nationality"),
                Pages.form(ctx, "document"), null);
        ObjectNode t = StixJson.mapper().createObjectNode();
        if (form.name() != null) t.put("name", form.name());
        if (form.birthDate() != null) t.put("birth_date", form.birthDate());
        if (form.nationality() != null) t.put("nationality", form.nationality());
        if (form.document() != null) t.put("document", form.document());
        checkOne(ctx, form, t);
    }

    private void mrz(Context ctx) {
        Form form = new Form(null, null, null, null, ctx.formParam("mrz"));
        ObjectNode t = StixJson.mapper().createObjectNode();
        if (form.mrz() != null && !form.mrz().isBlank()) t.put("mrz", form.mrz().strip());
        checkOne(ctx, form, t);
    }

    private void checkOne(Context ctx, Form form, ObjectNode sent) {
        ScreeningService.Caller c = caller(ctx, Pages.form(ctx, "purpose"));
        View v = pages.view(ctx);
        try {
            Traveller t = Traveller.parse(sent);
            ScreeningService.Answer a = ScreeningService.limited(() -> service.check(c, t, ScreeningService.Options.DEFAULT),
                    seconds -> ctx.header("Retry-After", Long.toString(seconds)));
            render(ctx, v, c, form, List.of(screened(v, t, null, a.json())), v.t("screening.results"), null);
        } catch (InvalidInput e) {
            ctx.status(400);
            render(ctx, v, c, form, List.of(), null, Pages.refused(v, e));
        }
    }

    /** A manifest: one traveller per line, read and checked whole before anyone is screened, as the API's batch. */
    private void manifest(Context ctx) {
        ScreeningService.Caller c = caller(ctx, Pages.form(ctx, "purpose"));
        View v = pages.view(ctx);
        try {
            UploadedFile file = ctx.uploadedFile("manifest");
            if (file == null || file.size() == 0) throw InvalidInput.of("Invalid manifest", "manifest", "choose a manifest file");
            String text;
            try (InputStream in = file.content()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<InvalidInput.Problem> problems = new ArrayList<>();
            List<Traveller> travellers = Traveller.manifest(text, problems);
            if (!problems.isEmpty()) throw new InvalidInput("Invalid manifest", problems);
            List<ScreeningService.Answer> answers = ScreeningService.limited(() -> service.batch(c, travellers,
                    ScreeningService.Options.DEFAULT), seconds -> ctx.header("Retry-After", Long.toString(seconds)));
            List<Screened> results = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) results.add(screened(v, travellers.get(i), i + 1, answers.get(i).json()));
            render(ctx, v, c, Form.EMPTY, results, v.t("screening.manifest-results", file.filename(), results.size()), null);
        } catch (InvalidInput e) {
            ctx.status(400);
            render(ctx, v, c, Form.EMPTY, List.of(), null, Pages.refused(v, e));
        }
    }

    /** One traveller's answer from the service, as the officer reads it. */
    private static Screened screened(View v, Traveller t, Integer line, ObjectNode answer) {
        List<String> label = new ArrayList<>();
        if (line != null) label.add(v.t("screening.line", line));
        if (t.id() != null && !t.id().isNull()) label.add(t.id().asText());
        String who = t.query().name() != null && !t.query().name().isBlank() ? t.query().name() : t.query().document();
        if (who != null && !who.isBlank()) label.add(who);
        List<String> warnings = new ArrayList<>();
        String document = null;
        Mrz m = t.query().mrz();
        if (m != null) {
            document = v.t("screening.mrz-read", m.fullName(), m.documentNumber(), m.nationality(),
                    m.birthDate() == null ? "?" : v.date(m.birthDate()));
            warnings.addAll(m.problems());
        }
        List<HitRow> hits = new ArrayList<>();
        for (JsonNode h : answer.path("hits")) {
            JsonNode e = h.path("entry");
            JsonNode f = h.path("follow_up");
            FollowUp follow = f.isMissingNode() ? null : new FollowUp(f.path("name").asText(f.path("organisation").asText()),
                    f.path("contact_point").asText(""), f.path("reference").asText(""), f.path("hit").asText(""));
            hits.add(new HitRow(v.decimal(h.path("score").asDouble()), v.word("screening.kind.", e.path("kind").asText()),
                    e.path("name").asText(), e.path("list").asText(), e.path("id").asText(),
                    Arrays.stream(h.path("explanation").asText("").split("; ")).filter(x -> !x.isBlank()).toList(), follow));
        }
        return new Screened(String.join(" · ", label), document, warnings, hits);
    }
}
