package org.entente.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.http.Api;
import org.entente.node.http.HttpAuth;
import org.entente.node.http.JsonBody;
import org.entente.node.http.Routes;
import org.entente.node.policy.Agreement;
import org.entente.node.users.Principal;
import org.entente.node.users.Role;

/**
 * {@code /api/peers} and {@code /api/federation} on the users' port, for administrators: the same
 * operations as `entente peer …`, `entente node identity|rotate-keys` and `entente agreement accept`.
 */
public final class PeersApi implements Api {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final Federation f;

    public PeersApi(Federation f) {
        this.f = f;
    }

    @Override
    public void register(Routes app) {
        app.get("/api/peers", this::list);
        app.post("/api/peers", this::add);
        app.get("/api/peers/{peer}", ctx -> send(ctx, 200, f.status(peer(ctx)).toJson()));
        app.delete("/api/peers/{peer}", this::remove);
        app.post("/api/peers/{peer}/offers", this::offer);
        app.delete("/api/peers/{peer}/offers/{collection}", this::withdraw);
        app.post("/api/peers/{peer}/sync", this::sync);
        app.get("/api/federation/identity", ctx -> {
            administrator(ctx);
            send(ctx, 200, f.identityDocument());
        });
        app.post("/api/federation/rotate-keys", ctx -> send(ctx, 200, f.rotateKeys(administrator(ctx).username())));
        app.post("/api/agreements/{id}/accept", this::accept);
    }

    private static Principal administrator(Context ctx) {
        Principal p = HttpAuth.principal(ctx);
        if (!p.has(Role.ADMINISTRATOR)) {
            throw new Refusal(403, "Forbidden", "not-administrator", "only administrators manage peers and federation");
        }
        return p;
    }

    private static String peer(Context ctx) {
        administrator(ctx);
        return ctx.pathParam("peer");
    }

    private void list(Context ctx) {
        administrator(ctx);
        ArrayNode list = F.arrayNode();
        f.statuses().forEach(s -> list.add(s.toJson()));
        send(ctx, 200, F.objectNode().set("peers", list));
    }

    private void add(Context ctx) {
        Principal p = administrator(ctx);
        JsonNode body = JsonBody.object(ctx);
        JsonNode identity = body.has("identity") ? body.get("identity") : body;
        send(ctx, 201, f.addPeer(identity, p.username()).toJson());
    }

    private void remove(Context ctx) {
        Principal p = administrator(ctx);
        f.removePeer(ctx.pathParam("peer"), p.username());
        ctx.status(204);
    }

    private void offer(Context ctx) {
        Principal p = administrator(ctx);
        JsonNode body = JsonBody.object(ctx);
        JsonNode c = body.get("collection");
        if (c == null || !c.isTextual() || c.asText().isBlank()) {
            throw InvalidInput.of("Invalid offer", "/collection", "name the collection to offer (id or alias)");
        }
        JsonNode a = body.get("agreement");
        if (a != null && !a.isNull() && !a.isTextual()) throw InvalidInput.of("Invalid offer", "/agreement", "must be an id");
        send(ctx, 200, f.offer(ctx.pathParam("peer"), c.asText(), a == null || a.isNull() ? null : a.asText(),
                p.username()).toJson());
    }

    private void withdraw(Context ctx) {
        Principal p = administrator(ctx);
        send(ctx, 200, f.withdraw(ctx.pathParam("peer"), ctx.pathParam("collection"), p.username()).toJson());
    }

    /** One cycle now in this process; {@code ?wait=true} answers when it ended (200), otherwise at once (202). */
    private void sync(Context ctx) throws InterruptedException {
        Principal p = administrator(ctx);
        String peer = ctx.pathParam("peer");
        boolean wait = "true".equals(ctx.queryParam("wait"));
        if (!wait) {
            f.syncRequestedBy(peer, p.username());
            send(ctx, 202, F.objectNode().put("requested", true));
            return;
        }
        Optional<Boolean> r = f.requestSync(peer, Duration.ofSeconds(120));
        ObjectNode out = F.objectNode();
        out.put("result", r.isEmpty() ? "pending" : r.get() ? "done" : "failed");
        out.set("status", f.status(peer).toJson());
        send(ctx, r.isEmpty() ? 202 : 200, out);
    }

    private void accept(Context ctx) {
        Principal p = administrator(ctx);
        Agreement a = f.acceptAgreement(ctx.pathParam("id"), p.username());
        ObjectNode out = F.objectNode();
        out.put("agreement", a.id());
        out.put("version", a.version());
        out.put("status", Agreement.wire(a.status()));
        send(ctx, 200, out);
    }

    private static void send(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }
}
