package org.entente.node.search;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.entente.node.auth.HttpAuth;
import org.entente.node.auth.Principal;
import org.entente.node.policy.Action;
import org.entente.node.policy.PolicyGate;
import org.entente.node.policy.Refusal;
import org.entente.node.policy.Release;
import org.entente.node.auth.Users;
import org.entente.node.store.Mention;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.Timestamps;

/**
 * The analyst's instant look-up: which objects, in the collections she may read, mention a value
 * (an address, also inside stored CIDR blocks; a domain, URL, e-mail address or file hash).
 */
public final class SearchApi {
    public static final String MENTIONS = "/api/v1/mentions";
    static final int MAX_RESULTS = 1000;

    private final ObjectStore store;
    private final Users users;
    private final PolicyGate gate;

    public SearchApi(ObjectStore store, Users users, PolicyGate gate) {
        this.store = store;
        this.users = users;
        this.gate = gate;
    }

    public void register(Javalin app) {
        app.get(MENTIONS, this::mentions);
    }

    private void mentions(Context ctx) {
        String value = ctx.queryParam("value");
        if (value == null || value.isBlank()) {
            problem(ctx, 400, "give the value to look up as ?value=, e.g. ?value=203.0.113.7");
            return;
        }
        if (value.length() > 2048) {
            problem(ctx, 400, "value is longer than 2048 characters");
            return;
        }
        int limit = 100;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_RESULTS) {
                problem(ctx, 400, "limit must be a whole number from 1 to " + MAX_RESULTS);
                return;
            }
        }
        Principal p = HttpAuth.principal(ctx);
        Release release;
        try {
            release = gate.open(ctx, p, Action.QUERY);
        } catch (Refusal r) {
            ctx.status(r.status).json(Map.of("title", r.title, "http_status", r.status, "description", r.getMessage()));
            return;
        }
        List<String> readable = users.readableCollections(p);
        List<Mention> found = readable.isEmpty() ? List.of() : store.mentions(value, readable, limit);
        // A mention tells that the object exists and what it is about: it passes the policy like the object.
        found = found.stream().filter(m -> release.release(m.objectId(), Timestamps.format(m.version()), m.facts(),
                m.json(), new Release.Origin(m.providerId(), m.agreementId())) != null).toList();
        gate.record(release, p, "mentions", Map.of("value", value));
        List<Map<String, Object>> out = found.stream().map(m -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", m.objectId());
            r.put("type", m.type());
            r.put("version", Timestamps.format(m.version()));
            r.put("collection", m.collectionId());
            r.put("matched_kind", m.kind());
            r.put("matched_value", m.value());
            return r;
        }).toList();
        ctx.json(Map.of("value", value, "mentions", out));
    }

    private static void problem(Context ctx, int status, String detail) {
        ctx.status(status).json(Map.of("title", "Bad request", "http_status", status, "description", detail));
    }
}
