package org.entente.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.InvalidInput;
import org.entente.node.config.NodeConfig;
import org.entente.node.db.Database;
import org.entente.node.db.NodeSettings;
import org.entente.node.http.HttpAuth;
import org.entente.node.http.HttpProblem;
import org.entente.node.http.HttpServer;
import org.entente.node.intake.Admission;
import org.entente.node.intake.Producer;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.Consent;
import org.entente.node.policy.PolicyGate;
import org.entente.node.policy.Release;
import org.entente.node.policy.store.Agreements;
import org.entente.node.policy.store.Countersigning;
import org.entente.node.policy.store.Provenance;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.Entry;
import org.entente.node.store.ObjectQuery;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.Page;
import org.entente.node.store.VersionMatch;
import org.entente.node.users.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federation (docs/FEDERATION.md): this node's identity and keys, its peers, the federation
 * listener, the sync with each peer, push notifications, signed provenance, retractions and the
 * message channel. Built by the composition root without I/O; {@link #start} opens the listener and
 * the background work of a serving node.
 */
public final class Federation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Federation.class);
    static final String IDENTITY_KIND = "identity";
    /** A serving process counts as running while its heartbeat is this recent. */
    static final Duration ALIVE = Duration.ofSeconds(10);

    final NodeConfig config;
    final Database db;
    final AuditLog audit;
    final NodeSettings settings;
    final Organisations organisations;
    final ObjectStore store;
    final PolicyGate gate;
    final OwnKeys keys;
    final Peers peers;
    final SyncState state;
    final Tombstones tombstones;
    final FederationChannel channel;
    final AgreementExchange exchange;
    final ObjectSignatures.Verifier verifier;
    final PeerSync sync;
    Admission admission;
    Agreements agreements;
    Provenance provenance;

    private final AtomicReference<String> own = new AtomicReference<>();
    private final Map<String, ClientEntry> clients = new ConcurrentHashMap<>();
    private final Map<String, String> offersSeen = new ConcurrentHashMap<>();
    private final Map<String, Flight> flights = new ConcurrentHashMap<>();
    private final ExecutorService work = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("entente-federation-", 0).factory());
    private final String processId = UUID.randomUUID().toString();
    private volatile HttpServer listener;
    private volatile boolean scheduling;

    private record ClientEntry(List<String> fingerprints, String url, PeerClient client) {}

    /** One peer's cycles: at most one at a time in this process, and one more if asked for meanwhile. */
    private static final class Flight {
        boolean running;
        boolean again;
    }

    public Federation(NodeConfig config, Database db, AuditLog audit, NodeSettings settings, Organisations organisations,
            ObjectStore store, PolicyGate gate) {
        this.config = config;
        this.db = db;
        this.audit = audit;
        this.settings = settings;
        this.organisations = organisations;
        this.store = store;
        this.gate = gate;
        this.keys = new OwnKeys(db, audit, config.federationCertificate(), config.federationKey(), config.federationHost());
        this.peers = new Peers(db, audit, organisations);
        this.state = new SyncState(db);
        this.tombstones = new Tombstones(db, store);
        this.channel = new FederationChannel(db, audit, keys, this::ownOrganisation);
        this.exchange = new AgreementExchange(db, audit, peers, keys, this::ownOrganisation, () -> channel);
        this.verifier = new ObjectSignatures.Verifier(PeerSync.keys(peers));
        this.sync = new PeerSync(this);
        channel.on(AgreementExchange.VERSION_KIND, exchange::received);
        channel.on(AgreementExchange.SIGNATURE_KIND, exchange::signature);
        channel.on(IDENTITY_KIND, this::identityAnnounced);
        channel.onSend(this::deliverSoon);
    }

    /** What the agreements store asks of the parties' nodes. */
    public Countersigning countersigning() {
        return exchange;
    }

    /** What intake does with what this node produces: sign it, and tell the peers it is offered to. */
    public Producer producer() {
        return new Producer() {
            @Override
            public void sign(List<com.fasterxml.jackson.databind.node.ObjectNode> objects) {
                String org = ownOrganisation();
                if (org != null) ObjectSignatures.sign(objects, org, keys.signingKey());
            }

            @Override
            public void added(String collectionId, long count) {
                announce(collectionId);
            }
        };
    }

    /** The services built after this one (they take the countersigning and producer from here). */
    public void bind(Agreements agreements, Admission admission, Provenance provenance) {
        this.agreements = agreements;
        this.admission = admission;
        this.provenance = provenance;
        exchange.agreements(agreements);
    }

    /** The message channel, for features that talk to peers (requests for assistance). */
    public FederationChannel channel() {
        return channel;
    }

    String ownOrganisation() {
        String o = own.get();
        if (o == null) {
            o = organisations.own().map(Organisation::id).orElse(null);
            if (o != null) own.set(o);
        }
        return o;
    }

    // ---------------------------------------------------------------- identity

    /** The URL partners reach this node at. */
    public String url() {
        if (config.federationUrl().isPresent()) return config.federationUrl().get();
        String host = config.federationHost().contains(":") ? "[" + config.federationHost() + "]" : config.federationHost();
        HttpServer l = listener;
        return "https://" + host + ":" + (l != null ? l.port() : config.federationPort()) + "/";
    }

    /** This node's identity document, signed by every key it has had. */
    Identity identity() {
        Organisation o = organisations.own().orElseThrow(() -> new IllegalStateException(
                "no own organisation yet: start the node once with `entente serve`"));
        keys.signingKey();
        return Identity.issue(url(), o.id(), o.name(), o.nation(), o.sector().wire(), o.contactPoint(), keys.tls(),
                keys.signingKeys());
    }

    /** The identity document a partner needs, as JSON (nothing secret). */
    public ObjectNode identityDocument() {
        return identity().toJson();
    }

    /**
     * New keys: a new signing key and (unless the certificate is the agency's) a new certificate,
     * announced to every peer with an identity signed by the old key too.
     *
     * @return the new identity document
     */
    public ObjectNode rotateKeys(String actor) {
        OwnKeys.Rotation r = keys.rotate(actor);
        Identity next = identity();
        for (Peers.Peer p : peers.all()) {
            channel.send(p.organisationId(), IDENTITY_KIND, next.toJson());
        }
        LOG.info("federation keys rotated: key {} -> {}, certificate {} -> {}", r.previous().id(), r.next().id(),
                r.previousFingerprint(), r.nextFingerprint());
        return next.toJson();
    }

    private void identityAnnounced(org.jdbi.v3.core.Handle h, FederationChannel.Message m) {
        Identity next = Identity.parse(m.body(), Instant.now());
        Peers.Peer p = peers.byOrganisation(m.sender()).orElseThrow();
        peers.rotate(p, next, "node:" + m.sender());
        clients.remove(p.organisationId());
    }

    // ---------------------------------------------------------------- peers

    /** The identity documents of the peers, as last accepted (the 24/7 desk's directory of contact points). */
    public List<ObjectNode> peerIdentities() {
        return peers.all().stream().map(p -> p.identity().toJson()).toList();
    }

    /** Makes the node of an identity document a peer (creating its organisation when missing). */
    public PeerStatus addPeer(JsonNode identityDocument, String actor) {
        Identity id = Identity.parse(identityDocument, Instant.now());
        String ownOrg = ownOrganisation();
        if (ownOrg == null) throw new IllegalStateException("no own organisation yet: start the node once with `entente serve`");
        Peers.Peer p = peers.add(id, ownOrg, actor);
        clients.remove(p.organisationId());
        return status(p);
    }

    /** Offers a collection to a peer, under the agreement that binds this node and the peer (or the one named). */
    public PeerStatus offer(String peerName, String collection, String agreementId, String actor) {
        Peers.Peer p = peers.require(peerName, "PEER");
        CollectionInfo c = store.collection(collection).orElseThrow(() -> InvalidInput.of("Unknown collection",
                "COLLECTION", "no collection '" + collection + "' (see `entente collection list`)"));
        if (p.organisationId().equals(c.providerId())) {
            throw InvalidInput.of("Invalid offer", "COLLECTION", "collection " + c.id() + " holds what "
                    + peers.name(p.organisationId()) + " provided: it has it already");
        }
        var policy = gate.policies().current();
        List<Agreement> binding = policy.agreementsWith(p.organisationId());
        Agreement a;
        if (agreementId != null) {
            a = binding.stream().filter(x -> x.id().equals(agreementId)).findFirst().orElseThrow(() -> InvalidInput.of(
                    "Invalid offer", "--agreement", "agreement " + agreementId + " does not bind this node and "
                            + peers.name(p.organisationId())));
        } else {
            List<Agreement> usable = binding.stream().filter(x -> x.status() != Agreement.Status.DRAFT).toList();
            if (usable.size() != 1) {
                throw InvalidInput.of("Invalid offer", "--agreement", usable.isEmpty()
                        ? "no agreement binds this node and " + peers.name(p.organisationId()) + ": add one first"
                        : "several agreements bind this node and " + peers.name(p.organisationId()) + " ("
                                + usable.stream().map(Agreement::id).toList() + "): name one with --agreement");
            }
            a = usable.get(0);
        }
        peers.offer(p, c.id(), a.id(), actor);
        notifyPeer(p, List.of(c.id()));
        return status(p);
    }

    public PeerStatus withdraw(String peerName, String collection, String actor) {
        Peers.Peer p = peers.require(peerName, "PEER");
        String id = store.collection(collection).map(CollectionInfo::id).orElse(collection);
        if (!peers.withdraw(p, id, actor)) {
            throw InvalidInput.of("Not offered", "COLLECTION", "collection " + collection + " is not offered to "
                    + peers.name(p.organisationId()));
        }
        return status(p);
    }

    public void removePeer(String peerName, String actor) {
        Peers.Peer p = peers.require(peerName, "PEER");
        peers.remove(p, actor);
        ClientEntry c = clients.remove(p.organisationId());
        if (c != null) c.client().close();
    }

    public List<PeerStatus> statuses() {
        return peers.all().stream().map(this::status).toList();
    }

    public PeerStatus status(String peerName) {
        return status(peers.require(peerName, "PEER"));
    }

    private PeerStatus status(Peers.Peer p) {
        Optional<Organisation> o = organisations.find(p.organisationId());
        List<PeerStatus.Offered> offered = new ArrayList<>();
        for (Peers.Offer of : peers.offers(p.organisationId())) {
            offered.add(new PeerStatus.Offered(of.collectionId(), store.collection(of.collectionId())
                    .map(CollectionInfo::title).orElse(of.collectionId()), of.agreementId()));
        }
        List<PeerStatus.Pulled> pulled = state.of(p.organisationId()).stream().map(r -> new PeerStatus.Pulled(
                r.remoteCollection(), r.localCollection(), r.title(), r.agreementId(), r.offered(), r.lastAttempt(),
                r.lastSuccess(), r.addedAfter(), r.nextToken(), r.tombstonesAfter(), r.received(), r.rejected(),
                r.retracted(), r.lastError(), r.lastErrorAt())).toList();
        SyncState.PeerRow row = state.peer(p.organisationId());
        int pending = channel.pending(p.organisationId()).size();
        return new PeerStatus(p.organisationId(), o.map(Organisation::name).orElse(p.organisationId()),
                o.map(Organisation::nation).orElse(null), p.url(), p.identity().fingerprint(),
                p.identity().signingKey().id(), p.issued(), p.added(), row.lastSuccess(), row.lastError(),
                row.lastErrorAt(), offered, pulled, pending);
    }

    /** Accepts an agreement a peer proposed (this node signs it; it takes effect when every party's node has). */
    public Agreement acceptAgreement(String id, String actor) {
        return exchange.accept(id, actor);
    }

    /** Which organisations' nodes have signed each version of an agreement. */
    public Map<Integer, List<String>> agreementSignatures(String id) {
        return exchange.signatures(id);
    }

    // ---------------------------------------------------------------- sync

    /** The result of a cycle run now: done, failed (see the status), or another process is running one. */
    public enum SyncResult { DONE, FAILED, BUSY }

    /**
     * Runs one cycle with a peer now, in this process, and returns when it is done; when another
     * cycle is running (here or in another process), waits for it to end first.
     */
    public SyncResult syncNow(String peerName) {
        Peers.Peer p = peers.require(peerName, "PEER");
        return SyncResult.valueOf(sync.run(p, Duration.ofMinutes(10)).name());
    }

    /** Whether a serving process with a federation listener runs on this database. */
    public boolean servingProcessRuns() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM federation_process"
                + " WHERE heartbeat > now() - make_interval(secs => :s))").bind("s", ALIVE.toSeconds())
                .mapTo(Boolean.class).one());
    }

    /**
     * Asks the serving process for a cycle with a peer; with {@code wait}, returns when one that began
     * after the request has ended, with whether it succeeded (empty when none ended in time).
     */
    public Optional<Boolean> requestSync(String peerName, Duration wait) throws InterruptedException {
        Peers.Peer p = peers.require(peerName, "PEER");
        Instant asked = db.jdbi().withHandle(h -> h.createQuery("SELECT now()").mapTo(java.time.OffsetDateTime.class).one())
                .toInstant();
        peers.requestSync(p.organisationId());
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            SyncState.PeerRow row = state.peer(p.organisationId());
            if (row.lastSuccess() != null && row.lastSuccess().isAfter(asked)) return Optional.of(row.lastError() == null);
            if (row.lastErrorAt() != null && row.lastErrorAt().isAfter(asked)) return Optional.of(false);
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    /**
     * A person asks for a cycle with a peer soon (the console's "sync now", {@code POST
     * /api/peers/{peer}/sync}): recorded in the audit log with who asked, then served by the process
     * that runs the sync.
     */
    public void syncRequestedBy(String peerName, String actor) {
        Peers.Peer p = peers.require(peerName, "PEER");
        audit.append(new AuditEvent("peer-sync-requested", actor, null, AuditEvent.detail("peer", p.organisationId())));
        syncRequested(p.organisationId());
    }

    /** A push notification or another request: sync that peer soon, here or in the process that holds it. */
    void syncRequested(String organisationId) {
        peers.requestSync(organisationId);
        if (scheduling) trigger(organisationId);
    }

    /**
     * Runs a cycle of the peer in the background unless one is running here; after each cycle, runs
     * another while a request came that no cycle has served yet (requests live in the database, so a
     * notification answered by another process is served here once, not once per process).
     */
    void trigger(String organisationId) {
        Flight fl = flights.computeIfAbsent(organisationId, k -> new Flight());
        synchronized (fl) {
            if (fl.running) return;
            fl.running = true;
        }
        work.submit(() -> {
            try {
                for (int rounds = 0; rounds < 1000; rounds++) {
                    Optional<Peers.Peer> p = peers.byOrganisation(organisationId);
                    if (p.isEmpty()) break;
                    PeerSync.Outcome o = sync.run(p.get());
                    if (o == PeerSync.Outcome.BUSY || !peers.requested(organisationId)) break;
                }
            } catch (RuntimeException e) {
                LOG.warn("sync of {} failed", organisationId, e);
            } finally {
                synchronized (fl) {
                    fl.running = false;
                }
            }
        });
    }

    PeerClient client(Peers.Peer peer) {
        List<String> fps = peers.fingerprints(peer.organisationId());
        ClientEntry e = clients.get(peer.organisationId());
        if (e != null && e.fingerprints().equals(fps) && e.url().equals(peer.url())) return e.client();
        PeerClient c = new PeerClient(peer.url(), peers.name(peer.organisationId()), fps, keys.keyManager(),
                config.federationTimeout());
        ClientEntry old = clients.put(peer.organisationId(), new ClientEntry(fps, peer.url(), c));
        if (old != null) old.client().close();
        return c;
    }

    /** Runs blocking work (a request to a peer) on the federation's threads. */
    <T> java.util.concurrent.Future<T> background(java.util.concurrent.Callable<T> task) {
        return work.submit(task);
    }

    String offersVersion(String organisationId) {
        return offersSeen.get(organisationId);
    }

    void offersVersion(String organisationId, String version) {
        if (version != null) offersSeen.put(organisationId, version);
    }

    /** A digest of what is offered to a peer, sent with every page so that it notices a change. */
    String offersDigest(String organisationId) {
        StringBuilder sb = new StringBuilder();
        peers.offers(organisationId).stream().sorted(java.util.Comparator.comparing(Peers.Offer::collectionId))
                .forEach(o -> sb.append(o.collectionId()).append('|').append(o.agreementId()).append('\n'));
        return Crypto.hex(Crypto.sha256(Crypto.utf8(sb.toString()))).substring(0, 16);
    }

    /** The organisation whose signature an object held in a collection carries (null when unsigned). */
    String producerOf(String collectionId, String objectId) {
        for (ObjectStore.Held held : store.latestEverywhere(objectId)) {
            if (!held.collectionId().equals(collectionId)) continue;
            JsonNode ext = Peers.tree(held.json()).path("extensions").path(ObjectSignatures.EXTENSION);
            return ext.path("signer").asText(null);
        }
        return null;
    }

    // ---------------------------------------------------------------- messages and notifications

    /**
     * Delivers a peer's waiting messages, in order; stops at the first that cannot be delivered now.
     * Consecutive messages go together in one call (an identity always alone), so that a queue that
     * built up under load costs a few round trips rather than one per message.
     */
    void deliver(Peers.Peer peer, PeerClient client) {
        List<ObjectNode> pending = channel.pending(peer.organisationId());
        int i = 0;
        while (i < pending.size()) {
            int end = i + 1;
            long bytes = pending.get(i).toString().length();
            while (end < pending.size() && end - i < FederationChannel.BATCH_MAX
                    && !IDENTITY_KIND.equals(pending.get(i).path("kind").asText())
                    && !IDENTITY_KIND.equals(pending.get(end).path("kind").asText())) {
                bytes += pending.get(end).toString().length();
                if (bytes > FederationChannel.BATCH_BYTES) break;
                end++;
            }
            List<ObjectNode> batch = pending.subList(i, end);
            if (!(batch.size() == 1 ? deliverOne(peer, client, batch.get(0)) : deliverBatch(peer, client, batch))) return;
            i = end;
        }
    }

    private boolean deliverOne(Peers.Peer peer, PeerClient client, ObjectNode m) {
        String id = m.path("id").asText();
        try {
            PeerClient.Response r = post(peer, client, m);
            return verdict(peer, m, r.status(), r.text(), null);
        } catch (PeerClient.PeerException e) {
            channel.failed(id, e.getMessage());
            return false;
        }
    }

    /**
     * Posts a batch; each message gets its verdict as if posted alone. A peer that does not take
     * batches (an older node: 4xx on the batch itself) is given the messages one at a time.
     */
    private boolean deliverBatch(Peers.Peer peer, PeerClient client, List<ObjectNode> batch) {
        ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("type", FederationChannel.BATCH_TYPE);
        batch.forEach(body.putArray("messages")::add);
        PeerClient.Response r;
        try {
            r = client.post("/federation/v1/messages", body.toString(), 1L << 20);
        } catch (PeerClient.PeerException e) {
            channel.failed(batch.get(0).path("id").asText(), e.getMessage());
            return false;
        }
        JsonNode results = null;
        try {
            if (r.status() / 100 == 2) results = Peers.tree(r.text()).path("results");
        } catch (java.io.UncheckedIOException e) {
            // not JSON: offered again later, as for any answer that is not a verdict
        }
        if (results == null || !results.isArray()) {
            if (r.status() / 100 == 4 && r.status() != 408 && r.status() != 429) {
                for (ObjectNode m : batch) if (!deliverOne(peer, client, m)) return false;
                return true;
            }
            channel.failed(batch.get(0).path("id").asText(), "the peer answered " + r.status());
            return false;
        }
        List<String> delivered = new ArrayList<>();
        try {
            for (int j = 0; j < batch.size(); j++) {
                ObjectNode m = batch.get(j);
                JsonNode v = results.get(j);
                if (v == null || !m.path("id").asText().equals(v.path("id").asText())) {
                    channel.failed(m.path("id").asText(), "the peer did not handle it in its batch");
                    return false;
                }
                int status = v.path("status").asInt(500);
                if (status / 100 == 2) {
                    delivered.add(m.path("id").asText());
                } else if (!verdict(peer, m, status, v.path("detail").asText(""), v)) {
                    return false;
                }
            }
            return true;
        } finally {
            channel.delivered(delivered);
        }
    }

    /** Records what the peer answered to a message; false when it is to be offered again later. */
    private boolean verdict(Peers.Peer peer, ObjectNode m, int status, String text, JsonNode shown) {
        String id = m.path("id").asText();
        if (status / 100 == 2) {
            channel.delivered(id, null);
            return true;
        }
        String answer = PeerSync.clip(shown == null ? text : shown.toString());
        if (status / 100 == 4 && status != 408 && status != 429) {
            channel.delivered(id, "refused by the peer (" + status + "): " + answer);
            audit.append(new AuditEvent("federation-message-refused", AuditEvent.SYSTEM, peer.organisationId(),
                    AuditEvent.detail("message", id, "kind", m.path("kind").asText(), "status", status, "answer", answer)));
            return true;
        }
        channel.failed(id, "the peer answered " + status);
        return false;
    }

    /**
     * Posts a message; an identity (a key rotation) the peer cannot yet know is shown with the
     * certificates it still pins when the current one is refused in the handshake.
     */
    private PeerClient.Response post(Peers.Peer peer, PeerClient client, ObjectNode m) throws PeerClient.PeerException {
        try {
            return client.post("/federation/v1/messages", m.toString(), 1L << 20);
        } catch (PeerClient.PeerException e) {
            // The handshake fails on the peer's side: a TLS 1.3 client often sees only a closed connection.
            if (!IDENTITY_KIND.equals(m.path("kind").asText())) throw e;
            for (OwnKeys.TlsCredential old : keys.retiredCertificates()) {
                try (PeerClient c = new PeerClient(peer.url(), peers.name(peer.organisationId()),
                        peers.fingerprints(peer.organisationId()), keys.keyManager(old), config.federationTimeout())) {
                    return c.post("/federation/v1/messages", m.toString(), 1L << 20);
                } catch (PeerClient.PeerException again) {
                    // try the next older certificate
                }
            }
            throw e;
        }
    }

    private final Map<String, Flight> delivering = new ConcurrentHashMap<>();

    /**
     * Delivers a peer's waiting messages in the background: one delivery at a time per peer in this
     * process, and one more when asked meanwhile (a delivery per message sent would post every
     * waiting message once per sender, all at once, under load).
     */
    private void deliverSoon(String organisationId) {
        Flight fl = delivering.computeIfAbsent(organisationId, k -> new Flight());
        synchronized (fl) {
            if (fl.running) {
                fl.again = true;
                return;
            }
            fl.running = true;
            fl.again = false;
        }
        try {
            work.submit(() -> {
                while (true) {
                    try {
                        peers.byOrganisation(organisationId).ifPresent(p -> deliver(p, client(p)));
                    } catch (RuntimeException e) {
                        LOG.info("delivering messages to {} failed: {}", organisationId, e.getMessage());
                    }
                    synchronized (fl) {
                        if (!fl.again) {
                            fl.running = false;
                            return;
                        }
                        fl.again = false;
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            synchronized (fl) {
                fl.running = false;
            }
        }
    }

    /** Objects were added to a collection: tell at once each peer it is offered to. */
    void announce(String collectionId) {
        List<Peers.Offer> offers;
        try {
            offers = peers.offersOf(collectionId);
        } catch (RuntimeException e) {
            return;
        }
        for (Peers.Offer o : offers) {
            peers.byOrganisation(o.organisationId()).ifPresent(p -> notifyPeer(p, List.of(collectionId)));
        }
    }

    private final Map<String, Flight> notifying = new ConcurrentHashMap<>();

    /** Sends a notification to a peer in the background; several in quick succession become one more. */
    private void notifyPeer(Peers.Peer p, List<String> collections) {
        Flight fl = notifying.computeIfAbsent(p.organisationId(), k -> new Flight());
        synchronized (fl) {
            if (fl.running) {
                fl.again = true;
                return;
            }
            fl.running = true;
        }
        work.submit(() -> {
            try {
                do {
                    synchronized (fl) {
                        fl.again = false;
                    }
                    try {
                        ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                        body.putArray("collections").addAll(collections.stream()
                                .map(com.fasterxml.jackson.databind.node.TextNode::valueOf).toList());
                        PeerClient.Response r = client(p).post("/federation/v1/notify", body.toString(), 1L << 16);
                        if (r.status() / 100 != 2) LOG.info("{} answered {} to a notification", p.url(), r.status());
                    } catch (PeerClient.PeerException e) {
                        LOG.info("could not notify {}: {} (it will pull on its schedule)", p.url(), e.getMessage());
                    }
                } while (again(fl));
            } finally {
                synchronized (fl) {
                    fl.running = false;
                }
            }
        });
    }

    private static boolean again(Flight fl) {
        synchronized (fl) {
            return fl.again;
        }
    }

    // ---------------------------------------------------------------- withdrawals

    /**
     * A consent was revoked: what a peer received under it and may no longer hold is withdrawn from
     * it, with a tombstone addressed to that peer alone.
     */
    public void consentRevoked(Consent c) {
        Optional<Peers.Peer> peer = peers.byOrganisation(c.recipientId());
        if (peer.isEmpty()) return;
        Peers.Peer p = peer.get();
        for (CollectionInfo col : store.collections()) {
            if (!c.providerId().equals(col.providerId())) continue;
            Optional<Peers.Offer> offer = peers.offer(p.organisationId(), col.id());
            String after = "";
            while (true) {
                List<String> ids = tombstones.deliveredObjects(p.num(), col.id(), after, 500);
                if (ids.isEmpty()) break;
                after = ids.get(ids.size() - 1);
                List<String> covered = c.objectId() == null ? ids : ids.stream().filter(c.objectId()::equals).toList();
                if (!covered.isEmpty()) withdraw(p, col, covered, offer.map(Peers.Offer::agreementId).orElse(null));
            }
        }
    }

    private void withdraw(Peers.Peer p, CollectionInfo col, List<String> ids, String agreementId) {
        Page page = store.list(col.id(), new ObjectQuery(null, ids.size() * 4 + 1, ids, List.of(), VersionMatch.LAST,
                List.of()), false);
        Release release = agreementId == null ? null : gate.openForNode(p.organisationId(), agreementId);
        Release.Origin origin = new Release.Origin(col.providerId(), col.agreementId());
        List<String> gone = new ArrayList<>();
        for (Entry e : page.entries()) {
            boolean still = release != null && release.release(e.id(), null, e.facts(), e.latestFacts(), e.json(), origin) != null;
            if (!still) gone.add(e.id());
        }
        if (gone.isEmpty()) return;
        String producer = col.providerId();
        db.jdbi().useTransaction(h -> {
            for (String id : gone) store.withdraw(h, col.id(), id, p.organisationId(), producer);
            audit.append(h, new AuditEvent("federation-withdrawal", AuditEvent.SYSTEM, null, AuditEvent.detail(
                    "peer", p.organisationId(), "collection", col.id(), "objects", gone, "reason", "consent revoked")));
        });
        for (String id : gone) tombstones.forget(p.num(), col.id(), id);
        syncRequestedByPeer(p);
    }

    /** The peer pulls tombstones with its next cycle; a notification makes that now. */
    private void syncRequestedByPeer(Peers.Peer p) {
        notifyPeer(p, List.of());
    }

    // ---------------------------------------------------------------- running

    /** Starts the federation listener and the background sync of a serving node. */
    public void start(org.entente.node.ops.Jobs jobs, io.micrometer.core.instrument.MeterRegistry metrics) {
        if (ownOrganisation() == null) throw new IllegalStateException("no own organisation: federation cannot start");
        if (!keys.certificateGiven() && !HttpServer.isLoopback(config.federationHost())
                && config.federationUrl().isEmpty()) {
            LOG.warn("the federation listener uses a self-signed certificate on {}: partners pin its fingerprint",
                    config.federationHost());
        }
        keys.signingKey();
        keys.tls();
        HttpServer l = HttpServer.mutualTls(config.federationHost(), config.federationPort(), config.maxContentLength(),
                sslFactory(), this::authenticate, audit, metrics, List.of(new FederationApi(this)));
        l.start();
        listener = l;
        scheduling = true;
        heartbeat();
        Duration every = config.syncEvery();
        jobs.every("federation-sync", Duration.ofMillis(Math.min(every.toMillis(), 2000)), every, () -> {
            for (Peers.Peer p : peers.all()) trigger(p.organisationId());
        });
        jobs.every("federation-requests", Duration.ofSeconds(1), Duration.ofMillis(500), () -> {
            for (String o : peers.requested()) trigger(o);
            for (Peers.Peer p : peers.all()) {
                if (!channel.pending(p.organisationId()).isEmpty()) deliverSoon(p.organisationId());
            }
        });
        jobs.every("federation-heartbeat", Duration.ofSeconds(2), Duration.ofSeconds(2), this::heartbeat);
    }

    private void heartbeat() {
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO federation_process (id, heartbeat) VALUES (:id, now())"
                + " ON CONFLICT (id) DO UPDATE SET heartbeat = now()").bind("id", processId).execute());
    }

    private SslContextFactory.Server sslFactory() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(new javax.net.ssl.KeyManager[] {keys.keyManager()},
                    new TrustManager[] {PeerTrust.listener(peers, audit)}, null);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(ctx);
            ssl.setNeedClientAuth(true);
            ssl.setIncludeProtocols("TLSv1.3");
            // AES-128-GCM first: as strong as TLS 1.3 needs, and a quarter less work per byte than AES-256.
            ssl.setIncludeCipherSuites(PeerClient.CIPHER_SUITES);
            ssl.setUseCipherSuitesOrder(true);
            ssl.setExcludeProtocols("TLSv1", "TLSv1.1", "TLSv1.2", "SSLv3");
            ssl.setEndpointIdentificationAlgorithm(null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw Crypto.unexpected(e);
        }
    }

    /** The calling node, by the certificate it showed in the handshake (already checked there). */
    private void authenticate(Context ctx) {
        Object attr = ctx.req().getAttribute("jakarta.servlet.request.X509Certificate");
        if (!(attr instanceof X509Certificate[] chain) || chain.length == 0) {
            throw new HttpProblem(401, "Unauthorized", "the federation listener admits only partners' nodes with a"
                    + " pinned client certificate");
        }
        Peers.Peer p = peers.byFingerprint(Crypto.fingerprint(chain[0])).orElseThrow(() -> new HttpProblem(403,
                "Forbidden", "the client certificate is no longer pinned for a peer"));
        HttpAuth.actAs(ctx, new Principal(-p.num(), "node:" + peers.name(p.organisationId()), false, p.organisationId(),
                java.util.Set.of()));
    }

    public int port() {
        HttpServer l = listener;
        if (l == null) throw new IllegalStateException("the federation listener is not running");
        return l.port();
    }

    @Override
    public void close() {
        scheduling = false;
        HttpServer l = listener;
        listener = null;
        if (l != null) l.close();
        work.shutdown();
        try {
            if (!work.awaitTermination(5, TimeUnit.SECONDS)) work.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            work.shutdownNow();
        }
        for (ClientEntry c : clients.values()) c.client().close();
        clients.clear();
        if (l != null) {
            try {
                db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM federation_process WHERE id = :id")
                        .bind("id", processId).execute());
            } catch (RuntimeException e) {
                LOG.debug("could not remove the heartbeat: {}", e.getMessage());
            }
        }
    }
}
