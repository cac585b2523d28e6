package org.entente.node.search;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.entente.node.http.Api;
import org.entente.node.http.HttpAuth;
import org.entente.node.http.HttpProblem;
import org.entente.node.http.Routes;
import org.entente.node.policy.Action;
import org.entente.node.policy.PolicyGate;
import org.entente.node.policy.Release;
import org.entente.node.store.Mention;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.Timestamps;
import org.entente.node.users.Permissions;
import org.entente.node.users.Principal;

/**
 * The analyst's instant look-up: which objects, in the collections she may read, mention a value
 * (an address, also inside stored CIDR blocks; a domain, URL, e-mail address or file hash).
 */
public final class SearchApi implements Api {
    public static final String MENTIONS = "/api/v1/mentions";
    static final int MAX_RESULTS = 1000;

    private final ObjectStore store;
    private final Permissions permissions;
    private final PolicyGate gate;

    public SearchApi(ObjectStore store, Permissions permissions, PolicyGate gate) {
        this.store = store;
        this.permissions = permissions;
        this.gate = gate;
    }

    @Override
    public void register(Routes routes) {
        routes.get(MENTIONS, this::mentions);
    }

    private void mentions(Context ctx) {
        String value = ctx.queryParam("value");
        if (value == null || value.isBlank()) {
            throw HttpProblem.badRequest("give the value to look up as ?value=, e.g. ?value=203.0.113.7");
        }
        if (value.length() > 2048) throw HttpProblem.badRequest("value is longer than 2048 characters");
        int limit = 100;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_RESULTS) {
                throw HttpProblem.badRequest("limit must be a whole number from 1 to " + MAX_RESULTS);
            }
        }
        Principal p = HttpAuth.principal(ctx);
        String purpose = ctx.header(PolicyGate.PURPOSE_HEADER);
        if (purpose == null || purpose.isBlank()) purpose = ctx.queryParam("purpose");
        Release release = gate.open(p, purpose, ctx.header(PolicyGate.ORGANISATION_HEADER), Action.QUERY,
                "GET " + ctx.path());
        List<String> readable = permissions.readableCollections(p);
        List<Mention> found = readable.isEmpty() ? List.of() : store.mentions(value, readable, limit);
        // A mention tells that the object exists and what it is about: it passes the policy like the object.
        found = found.stream().filter(m -> release.release(m.objectId(), Timestamps.format(m.version()), m.facts(),
                m.latestFacts(), m.json(), new Release.Origin(m.providerId(), m.agreementId())) != null).toList();
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
}
