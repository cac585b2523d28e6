package org.entente.node.policy.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.http.Api;
import org.entente.node.http.HttpAuth;
import org.entente.node.http.JsonBody;
import org.entente.node.http.Routes;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.Consent;
import org.entente.node.policy.store.Agreements;
import org.entente.node.policy.store.Consents;
import org.entente.node.policy.store.PolicyViews;
import org.entente.node.users.Principal;
import org.entente.node.users.Role;

/**
 * The HTTP API of partners, agreements and the policy: {@code /api/organisations},
 * {@code /api/agreements}, {@code /api/consents}, {@code /api/policy/explain} and
 * {@code /api/policy/report}. A partner's users see their own organisation's side of things: the
 * node's organisation and theirs, their agreements and consents, what they may receive from the
 * collections they may read; the node's own staff see everything.
 */
public final class PolicyApi implements Api {
    private final Organisations organisations;
    private final Agreements agreements;
    private final PolicyViews views;
    private final Consents consents;
    private final ObjectMapper json = new ObjectMapper();

    public PolicyApi(Organisations organisations, Agreements agreements, Consents consents, PolicyViews views) {
        this.organisations = organisations;
        this.agreements = agreements;
        this.consents = consents;
        this.views = views;
    }

    @Override
    public void register(Routes app) {
        app.get("/api/organisations", this::listOrganisations);
        app.post("/api/organisations", this::createOrganisation);
        app.get("/api/organisations/{id}", this::getOrganisation);
        app.put("/api/organisations/{id}", this::updateOrganisation);
        app.get("/api/agreements", this::listAgreements);
        app.post("/api/agreements", this::createAgreement);
        app.get("/api/agreements/{id}", this::getAgreement);
        app.put("/api/agreements/{id}", this::updateAgreement);
        app.post("/api/agreements/{id}/status", this::setStatus);
        app.get("/api/agreements/{id}/versions", this::history);
        app.get("/api/consents", this::listConsents);
        app.post("/api/consents", this::recordConsent);
        app.post("/api/consents/{id}/revoke", this::revokeConsent);
        app.get("/api/policy/explain", this::explain);
        app.get("/api/policy/report", this::report);
    }

    private static Principal administrator(Context ctx) {
        Principal p = HttpAuth.principal(ctx);
        if (!p.has(Role.ADMINISTRATOR)) {
            throw new Refusal(403, "Forbidden", "not-administrator", "only administrators change partners and agreements");
        }
        return p;
    }

    // ---------------------------------------------------------------- organisations

    private ObjectNode describe(Organisation o) {
        ObjectNode n = json.createObjectNode();
        n.put("id", o.id());
        n.put("name", o.name());
        n.put("nation", o.nation());
        n.put("sector", o.sector().wire());
        if (o.contactPoint() != null) n.put("contact_point", o.contactPoint());
        n.put("own", o.own());
        n.put("created", o.created().toString());
        return n;
    }

    private void listOrganisations(Context ctx) {
        Principal p = HttpAuth.principal(ctx);
        ArrayNode list = json.createArrayNode();
        views.organisations(p).forEach(o -> list.add(describe(o)));
        ctx.json(json.createObjectNode().set("organisations", list));
    }

    private Organisation organisation(Principal p, String id) {
        return organisations.find(id).filter(o -> views.visible(p, o)).orElseThrow(() -> new Refusal(404, "Not found",
                "unknown-organisation", "no organisation " + id.replace("\0", "\\0")));
    }

    private void getOrganisation(Context ctx) {
        ctx.json(describe(organisation(HttpAuth.principal(ctx), ctx.pathParam("id"))));
    }

    private void createOrganisation(Context ctx) {
        Principal p = administrator(ctx);
        JsonNode b = JsonBody.object(ctx);
        Organisation o = organisations.create(draft(b), false, p.username());
        ctx.status(201).json(describe(o));
    }

    private static Organisations.Draft draft(JsonNode b) {
        return new Organisations.Draft(b.path("name").asText(null), b.path("nation").asText(null),
                b.path("sector").asText(null), b.path("contact_point").asText(null));
    }

    private void updateOrganisation(Context ctx) {
        Principal p = administrator(ctx);
        JsonNode b = JsonBody.object(ctx);
        Organisation o = organisations.update(organisation(p, ctx.pathParam("id")).id(), draft(b), p.username());
        ctx.json(describe(o));
    }

    // ---------------------------------------------------------------- agreements

