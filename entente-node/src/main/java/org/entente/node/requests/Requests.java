package org.entente.node.requests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.db.Database;
import org.entente.node.federation.Federation;
import org.entente.node.federation.FederationChannel;
import org.entente.node.intake.Admission;
import org.entente.node.intake.IntakeMetrics;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.AssistanceType;
import org.entente.node.policy.Policy;
import org.entente.node.policy.PolicyGate;
import org.entente.node.policy.Release;
import org.entente.node.policy.Urgency;
import org.entente.node.policy.store.Provenance;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;
import org.entente.node.users.Principal;
import org.entente.node.users.Role;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests for mutual assistance between organisations, node to node (docs/REQUESTS.md): written
 * and checked against the agreement here, sent over the federation channel signed by this node,
 * and carried through one lifecycle that both nodes record event by event. The requested node
 * decides the state once it holds the request; its events carry that state and the requester
 * adopts it, so both ends agree whatever crossed in flight. Every transition is one transaction
 * with its message, its audit record and its signed form.
 */
public final class Requests {
    private static final Logger LOG = LoggerFactory.getLogger(Requests.class);
    static final String REQUEST_KIND = "assistance-request";
    static final String EVENT_KIND = "assistance-event";
    static final String AUDIT_KIND = "assistance-request";
    static final String AUDIT_REJECTED = "assistance-request-rejected";
    static final String AUDIT_NOTICE = "assistance-notice";
    static final String SYSTEM = "system";
    private static final int NOTICE_BATCH = 500;

    /** A request as this node holds it. */
    public record Request(String id, boolean outgoing, String requester, String requested, String partner,
            String agreementId, String article, AssistanceType type, Urgency urgency, RequestState state, Instant deadline,
            Instant preservedUntil, String extendsId, ObjectNode document, Instant created, String createdBy, Instant sent,
            Instant acknowledged, Instant answered, Instant updated, int events) {

        Request with(RequestState s, Instant deadline, Instant preservedUntil, Instant sent, Instant acknowledged,
                Instant answered, Instant updated, int events) {
            return new Request(id, outgoing, requester, requested, partner, agreementId, article, type, urgency, s,
                    deadline, preservedUntil, extendsId, document, created, createdBy, sent, acknowledged, answered, updated,
                    events);
        }
    }

    /** One transition or clarification, as made by the node of {@code by} and recorded here. */
    public record Event(String id, int seq, EventKind kind, RequestState state, String by, String actor, Instant at,
            Instant recorded, ObjectNode detail, String messageId, ObjectNode signed) {}

    /** A reminder, an escalation or a preservation about to end, addressed to a contact point. */
    public record Notice(String requestId, String kind, Instant due, Instant at, String addressedTo, String text) {}

    /**
     * How a partner and this node serve each other's requests.
     *
     * @param outgoing true: requests this node sent (the partner's figures); false: those it received (its own)
     * @param answeredInTime of the requests whose deadline has come (or that were answered), answered by the deadline
     */
    public record PartnerFigures(String partner, boolean outgoing, long requests, Double medianSecondsToAcknowledge,
            Double medianSecondsToAnswer, long answeredInTime, long due) {}

    /** A partner's 24/7 contact point, from its node's identity, and what may be asked of it. */
    public record Contact(String organisationId, String name, String nation, String sector, String contactPoint,
            String nodeUrl, String fingerprint, List<String> agreements) {}

    /** A page of the desk and where the next one starts (null at the end). */
    public record Page(List<Request> requests, String next) {}

    /** Who acts: a person of the own organisation (by account name), or the command line's user. */
    public record Actor(String name) {}

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;
    private final Federation federation;
    private final Organisations organisations;
    private final PolicyGate gate;
    private final ObjectStore objects;
    private final Admission admission;
    private final Provenance provenance;
    private final long attachmentLimit;
    private final long messageLimit;
    private final RequestStore store;
    private volatile String ownId;
    /**
     * What {@code prepare} settled for the message the same thread then handles in the channel's
     * transaction: whether the agreement covers a new request, where its data landed, its attachments.
     */
    private final ThreadLocal<Prepared> prepared = new ThreadLocal<>();

    private record Prepared(String messageId, String refusal, ObjectNode landed, List<RequestForm.Attachment> attachments,
            Event event) {}

