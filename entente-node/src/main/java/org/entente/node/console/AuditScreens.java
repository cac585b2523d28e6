package org.entente.node.console;

import io.javalin.http.Context;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditExport;
import org.entente.node.audit.AuditLog;
import org.entente.node.audit.AuditVerification;
import org.entente.node.common.InvalidInput;
import org.entente.node.http.Routes;
import org.entente.node.users.Principal;

/**
 * The audit log for those who oversee: its records filtered by kind, actor and time, the whole
 * chain verified on demand (with what was found), and an export of a time range with its proof,
 * for a partner who holds only this node's public key. Verifying and exporting are recorded.
 */
final class AuditScreens {
    static final int PAGE = 100;

    private final Pages pages;
    private final Console.Services s;

    AuditScreens(Pages pages, Console.Services s) {
        this.pages = pages;
        this.s = s;
    }

    void register(Routes routes) {
        routes.page("/console/audit", this::records);
        routes.action("/console/audit/verify", this::verify);
        routes.action("/console/audit/export", this::export);
    }

    public record Record(long seq, String at, String kind, String actor, String organisation, String detail) {}

    /** The outcome of a verification, in words. */
    public record Verified(boolean intact, String summary, String detail) {}

    public record Model(String kind, String actor, String from, String until, List<String> kinds, List<Record> records,
            String older, Verified verified, Pages.Notice notice, String today) {}

    private void records(Context ctx) {
        Principal p = Pages.principal(ctx);
        pages.access().requireAudit(p);
        View v = pages.view(ctx);
        render(ctx, v, null, null);
    }

    private void render(Context ctx, View v, Verified verified, Pages.Notice given) {
        String kind = Pages.param(ctx, "kind");
        String actor = Pages.param(ctx, "actor");
        String from = Pages.param(ctx, "from");
        String until = Pages.param(ctx, "until");
        Long before = null;
        Pages.Notice notice = given;
        List<Record> records = new ArrayList<>();
        String older = null;
        try {
            String b = Pages.param(ctx, "before");
            if (b != null) {
                try {
                    before = Long.parseLong(b);
                } catch (NumberFormatException e) {
                    throw InvalidInput.of("Invalid filter", "before", "'" + b + "' is not a record number");
                }
            }
            List<InvalidInput.Problem> problems = new ArrayList<>();
            Instant f = Pages.day(from, "from", problems, 0), u = Pages.day(until, "until", problems, 1);
            if (!problems.isEmpty()) throw new InvalidInput("Invalid filter", problems);
            List<AuditLog.Entry> found = s.audit().records(new AuditLog.Filter(kind, actor, f, u, before, PAGE + 1));
            for (AuditLog.Entry e : found.subList(0, Math.min(PAGE, found.size()))) {
                records.add(new Record(e.seq(), v.dateTime(e.at()), e.kind(), e.actor(),
                        e.organisation() == null ? "" : e.organisation(), e.detailJson()));
            }
            if (found.size() > PAGE) {
                StringBuilder q = new StringBuilder("/console/audit?before=").append(records.getLast().seq());
                if (kind != null) q.append("&kind=").append(View.enc(kind));
                if (actor != null) q.append("&actor=").append(View.enc(actor));
                if (from != null) q.append("&from=").append(View.enc(from));
                if (until != null) q.append("&until=").append(View.enc(until));
                older = q.toString();
            }
        } catch (InvalidInput e) {
            ctx.status(400);
            notice = Pages.refused(v, e);
        }
        pages.render(ctx, "audit.jte", v, new Model(kind, actor, from, until, s.audit().kinds(), records, older, verified,
                notice, LocalDate.now(ZoneOffset.UTC).toString()));
    }


    private void verify(Context ctx) {
        Principal p = Pages.principal(ctx);
        pages.access().requireAudit(p);
        View v = pages.view(ctx);
        AuditVerification result = s.audit().verify();
        s.audit().append(new AuditEvent("audit-verify", p.username(), p.organisationId(),
                AuditEvent.detail("intact", result.intact(), "records", result.records(), "first_bad_seq",
                        result.firstBadSeq(), "via", "console")));
        Verified verified = new Verified(result.intact(), result.intact()
                ? v.t("audit.intact", result.records(), result.checkpoints())
                : v.t("audit.broken", result.firstBadSeq()), result.message());
        render(ctx, v, verified, null);
    }

    /** The records of a time range and their proof, as a file to hand to a partner. */
    private void export(Context ctx) {
        Principal p = Pages.principal(ctx);
        pages.access().requireAudit(p);
        List<InvalidInput.Problem> problems = new ArrayList<>();
        String fromText = Pages.form(ctx, "from"), untilText = Pages.form(ctx, "until");
        Instant from = Pages.day(fromText, "from", problems, 0), until = Pages.day(untilText, "until", problems, 1);
        if (from == null && fromText == null) problems.add(new InvalidInput.Problem("from", "give the first day"));
        if (until == null && untilText == null) problems.add(new InvalidInput.Problem("until", "give the last day"));
        if (problems.isEmpty() && from.isAfter(until)) problems.add(new InvalidInput.Problem("from", "the first day is after the last"));
        if (!problems.isEmpty()) {
            View v = pages.view(ctx);
            ctx.status(400);
            render(ctx, v, null, Pages.refused(v, new InvalidInput("Invalid export", problems)));
            return;
        }
        StringWriter out = new StringWriter();
        AuditExport.Summary summary = new AuditExport(s.audit()).write(from, until, out);
        s.audit().append(new AuditEvent("audit-export", p.username(), p.organisationId(),
                AuditEvent.detail("from", from.toString(), "until", until.toString(), "records", summary.records(),
                        "checkpoint", summary.checkpoint().seq(), "via", "console")));
        ctx.header("Content-Disposition", "attachment; filename=\"audit-" + fromText + "-" + untilText + ".json\"");
        ctx.contentType("application/json").result(out.toString());
    }
}
