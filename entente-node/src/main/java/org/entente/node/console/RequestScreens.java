package org.entente.node.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.http.Routes;
import org.entente.node.partners.Organisation;
import org.entente.node.policy.AssistanceType;
import org.entente.node.policy.Urgency;
import org.entente.node.requests.Requests;
import org.entente.node.users.Principal;
import org.entente.stix.StixJson;

/**
 * The 24/7 desk: requests for mutual assistance received (the inbox, open ones by urgency then
 * deadline, as {@code GET /api/requests} lists them) and sent (the outbox), a request with its
 * history of transitions, deadline and notices, the actions the lifecycle allows this side now
 * (acknowledge, start, answer, refuse with grounds, withdraw, clarify, send a draft), and a new
 * request. Who may read and act is the requests API's rule, every action goes through
 * {@link Requests} with the same body the API takes, and is audited there.
 */
final class RequestScreens {
    static final int PAGE = 50;
    private static final List<String> ACTIONS = List.of("send", "ack", "start", "answer", "refuse", "withdraw", "clarify");

    private final Pages pages;
    private final Console.Services s;

    RequestScreens(Pages pages, Console.Services s) {
        this.pages = pages;
        this.s = s;
    }

    void register(Routes routes) {
        routes.page("/console/requests", this::list);
        routes.action("/console/requests", this::create);
        routes.page("/console/requests/new", this::form);
        routes.page("/console/requests/{id}", this::show);
        for (String a : ACTIONS) routes.action("/console/requests/{id}/" + a, ctx -> act(ctx, a));
    }

    private Requests requests() {
        return s.requests();
    }

    // ---------------------------------------------------------------- the boxes

    public record Row(String id, String href, String partner, String type, String urgency, String urgencyWire,
            String state, String deadline, String countdown, boolean overdue, String summary, String updated) {}

    public record ListModel(boolean outbox, boolean all, List<Row> rows, String next, boolean mayAct, Pages.Notice notice) {}

    private void list(Context ctx) {
        Principal p = Pages.principal(ctx);
        requests().requireDesk(p, false);
        View v = pages.view(ctx);
        boolean outbox = "outbox".equals(Pages.param(ctx, "box"));
        boolean all = "all".equals(Pages.param(ctx, "state"));
        Requests.Page page = requests().list(outbox, all ? "all" : "open", null, Pages.param(ctx, "after"), PAGE);
        Instant now = requests().clock().instant();
        List<Row> rows = new ArrayList<>();
        for (Requests.Request r : page.requests()) {
            rows.add(new Row(r.id(), "/console/requests/" + View.enc(r.id()), name(r.partner()), v.word("request.type.",
                    r.type().wire()), v.word("request.urgency.", r.urgency().wire()), r.urgency().wire(),
                    v.word("request.state.", r.state().wire()), r.deadline() == null ? "" : v.dateTime(r.deadline()),
                    countdown(v, r, now), overdue(r, now), Labels.shorten(r.document().path("summary").asText(""), 120),
                    v.dateTime(r.updated())));
        }
        String next = page.next() == null ? null : "/console/requests?box=" + (outbox ? "outbox" : "inbox")
                + (all ? "&state=all" : "") + "&after=" + View.enc(page.next());
        pages.render(ctx, "requests.jte", v, new ListModel(outbox, all, rows, next, pages.access().mayActOnRequests(p),
                "created".equals(Pages.param(ctx, "done")) ? Pages.Notice.done(v.t("requests.created")) : null));
    }

    private static boolean overdue(Requests.Request r, Instant now) {
        return r.deadline() != null && r.state().open() && r.answered() == null && !now.isBefore(r.deadline());
    }

    /** The time left to the deadline (or past it), in days and hours, as the lists and the request show it. */
    static String countdown(View v, Requests.Request r, Instant now) {
        if (r.deadline() == null || !r.state().open()) return "";
        Duration d = Duration.between(now, r.deadline());
        String span = span(v, d.abs());
        return d.isNegative() ? v.t("requests.overdue-by", span) : v.t("requests.due-in", span);
    }

    static String span(View v, Duration d) {
        long days = d.toDays();
        if (days > 0) return v.t("requests.days-hours", days, d.toHoursPart());
        return v.t("requests.hours-minutes", d.toHours(), d.toMinutesPart());
    }

    private String name(String organisationId) {
        return s.organisations().find(organisationId).map(Organisation::name).orElse(organisationId);
    }

    // ---------------------------------------------------------------- one request

    public record Item(String label, String value, boolean latin) {}

    public record EventRow(int seq, String kind, String state, String by, String actor, String at, String text,
            String id, boolean signed) {}