    private Agreement agreement(Context ctx) {
        String id = ctx.pathParam("id");
        Agreement a = agreements.find(id).orElse(null);
        if (a == null || !views.visible(HttpAuth.principal(ctx), a)) {
            throw new Refusal(404, "Not found", "unknown-agreement", "no agreement " + id.replace("\0", "\\0"));
        }
        return a;
    }

    private void listAgreements(Context ctx) {
        Principal p = HttpAuth.principal(ctx);
        ArrayNode list = json.createArrayNode();
        agreements.all().stream().filter(a -> views.visible(p, a)).forEach(a -> list.add(a.toJson(json)));
        ctx.json(json.createObjectNode().set("agreements", list));
    }

    private void getAgreement(Context ctx) {
        ctx.json(agreement(ctx).toJson(json));
    }

    private void createAgreement(Context ctx) {
        Principal p = administrator(ctx);
        ctx.status(201).json(agreements.create(JsonBody.object(ctx), p.username()).toJson(json));
    }

    private void updateAgreement(Context ctx) {
        Principal p = administrator(ctx);
        Agreement a = agreement(ctx);
        ctx.json(agreements.update(a.id(), JsonBody.object(ctx), p.username()).toJson(json));
    }

    private void setStatus(Context ctx) {
        Principal p = administrator(ctx);
        Agreement a = agreement(ctx);
        Agreement.Status status = PolicyViews.status(JsonBody.object(ctx).path("status").asText(""), "/status");
        ctx.json(agreements.setStatus(a.id(), status, p.username()).toJson(json));
    }

    private void history(Context ctx) {
        Agreement a = agreement(ctx);
        ArrayNode list = json.createArrayNode();
        for (Agreements.Version v : agreements.history(a.id())) {
            ObjectNode n = list.addObject();
            n.put("version", v.version());
            n.put("changed_by", v.changedBy());
            n.put("changed_at", v.changedAt().toString());
            n.set("document", v.document());
        }
        ctx.json(json.createObjectNode().put("agreement", a.id()).set("versions", list));
    }

    // ---------------------------------------------------------------- consents

    private ObjectNode describe(Consent c) {
        ObjectNode n = json.createObjectNode();
        n.put("id", c.id());
        n.put("provider", c.providerId());
        n.put("recipient", c.recipientId());
        n.put("covers", c.covers().wire());
        if (c.objectId() != null) n.put("object", c.objectId());
        n.put("reference", c.reference());
        n.put("recorded_by", c.recordedBy());
        n.put("recorded_at", c.recordedAt().toString());
        return n;
    }

    /** Own staff see every consent; a partner's users those their organisation gave or received. */
    private void listConsents(Context ctx) {
        Principal p = HttpAuth.principal(ctx);
        boolean all = views.ownStaff(p);
        ArrayNode list = json.createArrayNode();
        consents.active().stream()
                .filter(c -> all || c.providerId().equals(p.organisationId()) || c.recipientId().equals(p.organisationId()))
                .forEach(c -> list.add(describe(c)));
        ctx.json(json.createObjectNode().set("consents", list));
    }

    private String orgId(String idOrName) {
        return idOrName == null ? null : organisations.find(idOrName).map(Organisation::id).orElse(idOrName);
    }

    private void recordConsent(Context ctx) {
        Principal p = administrator(ctx);
        JsonNode b = JsonBody.object(ctx);
        ctx.status(201).json(describe(consents.record(orgId(b.path("provider").asText(null)),
                orgId(b.path("recipient").asText(null)), b.path("covers").asText(null), b.path("object").asText(null),
                b.path("reference").asText(null), p.username())));
    }

    private void revokeConsent(Context ctx) {
        Principal p = administrator(ctx);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw InvalidInput.of("Unknown consent", "id", "'" + ctx.pathParam("id").replace("\0", "\\0")
                    + "' is not a consent number");
        }
        consents.revoke(id, p.username());
        ctx.status(204);
    }

    // ---------------------------------------------------------------- policy

    private void explain(Context ctx) {
        ctx.json(views.explain(HttpAuth.principal(ctx), ctx.queryParam("object"), ctx.queryParam("recipient"),
                ctx.queryParam("purpose"), ctx.queryParam("action"), ctx.queryParam("user")));
    }

    private void report(Context ctx) {
        Principal p = HttpAuth.principal(ctx);
        ctx.json(views.report(p, ctx.queryParam("recipient")));
    }
}
