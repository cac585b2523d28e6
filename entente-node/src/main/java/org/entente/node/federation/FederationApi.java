package org.entente.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.entente.node.audit.AuditEvent;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.http.Api;
import org.entente.node.http.HttpAuth;
import org.entente.node.http.HttpProblem;
import org.entente.node.http.JsonBody;
import org.entente.node.http.Routes;
import org.entente.node.policy.Release;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.Entry;
import org.entente.node.taxii.Readers;
import org.entente.node.taxii.TaxiiApi;
import org.entente.node.users.Permissions.Permission;
import org.entente.node.users.Principal;

/**
 * The node-to-node API on the federation listener (docs/FEDERATION.md, "Protocol"): the TAXII 2.1
 * server as partners' users are served, with the calling node's organisation as recipient and the
 * collections offered to it as its read permission, and the extensions TAXII lacks under
 * {@code /federation/v1/}. Every caller is a peer, identified by its certificate in the handshake.
 */
final class FederationApi implements Api {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FederationApi.class);
    private final Federation f;

    FederationApi(Federation f) {
        this.f = f;
    }

    @Override
    public void register(Routes app) {
        new TaxiiApi(f.store, readers(), f.db, () -> f.settings.secret("taxii-paging-key", 32),
                new TaxiiApi.Settings(f.config.title() + " (federation)", null, f.config.maxContentLength()), f.gate,
                f.admission).register(app);
        app.get("/federation/v1/identity", ctx -> json(ctx, 200, f.identity().toJson()));
        app.get("/federation/v1/identities/{organisation}", this::identityOf);
        app.get("/federation/v1/offers", this::offers);
        app.get("/federation/v1/collections/{collection}/tombstones", this::tombstones);
        app.post("/federation/v1/notify", this::notify);
        app.post("/federation/v1/messages", this::message);
    }

    private static Peers.Peer caller(Context ctx, Federation f) {
        Principal p = HttpAuth.principal(ctx);
        return f.peers.byOrganisation(p.organisationId()).orElseThrow(() -> new Refusal(403, "Not a peer", "not-a-peer",
                "the calling node is no longer a peer of this node"));
    }

    /** The calling node reads the collections offered to it, each under the agreement it is offered under. */
    private Readers readers() {
        return new Readers() {
            @Override
            public Permission permission(Principal p, CollectionInfo c) {
                boolean offered = !p.organisationId().equals(c.providerId())
                        && f.peers.offer(p.organisationId(), c.id()).isPresent();
                return offered ? new Permission(true, false) : Permission.NONE;
            }

            @Override
            public Release open(Context ctx, Principal p, CollectionInfo c) {
                Peers.Offer offer = f.peers.offer(p.organisationId(), c.id())
                        .orElseThrow(() -> HttpProblem.notFound("no collection " + c.id()));
                try {
                    return f.gate.openForNode(p.organisationId(), offer.agreementId());
                } catch (Refusal r) {
                    f.gate.rejected(p, ctx.req().getMethod() + " " + ctx.path(), r.rule, r.getMessage());
                    throw r.audited();
                }
            }

            @Override
            public void served(Context ctx, Principal p, CollectionInfo c, List<Entry> released) {
                f.tombstones.delivered(Math.toIntExact(-p.userId()), c.id(), released.stream().map(Entry::id).distinct().toList());
                ctx.header(PeerSync.TOMBSTONES_HEADER, Long.toString(f.store.lastTombstone(c.id())));
                ctx.header(PeerSync.OFFERS_HEADER, f.offersDigest(p.organisationId()));
            }
        };
    }

    private void identityOf(Context ctx) {
        caller(ctx, f);
        String org = ctx.pathParam("organisation");
        if (org.equals(f.ownOrganisation())) {
            json(ctx, 200, f.identity().toJson());
            return;
        }
        Optional<Peers.Peer> p = f.peers.byOrganisation(org);
        if (p.isEmpty()) throw HttpProblem.notFound("this node holds no identity of " + org);
        json(ctx, 200, p.get().identity().toJson());
    }

    private void offers(Context ctx) {
        Peers.Peer peer = caller(ctx, f);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("offers");
        for (Peers.Offer o : f.peers.offers(peer.organisationId())) {
            Optional<CollectionInfo> c = f.store.collection(o.collectionId());
            if (c.isEmpty() || peer.organisationId().equals(c.get().providerId())) continue;
            list.addObject().put("collection", o.collectionId()).put("title", c.get().title()).put("agreement", o.agreementId());
        }
        ctx.header(PeerSync.OFFERS_HEADER, f.offersDigest(peer.organisationId()));
        json(ctx, 200, out);
    }

    private void tombstones(Context ctx) {
        Peers.Peer peer = caller(ctx, f);
        String collection = ctx.pathParam("collection");
        long after = longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) longParam(ctx, "limit", PeerSync.TOMBSTONE_PAGE, 1, 1000);
        boolean offered = f.peers.offer(peer.organisationId(), collection).isPresent();
        if (!offered && !f.tombstones.anyDelivered(peer.num(), collection)) {
            throw HttpProblem.notFound("no collection " + collection + " was shared with the calling node");
        }
        Tombstones.Served s = f.tombstones.serve(peer.num(), peer.organisationId(), collection, after, limit,
                f.ownOrganisation(), f.keys.signingKey());
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("tombstones");
        for (String t : s.signed()) list.add(Peers.tree(t));
        out.put("last", s.last());
        out.put("more", s.more());
        json(ctx, 200, out);
    }

    private void notify(Context ctx) {
        Peers.Peer peer = caller(ctx, f);
        JsonNode body = JsonBody.object(ctx);
        JsonNode collections = body.get("collections");
        if (collections != null && !collections.isArray()) {
            throw org.entente.node.common.InvalidInput.of("Invalid notification", "/collections", "must be a list");
        }
        f.syncRequested(peer.organisationId());
        ctx.status(202);
        json(ctx, 202, JSON.createObjectNode().put("accepted", true));
    }

    private void message(Context ctx) {
        Peers.Peer peer = caller(ctx, f);
        JsonNode body = JsonBody.object(ctx);
        if (FederationChannel.BATCH_TYPE.equals(body.path("type").asText())) {
            batch(ctx, peer, body);
            return;
        }
        boolean fresh = f.channel.receive(body, peer.organisationId(), f.peers);
        json(ctx, 200, JSON.createObjectNode().put("accepted", body.path("id").asText()).put("repeat", !fresh));
    }

    /**
     * Several messages in one call, handled in their order each in its own transaction, with a
     * verdict for each as the single call would answer it. A message that fails unexpectedly ends
     * the batch: it and those after it get no verdict, and the sender offers them again.
     */
    private void batch(Context ctx, Peers.Peer peer, JsonNode body) {
        JsonNode list = body.path("messages");
        if (!list.isArray() || list.isEmpty() || list.size() > FederationChannel.BATCH_MAX) {
            throw InvalidInput.of("Invalid batch", "/messages", "a list of 1 to "
                    + FederationChannel.BATCH_MAX + " messages");
        }
        Principal caller = HttpAuth.principal(ctx);
        ArrayNode results = JSON.createArrayNode();
        for (JsonNode m : list) {
            ObjectNode r = results.addObject().put("id", m.path("id").asText());
            try {
                r.put("status", 200).put("repeat", !f.channel.receive(m, peer.organisationId(), f.peers));
            } catch (Refusal e) {
                if (!e.wasAudited()) refused(caller, e.rule, e.getMessage());
                r.put("status", e.status).put("title", e.title).put("detail", e.getMessage());
            } catch (InvalidInput e) {
                refused(caller, "invalid-input", e.getMessage());
                r.put("status", 400).put("title", e.title()).put("detail", e.getMessage());
            } catch (HttpProblem e) {
                r.put("status", e.status()).put("title", e.title()).put("detail", e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("message {} from {} failed: the rest of its batch waits for the next delivery",
                        m.path("id").asText(), peer.organisationId(), e);
                results.remove(results.size() - 1);
                break;
            }
        }
        json(ctx, 200, JSON.createObjectNode().set("results", results));
    }

    /** What the HTTP layer records for a refused call, for a message refused inside a batch. */
    private void refused(Principal caller, String rule, String reason) {
        f.audit.append(new AuditEvent(AuditEvent.REJECTED_REQUEST, caller.username(), caller.organisationId(),
                AuditEvent.detail("path", "POST /federation/v1/messages", "rule", rule, "reason", reason)));
    }

    private static long longParam(Context ctx, String name, long fallback, long min, long max) {
        String v = ctx.queryParam(name);
        if (v == null) return fallback;
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw org.entente.node.common.InvalidInput.of("Invalid parameter", name, name + " must be a whole number from "
                    + min + " to " + max);
        }
    }

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