    public record NoticeRow(String kind, String due, String to, String text) {}

    public record Clarification(String id, String label) {}

    public record DetailModel(String id, boolean outgoing, String title, List<Item> facts, String summary,
            List<String> measures, List<Item> subject, List<Item> attachments, List<EventRow> events,
            List<NoticeRow> notices, List<String> actions, List<Clarification> questions, String answerText,
            Pages.Notice notice) {}

    private void show(Context ctx) {
        Principal p = Pages.principal(ctx);
        requests().requireDesk(p, false);
        View v = pages.view(ctx);
        String done = Pages.param(ctx, "done");
        Pages.Notice notice = done != null && (ACTIONS.contains(done) || done.equals("created"))
                ? Pages.Notice.done(v.t("requests.done." + done)) : null;
        renderDetail(ctx, v, p, find(ctx.pathParam("id")), notice);
    }

    private Requests.Request find(String id) {
        return requests().find(id).orElseThrow(() -> new Refusal(404, "Not found", "unknown-request", "no request '"
                + id.replace("\0", "\\0") + "' on this node"));
    }

    private void renderDetail(Context ctx, View v, Principal p, Requests.Request r, Pages.Notice notice) {
        Instant now = requests().clock().instant();
        ObjectNode doc = r.document();
        List<Item> facts = new ArrayList<>();
        facts.add(new Item(v.t("requests.direction"), v.t(r.outgoing() ? "requests.outgoing" : "requests.incoming"), false));
        facts.add(new Item(v.t("requests.requester"), name(r.requester()), false));
        facts.add(new Item(v.t("requests.requested"), name(r.requested()), false));
        facts.add(new Item(v.t("requests.type"), v.word("request.type.", r.type().wire()), false));
        facts.add(new Item(v.t("requests.urgency"), v.word("request.urgency.", r.urgency().wire()), false));
        facts.add(new Item(v.t("requests.state"), v.word("request.state.", r.state().wire()), false));
        facts.add(new Item(v.t("requests.legal-basis"), doc.path("legal_basis").path("agreement_title").asText(r.agreementId())
                + (r.article() == null ? "" : " — " + r.article()), false));
        if (r.deadline() != null) {
            String left = countdown(v, r, now);
            facts.add(new Item(v.t("requests.deadline"), v.dateTime(r.deadline()) + (left.isEmpty() ? "" : " (" + left + ")"),
                    false));
        }
        if (r.preservedUntil() != null) {
            facts.add(new Item(v.t("requests.preserved-until"), v.dateTime(r.preservedUntil()) + (now.isBefore(r.preservedUntil())
                    ? " (" + v.t("requests.due-in", span(v, Duration.between(now, r.preservedUntil()))) + ")" : ""), false));
        }
        facts.add(new Item(v.t("requests.language"), doc.path("language").asText(""), true));
        facts.add(new Item(v.t("requests.created-at"), v.t("requests.by-at", v.dateTime(r.created()),
                r.createdBy() == null ? "" : r.createdBy()), false));
        if (r.sent() != null) facts.add(new Item(v.t("requests.sent-at"), v.dateTime(r.sent()), false));
        if (r.acknowledged() != null) facts.add(new Item(v.t("requests.acknowledged-at"), v.dateTime(r.acknowledged()), false));
        if (r.answered() != null) facts.add(new Item(v.t("requests.answered-at"), v.dateTime(r.answered()), false));
        if (r.extendsId() != null) facts.add(new Item(v.t("requests.extends"), r.extendsId(), true));

        List<String> measures = new ArrayList<>();
        doc.path("measures").forEach(m -> measures.add(m.asText()));
        List<Item> attachments = new ArrayList<>();
        doc.path("attachments").forEach(a -> attachments.add(new Item(a.path("name").asText(), v.t("requests.attachment",
                v.number(a.path("size").asLong()), a.path("sha256").asText()), true)));

        List<EventRow> events = new ArrayList<>();
        List<Clarification> questions = new ArrayList<>();
        for (Requests.Event e : requests().events(r.id())) {
            JsonNode d = e.detail();
            String text = first(d, "text", "grounds", "note", "reason");
            if (d.has("objects")) text = (text.isEmpty() ? "" : text + " ") + v.t("requests.objects", d.path("objects").size());
            events.add(new EventRow(e.seq(), v.word("request.event.", e.kind().wire()), v.word("request.state.",
                    e.state().wire()), name(e.by()), e.actor() == null ? "" : e.actor(), v.dateTime(e.at()), text, e.id(),
                    e.signed() != null));
            if (e.kind().wire().equals("clarification")) {
                questions.add(new Clarification(e.id(), v.t("requests.reply-to-label", e.seq(), name(e.by()),
                        Labels.shorten(text, 60))));
            }
        }
        List<NoticeRow> notices = requests().notices(r.id(), 100).stream().map(n -> new NoticeRow(v.word("request.notice.",
                n.kind()), v.dateTime(n.due()), n.addressedTo(), n.text())).toList();
        List<String> actions = pages.access().mayActOnRequests(p) ? requests().possibleActions(r) : List.of();
        String title = v.t("requests.detail-title", v.word("request.type.", r.type().wire()), name(r.partner()));
        pages.render(ctx, "request.jte", v, new DetailModel(r.id(), r.outgoing(), title, facts,
                doc.path("summary").asText(""), measures, subject(v, doc.path("subject")), attachments, events, notices,
                actions, questions, ctx.formParam("text") == null ? "" : ctx.formParam("text"), notice));
    }

