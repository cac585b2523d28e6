package org.entente.node.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.http.HttpProblem;
import org.entente.node.http.Routes;
import org.entente.node.partners.Organisation;
import org.entente.node.policy.Action;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.store.Agreements;
import org.entente.node.policy.store.PolicyViews;
import org.entente.node.store.CollectionInfo;
import org.entente.node.users.Principal;

/**
 * Partners and agreements: the organisations, each agreement with its versions side by side (what
 * changed), status changes for administrators, the policy report per partner and the explanation
 * of one decision. What a person may see is decided by {@link PolicyViews}, as for the HTTP API.
 */
final class PartnerScreens {
    private final Pages pages;
    private final Console.Services s;

    PartnerScreens(Pages pages, Console.Services s) {
        this.pages = pages;
        this.s = s;
    }

    void register(Routes routes) {
        routes.page("/console/partners", this::partners);
        routes.page("/console/partners/{id}", this::report);
        routes.page("/console/agreements/{id}", this::agreement);
        routes.action("/console/agreements/{id}/status", this::status);
        routes.page("/console/explain", this::explain);
    }

    // ---------------------------------------------------------------- organisations and agreements

    public record Org(String id, String name, String nation, String sector, String contact, boolean own,
            String reportHref) {}

    public record AgreementRow(String id, String title, String status, String parties, String validFrom,
            String validUntil, int version, String inForce) {}

    public record PartnersModel(List<Org> organisations, List<AgreementRow> agreements) {}

    private void partners(Context ctx) {
        View v = pages.view(ctx);
        Principal p = Pages.principal(ctx);
        List<Organisation> visible = pages.views().organisations(p);
        Map<String, String> names = names(visible);
        List<Org> orgs = visible.stream().map(o -> new Org(o.id(), o.name(), o.nation(), v.t("sector." + o.sector().wire()),
                o.contactPoint(), o.own(), mayReport(p, o) ? "/console/partners/" + View.enc(o.id()) : null)).toList();
        java.time.Instant now = java.time.Instant.now();
        List<AgreementRow> agreements = s.agreements().all().stream().filter(a -> pages.views().visible(p, a))
                .map(a -> new AgreementRow(a.id(), a.title(), v.t("status." + Agreement.wire(a.status())),
                        parties(a.parties(), names), v.date(a.validFrom()), a.validUntil() == null ? "" : v.date(a.validUntil()),
                        a.version(), v.t(a.inForce(now) ? "agreement.in-force" : "agreement.not-in-force"))).toList();
        pages.render(ctx, "partners.jte", v, new PartnersModel(orgs, agreements));
    }

    private static boolean mayReport(Principal p, Organisation o) {
        return PolicyViews.overseer(p) || o.id().equals(p.organisationId());
    }

    private static String parties(List<String> parties, Map<String, String> names) {
        return String.join(", ", parties.stream().map(x -> names.getOrDefault(x, x)).toList());
    }

    private static Map<String, String> names(List<Organisation> orgs) {
        Map<String, String> out = new HashMap<>();
        orgs.forEach(o -> out.put(o.id(), o.name()));
        return out;
    }

    /** A line of the side-by-side comparison: a term of the agreement in both versions. */
    public record Term(String field, String left, String right, boolean changed) {}

    public record VersionOption(int version, String label) {}

    public record AgreementModel(String id, String title, String status, String statusWire, List<VersionOption> versions,
            int left, int right, List<Term> terms, boolean mayChange, List<Intelligence.Option> statuses,
            Pages.Notice notice) {}

    private void agreement(Context ctx) {
        View v = pages.view(ctx);
        Pages.Notice notice = "status".equals(Pages.param(ctx, "done")) ? Pages.Notice.done(v.t("agreement.status-changed")) : null;
        renderAgreement(ctx, v, notice);
    }

    private void renderAgreement(Context ctx, View v, Pages.Notice notice) {
        Principal p = Pages.principal(ctx);
        Agreement a = visibleAgreement(p, ctx.pathParam("id"));
        List<Agreements.Version> history = s.agreements().history(a.id());
        int right = intParam(ctx, "right", history.getLast().version());
        int left = intParam(ctx, "left", Math.max(1, right - 1));
        JsonNode l = version(history, left), r = version(history, right);
        if (l == null || r == null) throw HttpProblem.notFound("agreement " + a.id() + " has no such version");
        Map<String, String> names = names(pages.views().organisations(p));
        Map<String, String> lf = flatten(l, v, names), rf = flatten(r, v, names);
        List<Term> terms = new ArrayList<>();
        List<String> fields = new ArrayList<>(lf.keySet());
        for (String k : rf.keySet()) if (!fields.contains(k)) fields.add(k);
        for (String f : fields) {
            if (f.equals("version")) continue;
            String a1 = lf.getOrDefault(f, ""), b1 = rf.getOrDefault(f, "");
            terms.add(new Term(v.word("field.", f), a1, b1, !a1.equals(b1)));
        }
        List<VersionOption> versions = history.stream().map(h -> new VersionOption(h.version(),
                v.t("agreement.version-by", h.version(), h.changedBy(), v.dateTime(h.changedAt())))).toList();
        List<Intelligence.Option> statuses = new ArrayList<>();
        for (Agreement.Status st : Agreement.Status.values()) {
            statuses.add(new Intelligence.Option(Agreement.wire(st), v.t("status." + Agreement.wire(st))));
        }
        boolean mayChange = p.has(org.entente.node.users.Role.ADMINISTRATOR) && a.status() != Agreement.Status.TERMINATED;
        pages.render(ctx, "agreement.jte", v, new AgreementModel(a.id(), a.title(), v.t("status." + Agreement.wire(a.status())),
                Agreement.wire(a.status()), versions, left, right, terms, mayChange, statuses, notice));
    }

