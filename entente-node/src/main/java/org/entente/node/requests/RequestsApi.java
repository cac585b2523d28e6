package org.entente.node.requests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.http.Api;
import org.entente.node.http.HttpAuth;
import org.entente.node.http.JsonBody;
import org.entente.node.http.Routes;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.users.Principal;
import org.entente.node.users.Role;

/**
 * {@code /api/requests…}: the 24/7 desk of the node's own organisation (docs/REQUESTS.md). Liaison
 * officers, supervisors and administrators of the own organisation write and act on requests;
 * auditors read them. A partner's staff with an account here have no desk on this node: their own
 * node is theirs.
 */
public final class RequestsApi implements Api {
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 500;

    private final Requests requests;
    private final Organisations organisations;

    public RequestsApi(Requests requests, Organisations organisations) {
        this.requests = requests;
        this.organisations = organisations;
    }

    @Override
    public void register(Routes app) {
        app.get("/api/requests", this::list);
        app.post("/api/requests", this::create);
        app.get("/api/requests/directory", this::directory);
        app.get("/api/requests/figures", this::figures);
        app.get("/api/requests/notices", this::notices);
        app.get("/api/requests/{id}", this::show);
        app.get("/api/requests/{id}/attachments/{sha256}", this::attachment);
        app.post("/api/requests/{id}/send", ctx -> act(ctx, (id, a, b) -> requests.send(id, a)));
        app.post("/api/requests/{id}/ack", ctx -> act(ctx, (id, a, b) -> requests.acknowledge(id, a, note(b, "note"))));
        app.post("/api/requests/{id}/start", ctx -> act(ctx, (id, a, b) -> requests.start(id, a, note(b, "note"))));
        app.post("/api/requests/{id}/answer", ctx -> act(ctx, (id, a, b) -> requests.answer(id, a, b)));
        app.post("/api/requests/{id}/refuse", ctx -> act(ctx, (id, a, b) -> requests.refuse(id, a, note(b, "grounds"))));
        app.post("/api/requests/{id}/withdraw", ctx -> act(ctx, (id, a, b) -> requests.withdraw(id, a, note(b, "reason"))));
        app.post("/api/requests/{id}/clarify", ctx -> act(ctx, (id, a, b) -> requests.clarify(id, a, b)));
    }

    private interface Action {
        Requests.Request apply(String id, Requests.Actor actor, JsonNode body);
    }

    private void act(Context ctx, Action action) {
        Principal p = desk(ctx, true);
        JsonNode body = ctx.body().isBlank() ? RequestForm.JSON.createObjectNode() : JsonBody.object(ctx);
        Requests.Request r = action.apply(ctx.pathParam("id"), new Requests.Actor(p.username()), body);
        ctx.json(detail(r));
    }

    private static String note(JsonNode b, String field) {
        JsonNode n = b.get(field);
        if (n != null && !n.isNull() && !n.isTextual()) throw InvalidInput.of("Invalid body", "/" + field, field + " must be a string");
        return n == null || n.isNull() ? null : n.asText();
    }

    /** Staff of the own organisation, in a role that works the desk (or reads it, for auditors). */
    private Principal desk(Context ctx, boolean acting) {
        Principal p = HttpAuth.principal(ctx);
        String own = organisations.own().map(Organisation::id).orElse(null);
        if (p.organisationId() == null || !p.organisationId().equals(own)) {
            throw new Refusal(403, "Forbidden", "not-own-staff", "requests for assistance are handled by the staff of"
                    + " this node's own organisation");
        }
        boolean works = p.admin() || p.has(Role.ADMINISTRATOR) || p.has(Role.LIAISON_OFFICER) || p.has(Role.SUPERVISOR);
        if (!works && !(p.has(Role.AUDITOR) && !acting)) {
            throw new Refusal(403, "Forbidden", "not-desk-role", acting
                    ? "only liaison officers, supervisors and administrators act on requests for assistance"
                    : "only liaison officers, supervisors, administrators and auditors read requests for assistance");
        }
        return p;
    }

    private void create(Context ctx) {
        Principal p = desk(ctx, true);
        Requests.Request r = requests.create(JsonBody.object(ctx), new Requests.Actor(p.username()));
        ctx.status(201).header("Location", "/api/requests/" + r.id()).json(detail(r));
    }

    private void list(Context ctx) {
        desk(ctx, false);
        String box = ctx.queryParam("box");
        if (box != null && !box.equals("inbox") && !box.equals("outbox")) {
            throw InvalidInput.of("Invalid parameter", "box", "box is inbox (requests to this organisation) or outbox");
        }
        int limit = limit(ctx, DEFAULT_PAGE);
        Requests.Page page = requests.list("outbox".equals(box), ctx.queryParam("state"), ctx.queryParam("partner"),
                ctx.queryParam("after"), limit);
        Instant now = requests.clock().instant();
        ObjectNode out = RequestForm.JSON.createObjectNode();
        out.put("box", box == null ? "inbox" : box);
        ArrayNode list = out.putArray("requests");
        for (Requests.Request r : page.requests()) list.add(summary(r, now));
        if (page.next() != null) out.put("next", page.next());
        ctx.json(out);
    }