    private static String first(JsonNode d, String... fields) {
        for (String f : fields) if (d.hasNonNull(f) && !d.path(f).asText().isBlank()) return d.path(f).asText();
        return "";
    }

    /** What the request is about, one line per account, address, domain, document and object. */
    private static List<Item> subject(View v, JsonNode s) {
        List<Item> out = new ArrayList<>();
        s.path("accounts").forEach(a -> out.add(new Item(v.t("requests.subject.account"), a.path("service").asText() + ": "
                + a.path("identifier").asText(), true)));
        s.path("ip_addresses").forEach(a -> out.add(new Item(v.t("requests.subject.ip"), a.path("address").asText()
                + (a.has("port") ? ":" + a.path("port").asText() : "") + " @ " + a.path("timestamp").asText() + " ("
                + a.path("time_zone").asText() + ")", true)));
        s.path("domains").forEach(a -> out.add(new Item(v.t("requests.subject.domain"), a.asText(), true)));
        s.path("documents").forEach(a -> out.add(new Item(v.t("requests.subject.document"), a.path("kind").asText() + " "
                + a.path("number").asText() + (a.has("issuing_country") ? " (" + a.path("issuing_country").asText() + ")" : ""),
                true)));
        s.path("stix_objects").forEach(a -> out.add(new Item(v.t("requests.subject.object"), a.asText(), true)));
        return out;
    }

    /** An action of the lifecycle, with the body the API would take: the same method of {@link Requests}. */
    private void act(Context ctx, String action) {
        Principal p = Pages.principal(ctx);
        requests().requireDesk(p, true);
        String id = ctx.pathParam("id");
        Requests.Actor actor = new Requests.Actor(p.username());
        try {
            switch (action) {
                case "send" -> requests().send(id, actor);
                case "ack" -> requests().acknowledge(id, actor, Pages.form(ctx, "note"));
                case "start" -> requests().start(id, actor, Pages.form(ctx, "note"));
                case "refuse" -> requests().refuse(id, actor, Pages.form(ctx, "grounds"));
                case "withdraw" -> requests().withdraw(id, actor, Pages.form(ctx, "reason"));
                case "answer" -> {
                    ObjectNode body = StixJson.mapper().createObjectNode();
                    if (Pages.form(ctx, "text") != null) body.put("text", Pages.form(ctx, "text"));
                    body.put("partial", "true".equals(ctx.formParam("partial")));
                    requests().answer(id, actor, body);
                }
                case "clarify" -> {
                    ObjectNode body = StixJson.mapper().createObjectNode();
                    if (Pages.form(ctx, "text") != null) body.put("text", Pages.form(ctx, "text"));
                    if (Pages.form(ctx, "in_reply_to") != null) body.put("in_reply_to", Pages.form(ctx, "in_reply_to"));
                    requests().clarify(id, actor, body);
                }
                default -> throw new IllegalArgumentException(action);
            }
        } catch (InvalidInput e) {
            View v = pages.view(ctx);
            ctx.status(400);
            renderDetail(ctx, v, p, find(id), Pages.refused(v, e));
            return;
        }
        ctx.redirect("/console/requests/" + View.enc(id) + "?done=" + action, HttpStatus.SEE_OTHER);
    }

    // ---------------------------------------------------------------- a new request

    public record NewModel(List<Intelligence.Option> partners, List<Intelligence.Option> agreements,
            List<Intelligence.Option> types, List<Intelligence.Option> urgencies, Map<String, String> values,
            Pages.Notice notice) {
        public String value(String field) {
            return values.getOrDefault(field, "");
        }
    }

    static final List<String> FIELDS = List.of("partner", "agreement", "article", "type", "urgency", "language", "summary",
            "measures", "accounts", "ip_addresses", "domains", "documents", "stix_objects", "draft");