    private void status(Context ctx) {
        Principal p = Pages.principal(ctx);
        pages.access().requireAdministrator(p);
        Agreement a = visibleAgreement(p, ctx.pathParam("id"));
        try {
            s.agreements().setStatus(a.id(), PolicyViews.status(ctx.formParam("status"), "status"), p.username());
        } catch (InvalidInput e) {
            View v = pages.view(ctx);
            ctx.status(400);
            renderAgreement(ctx, v, Pages.refused(v, e));
            return;
        }
        ctx.redirect("/console/agreements/" + View.enc(a.id()) + "?done=status", HttpStatus.SEE_OTHER);
    }

    private Agreement visibleAgreement(Principal p, String id) {
        return s.agreements().find(id).filter(a -> pages.views().visible(p, a))
                .orElseThrow(() -> new Refusal(404, "Not found", "unknown-agreement", "no agreement " + id));
    }

    private static JsonNode version(List<Agreements.Version> history, int n) {
        return history.stream().filter(h -> h.version() == n).map(Agreements.Version::document).findFirst().orElse(null);
    }

    private static int intParam(Context ctx, String name, int otherwise) {
        String t = ctx.queryParam(name);
        if (t == null) return otherwise;
        try {
            return Integer.parseInt(t.strip());
        } catch (NumberFormatException e) {
            throw InvalidInput.of("Invalid version", name, "'" + t + "' is not a version number");
        }
    }

    /** The terms of an agreement as field paths and their values, as the reader reads them. */
    static Map<String, String> flatten(JsonNode doc, View v, Map<String, String> names) {
        Map<String, List<String>> raw = new LinkedHashMap<>();
        flatten("", doc, raw);
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((field, values) -> out.put(field, String.join(", ",
                values.stream().map(x -> shown(v, field, x, names)).toList())));
        return out;
    }