    public Requests(Database db, AuditLog audit, Clock clock, Federation federation, Organisations organisations,
            PolicyGate gate, ObjectStore objects, Admission admission, Provenance provenance, long attachmentLimit,
            long messageLimit) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        this.federation = federation;
        this.organisations = organisations;
        this.gate = gate;
        this.objects = objects;
        this.admission = admission;
        this.provenance = provenance;
        this.attachmentLimit = attachmentLimit;
        this.messageLimit = messageLimit;
        this.store = new RequestStore(db);
        federation.channel().on(REQUEST_KIND, new FederationChannel.Handler() {
            @Override
            public void prepare(FederationChannel.Message m) {
                prepareRequest(m);
            }

            @Override
            public void receive(Handle h, FederationChannel.Message m) {
                requestReceived(h, m);
            }
        });
        federation.channel().on(EVENT_KIND, new FederationChannel.Handler() {
            @Override
            public void prepare(FederationChannel.Message m) {
                prepareEvent(m);
            }

            @Override
            public void receive(Handle h, FederationChannel.Message m) {
                eventReceived(h, m);
            }
        });
    }

    public Clock clock() {
        return clock;
    }

    private String own() {
        String o = ownId;
        if (o == null) {
            o = organisations.own().map(Organisation::id).orElseThrow(() -> new IllegalStateException(
                    "no own organisation yet: start the node once with `entente serve`"));
            ownId = o;
        }
        return o;
    }

    // ---------------------------------------------------------------- writing and sending

    /**
     * Checks a new request against the agreement and stores it; unless {@code send} is false in the
     * body, sends it in the same transaction. Bad input is audited and changes nothing.
     */
    public Request create(JsonNode body, Actor actor) {
        String own = own();
        Policy policy = gate.policies().current();
        Instant now = clock.instant();
        RequestForm form = rejectedAudited(actor, "new", null, () -> RequestForm.parse(body, context(policy, own, now)));
        boolean send = !body.has("send") || body.get("send").asBoolean(true);
        List<String> released = send ? releaseOrRefuse(actor, null, form.objects(), form.partner(), form.agreement().id(),
                "/objects") : List.of();
        String id = "request--" + UUID.randomUUID();
        ObjectNode doc = form.document(id, own, form.partner());
        if (form.objects() != null) doc.set("objects", form.objects());
        Request r = new Request(id, true, own, form.partner(), form.partner(), form.agreement().id(), form.article(),
                form.type(), form.urgency(), RequestState.DRAFT, form.deadline(), null, form.extendsId(), doc, now,
                actor.name(), null, null, null, now, 0);
        return db.jdbi().inTransaction(h -> {
            store.insert(h, r);
            for (RequestForm.Attachment a : form.attachments()) store.addAttachment(h, id, "draft", a);
            audit.append(h, new AuditEvent(AUDIT_KIND, actor.name(), own, AuditEvent.detail("request", id, "event", "drafted",
                    "partner", r.partner(), "type", r.type().wire(), "urgency", r.urgency().wire(), "agreement",
                    r.agreementId(), "article", r.article())));
            return send ? sendDraft(h, r, form.agreement(), actor, released, now) : r;
        });
    }

    /** Sends a draft (checked again: the agreement may have changed since). */
    public Request send(String id, Actor actor) {
        Instant now = clock.instant();
        Request draft = find(id).orElseThrow(() -> unknown(id));
        Agreement a = gate.policies().current().agreement(draft.agreementId()).orElse(null);
        String why = a == null ? "agreement " + draft.agreementId() + " is no longer held by this node"
                : a.notInForceReason(now) != null ? a.notInForceReason(now)
                : !a.assistance().covers(draft.type()) ? "agreement " + a.id() + " no longer covers " + draft.type().wire()
                        + " requests" : null;
        if (why != null && draft.state() == RequestState.DRAFT) {
            InvalidInput e = InvalidInput.of("Request cannot be sent", "/legal_basis/agreement", why);
            rejected(actor, "send", id, e.getMessage());
            throw e;
        }
        List<String> released = releaseOrRefuse(actor, id, (ArrayNode) draft.document().get("objects"), draft.partner(),
                draft.agreementId(), "/objects");
        return transition(id, actor, EventKind.SENT, (h, r) -> sendDraft(h, r, a, actor, released, now));
    }

    private Request sendDraft(Handle h, Request r, Agreement a, Actor actor, List<String> released, Instant now) {
        Instant deadline = r.deadline() != null ? r.deadline() : now.plus(a.assistance().deadlines().get(r.urgency()));
        ObjectNode doc = r.document().deepCopy();
        doc.put("deadline", deadline.toString());
        doc.put("sent", now.toString());
        Request sent = new Request(r.id(), true, r.requester(), r.requested(), r.partner(), r.agreementId(), r.article(),
                r.type(), r.urgency(), RequestState.SENT, deadline, null, r.extendsId(), doc, r.created(), r.createdBy(), now,
                null, null, now, r.events());
        ObjectNode detail = RequestForm.JSON.createObjectNode();
        if (!released.isEmpty()) detail.set("objects", strings(released));
        Event e = event(EventKind.SENT, RequestState.SENT, actor.name(), now, detail);
        ObjectNode body = message(r.id(), e);
        body.set("request", withoutObjects(doc));
        body.set("attachments", attachmentsWithContent(h, r.id(), doc));
        if (doc.has("objects")) body.set("objects", doc.get("objects"));
        return recordOwn(h, sent, e, body);
    }

    private static ObjectNode withoutObjects(ObjectNode doc) {
        ObjectNode d = doc.deepCopy();
        d.remove("objects");
        return d;
    }

    private ArrayNode attachmentsWithContent(Handle h, String requestId, ObjectNode doc) {
        ArrayNode out = RequestForm.JSON.createArrayNode();
        for (JsonNode a : doc.path("attachments")) {
            store.attachment(requestId, a.path("sha256").asText()).ifPresent(x -> out.add(x.withContent()));
        }
        return out;
    }

    // ---------------------------------------------------------------- transitions by people

    public Request acknowledge(String id, Actor actor, String note) {
        return simple(id, actor, EventKind.ACKNOWLEDGED, "note", note, false);
    }

    public Request start(String id, Actor actor, String note) {
        return simple(id, actor, EventKind.IN_PROGRESS, "note", note, false);
    }

    /** A refusal states its grounds. */
    public Request refuse(String id, Actor actor, String grounds) {
        return simple(id, actor, EventKind.REFUSED, "grounds", grounds, true);
    }

    public Request withdraw(String id, Actor actor, String reason) {
        return simple(id, actor, EventKind.WITHDRAWN, "reason", reason, false);
    }

    private Request simple(String id, Actor actor, EventKind kind, String field, String text, boolean required) {
        List<InvalidInput.Problem> p = new ArrayList<>();
        if (required && (text == null || text.isBlank())) {
            p.add(new InvalidInput.Problem("/" + field, "state the " + field + " (they go to the requesting organisation)"));
        } else if (text != null && text.length() > 20_000) {
            p.add(new InvalidInput.Problem("/" + field, "longer than 20,000 characters"));
        }
        if (!p.isEmpty()) {
            InvalidInput e = new InvalidInput("Invalid " + kind.action(), p);
            rejected(actor, kind.action(), id, e.getMessage());
            throw e;
        }
        Instant now = clock.instant();
        return transition(id, actor, kind, (h, r) -> {
            ObjectNode detail = RequestForm.JSON.createObjectNode();
            if (text != null && !text.isBlank()) detail.put(field, text.strip());
            Event e = event(kind, kind.to, actor.name(), now, detail);
            Request next = advance(r, e);
            return recordOwn(h, next, e, message(r.id(), e));
        });
    }

    /**
     * An answer, whole or partial: a text, attachments and STIX objects, which leave only as the
     * agreement lets them (each decided by the policy for the requester under that agreement).
     * Answering a preservation starts its period.
     */
    public Request answer(String id, Actor actor, JsonNode body) {
        Request r0 = find(id).orElseThrow(() -> unknown(id));
        List<InvalidInput.Problem> p = new ArrayList<>();
        String text = RequestForm.text(body, "text", p, true, 20_000);
        boolean partial = body.path("partial").asBoolean(false);
        if (body.has("partial") && !body.get("partial").isBoolean()) p.add(new InvalidInput.Problem("/partial", "true or false"));
        List<RequestForm.Attachment> attachments = RequestForm.attachments(body.get("attachments"), "/attachments", p,
                context(gate.policies().current(), own(), clock.instant()));
        ArrayNode objs = null;
        JsonNode os = body.get("objects");
        if (os != null && !os.isNull()) {
            if (!os.isArray()) p.add(new InvalidInput.Problem("/objects", "must be a list of STIX objects"));
            else if (!os.isEmpty()) objs = (ArrayNode) os;
        }
        if (!p.isEmpty()) {
            InvalidInput e = new InvalidInput("Invalid answer", p);
            rejected(actor, "answer", id, e.getMessage());
            throw e;
        }
        EventKind kind = partial ? EventKind.PARTIALLY_ANSWERED : EventKind.ANSWERED;
        checkAllowed(r0, kind, actor);
        List<String> released = releaseOrRefuse(actor, id, objs, r0.partner(), r0.agreementId(), "/objects");
        Instant now = clock.instant();
        ArrayNode sendObjects = objs;
        int preservationDays = gate.policies().current().agreement(r0.agreementId())
                .map(a -> a.assistance().preservationDays()).orElse(Agreement.Assistance.DEFAULT_PRESERVATION_DAYS);
        return transition(id, actor, kind, (h, r) -> {
            ObjectNode detail = RequestForm.JSON.createObjectNode().put("text", text);
            if (!released.isEmpty()) detail.set("objects", strings(released));
            if (!attachments.isEmpty()) {
                ArrayNode a = detail.putArray("attachments");
                attachments.forEach(x -> a.add(x.describe()));
            }
            if (r.type() == AssistanceType.PRESERVATION) {
                detail.put("preserved_until", now.plus(Duration.ofDays(preservationDays)).toString());
            }
            Event e = event(kind, kind.to, actor.name(), now, detail);
            Request next = advance(r, e);
            if (next.extendsId() != null && next.preservedUntil() != null) {
                store.extendPreservation(h, next.extendsId(), next.preservedUntil());
            }
            for (RequestForm.Attachment a : attachments) store.addAttachment(h, id, e.id(), a);
            ObjectNode m = message(r.id(), e);
            ArrayNode att = m.putArray("attachments");
            attachments.forEach(x -> att.add(x.withContent()));
            if (sendObjects != null) m.set("objects", sendObjects);
            return recordOwn(h, next, e, m);
        });
    }

    /** A question to the other side, or an answer to one of its questions ({@code in_reply_to}). */
    public Request clarify(String id, Actor actor, JsonNode body) {
        List<InvalidInput.Problem> p = new ArrayList<>();
        String text = RequestForm.text(body, "text", p, true, 20_000);
        String reply = RequestForm.text(body, "in_reply_to", p, false, 100);
        List<RequestForm.Attachment> attachments = RequestForm.attachments(body.get("attachments"), "/attachments", p,
                context(gate.policies().current(), own(), clock.instant()));
        if (reply != null && store.events(id).stream().noneMatch(e -> e.id().equals(reply)
                && e.kind() == EventKind.CLARIFICATION)) {
            p.add(new InvalidInput.Problem("/in_reply_to", "no clarification " + reply + " in request " + id));
        }
        if (!p.isEmpty()) {
            InvalidInput e = new InvalidInput("Invalid clarification", p);
            rejected(actor, "clarify", id, e.getMessage());
            throw e;
        }
        Instant now = clock.instant();
        return transition(id, actor, EventKind.CLARIFICATION, (h, r) -> {
            ObjectNode detail = RequestForm.JSON.createObjectNode().put("text", text);
            if (reply != null) detail.put("in_reply_to", reply);
            if (!attachments.isEmpty()) {
                ArrayNode a = detail.putArray("attachments");
                attachments.forEach(x -> a.add(x.describe()));
            }
            Event e = event(EventKind.CLARIFICATION, r.state(), actor.name(), now, detail);
            for (RequestForm.Attachment a : attachments) store.addAttachment(h, id, e.id(), a);
            ObjectNode m = message(r.id(), e);
            ArrayNode att = m.putArray("attachments");
            attachments.forEach(x -> att.add(x.withContent()));
            return recordOwn(h, advance(r, e), e, m);
        });
    }

    private interface Step {
        Request apply(Handle h, Request locked);
    }

    /** Runs a transition on the locked request, or refuses (409, audited) when it is not allowed from its state. */
    private Request transition(String id, Actor actor, EventKind kind, Step step) {
        try {
            return db.jdbi().inTransaction(h -> {
                Request r = store.lock(h, id).orElseThrow(() -> unknown(id));
                checkAllowed(r, kind, null);
                return step.apply(h, r);
            });
        } catch (Refusal e) {
            if (!e.wasAudited()) rejected(actor, kind.action(), id, e.getMessage());
            throw e.audited();
        }
    }

    private void checkAllowed(Request r, EventKind kind, Actor auditAs) {
        if (kind.allowed(r.state(), r.outgoing())) return;
        String side = r.outgoing() ? "the requesting organisation" : "the requested organisation";
        Refusal e = new Refusal(409, "Transition not allowed", "transition-not-allowed", "transition '" + kind.action()
                + "' is not allowed on request " + r.id() + ": it is " + r.state().wire() + ", and " + side + " may now "
                + EventKind.possible(r.state(), r.outgoing()));
        if (auditAs == null) throw e;
        rejected(auditAs, kind.action(), r.id(), e.getMessage());
        throw e.audited();
    }

    private static Refusal unknown(String id) {
        return new Refusal(404, "Not found", "unknown-request", "no request '" + String.valueOf(id).replace("\0", "\\0")
                + "' on this node");
    }

    // ---------------------------------------------------------------- events, messages, records

    private Event event(EventKind kind, RequestState state, String actor, Instant at, ObjectNode detail) {
        return new Event(UUID.randomUUID().toString(), 0, kind, state, own(), actor, at, clock.instant(), detail, null, null);
    }

    /** The request after an event: its state and the times the figures are computed from. */
    private static Request advance(Request r, Event e) {
        RequestState s = e.state();
        Instant ack = r.acknowledged() == null && e.kind() == EventKind.ACKNOWLEDGED ? e.at() : r.acknowledged();
        boolean answer = e.kind() == EventKind.ANSWERED || e.kind() == EventKind.PARTIALLY_ANSWERED
                || e.kind() == EventKind.REFUSED;
        Instant ans = r.answered() == null && answer ? e.at() : r.answered();
        Instant preserved = r.preservedUntil();
        String pu = e.detail().path("preserved_until").asText(null);
        if (pu != null) preserved = Instant.parse(pu);
        return r.with(s, r.deadline(), preserved, r.sent(), ack, ans, e.recorded(), r.events());
    }

    private static ObjectNode message(String requestId, Event e) {
        ObjectNode m = RequestForm.JSON.createObjectNode();
        m.put("request", requestId);
        ObjectNode ev = m.putObject("event");
        ev.put("id", e.id());
        ev.put("kind", e.kind().wire());
        ev.put("state", e.state().wire());
        ev.put("at", e.at().toString());
        if (e.actor() != null) ev.put("actor", e.actor());
        ev.set("detail", e.detail());
        return m;
    }

    /** Records an event this node made, sends it to the partner in the same transaction and keeps its signed form. */
    private Request recordOwn(Handle h, Request next, Event e, ObjectNode body) {
        Request counted = next.with(next.state(), next.deadline(), next.preservedUntil(), next.sent(), next.acknowledged(),
                next.answered(), e.recorded(), next.events() + 1);
        store.addEvent(h, counted.id(), counted.events(), e);
        store.update(h, counted);
        String kind = e.kind() == EventKind.SENT ? REQUEST_KIND : EVENT_KIND;
        FederationChannel channel = federation.channel();
        String messageId = channel.send(h, counted.partner(), kind, body);
        store.signed(h, e.id(), messageId, channel.envelope(h, messageId).orElse(null));
        audit.append(h, new AuditEvent(AUDIT_KIND, e.actor() == null ? SYSTEM : e.actor(), own(), AuditEvent.detail(
                "request", counted.id(), "event", e.kind().wire(), "state", counted.state().wire(), "partner",
                counted.partner(), "direction", "made", "message", messageId, "objects",
                e.detail().has("objects") ? e.detail().get("objects").size() : null)));
        return counted;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = RequestForm.JSON.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    // ---------------------------------------------------------------- data leaving and landing

    /**
     * Decides each object for the partner under the agreement (the one way data leaves a node,
     * {@link PolicyGate}); an object the agreement does not let leave refuses the whole answer.
     *
     * @return the ids released
     */
    private List<String> releaseOrRefuse(Actor actor, String requestId, ArrayNode objs, String partner, String agreementId,
            String pointer) {
        if (objs == null || objs.isEmpty()) return List.of();
        List<InvalidInput.Problem> p = new ArrayList<>();
        Admission.Checked checked = admission.check(IntakeMetrics.Channel.REQUESTS, objs, pointer);
        for (Admission.Refused r : checked.refused()) {
            for (org.entente.stix.Problem x : r.problems()) p.add(new InvalidInput.Problem(x.pointer(), x.message()));
        }
        List<String> released = new ArrayList<>();
        if (p.isEmpty()) {
            Release release;
            try {
                release = gate.openForNode(partner, agreementId);
            } catch (Refusal e) {
                p.add(new InvalidInput.Problem("/legal_basis/agreement", e.getMessage()));
                release = null;
            }
            for (int i = 0; release != null && i < objs.size(); i++) {
                JsonNode o = objs.get(i);
                int before = release.withheld().size();
                String out = release.release(o.path("id").asText(), null, null, null, o.toString(), Release.Origin.OWN);
                if (out == null) {
                    Map<String, String> w = release.withheld().size() > before ? release.withheld().get(before) : Map.of();
                    p.add(new InvalidInput.Problem(pointer + "/" + i, "agreement " + agreementId + " does not let this"
                            + " object go to the partner (" + w.getOrDefault("rule", "denied") + ": "
                            + w.getOrDefault("reason", "") + ")"));
                } else {
                    released.add(o.path("id").asText());
                }
            }
        }
        if (!p.isEmpty()) {
            InvalidInput e = new InvalidInput("Objects that cannot be sent", p);
            rejected(actor, "release", requestId, e.getMessage());
            throw e;
        }
        return released;
    }

    /**
     * The collection what a partner sends under an agreement lands in: its provenance is that
     * partner and that agreement, whose terms bind it from then on.
     */
    private CollectionInfo landing(String partner, String agreementId) {
        String alias = "assistance-" + partner.substring(partner.indexOf("--") + 2, partner.indexOf("--") + 10) + "-"
                + agreementId.substring(Math.max(0, agreementId.length() - 8));
        String name = organisations.find(partner).map(Organisation::name).orElse(partner);
        CollectionInfo c = objects.ensureCollection(alias, "Assistance from " + name,
                "What " + name + " sent in answer to requests for assistance under agreement " + agreementId);
        if (c.providerId() == null) c = provenance.received(c.id(), partner, agreementId, SYSTEM);
        return c;
    }

    /** Admits what came with a message into the landing collection; returns a summary for the event's record. */
    private ObjectNode land(JsonNode objs, String partner, String agreementId) {
        ObjectNode out = RequestForm.JSON.createObjectNode();
        if (objs == null || !objs.isArray() || objs.isEmpty()) return out;
        CollectionInfo c = landing(partner, agreementId);
        Admission.Checked checked = admission.check(IntakeMetrics.Channel.REQUESTS, objs, "/objects", c);
        out.put("collection", c.id());
        if (!checked.accepted()) {
            // Recorded, not refused: the transition happened at the partner's node whatever its data.
            ArrayNode bad = out.putArray("rejected");
            for (Admission.Refused r : checked.refused()) {
                bad.addObject().put("id", r.id()).put("problem", r.problems().isEmpty() ? "" : r.problems().get(0).message());
            }
            return out;
        }
        out.put("added", admission.store(IntakeMetrics.Channel.REQUESTS, c.id(), checked.admitted()));
        return out;
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Before the channel's transaction: a new request is checked for form and against the agreement
     * held here, its attachments against their hashes, and what it carries is stored with its
     * provenance. A forgery is audited on its own and refused.
     */
    private void prepareRequest(FederationChannel.Message m) {
        JsonNode body = m.body();
        JsonNode doc = body.path("request");
        String id = doc.path("id").asText("");
        if (!id.matches("request--[0-9a-f-]{36}") || !m.sender().equals(doc.path("requester").asText())
                || !own().equals(doc.path("requested").asText())) {
            throw forged(m, id, "the request does not name the sending organisation as requester and this one as requested");
        }
        Event sent = remoteEvent(m, id);
        if (sent.kind() != EventKind.SENT) throw forged(m, id, "a new request comes with its sent event");
        List<RequestForm.Attachment> attachments = receivedAttachments(m, id, body.path("attachments"));
        AssistanceType type = AssistanceType.parse(doc.path("type").asText()).orElse(null);
        String agreementId = doc.path("legal_basis").path("agreement").asText("");
        String refusal = coverage(agreementId, type, m.sender(), clock.instant());
        ObjectNode landed = refusal == null && store.find(id).isEmpty() ? land(body.get("objects"), m.sender(), agreementId)
                : null;
        prepared.set(new Prepared(m.id(), refusal, landed, attachments, sent));
    }

    private Prepared take(FederationChannel.Message m) {
        Prepared p = prepared.get();
        prepared.remove();
        if (p == null || !p.messageId().equals(m.id())) throw new IllegalStateException("message " + m.id() + " was not prepared");
        return p;
    }

    /** A partner's node sent a request: recorded as received (or refused at once when no agreement here covers it). */
    private void requestReceived(Handle h, FederationChannel.Message m) {
        Prepared p = take(m);
        JsonNode doc = m.body().path("request");
        String id = doc.path("id").asText();
        if (store.find(id).isPresent()) return;
        Event sent = p.event();
        AssistanceType type = AssistanceType.parse(doc.path("type").asText()).orElse(null);
        Urgency urgency = Urgency.parse(doc.path("urgency").asText()).orElse(Urgency.ROUTINE);
        Instant now = clock.instant();
        Request r = new Request(id, false, m.sender(), own(), m.sender(), doc.path("legal_basis").path("agreement").asText(""),
                doc.path("legal_basis").path("article").asText(""), type == null ? AssistanceType.INFORMATION : type,
                urgency, RequestState.SENT, instant(doc.path("deadline").asText(null)), null,
                doc.path("extends").asText(null), (ObjectNode) doc.deepCopy(), now, "node:" + m.sender(), sent.at(), null,
                null, now, 0);
        store.insert(h, r);
        for (RequestForm.Attachment a : p.attachments()) store.addAttachment(h, id, sent.id(), a);
        if (p.landed() != null && p.landed().size() > 0) sent.detail().set("landed", p.landed());
        Request next = recordRemote(h, r, sent, m, RequestState.SENT);
        Event received = event(EventKind.RECEIVED, RequestState.RECEIVED, SYSTEM, now, RequestForm.JSON.createObjectNode());
        next = recordOwn(h, advance(next, received), received, message(id, received));
        if (p.refusal() != null) {
            Event refused = event(EventKind.REFUSED, RequestState.REFUSED, SYSTEM, now,
                    RequestForm.JSON.createObjectNode().put("grounds", p.refusal()));
            recordOwn(h, advance(next, refused), refused, message(id, refused));
        }
    }

    /** Why this node cannot take a request under that agreement, or null when it can. */
    private String coverage(String agreementId, AssistanceType type, String requester, Instant now) {
        Optional<Agreement> a = gate.policies().current().agreement(agreementId);
        if (a.isEmpty()) return "agreement " + agreementId + " is not held by the requested organisation's node";
        String nation = organisations.find(requester).map(Organisation::nation).orElse(null);
        if (!a.get().hasParty(requester, nation)) return "the requesting organisation is not a party to agreement " + agreementId;
        if (a.get().notInForceReason(now) != null) return a.get().notInForceReason(now);
        if (type == null || !a.get().assistance().covers(type)) {
            return "agreement " + agreementId + " does not cover " + (type == null ? "this type of" : type.wire()) + " requests";
        }
        return null;
    }

    /**
     * Before the channel's transaction: an event of a request both hold, checked against who may make
     * it; the data of an answer is stored with its provenance.
     */
    private void prepareEvent(FederationChannel.Message m) {
        String id = m.body().path("request").asText("");
        Request r = store.find(id).orElseThrow(() -> forged(m, id, "no such request is held here"));
        // Only the organisation on the other side of this very request may move it: any other peer's
        // message, however well signed, is a forgery.
        if (!m.sender().equals(r.partner())) {
            throw forged(m, id, "request " + id + " is between this organisation and " + r.partner() + ", not " + m.sender());
        }
        Event e = remoteEvent(m, id);
        boolean fromRequested = r.outgoing();
        boolean sideOk = e.kind().side == EventKind.Side.EITHER
                || (e.kind().side == EventKind.Side.REQUESTED) == fromRequested;
        if (!sideOk || e.kind() == EventKind.SENT) {
            throw forged(m, id, "the " + (fromRequested ? "requested" : "requesting") + " organisation cannot make '"
                    + e.kind().wire() + "'");
        }
        List<RequestForm.Attachment> attachments = receivedAttachments(m, id, m.body().path("attachments"));
        ObjectNode landed = null;
        if (fromRequested && (e.kind() == EventKind.ANSWERED || e.kind() == EventKind.PARTIALLY_ANSWERED)) {
            landed = land(m.body().get("objects"), m.sender(), r.agreementId());
        }
        prepared.set(new Prepared(m.id(), null, landed, attachments, e));
    }

    /** A partner's node sent an event of a request both hold. */
    private void eventReceived(Handle h, FederationChannel.Message m) {
        Prepared p = take(m);
        String id = m.body().path("request").asText("");
        Request r = store.lock(h, id).orElseThrow();
        Event e = p.event();
        if (store.hasEvent(h, e.id())) return;
        if (p.landed() != null && p.landed().size() > 0) e.detail().set("landed", p.landed());
        for (RequestForm.Attachment a : p.attachments()) store.addAttachment(h, id, e.id(), a);
        Instant now = clock.instant();
        if (r.outgoing()) {
            // The requested node decides the state; a withdrawal it has not yet seen keeps ours.
            boolean stale = r.state() == RequestState.WITHDRAWN && e.state().open();
            Request after = recordRemote(h, r, e, m, stale ? RequestState.WITHDRAWN : e.state());
            if (after.extendsId() != null && after.preservedUntil() != null) {
                store.extendPreservation(h, after.extendsId(), after.preservedUntil());
            }
            return;
        }
        if (e.kind() == EventKind.WITHDRAWN) {
            boolean open = r.state().open();
            Request after = recordRemote(h, r, e, m, open ? RequestState.WITHDRAWN : r.state());
            ObjectNode detail = RequestForm.JSON.createObjectNode();
            if (!open) detail.put("reason", "the request was already " + r.state().wire() + " when the withdrawal arrived");
            Event reply = event(open ? EventKind.WITHDRAWAL_ACCEPTED : EventKind.WITHDRAWAL_DECLINED, after.state(), SYSTEM,
                    now, detail);
            recordOwn(h, advance(after, reply), reply, message(id, reply));
        } else {
            recordRemote(h, r, e, m, r.state());
        }
    }

    /** The event a message carries, checked for form. */
    private Event remoteEvent(FederationChannel.Message m, String requestId) {
        JsonNode ev = m.body().path("event");
        EventKind kind = EventKind.parse(ev.path("kind").asText()).orElse(null);
        RequestState state = RequestState.parse(ev.path("state").asText()).orElse(null);
        Instant at = instant(ev.path("at").asText(null));
        String eid = ev.path("id").asText("");
        if (kind == null || state == null || at == null || !eid.matches("[0-9a-f-]{36}") || !ev.path("detail").isObject()) {
            throw forged(m, requestId, "the event is malformed (kind, state, at, id and detail are required)");
        }
        return new Event(eid, 0, kind, state, m.sender(), ev.path("actor").asText(null), at, clock.instant(),
                (ObjectNode) ev.get("detail").deepCopy(), m.id(), null);
    }

    private Request recordRemote(Handle h, Request r, Event e, FederationChannel.Message m, RequestState state) {
        Event recorded = new Event(e.id(), r.events() + 1, e.kind(), state, e.by(), e.actor(), e.at(), e.recorded(),
                e.detail(), m.id(), federation.channel().envelope(h, m.id()).orElse(null));
        Request adv = advance(r, recorded);
        Request next = adv.with(state, r.deadline(), adv.preservedUntil(), r.sent(), adv.acknowledged(), adv.answered(),
                recorded.recorded(), r.events() + 1);
        store.addEvent(h, r.id(), next.events(), recorded);
        store.update(h, next);
        audit.append(h, new AuditEvent(AUDIT_KIND, "node:" + m.sender(), m.sender(), AuditEvent.detail("request", r.id(),
                "event", e.kind().wire(), "state", state.wire(), "partner", r.partner(), "direction", "received",
                "message", m.id(), "actor", e.actor())));
        return next;
    }

    private List<RequestForm.Attachment> receivedAttachments(FederationChannel.Message m, String requestId, JsonNode list) {
        List<RequestForm.Attachment> out = new ArrayList<>();
        for (JsonNode a : list) {
            byte[] content;
            try {
                content = Base64.getDecoder().decode(a.path("content").asText(""));
            } catch (IllegalArgumentException e) {
                throw forged(m, requestId, "an attachment is not base64");
            }
            String hash = RequestForm.sha256(content);
            if (!hash.equals(a.path("sha256").asText())) {
                throw forged(m, requestId, "attachment " + a.path("name").asText() + " does not match its SHA-256");
            }
            out.add(new RequestForm.Attachment(a.path("name").asText("attachment"),
                    a.path("media_type").asText("application/octet-stream"), content, hash));
        }
        return out;
    }

    /**
     * A message this node will not take: audited (before the channel's transaction, so the record
     * stays) and refused, so that the sending node records the refusal.
     */
    private Refusal forged(FederationChannel.Message m, String requestId, String why) {
        audit.append(new AuditEvent(AUDIT_REJECTED, "node:" + m.sender(), m.sender(), AuditEvent.detail("request", requestId,
                "message", m.id(), "kind", m.kind(), "reason", why, "rule", "request-message-refused")));
        LOG.warn("refused a request message {} from {}: {}", m.id(), m.sender(), why);
        return new Refusal(403, "Message refused", "request-message-refused", why).audited();
    }

    private static Instant instant(String s) {
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- who works the desk

    /**
     * Why a person may not read ({@code acting} false) or act on the desk, or empty when she may:
     * staff of the own organisation; liaison officers, supervisors and administrators act, auditors
     * also read. The API and the console ask the same question.
     */
    public Optional<Refusal> deskRefusal(Principal p, boolean acting) {
        String own = organisations.own().map(Organisation::id).orElse(null);
        if (p.organisationId() == null || !p.organisationId().equals(own)) {
            return Optional.of(new Refusal(403, "Forbidden", "not-own-staff", "requests for assistance are handled by the"
                    + " staff of this node's own organisation"));
        }
        boolean works = p.admin() || p.has(Role.ADMINISTRATOR) || p.has(Role.LIAISON_OFFICER) || p.has(Role.SUPERVISOR);
        if (!works && !(p.has(Role.AUDITOR) && !acting)) {
            return Optional.of(new Refusal(403, "Forbidden", "not-desk-role", acting
                    ? "only liaison officers, supervisors and administrators act on requests for assistance"
                    : "only liaison officers, supervisors, administrators and auditors read requests for assistance"));
        }
        return Optional.empty();
    }

    public void requireDesk(Principal p, boolean acting) {
        Optional<Refusal> r = deskRefusal(p, acting);
        if (r.isPresent()) throw r.get();
    }

    /**
     * What this node's people may do with a request now, by the verbs of the API and the command
     * line ({@code send}, {@code ack}, {@code start}, {@code answer}, {@code refuse}, {@code withdraw},
     * {@code clarify}), in the order of the lifecycle.
     */
    public List<String> possibleActions(Request r) {
        List<String> out = new ArrayList<>();
        for (EventKind k : EventKind.values()) {
            if (k == EventKind.PARTIALLY_ANSWERED || k == EventKind.WITHDRAWAL_ACCEPTED || k == EventKind.WITHDRAWAL_DECLINED
                    || k == EventKind.RECEIVED) {
                continue;
            }
            if (k.allowed(r.state(), r.outgoing()) && !out.contains(k.action())) out.add(k.action());
        }
        return out;
    }

    // ---------------------------------------------------------------- reading

    public Optional<Request> find(String id) {
        return store.find(id);
    }

    /** The request as JSON, with its countdowns, events (each with its signature) and notices. */
    public ObjectNode describe(Request r) {
        return RequestJson.detail(this, r);
    }

    public List<Event> events(String id) {
        return store.events(id);
    }

    public Optional<RequestForm.Attachment> attachment(String id, String sha256) {
        return store.attachment(id, sha256);
    }

    public List<Notice> notices(String requestId, int limit) {
        return store.notices(requestId, limit);
    }

    /**
     * The desk: incoming (inbox) or outgoing (outbox) requests, the open ones by urgency then
     * deadline, or all by last change; a page at a time.
     *
     * @param state a state, "open" (the default) or "all"
     */
    public Page list(boolean outgoing, String state, String partner, String after, int limit) {
        boolean openOnly = state == null || state.equals("open");
        RequestState only = null;
        if (!openOnly && !state.equals("all")) {
            only = RequestState.parse(state).orElseThrow(() -> InvalidInput.of("Invalid parameter", "state",
                    "state is open, all or one of " + RequestState.choices()));
        }
        String partnerId = null;
        if (partner != null) {
            partnerId = organisations.find(partner).map(Organisation::id).orElseThrow(() -> InvalidInput.of(
                    "Invalid parameter", "partner", "unknown partner '" + partner + "'"));
        }
        RequestStore.Cursor cursor = after == null ? null : cursor(after);
        List<Request> page = store.list(outgoing, openOnly, partnerId, only, cursor, limit + 1);
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            Request last = page.get(limit - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString((RequestStore.rank(last.urgency()) + "|"
                    + (last.deadline() == null ? "" : last.deadline()) + "|" + last.updated() + "|" + last.id())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Page(page, next);
    }

    private static RequestStore.Cursor cursor(String token) {
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(token), java.nio.charset.StandardCharsets.UTF_8)
                    .split("\\|", -1);
            return new RequestStore.Cursor(Integer.parseInt(p[0]), p[1].isEmpty() ? null : Instant.parse(p[1]),
                    Instant.parse(p[2]), p[3]);
        } catch (RuntimeException e) {
            throw InvalidInput.of("Invalid parameter", "after", "not a position returned as next by this list");
        }
    }

    /** The partners' 24/7 contact points as their nodes' identities give them, with the agreements that cover requests. */
    public List<Contact> directory() {
        Policy policy = gate.policies().current();
        List<Contact> out = new ArrayList<>();
        for (ObjectNode id : federation.peerIdentities()) {
            JsonNode o = id.path("organisation");
            String org = o.path("id").asText();
            String contact = o.path("contact_point").asText(null);
            if (contact == null) contact = organisations.find(org).map(Organisation::contactPoint).orElse(null);
            List<String> agreements = policy.agreementsWith(org).stream()
                    .filter(a -> !a.assistance().types().isEmpty() && a.status() == Agreement.Status.ACTIVE)
                    .map(Agreement::id).toList();
            out.add(new Contact(org, o.path("name").asText(), o.path("nation").asText(), o.path("sector").asText(),
                    contact, id.path("url").asText(), id.path("fingerprint").asText(), agreements));
        }
        out.sort(java.util.Comparator.comparing(Contact::name));
        return out;
    }

    public List<PartnerFigures> figures() {
        return store.figures(clock.instant());
    }

    // ---------------------------------------------------------------- deadlines

    /**
     * Reminders before a deadline (when a quarter of the time to answer is left), escalations to the
     * contact point once it has passed without an answer, and the same for preservations about to
     * end and ended. Each notice once, audited; run by the scheduled job, or by a test with its clock.
     *
     * @return how many notices were new
     */
    public int checkDeadlines() {
        Instant now = clock.instant();
        Organisation own = organisations.own().orElse(null);
        if (own == null) return 0;
        Map<String, String> contacts = new LinkedHashMap<>();
        for (Contact c : directory()) if (c.contactPoint() != null) contacts.put(c.organisationId(), c.contactPoint());
        String ownContact = own.contactPoint() == null ? "24/7 desk of " + own.name() : own.contactPoint();
        List<Notice> due = new ArrayList<>();
        for (Request r : store.remindersDue(now, NOTICE_BATCH)) {
            String partnerName = organisations.find(r.partner()).map(Organisation::name).orElse(r.partner());
            String what = r.urgency().wire() + " " + r.type().wire() + " request " + r.id();
            if (now.isBefore(r.deadline())) {
                due.add(new Notice(r.id(), "reminder", r.deadline(), now, ownContact, r.outgoing()
                        ? partnerName + " has until " + r.deadline() + " to answer " + what
                        : "answer due by " + r.deadline() + ": " + what + " from " + partnerName));
            } else if (r.outgoing()) {
                due.add(new Notice(r.id(), "escalation", r.deadline(), now, contacts.getOrDefault(r.partner(),
                        "contact point of " + partnerName), "the deadline of " + r.deadline() + " passed without an answer"
                        + " from " + partnerName + " to " + what));
            } else {
                due.add(new Notice(r.id(), "escalation", r.deadline(), now, ownContact, "the deadline of " + r.deadline()
                        + " passed: " + what + " from " + partnerName + " is not answered"));
            }
        }
        for (Request r : store.preservationsDue(now, NOTICE_BATCH)) {
            boolean ended = !now.isBefore(r.preservedUntil());
            due.add(new Notice(r.id(), ended ? "preservation-expired" : "preservation-expiring", r.preservedUntil(), now,
                    ownContact, "the preservation of request " + r.id() + (ended ? " ended on " : " ends on ")
                    + r.preservedUntil() + (ended ? "" : ": send a new preservation request extending it to keep the data")));
        }
        int fresh = 0;
        for (Notice n : due) {
            boolean added = db.jdbi().inTransaction(h -> {
                if (!store.notice(h, n)) return false;
                audit.append(h, new AuditEvent(AUDIT_NOTICE, SYSTEM, own.id(), AuditEvent.detail("request", n.requestId(),
                        "notice", n.kind(), "due", n.due().toString(), "to", n.addressedTo())));
                return true;
            });
            if (added) {
                fresh++;
                LOG.warn("request notice ({}) to {}: {}", n.kind(), n.addressedTo(), n.text());
            }
        }
        return fresh;
    }

    // ---------------------------------------------------------------- checks and refusals

    private RequestForm.Context context(Policy policy, String own, Instant now) {
        return new RequestForm.Context() {
            @Override
            public String peer(String idOrName) {
                Optional<Organisation> o = organisations.find(idOrName);
                if (o.isEmpty()) return null;
                String id = o.get().id();
                boolean peer = federation.peerIdentities().stream()
                        .anyMatch(i -> i.path("organisation").path("id").asText().equals(id));
                return peer || o.get().own() ? id : null;
            }

            @Override
            public boolean knownOrganisation(String idOrName) {
                return organisations.find(idOrName).isPresent();
            }

            @Override
            public Optional<Agreement> agreement(String id) {
                return policy.agreement(id);
            }

            @Override
            public String nation(String organisationId) {
                return organisations.find(organisationId).map(Organisation::nation).orElse(null);
            }

            @Override
            public String ownOrganisation() {
                return own;
            }

            @Override
            public Instant now() {
                return now;
            }

            @Override
            public long attachmentLimit() {
                return attachmentLimit;
            }

            @Override
            public long messageLimit() {
                return messageLimit;
            }

            @Override
            public String extensionProblem(String id, String partner) {
                Optional<Request> r = store.find(id);
                if (r.isEmpty() || !r.get().outgoing()) return "no request '" + id + "' sent by this node";
                if (r.get().type() != AssistanceType.PRESERVATION || !r.get().partner().equals(partner)) {
                    return "request " + id + " is not a preservation asked of the same partner";
                }
                if (r.get().preservedUntil() == null) return "request " + id + " has not been answered: nothing is preserved yet";
                return null;
            }
        };
    }

    private interface Check<T> {
        T run();
    }

    private <T> T rejectedAudited(Actor actor, String what, String requestId, Check<T> check) {
        try {
            return check.run();
        } catch (InvalidInput e) {
            rejected(actor, what, requestId, e.getMessage());
            throw e;
        }
    }

    private void rejected(Actor actor, String what, String requestId, String why) {
        audit.append(new AuditEvent(AUDIT_REJECTED, actor.name(), organisations.own().map(Organisation::id).orElse(null),
                AuditEvent.detail("action", what, "request", requestId, "reason", why)));
    }
}