    private void form(Context ctx) {
        requests().requireDesk(Pages.principal(ctx), true);
        View v = pages.view(ctx);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("language", v.lang());
        values.put("urgency", Urgency.ROUTINE.wire());
        renderForm(ctx, v, values, null);
    }

    private void renderForm(Context ctx, View v, Map<String, String> values, Pages.Notice notice) {
        List<Intelligence.Option> partners = new ArrayList<>();
        List<Intelligence.Option> agreements = new ArrayList<>();
        for (Requests.Contact c : requests().directory()) {
            if (c.agreements().isEmpty()) continue;
            partners.add(new Intelligence.Option(c.organisationId(), c.name()));
            for (String a : c.agreements()) {
                String title = s.agreements().find(a).map(x -> x.title()).orElse(a);
                if (agreements.stream().noneMatch(o -> o.value().equals(a))) {
                    agreements.add(new Intelligence.Option(a, title));
                }
            }
        }
        List<Intelligence.Option> types = new ArrayList<>();
        for (AssistanceType t : AssistanceType.values()) types.add(new Intelligence.Option(t.wire(), v.word("request.type.", t.wire())));
        List<Intelligence.Option> urgencies = new ArrayList<>();
        for (Urgency u : Urgency.values()) urgencies.add(new Intelligence.Option(u.wire(), v.word("request.urgency.", u.wire())));
        pages.render(ctx, "request-new.jte", v, new NewModel(partners, agreements, types, urgencies, values, notice));
    }

    private void create(Context ctx) {
        Principal p = Pages.principal(ctx);
        requests().requireDesk(p, true);
        Map<String, String> values = new LinkedHashMap<>();
        for (String f : FIELDS) if (ctx.formParam(f) != null) values.put(f, ctx.formParam(f));
        try {
            Requests.Request r = requests().create(body(values), new Requests.Actor(p.username()));
            ctx.redirect("/console/requests/" + View.enc(r.id()) + "?done=" + (r.sent() == null ? "created" : "send"),
                    HttpStatus.SEE_OTHER);
        } catch (InvalidInput e) {
            View v = pages.view(ctx);
            ctx.status(400);
            renderForm(ctx, v, values, Pages.refused(v, e));
        }
    }

    /**
     * The body of {@code POST /api/requests} from the form: the subject's accounts ("service
     * identifier"), addresses ("address timestamp time-zone"), documents ("kind number country"),
     * domains and objects one a line; the service checks every field and names each problem.
     */
    static ObjectNode body(Map<String, String> f) {
        ObjectNode b = StixJson.mapper().createObjectNode();
        put(b, "partner", f.get("partner"));
        put(b, "type", f.get("type"));
        put(b, "urgency", f.get("urgency"));
        put(b, "language", f.get("language"));
        put(b, "summary", f.get("summary"));
        if (blank(f.get("agreement")) && blank(f.get("article"))) {
            b.putNull("legal_basis");
        } else {
            ObjectNode lb = b.putObject("legal_basis");
            put(lb, "agreement", f.get("agreement"));
            put(lb, "article", f.get("article"));
        }
        List<String> measures = lines(f.get("measures"));
        if (!measures.isEmpty()) {
            ArrayNode m = b.putArray("measures");
            measures.forEach(m::add);
        }
        ObjectNode s = StixJson.mapper().createObjectNode();
        for (String line : lines(f.get("accounts"))) {
            String[] w = line.split("\\s+", 2);
            ObjectNode a = s.withArray("accounts").addObject().put("service", w[0]);
            if (w.length > 1) a.put("identifier", w[1]);
        }
        for (String line : lines(f.get("ip_addresses"))) {
            String[] w = line.split("\\s+", 3);
            ObjectNode a = s.withArray("ip_addresses").addObject().put("address", w[0]);
            if (w.length > 1) a.put("timestamp", w[1]);
            if (w.length > 2) a.put("time_zone", w[2]);
        }
        for (String line : lines(f.get("documents"))) {
            String[] w = line.split("\\s+", 3);
            ObjectNode a = s.withArray("documents").addObject().put("kind", w[0]);
            if (w.length > 1) a.put("number", w[1]);
            if (w.length > 2) a.put("issuing_country", w[2]);
        }
        lines(f.get("domains")).forEach(s.withArray("domains")::add);
        lines(f.get("stix_objects")).forEach(s.withArray("stix_objects")::add);
        if (!s.isEmpty()) b.set("subject", s);
        if ("true".equals(f.get("draft"))) b.put("send", false);
        return b;
    }

    private static void put(ObjectNode o, String field, String value) {
        if (!blank(value)) o.put(field, value.strip());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static List<String> lines(String text) {
        if (text == null) return List.of();
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