    private static void flatten(String at, JsonNode n, Map<String, List<String>> out) {
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                flatten(at.isEmpty() ? e.getKey() : at + "." + e.getKey(), e.getValue(), out);
            }
        } else if (n.isArray()) {
            List<String> items = new ArrayList<>();
            n.forEach(x -> items.add(x.isValueNode() ? x.asText() : x.toString()));
            out.put(at, items);
        } else {
            out.put(at, n.isNull() ? List.of() : List.of(n.asText()));
        }
    }

    /** A value of a term in words: vocabularies translated, dates as the language writes them, parties by name. */
    private static String shown(View v, String field, String x, Map<String, String> names) {
        return switch (field) {
            case "status" -> v.word("status.", x);
            case "kind" -> v.word("agreement-kind.", x);
            case "rules.categories" -> v.word("category.", x);
            case "rules.purposes" -> v.word("purpose.", x);
            case "rules.max_tlp" -> v.word("marking.tlp.", x);
            case "rules.onward_sharing.rule" -> v.word("onward.", x);
            case "rules.personal_data.allowed" -> "true".equals(x) ? v.t("yes") : "false".equals(x) ? v.t("no") : x;
            case "valid_from", "valid_until" -> {
                try {
                    yield v.date(java.time.Instant.parse(x));
                } catch (java.time.format.DateTimeParseException e) {
                    yield x;
                }
            }
            default -> names.getOrDefault(x, x);
        };
    }

    // ---------------------------------------------------------------- the policy report

    /** Objects a partner may receive for a purpose: under which agreement, from which collection, of which category. */
    public record Receivable(String agreement, String collection, String category, String count) {}

    public record Withheld(String rule, String count) {}

    public record PurposeReport(String purpose, List<Receivable> permitted, List<Withheld> denied) {}

    public record ReportModel(String organisation, List<AgreementRow> agreements, List<PurposeReport> purposes) {}

    private void report(Context ctx) {
        View v = pages.view(ctx);
        Principal p = Pages.principal(ctx);
        ObjectNode report = pages.views().report(p, ctx.pathParam("id"));
        Map<String, String> names = names(pages.views().organisations(p));
        Map<String, String> titles = new HashMap<>();
        for (CollectionInfo c : s.store().collections()) titles.put(c.id(), c.title());
        Map<String, String> agreementTitles = new HashMap<>();
        List<AgreementRow> agreements = new ArrayList<>();
        for (JsonNode a : report.path("agreements")) {
            agreementTitles.put(a.path("id").asText(), a.path("title").asText());
            List<String> parties = new ArrayList<>();
            a.path("parties").forEach(x -> parties.add(x.asText()));
            agreements.add(new AgreementRow(a.path("id").asText(), a.path("title").asText(),
                    v.t("status." + a.path("status").asText()), parties(parties, names), "", "",
                    a.path("version").asInt(), a.path("in_force").asBoolean() ? v.t("agreement.in-force")
                            : v.t("agreement.not-in-force")));
        }
        List<PurposeReport> purposes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : report.path("receivable").properties()) {
            List<Receivable> permitted = new ArrayList<>();
            for (Map.Entry<String, JsonNode> byAgreement : e.getValue().path("permitted_by_agreement").properties()) {
                String agreement = agreementTitles.getOrDefault(byAgreement.getKey(), v.word("rule.", byAgreement.getKey()));
                for (Map.Entry<String, JsonNode> cell : byAgreement.getValue().properties()) {
                    String[] parts = cell.getKey().split(" / ", 2);
                    permitted.add(new Receivable(agreement, titles.getOrDefault(parts[0], parts[0]),
                            parts.length > 1 ? v.word("category.", parts[1]) : "", v.number(cell.getValue().asLong())));
                }
            }
            List<Withheld> denied = new ArrayList<>();
            for (Map.Entry<String, JsonNode> d : e.getValue().path("denied_by_rule").properties()) {
                String rule = d.getKey().startsWith("tlp-red") ? v.t("rule.tlp-red-named") : v.word("rule.", d.getKey());
                denied.add(new Withheld(rule, v.number(d.getValue().asLong())));
            }
            purposes.add(new PurposeReport(v.word("purpose.", e.getKey()), permitted, denied));
        }
        String org = names.getOrDefault(report.path("recipient").asText(), report.path("recipient").asText());
        pages.render(ctx, "report.jte", v, new ReportModel(org, agreements, purposes));
    }

    // ---------------------------------------------------------------- explain

    public record Result(String collection, String version, boolean permitted, String rule, String agreement,
            String reason, String facts, List<String> checks) {}

    public record ExplainModel(String object, String recipient, String purpose, String action,
            List<Intelligence.Option> recipients, List<Intelligence.Option> purposes, List<Intelligence.Option> actions,
            List<Result> results, boolean asked, Pages.Notice notice) {}

    private void explain(Context ctx) {
        View v = pages.view(ctx);
        Principal p = Pages.principal(ctx);
        String object = Pages.param(ctx, "object");
        String recipient = Pages.param(ctx, "recipient");
        String purpose = Pages.param(ctx, "purpose");
        String action = Pages.param(ctx, "action");
        List<Result> results = new ArrayList<>();
        Pages.Notice notice = null;
        if (object != null) {
            try {
                ObjectNode answer = pages.views().explain(p, object, recipient, purpose, action, null);
                Map<String, String> titles = new HashMap<>();
                for (CollectionInfo c : s.store().collections()) titles.put(c.id(), c.title());
                Map<String, String> agreementTitles = new HashMap<>();
                for (Agreement a : s.gate().policies().current().agreements()) agreementTitles.put(a.id(), a.title());
                for (JsonNode r : answer.path("results")) {
                    List<String> checks = new ArrayList<>();
                    r.path("checks").forEach(c -> checks.add(c.asText()));
                    String agreement = r.hasNonNull("agreement") ? agreementTitles.getOrDefault(r.path("agreement").asText(),
                            r.path("agreement").asText()) : null;
                    results.add(new Result(titles.getOrDefault(r.path("collection").asText(), r.path("collection").asText()),
                            r.path("version").asText(), "permit".equals(r.path("decision").asText()),
                            v.word("rule.", r.path("rule").asText()), agreement, r.path("reason").asText(),
                            r.path("object_facts").asText(), checks));
                }
            } catch (InvalidInput e) {
                ctx.status(400);
                notice = Pages.refused(v, e);
            } catch (Refusal r) {
                ctx.status(r.status);
                notice = Pages.refused(v, r);
                if (!r.wasAudited()) s.gate().rejected(p, "GET " + ctx.path(), r.rule, r.getMessage());
            }
        }
        List<Intelligence.Option> recipients = new ArrayList<>();
        for (Organisation o : pages.views().organisations(p)) {
            if (PolicyViews.overseer(p) || o.id().equals(p.organisationId())) recipients.add(new Intelligence.Option(o.id(), o.name()));
        }
        List<Intelligence.Option> actions = new ArrayList<>();
        for (Action a : Action.values()) actions.add(new Intelligence.Option(a.wire(), v.t("action." + a.wire())));
        pages.render(ctx, "explain.jte", v, new ExplainModel(object, recipient, purpose, action, recipients,
                Intelligence.purposes(v), actions, results, object != null, notice));
    }
}
