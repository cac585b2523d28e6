package org.entente.node.console;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.entente.node.audit.AuditEvent;
import org.entente.node.common.InvalidInput;
import org.entente.node.http.Routes;
import org.entente.node.intake.Importer;
import org.entente.node.store.CollectionInfo;
import org.entente.node.users.Principal;
import org.entente.stix.Problem;

/**
 * Importing a bundle from the browser into a chosen collection, through the same bulk importer as
 * {@code entente import}: the upload shows its progress, and the answer is the validation report,
 * every problem at its JSON pointer in the file. The import is audited, a rejected one too, so
 * that the dashboard can show failed imports.
 */
final class ImportScreen {
    static final String IMPORTED = "import";
    static final String REJECTED = "import-rejected";
    /** Problems listed one by one; the rest are counted. */
    static final int LISTED = 500;

    private final Pages pages;
    private final Console.Services s;

    ImportScreen(Pages pages, Console.Services s) {
        this.pages = pages;
        this.s = s;
    }

    void register(Routes routes) {
        routes.page("/console/import", this::form);
        routes.action("/console/import", this::upload);
    }

    /** A problem of the report: where in the file (JSON pointer), which object, how bad and what. */
    public record Finding(String pointer, String objectId, boolean error, String message) {}

    public record Report(String file, String collection, long read, long invalid, long warnings, long added,
            boolean rejected, String rejection, List<Finding> findings, long unlisted, String took) {}

    public record Model(List<Intelligence.Option> collections, String collection, long maxBytes, Report report,
            Pages.Notice notice) {}

    private void form(Context ctx) {
        View v = pages.view(ctx);
        render(ctx, v, Pages.param(ctx, "collection"), null, null);
    }

    private void render(Context ctx, View v, String chosen, Report report, Pages.Notice notice) {
        Principal p = Pages.principal(ctx);
        List<Intelligence.Option> collections = pages.access().writable(p).stream()
                .map(c -> new Intelligence.Option(c.id(), c.title())).toList();
        Model m = new Model(collections, chosen, s.config().maxContentLength(), report, notice);
        // htmx asks for the report alone, to put under the form; a plain form post gets the whole page.
        pages.render(ctx, ctx.header("HX-Request") != null ? "import-report.jte" : "import.jte", v, m);
    }

    private void upload(Context ctx) {
        View v = pages.view(ctx);
        Principal p = Pages.principal(ctx);
        String collectionId = Pages.form(ctx, "collection");
        UploadedFile file = ctx.uploadedFile("bundle");
        CollectionInfo target = pages.access().writable(p).stream().filter(c -> c.id().equals(collectionId))
                .findFirst().orElse(null);
        List<InvalidInput.Problem> problems = new ArrayList<>();
        if (target == null) problems.add(new InvalidInput.Problem("collection", "choose a collection you may write to"));
        if (file == null || file.size() == 0) problems.add(new InvalidInput.Problem("bundle", "choose a bundle file (JSON)"));
        if (!problems.isEmpty()) {
            ctx.status(400);
            render(ctx, v, collectionId, null, Pages.refused(v, new InvalidInput("Invalid import", problems)));
            return;
        }
        // The partner-writes-only-its-own rule of every other way in, audited when it refuses.
        s.admission().mayWrite(p, target, s.gate().policies().current().ownOrganisation(), "POST " + ctx.path());
        Importer.Mode mode = "skip".equals(ctx.formParam("mode")) ? Importer.Mode.SKIP_INVALID : Importer.Mode.REJECT_FILE;
        List<Finding> findings = new ArrayList<>();
        long[] unlisted = {0};
        Importer.Listener listener = new Importer.Listener() {
            @Override
            public void progress(long objects, long bytesRead) {}

            @Override
            public void problem(long index, String objectId, Problem problem) {
                if (findings.size() >= LISTED) {
                    unlisted[0]++;
                    return;
                }
                String pointer = index < 0 ? problem.pointer() : "/objects/" + index + problem.pointer();
                findings.add(new Finding(pointer, objectId, problem.isError(), problem.message()));
            }
        };
        Importer.Report r;
        try (InputStream in = file.content()) {
            r = s.importer().importStream(in, target.id(), mode, listener);
        } catch (IOException e) {
            throw new IllegalStateException("could not read the upload: " + e.getMessage(), e);
        }
        s.audit().append(new AuditEvent(r.rejected() ? REJECTED : IMPORTED, p.username(), p.organisationId(),
                AuditEvent.detail("collection", target.id(), "file", file.filename(), "mode",
                        mode == Importer.Mode.SKIP_INVALID ? "skip-invalid" : "reject-file", "read", r.read(),
                        "invalid", r.invalid(), "added", r.added(), "rejection", r.rejection(), "via", "console")));
        if (r.rejected()) ctx.status(422);
        Report report = new Report(file.filename(), target.title(), r.read(), r.invalid(), r.warnings(), r.added(),
                r.rejected(), r.rejection(), findings, unlisted[0],
                v.t("import.took", r.took().toMillis()));
        render(ctx, v, target.id(), report, null);
    }
}
