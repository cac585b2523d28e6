package org.entente.node.requests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
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
        requests.requireDesk(p, acting);
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
        for (Requests.Request r : page.requests()) list.add(RequestJson.summary(r, now));
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
        for (Requests.Notice n : requests.notices(ctx.queryParam("request"), limit(ctx, DEFAULT_PAGE))) list.add(RequestJson.notice(n));
        ctx.json(out);
    }

    ObjectNode detail(Requests.Request r) {
        return requests.describe(r);
    }
}
