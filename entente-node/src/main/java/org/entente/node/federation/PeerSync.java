package org.entente.node.federation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.entente.node.audit.AuditEvent;
import org.entente.node.common.InvalidInput;
import org.entente.node.db.Locks;
import org.entente.node.intake.Admission;
import org.entente.node.policy.Agreement;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.PreparedObject;
import org.entente.node.store.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync cycle with one peer (docs/FEDERATION.md, "Sync"): deliver the messages waiting for it,
 * learn what it offers, then for each offered collection pull the pages after the stored cursor
 * with the node's own TAXII client, verify and admit each object, and store the page with its
 * cursor in one transaction; then its tombstones. Whatever the peer sends wrong stops or skips its
 * own sync with a clear error, never another peer's, and no loop runs without bound.
 */
final class PeerSync {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSync.class);
    /** Objects asked for per page (and the most a page may hold). */
    static final int PAGE = 1000;
    /** The most a page may weigh. */
    static final long MAX_PAGE_BYTES = 64L << 20;
    /** Pages per collection and cycle: the rest waits for the next cycle, so that one cycle always ends. */
    static final int MAX_PAGES = 5000;
    /** Pages in a row that bring nothing while saying there is more: a peer paging without end. */
    static final int MAX_EMPTY_PAGES = 100;
    static final int TOMBSTONE_PAGE = 500;
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    static final String TOMBSTONES_HEADER = "X-Entente-Tombstones";
    static final String OFFERS_HEADER = "X-Entente-Offers";
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** How a cycle ended. */
    enum Outcome { DONE, FAILED, BUSY }

    /** A peer's answer that stops its sync: said in peer status and the audit log. */
    static final class SyncError extends Exception {
        SyncError(String message) {
            super(message);
        }
    }

    private final Federation f;

    PeerSync(Federation f) {
        this.f = f;
    }

    /** One cycle, unless another process is syncing this peer (then BUSY: that process will see the request). */
    Outcome run(Peers.Peer peer) {
        return run(peer, Duration.ZERO);
    }

    /** One cycle, waiting up to {@code patience} for a cycle running elsewhere to end first. */
    Outcome run(Peers.Peer peer, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        try (Connection lock = f.db.dataSource().getConnection()) {
            while (!Locks.FEDERATION_SYNC.tryAcquire(lock, peer.num())) {
                if (System.nanoTime() > deadline) return Outcome.BUSY;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Outcome.BUSY;
                }
            }
            try {
                return cycle(peer);
            } finally {
                Locks.FEDERATION_SYNC.release(lock, peer.num());
            }
        } catch (SQLException e) {
            f.state.peerFailed(peer.organisationId(), "database: " + e.getMessage());
            return Outcome.FAILED;
        }
    }

    private Outcome cycle(Peers.Peer peer) {
        f.peers.cycleStarted(peer.organisationId());
        String name = f.peers.name(peer.organisationId());
        PeerClient client = f.client(peer);
        boolean ok = true;
        try {
            f.deliver(peer, client);
            List<SyncState.Row> rows = f.state.of(peer.organisationId());
            if (rows.isEmpty() || rows.stream().noneMatch(SyncState.Row::offered)) {
                refreshOffers(peer, client);
                rows = f.state.of(peer.organisationId());
            }
            String offersSeen = null;
            for (SyncState.Row row : rows) {
                if (!row.offered()) continue;
                String version = pull(peer, name, client, row);
                if (version == null) ok = false;
                else if (!version.isEmpty()) offersSeen = version;
            }
            if (offersSeen != null && !offersSeen.equals(f.offersVersion(peer.organisationId()))) {
                refreshOffers(peer, client);
                for (SyncState.Row row : f.state.of(peer.organisationId())) {
                    if (row.offered() && row.lastAttempt() == null && pull(peer, name, client, row) == null) ok = false;
                }
            }
            f.state.peerSucceeded(peer.organisationId());
            return ok ? Outcome.DONE : Outcome.FAILED;
        } catch (SyncError | PeerClient.PeerException e) {
            fail(peer, null, e.getMessage());
            return Outcome.FAILED;
        } catch (RuntimeException e) {
            LOG.warn("sync with {} failed", name, e);
            fail(peer, null, "internal error: " + e);
            return Outcome.FAILED;
        }
    }

    private void fail(Peers.Peer peer, SyncState.Row row, String message) {
        if (row == null) f.state.peerFailed(peer.organisationId(), message);
        else f.state.failed(peer.organisationId(), row.remoteCollection(), message);
        f.audit.append(new AuditEvent("federation-sync-failed", AuditEvent.SYSTEM, peer.organisationId(),
                AuditEvent.detail("peer", peer.organisationId(), "collection", row == null ? null : row.remoteCollection(),
                        "error", message)));
        LOG.info("sync with {}{}: {}", f.peers.name(peer.organisationId()),
                row == null ? "" : " (collection " + row.remoteCollection() + ")", message);
    }

    // ---------------------------------------------------------------- offers

    /** What the peer offers this node: one local collection per offered collection, with its provenance. */
    void refreshOffers(Peers.Peer peer, PeerClient client) throws PeerClient.PeerException, SyncError {
        PeerClient.Response r = client.get("/federation/v1/offers", PeerClient.JSON_TYPE, 4L << 20);
        if (r.status() != 200) throw new SyncError("the peer answered " + r.status() + " to the list of offers: " + brief(r));
        JsonNode doc = json(r.body(), "the list of offers");
        JsonNode offers = doc.get("offers");
        if (offers == null || !offers.isArray()) throw new SyncError("the peer's list of offers has no 'offers' array");
        Set<String> offered = new HashSet<>();
        for (JsonNode o : offers) {
            String remote = o.path("collection").asText("");
            String agreement = o.path("agreement").asText("");
            String title = o.path("title").asText(remote);
            if (!remote.matches("[A-Za-z0-9._:-]{1,200}") || !agreement.startsWith("agreement--")) {
                throw new SyncError("the peer's list of offers holds a malformed entry: " + clip(o.toString()));
            }
            offered.add(remote);
            Optional<SyncState.Row> known = f.state.find(peer.organisationId(), remote);
            if (known.isPresent()) {
                if (!known.get().agreementId().equals(agreement)) {
                    f.provenance.received(known.get().localCollection(), peer.organisationId(), agreement, "federation");
                    f.state.agreement(peer.organisationId(), remote, agreement);
                }
                continue;
            }
            if (f.agreements.find(agreement).isEmpty()) {
                fail(peer, null, "the peer offers collection " + remote + " under agreement " + agreement
                        + ", which this node does not hold");
                continue;
            }
            String peerName = f.peers.name(peer.organisationId());
            CollectionInfo local = f.store.createCollection(java.util.UUID.randomUUID().toString(), null,
                    clip(title) + " (from " + peerName + ")", "Received from the node of " + peerName
                            + ", collection " + remote + ", under agreement " + agreement);
            try {
                f.provenance.received(local.id(), peer.organisationId(), agreement, "federation");
            } catch (InvalidInput e) {
                fail(peer, null, "collection " + remote + ": " + e.getMessage());
                continue;
            }
            f.state.create(peer.organisationId(), remote, local.id(), agreement, clip(title));
        }
        f.state.offered(peer.organisationId(), offered);
        f.offersVersion(peer.organisationId(), r.header(OFFERS_HEADER));
    }

    // ---------------------------------------------------------------- objects

    /**
     * Pulls one collection's pages after its cursor, then its tombstones.
     *
     * @return the offers version the peer announced ("" when none), or null when the collection's sync failed
     */
    private String pull(Peers.Peer peer, String name, PeerClient client, SyncState.Row row) {
        Instant started = Instant.now();
        f.state.attempted(peer.organisationId(), row.remoteCollection(), started);
        try {
            Agreement a = f.gate.policies().current().agreement(row.agreementId()).orElse(null);
            boolean inForce = a != null && a.inForce(started);
            long tombstonesLast = -1;
            String offers = "";
            if (inForce) {
                Pulled p = pages(peer, client, row);
                tombstonesLast = p.tombstones();
                offers = p.offers();
            } else {
                // The flow has stopped under this agreement; retractions of what came before still apply.
                tombstonesLast = Long.MAX_VALUE;
            }
            SyncState.Row now = f.state.find(peer.organisationId(), row.remoteCollection()).orElse(row);
            if (tombstonesLast > now.tombstonesAfter()) tombstones(peer, client, now);
            f.state.succeeded(peer.organisationId(), row.remoteCollection(), started);
            return offers;
        } catch (SyncError | PeerClient.PeerException e) {
            fail(peer, row, e.getMessage());
            return null;
        } catch (InvalidInput e) {
            fail(peer, row, e.getMessage() + " " + e.problems());
            return null;
        } catch (RuntimeException e) {
            LOG.warn("sync of collection {} from {} failed", row.remoteCollection(), name, e);
            fail(peer, row, "internal error: " + e);
            return null;
        }
    }

    private record Pulled(long tombstones, String offers) {}

    private record Envelope(boolean more, String next, ArrayNode objects) {}

    private Pulled pages(Peers.Peer peer, PeerClient client, SyncState.Row start) throws SyncError, PeerClient.PeerException {
        String addedAfter = start.addedAfter();
        String next = start.nextToken();
        Set<String> tokens = new HashSet<>();
        Set<String> defined = new HashSet<>();
        int empty = 0;
        long tombstones = 0;
        String offers = "";
        boolean retriedToken = false;
        // Three pages in flight: the next one is fetched while this one is checked and the one before
        // it is stored, so that the peer's work, the checks and PostgreSQL's work overlap. Pages are
        // still stored in order, each with its cursor.
        java.util.concurrent.Future<PeerClient.Response> ahead = fetch(client, start.remoteCollection(), addedAfter, next);
        java.util.concurrent.Future<Checked> checking = null;
        try {
            for (int page = 0; page < MAX_PAGES; page++) {
                PeerClient.Response r = take(ahead);
                ahead = null;
                if (r.status() == 400 && next != null && !retriedToken) {
                    // The peer no longer honours its token (e.g. its key changed): continue from added_after.
                    retriedToken = true;
                    next = null;
                    f.state.dropToken(peer.organisationId(), start.remoteCollection());
                    ahead = fetch(client, start.remoteCollection(), addedAfter, null);
                    page--;
                    continue;
                }
                if (r.status() == 404) throw new SyncError("the peer no longer offers collection " + start.remoteCollection());
                if (r.status() != 200) {
                    throw new SyncError("the peer answered " + r.status() + " for collection " + start.remoteCollection()
                            + ": " + brief(r));
                }
                Envelope env = envelope(r.body());
                if (env.objects().size() > PAGE) {
                    throw new SyncError("the peer sent a page of " + env.objects().size() + " objects, more than the "
                            + PAGE + " asked for");
                }
                if (env.more() && env.next() == null) throw new SyncError("the peer said 'more' without a 'next' token");
                if (env.more() && !tokens.add(env.next())) {
                    throw new SyncError("the peer repeated the paging token " + clip(env.next()) + ": its paging does not advance");
                }
                String last = r.header("X-TAXII-Date-Added-Last");
                String after = addedAfter;
                if (last != null && !env.objects().isEmpty()) after = checkedDateAdded(last, addedAfter);
                tombstones = number(r.header(TOMBSTONES_HEADER), tombstones);
                if (r.header(OFFERS_HEADER) != null) offers = r.header(OFFERS_HEADER);
                empty = env.more() && env.objects().isEmpty() ? empty + 1 : 0;
                if (empty > MAX_EMPTY_PAGES) {
                    throw new SyncError("the peer sent " + empty + " empty pages in a row while saying there is more");
                }
                String nextToken = env.more() ? env.next() : null;
                if (env.more() && page + 1 < MAX_PAGES) ahead = fetch(client, start.remoteCollection(), after, nextToken);
                Checked before = checking == null ? null : take(checking);
                if (before != null) {
                    for (PreparedObject o : before.admitted()) if (o.type().equals("marking-definition")) defined.add(o.id());
                }
                Set<String> definedAhead = Set.copyOf(defined);
                String cursor = after;
                checking = f.background(() -> check(peer, start, env.objects(), definedAhead, cursor, nextToken));
                if (before != null) write(peer, start, before);
                addedAfter = after;
                next = nextToken;
                if (!env.more()) break;
            }
            if (checking != null) write(peer, start, take(checking));
            checking = null;
        } finally {
            if (ahead != null) ahead.cancel(true);
            if (checking != null) checking.cancel(true);
        }
        return new Pulled(tombstones, offers);
    }

    private java.util.concurrent.Future<PeerClient.Response> fetch(PeerClient client, String collection, String addedAfter,
            String next) {
        String path = "/taxii2/intel/collections/" + enc(collection) + "/objects/?limit=" + PAGE
                + (addedAfter != null ? "&added_after=" + enc(addedAfter) : "") + (next != null ? "&next=" + enc(next) : "");
        return f.background(() -> client.get(path, PeerClient.TAXII, MAX_PAGE_BYTES));
    }

    private static <T> T take(java.util.concurrent.Future<T> f) throws PeerClient.PeerException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerClient.PeerException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof PeerClient.PeerException p) throw p;
            if (e.getCause() instanceof RuntimeException x) throw x;
            throw new PeerClient.PeerException("fetching a page failed: " + e.getCause(), e.getCause());
        }
    }

    private static String checkedDateAdded(String header, String before) throws SyncError {
        Instant t = Timestamps.parse(header);
        if (t == null) throw new SyncError("the peer's X-TAXII-Date-Added-Last '" + clip(header) + "' is not a timestamp");
        if (t.isAfter(Instant.now().plus(CLOCK_SKEW))) {
            throw new SyncError("the peer's date_added " + header + " lies in the future");
        }
        if (before != null) {
            Instant b = Timestamps.parse(before);
            if (b != null && t.isBefore(b)) throw new SyncError("the peer's date_added went back from " + before + " to " + header);
        }
        return header;
    }

    private static Envelope envelope(byte[] body) throws SyncError {
        JsonNode n = json(body, "the page");
        if (!n.isObject()) throw new SyncError("the peer's page is not a TAXII envelope (a JSON object)");
        JsonNode more = n.get("more");
        if (more != null && !more.isBoolean()) throw new SyncError("the peer's envelope has a 'more' that is not true or false");
        JsonNode next = n.get("next");
        if (next != null && (!next.isTextual() || next.asText().isEmpty() || next.asText().length() > 4096)) {
            throw new SyncError("the peer's envelope has a malformed 'next'");
        }
        JsonNode objects = n.get("objects");
        if (objects != null && !objects.isArray()) throw new SyncError("the peer's envelope has 'objects' that is not a list");
        return new Envelope(more != null && more.asBoolean(), next == null ? null : next.asText(),
                objects == null ? STRICT.createArrayNode() : (ArrayNode) objects);
    }

    private static JsonNode json(byte[] body, String what) throws SyncError {
        try {
            JsonNode n = STRICT.readTree(body);
            if (n == null || n.isMissingNode()) throw new SyncError("the peer sent an empty body for " + what);
            return n;
        } catch (JsonProcessingException e) {
            throw new SyncError("the peer sent malformed JSON for " + what + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SyncError("could not read " + what + ": " + e.getMessage());
        }
    }

    /** A page checked and ready to be stored with its cursor. */
    private record Checked(int objects, List<PreparedObject> admitted, List<Map<String, String>> rejected,
            String addedAfter, String next) {}

    /** Verifies and admits one page (refused objects are listed with the reason, not stored). */
    private Checked check(Peers.Peer peer, SyncState.Row row, ArrayNode objects, Set<String> definedAhead,
            String addedAfter, String next) throws PeerClient.PeerException {
        Instant now = Instant.now();
        List<Map<String, String>> rejected = new ArrayList<>();
        ArrayNode good = STRICT.createArrayNode();
        ObjectSignatures.Verdict[] verdicts = new ObjectSignatures.Verdict[objects.size()];
        java.util.stream.IntStream.range(0, objects.size()).parallel().forEach(i -> {
            if (objects.get(i) instanceof ObjectNode o) verdicts[i] = f.verifier.verify(o);
        });
        for (int i = 0; i < objects.size(); i++) {
            JsonNode n = objects.get(i);
            String id = n.path("id").asText("");
            if (!(n instanceof ObjectNode o)) {
                rejected.add(reject(id, "not a JSON object"));
                continue;
            }
            String why = trusted(peer, o, verdicts[i], now);
            if (why != null) rejected.add(reject(id, why));
            else good.add(o);
        }
        Admission.Checked checked = f.admission.checkEach(good, "/objects", definedAhead);
        for (Admission.Refused r : checked.refused()) {
            rejected.add(reject(r.id(), "not valid STIX 2.1: " + r.problems().getFirst().pointer() + " "
                    + r.problems().getFirst().message()));
        }
        return new Checked(objects.size(), withoutRetracted(row.localCollection(), checked.admitted()), rejected,
                addedAfter, next);
    }

    /** Stores a checked page with its cursor, counts and audit record in one transaction. */
    private void write(Peers.Peer peer, SyncState.Row row, Checked page) {
        List<PreparedObject> admitted = page.admitted();
        List<Map<String, String>> rejected = page.rejected();
        f.admission.storeReceived(row.localCollection(), admitted, (c, added) -> {
            SyncState.advance(c, peer.organisationId(), row.remoteCollection(), page.addedAfter(), page.next(), added,
                    rejected.size());
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("peer", peer.organisationId());
            d.put("collection", row.localCollection());
            d.put("remote_collection", row.remoteCollection());
            d.put("agreement", row.agreementId());
            d.put("objects", page.objects());
            d.put("admitted", admitted.size());
            d.put("new", added);
            d.put("rejected", rejected.size());
            if (!rejected.isEmpty()) d.put("rejections", rejected.size() > 100 ? rejected.subList(0, 100) : rejected);
            d.put("added_after", page.addedAfter());
            if (!admitted.isEmpty() || !rejected.isEmpty()) {
                f.audit.append(c, new AuditEvent("federation-received", "node:" + peer.organisationId(),
                        peer.organisationId(), d));
            }
        });
    }

    private static Map<String, String> reject(String id, String reason) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("object", id);
        m.put("reason", reason);
        return m;
    }

    /** Why an object from this peer cannot be trusted, or null when it can. */
    private String trusted(Peers.Peer peer, ObjectNode o, ObjectSignatures.Verdict v, Instant now)
            throws PeerClient.PeerException {
        for (String field : new String[] {"created", "modified"}) {
            Instant t = Timestamps.parse(o.path(field).asText(""));
            if (t != null && t.isAfter(now.plus(CLOCK_SKEW))) return field + " " + o.path(field).asText() + " lies in the future";
        }
        if (v instanceof ObjectSignatures.Verdict.UnknownKey u) {
            learnProducer(peer, u.signer());
            v = f.verifier.verify(o);
        }
        return switch (v) {
            case ObjectSignatures.Verdict.Unsigned x -> "unsigned: no producer signature (" + ObjectSignatures.EXTENSION + ")";
            case ObjectSignatures.Verdict.Bad b -> b.reason();
            case ObjectSignatures.Verdict.UnknownKey u -> "signed by key " + u.keyId() + " of " + u.signer()
                    + ", which no identity known here vouches for";
            case ObjectSignatures.Verdict.Signed s -> {
                if (s.signer().equals(f.ownOrganisation())) {
                    yield "signed by this node itself: a peer may not send this node's own objects";
                }
                JsonNode by = o.get("created_by_ref");
                if (by != null && !by.asText().equals(s.signer())) {
                    yield "created_by_ref names " + by.asText() + ", but " + s.signer() + " signed it";
                }
                yield null;
            }
        };
    }

    /** A producer's keys as the peer vouches for them (its identity, checked by its own signature). */
    private synchronized void learnProducer(Peers.Peer peer, String producer) throws PeerClient.PeerException {
        if (!producer.matches("identity--[0-9a-fA-F-]{36}")) return;
        PeerClient.Response r = f.client(peer).get("/federation/v1/identities/" + producer, PeerClient.JSON_TYPE, 1L << 20);
        if (r.status() != 200) return;
        try {
            Identity id = Identity.parse(STRICT.readTree(r.body()), Instant.now());
            if (!id.organisationId().equals(producer)) return;
            f.peers.vouched(id, peer.organisationId(), "federation");
        } catch (InvalidInput | IOException e) {
            LOG.info("the identity of {} from {} was refused: {}", producer, peer.organisationId(), e.getMessage());
        }
    }

    private List<PreparedObject> withoutRetracted(String collection, List<PreparedObject> admitted) {
        if (admitted.isEmpty()) return admitted;
        Map<String, Instant> gone = f.store.retracted(collection, admitted.stream().map(PreparedObject::id).distinct().toList());
        if (gone.isEmpty()) return admitted;
        List<PreparedObject> out = new ArrayList<>(admitted.size());
        for (PreparedObject o : admitted) {
            Instant t = gone.get(o.id());
            if (t == null || (o.version() != null && o.version().isAfter(t))) out.add(o);
        }
        return out;
    }

    // ---------------------------------------------------------------- tombstones

    private void tombstones(Peers.Peer peer, PeerClient client, SyncState.Row row) throws SyncError, PeerClient.PeerException {
        long after = row.tombstonesAfter();
        for (int page = 0; page < MAX_PAGES; page++) {
            PeerClient.Response r = client.get("/federation/v1/collections/" + enc(row.remoteCollection())
                    + "/tombstones?after=" + after + "&limit=" + TOMBSTONE_PAGE, PeerClient.JSON_TYPE, MAX_PAGE_BYTES);
            if (r.status() == 404) return;
            if (r.status() != 200) throw new SyncError("the peer answered " + r.status() + " for tombstones: " + brief(r));
            JsonNode doc = json(r.body(), "the tombstones");
            JsonNode list = doc.get("tombstones");
            JsonNode last = doc.get("last");
            if (list == null || !list.isArray() || last == null || !last.canConvertToLong() || !doc.path("more").isBoolean()) {
                throw new SyncError("the peer's tombstones are malformed");
            }
            if (list.size() > TOMBSTONE_PAGE) throw new SyncError("the peer sent more tombstones than asked for");
            if (last.asLong() <= after && (doc.path("more").asBoolean() || !list.isEmpty())) {
                throw new SyncError("the peer's tombstone cursor does not advance (" + last.asLong() + " after " + after + ")");
            }
            apply(peer, row, list, Math.max(after, last.asLong()));
            after = Math.max(after, last.asLong());
            if (!doc.path("more").asBoolean()) return;
        }
    }

    private void apply(Peers.Peer peer, SyncState.Row row, JsonNode list, long last) {
        List<Map<String, Object>> applied = new ArrayList<>();
        List<Map<String, String>> refused = new ArrayList<>();
        List<Tombstones.Received> ok = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                Tombstones.Received t = Tombstones.read(list.get(i), "/tombstones/" + i);
                String why = trusted(peer, row, t);
                if (why == null) ok.add(t);
                else refused.add(reject(t.objectId(), why));
            } catch (InvalidInput e) {
                refused.add(reject(list.get(i).path("object").asText(""), e.getMessage() + " " + e.problems()));
            }
        }
        f.db.jdbi().useTransaction(h -> {
            long removed = 0;
            for (Tombstones.Received t : ok) {
                boolean forUs = t.recipient() != null;
                int n = f.store.retract(h, row.localCollection(), t.objectId(), t.objectVersion(), t.upTo(),
                        forUs ? "retracted" : t.reason(), t.producer() == null ? t.issuer() : t.producer(),
                        forUs ? null : t.json().toString());
                removed += n > 0 ? 1 : 0;
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("object", t.objectId());
                a.put("reason", t.reason());
                a.put("issuer", t.issuer());
                a.put("versions_removed", n);
                applied.add(a);
            }
            SyncState.advanceTombstones(h, peer.organisationId(), row.remoteCollection(), last, removed, refused.size());
            if (!applied.isEmpty() || !refused.isEmpty()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("peer", peer.organisationId());
                d.put("collection", row.localCollection());
                d.put("remote_collection", row.remoteCollection());
                d.put("applied", applied.size() > 1000 ? applied.subList(0, 1000) : applied);
                if (!refused.isEmpty()) d.put("refused", refused);
                f.audit.append(h, new AuditEvent("federation-retraction", "node:" + peer.organisationId(),
                        peer.organisationId(), d));
            }
        });
    }

    /**
     * Whether a tombstone from this peer may be applied: signed by its issuer's key, and issued by the
     * peer (which retracts what it gave) or by the object's producer; a withdrawal only when it is
     * addressed to this node.
     */
    private String trusted(Peers.Peer peer, SyncState.Row row, Tombstones.Received t) {
        if (t.recipient() != null && !t.recipient().equals(f.ownOrganisation())) return "addressed to " + t.recipient();
        Optional<Peers.KnownKey> key = f.peers.key(t.keyId());
        if (key.isEmpty() || !key.get().organisationId().equals(t.issuer())) {
            return "signed by key " + t.keyId() + ", not a known key of its issuer " + t.issuer();
        }
        if (!Tombstones.verifies(t, key.get().publicKey())) return "the tombstone's signature does not verify";
        if (t.issuer().equals(peer.organisationId())) return null;
        String producer = f.producerOf(row.localCollection(), t.objectId());
        if (t.issuer().equals(producer)) return null;
        return "issued by " + t.issuer() + ", which neither sent nor produced the object";
    }

    // ---------------------------------------------------------------- helpers

    private static long number(String header, long fallback) throws SyncError {
        if (header == null) return fallback;
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw new SyncError("the peer's " + TOMBSTONES_HEADER + " header is not a number");
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String brief(PeerClient.Response r) {
        return clip(r.text().replaceAll("\\s+", " "));
    }

    static String clip(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    static Function<String, Peers.KnownKey> keys(Peers peers) {
        return id -> peers.key(id).orElse(null);
    }
}