    private static int limit(Context ctx, int fallback) {
        String v = ctx.queryParam("limit");
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1 || n > MAX_PAGE) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw InvalidInput.of("Invalid parameter", "limit", "limit is a whole number from 1 to " + MAX_PAGE);
        }
    }

    private void show(Context ctx) {
        desk(ctx, false);
        String id = ctx.pathParam("id");
        Requests.Request r = requests.find(id).orElseThrow(() -> new Refusal(404, "Not found", "unknown-request",
                "no request '" + id.replace("\0", "\\0") + "' on this node"));
        ctx.json(detail(r));
    }

    private void attachment(Context ctx) {
        desk(ctx, false);
        String id = ctx.pathParam("id");
        RequestForm.Attachment a = requests.attachment(id, ctx.pathParam("sha256")).orElseThrow(() -> new Refusal(404,
                "Not found", "unknown-attachment", "no such attachment of request " + id.replace("\0", "\\0")));
        ctx.contentType(a.mediaType()).header("Content-Disposition", "attachment; filename=\""
                + a.name().replace("\"", "") + "\"").header("X-Content-SHA256", a.sha256()).result(a.content());
    }

    private void directory(Context ctx) {
        desk(ctx, false);
        ObjectNode out = RequestForm.JSON.createObjectNode();
        ArrayNode list = out.putArray("contacts");
        for (Requests.Contact c : requests.directory()) {
            ObjectNode o = list.addObject();
            o.put("organisation", c.organisationId()).put("name", c.name()).put("nation", c.nation())
                    .put("sector", c.sector()).put("contact_point", c.contactPoint()).put("node", c.nodeUrl())
                    .put("fingerprint", c.fingerprint());
            ArrayNode ag = o.putArray("agreements");
            c.agreements().forEach(ag::add);
        }
        ctx.json(out);
    }

    private void figures(Context ctx) {
        desk(ctx, false);
        ObjectNode out = RequestForm.JSON.createObjectNode();
        ArrayNode list = out.putArray("partners");
        for (Requests.PartnerFigures f : requests.figures()) {
            ObjectNode o = list.addObject();
            o.put("partner", f.partner());
            o.put("name", organisations.find(f.partner()).map(Organisation::name).orElse(f.partner()));
            o.put("direction", f.outgoing() ? "sent" : "received");
            o.put("requests", f.requests());
            o.put("median_seconds_to_acknowledge", f.medianSecondsToAcknowledge());
            o.put("median_seconds_to_answer", f.medianSecondsToAnswer());
            o.put("due", f.due());
            o.put("answered_in_time", f.answeredInTime());
            if (f.due() > 0) o.put("share_answered_in_time", (double) f.answeredInTime() / f.due());
            else o.putNull("share_answered_in_time");
        }
        ctx.json(out);
    }

    private void notices(Context ctx) {
        desk(ctx, false);
        ObjectNode out = RequestForm.JSON.createObjectNode();
        ArrayNode list = out.putArray("notices");
        for (Requests.Notice n : requests.notices(ctx.queryParam("request"), limit(ctx, DEFAULT_PAGE))) list.add(notice(n));
        ctx.json(out);
    }

    // ---------------------------------------------------------------- JSON

    static ObjectNode notice(Requests.Notice n) {
        ObjectNode o = RequestForm.JSON.createObjectNode();
        o.put("request", n.requestId()).put("kind", n.kind()).put("due", n.due().toString()).put("at", n.at().toString())
                .put("to", n.addressedTo()).put("text", n.text());
        return o;
    }

    /** What a list shows of a request, with its countdowns at {@code now}. */
    static ObjectNode summary(Requests.Request r, Instant now) {
        ObjectNode o = RequestForm.JSON.createObjectNode();
        o.put("id", r.id());
        o.put("direction", r.outgoing() ? "outgoing" : "incoming");
        o.put("requester", r.requester());
        o.put("requested", r.requested());
        o.put("type", r.type().wire());
        o.put("urgency", r.urgency().wire());
        o.put("state", r.state().wire());
        o.putObject("legal_basis").put("agreement", r.agreementId()).put("article", r.article());
        o.put("summary", r.document().path("summary").asText(""));
        if (r.deadline() != null) {
            o.put("deadline", r.deadline().toString());
            o.put("seconds_to_deadline", Duration.between(now, r.deadline()).toSeconds());
            o.put("overdue", r.state().open() && r.answered() == null && !now.isBefore(r.deadline()));
        }
        if (r.preservedUntil() != null) {
            o.put("preserved_until", r.preservedUntil().toString());
            o.put("seconds_of_preservation_left", Math.max(0, Duration.between(now, r.preservedUntil()).toSeconds()));
        }
        o.put("updated", r.updated().toString());
        return o;
    }

    ObjectNode detail(Requests.Request r) {
        Instant now = requests.clock().instant();
        ObjectNode o = summary(r, now);
        o.set("request", r.document());
        o.put("created", r.created().toString());
        o.put("created_by", r.createdBy());
        if (r.sent() != null) o.put("sent", r.sent().toString());
        if (r.acknowledged() != null) o.put("acknowledged", r.acknowledged().toString());
        if (r.answered() != null) o.put("answered", r.answered().toString());
        if (r.extendsId() != null) o.put("extends", r.extendsId());
        ArrayNode events = o.putArray("events");
        for (Requests.Event e : requests.events(r.id())) events.add(event(e));
        ArrayNode ns = o.putArray("notices");
        for (Requests.Notice n : requests.notices(r.id(), 100)) ns.add(notice(n));
        return o;
    }

    static ObjectNode event(Requests.Event e) {
        ObjectNode o = RequestForm.JSON.createObjectNode();
        o.put("id", e.id());
        o.put("kind", e.kind().wire());
        o.put("state", e.state().wire());
        o.put("by", e.by());
        if (e.actor() != null) o.put("actor", e.actor());
        o.put("at", e.at().toString());
        o.put("recorded", e.recorded().toString());
        o.set("detail", e.detail());
        if (e.signed() != null) {
            o.putObject("signature").put("message", e.messageId()).put("key", e.signed().path("key").asText())
                    .put("value", e.signed().path("signature").asText());
        }
        return o;
    }
}
