package org.entente.node.screening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.Refusal;
import org.entente.node.config.NodeConfig;
import org.entente.node.db.Database;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.Action;
import org.entente.node.policy.Decision;
import org.entente.node.policy.Policy;
import org.entente.node.policy.PolicyGate;
import org.entente.node.policy.Purpose;
import org.entente.node.policy.Recipient;
import org.entente.node.policy.Release;
import org.entente.node.users.Principal;
import org.entente.screening.Entry;
import org.entente.screening.Hit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Screening as a service of the node: the lists it serves in memory, followed across processes;
 * each check decided list by list by the policy for the caller's organisation and purpose; every
 * hit at or above threshold recorded and told to the list's owner; every check, batch and hit
 * audited; limits per user and organisation; sweeps refused. Built without I/O; {@link #start}
 * builds the index and starts following (the server), commands use the stores alone.
 */
public final class ScreeningService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScreeningService.class);
    static final String CHECK = "screening-check";
    static final String BATCH = "screening-batch";
    static final String SWEEP = "screening-sweep";
    /** Travellers in one batch at most. */
    public static final int MAX_BATCH = 1_000;
    /** Hits returned per traveller at most. */
    public static final int MAX_LIMIT = 100;

    private final Database db;
    private final AuditLog audit;
    private final PolicyGate gate;
    private final Organisations organisations;
    private final WatchlistStore store;
    private final HitStore hits;
    private final LiveIndex index = new LiveIndex();
    private final Limits limits;
    private final Sweeps sweeps;
    private final java.time.Duration sweepBlock;
    private final EventHub hub;
    private final Recorder recorder;
    private final ExecutorService screeners;
    private volatile Map<String, Instant> blocked = Map.of();
    private volatile long blocksRead;
    private Follower follower;

    public ScreeningService(Database db, AuditLog audit, PolicyGate gate, Organisations organisations, NodeConfig config) {
        this.db = db;
        this.audit = audit;
        this.gate = gate;
        this.organisations = organisations;
        this.store = new WatchlistStore(db, audit);
        this.hits = new HitStore(db);
        this.limits = new Limits(db, audit, config.screeningLimitPerUser(), config.screeningLimitPerOrganisation());
        this.sweeps = new Sweeps(config.screeningSweepWindow(), config.screeningSweepDocuments(), config.screeningSweepNames());
        this.sweepBlock = config.screeningSweepBlock();
        this.hub = new EventHub(hits, config.eventsMaxClients());
        this.recorder = new Recorder(db, audit, limits, config.screeningSynchronousCommit());
        // Screening is work for the cores, and each thread that screens keeps scratch arrays as long
        // as the largest index: a few threads, not one per connection.
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.screeners = Executors.newFixedThreadPool(threads,
                r -> Thread.ofPlatform().name("entente-screener").daemon().unstarted(r));
    }

    public WatchlistStore store() {
        return store;
    }

    public HitStore hits() {
        return hits;
    }

    EventHub hub() {
        return hub;
    }

    Limits limits() {
        return limits;
    }

    // ---------------------------------------------------------------- running

    /** Builds the index of every live list and starts following the other processes' changes. */
    public synchronized void start() {
        if (follower != null) return;
        long t0 = System.nanoTime();
        long entries = index.build(store);
        LOG.info("screening: {} entries of {} watchlists indexed in {} ms", entries, index.lists().size(),
                (System.nanoTime() - t0) / 1_000_000);
        hub.startAfter(hits.lastEvent());
        blocked = hits.blocked(Instant.now());
        follower = new Follower(db, new Follower.Moved() {
            @Override
            public void watchlists(long counter) {
                if (counter > index.applied()) index.catchUp(store);
            }

            @Override
            public void events(long counter) {
                hub.publishNew(counter);
            }

            @Override
            public void tick() {
                // Sweeps are rare and every hit moves the same counter: the refusals other processes
                // recorded are read at most once a second (this process's own take effect at once).
                if (System.nanoTime() - blocksRead > 1_000_000_000L) {
                    blocked = hits.blocked(Instant.now());
                    blocksRead = System.nanoTime();
                }
            }
        });
        follower.start();
    }

    /** Builds the index once, without following (a command that screens against the stored lists). */
    public long load() {
        return index.build(store);
    }

    /** The change number the index has applied (-1 before it is built). */
    public long applied() {
        return index.applied();
    }

    /**
     * The in-memory index of each list served, by list id: for measuring the library beside the
     * service (bench/screening-node.sh). Screening goes through {@link #check} and {@link #batch}.
     */
    public Map<String, org.entente.screening.ScreeningIndex> indexes() {
        Map<String, org.entente.screening.ScreeningIndex> out = new LinkedHashMap<>();
        index.lists().forEach((id, s) -> out.put(id, s.index()));
        return out;
    }

    /** Entries indexed in this process. */
    public long indexedEntries() {
        return index.size();
    }

    /** Applies the changes made so far, at once: the process that changed a list answers with it. */
    void caughtUp() {
        if (index.built()) index.catchUp(store);
    }

    @Override
    public void close() {
        if (follower != null) follower.close();
        hub.close();
        recorder.close();
        screeners.shutdownNow();
    }

    // ---------------------------------------------------------------- callers

    /**
     * Who asks and why: a user of an organisation for a purpose, or the node's operator at the
     * command line (principal null, the own organisation).
     */
    public record Caller(Principal principal, String actor, String organisationId, String username, Purpose purpose,
            boolean ownOrganisation, Policy policy) {

        boolean manages() {
            return ownOrganisation && (principal == null || principal.has(org.entente.node.users.Role.ADMINISTRATOR)
                    || principal.has(org.entente.node.users.Role.SUPERVISOR));
        }
    }

    /** The caller of a request: its declared purpose (else its role's) and organisation; refusals audited. */
    public Caller caller(Principal p, String declaredPurpose, String declaredOrganisation, String where) {
        Release r = gate.open(p, declaredPurpose, declaredOrganisation, Action.QUERY, where);
        String own = r.policy().ownOrganisation();
        return new Caller(p, p.username(), r.recipient().organisationId(), p.username(), r.purpose(),
                r.recipient().organisationId().equals(own), r.policy());
    }

    /** The node's operator at the command line, for the own organisation (purpose null: managing lists only). */
    public Caller operator(String actor, Purpose purpose) {
        Policy policy = gate.policies().current();
        String own = policy.ownOrganisation();
        if (own == null) throw new IllegalStateException("the node has no own organisation yet: start it once");
        return new Caller(null, actor, own, null, purpose, true, policy);
    }

    /** A list the caller may query, or why not. */
    record Decided(LiveIndex.Served served, Decision decision) {}

    /** Every list served, decided for the caller. */
    List<Decided> decide(Caller c) {
        return decide(c, c.policy());
    }

    private List<Decided> decide(Caller c, Policy policy) {
        Instant now = Instant.now();
        Recipient recipient = new Recipient(c.organisationId(), c.username());
        List<Decided> out = new ArrayList<>();
        for (LiveIndex.Served s : index.lists().values()) {
            out.add(new Decided(s, policy.decide(s.list().subject(), recipient, c.purpose(), Action.QUERY, now)));
        }
        return out;
    }

    /** The decision for one list, or 404 when the node serves no such list; refusals audited by the caller's layer. */
    Decided decideOne(Caller c, String idOrName) {
        return decideOne(decide(c), idOrName);
    }

    private static Decided decideOne(List<Decided> decided, String idOrName) {
        for (Decided d : decided) {
            if (d.served().list().id().equals(idOrName)) return d;
        }
        List<Decided> named = decided.stream().filter(d -> d.served().list().name().equals(idOrName)).toList();
        if (named.size() == 1) return named.getFirst();
        throw new Refusal(404, "Unknown watchlist", "unknown-watchlist", "no watchlist '" + idOrName.replace("\0", "\\0")
                + "' on this node");
    }

    static Refusal notPermitted(Watchlist w, Decision d) {
        return new Refusal(403, "Watchlist not permitted", "watchlist-" + d.rule(), "watchlist " + w.id() + " ('"
                + w.name() + "') may not be queried: " + d.reason());
    }

    // ---------------------------------------------------------------- screening

    /** What the caller asks besides the travellers: which lists (null: every one permitted), how many hits, all or only matches. */
    public record Options(List<String> lists, int limit, boolean all) {
        public static final Options DEFAULT = new Options(null, 10, false);
    }

    /** One traveller's answer, in the form {@code entente screen --queries} writes, and what was recorded. */
    public record Answer(ObjectNode json, int recordedHits) {}

    /**
     * Runs a check or batch; a limit reached becomes its refusal (429), and {@code retryAfter} is
     * told when to try again (the API's Retry-After). Every caller of the service, the API and the
     * console, goes through here.
     */
    public static <T> T limited(java.util.function.Supplier<T> check, java.util.function.LongConsumer retryAfter) {
        try {
            return check.get();
        } catch (Limits.TooMany e) {
            retryAfter.accept(e.retryAfterSeconds);
            throw e.refusal;
        }
    }

    /** Screens one traveller. */
    public Answer check(Caller c, Traveller t, Options o) {
        return screen(c, List.of(t), o, false).getFirst();
    }

    /** Screens a manifest; answers in the order of the travellers. */
    public List<Answer> batch(Caller c, List<Traveller> travellers, Options o) {
        if (travellers.size() > MAX_BATCH) {
            throw new Refusal(413, "Content too large", "batch-too-large", "a batch holds at most " + MAX_BATCH
                    + " travellers, not " + travellers.size());
        }
        return screen(c, travellers, o, true);
    }

    private List<Answer> screen(Caller c, List<Traveller> travellers, Options o, boolean batch) {
        Instant now = Instant.now();
        // The lists: every one the policy permits, or the ones asked for (each must be permitted).
        // The policy as it was when the request's purpose and organisation were decided: one snapshot per request.
        Policy policy = c.policy();
        List<Decided> decided = decide(c, policy);
        List<LiveIndex.Served> permitted = new ArrayList<>();
        List<Map<String, Object>> withheld = new ArrayList<>();
        if (o.lists() != null) {
            for (String asked : o.lists()) {
                Decided d = decideOne(decided, asked);
                if (!d.decision().permitted()) throw notPermitted(d.served().list(), d.decision());
                if (permitted.stream().noneMatch(s -> s.list().id().equals(d.served().list().id()))) {
                    permitted.add(d.served());
                }
            }
        } else {
            for (Decided d : decided) {
                if (d.decision().permitted()) permitted.add(d.served());
                else withheld.add(AuditEvent.detail("list", d.served().list().id(), "rule", d.decision().rule()));
            }
        }
        Instant until = blocked.get(c.actor());
        if (until != null && until.isAfter(now)) {
            throw new Refusal(403, "Screening refused", "screening-sweep-blocked", "screening is refused to "
                    + c.actor() + " until " + until + ": a sweep of a list was reported to the administrators");
        }
        // Limits and sweeps are for the people and tools that call the API; the operator at the
        // command line has the database itself (and is audited all the same).
        if (c.principal() != null) {
            limits.admit(c.actor(), c.organisationId(), c.ownOrganisation(), policy, travellers.size(), now);
        }
        if (c.principal() != null && sweeps.enabled()) {
            List<Sweeps.Features> features = travellers.stream().map(t -> Sweeps.features(t.query().name(),
                    t.query().document())).toList();
            Optional<Sweeps.Sweep> sweep = sweeps.observe(c.actor(), features, now);
            if (sweep.isPresent()) throw sweepRefused(c, sweep.get(), travellers, now);
        }
        // Screen on the screeners' threads, travellers of a batch in parallel.
        List<Future<Screened>> futures = new ArrayList<>();
        for (Traveller t : travellers) {
            futures.add(screeners.submit(() -> screenOne(t, permitted, o)));
        }
        List<Screened> screened = new ArrayList<>(travellers.size());
        try {
            for (Future<Screened> f : futures) screened.add(f.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while screening", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
        List<String> lists = permitted.stream().map(s -> s.list().id()).toList();
        String requestId = MDC.get("request_id");
        Map<Integer, List<HitStore.Stored>> recorded = record(c, travellers, screened, lists, withheld, batch, requestId);
        Map<String, Optional<Organisation>> owners = owners(policy);
        List<Answer> answers = new ArrayList<>(travellers.size());
        for (int i = 0; i < travellers.size(); i++) {
            List<HitStore.Stored> rec = recorded.getOrDefault(i, List.of());
            answers.add(new Answer(answer(travellers.get(i), i + 1, screened.get(i), rec, owners), rec.size()));
        }
        return answers;
    }

    /** The owners of lists told of hits, as known under one policy snapshot. */
    private record Owners(Policy policy, Map<String, Optional<Organisation>> known) {}

    private volatile Owners owners = new Owners(null, Map.of());

    /**
     * The owners known under the request's policy: every change of an organisation moves the policy's
     * epoch, so a request sees the owner (its contact point) as it was when the request's policy was
     * read, and a check does not read the organisation table each time.
     */
    private Map<String, Optional<Organisation>> owners(Policy policy) {
        Owners o = owners;
        if (o.policy() != policy) {
            o = new Owners(policy, new java.util.concurrent.ConcurrentHashMap<>());
            owners = o;
        }
        return o.known();
    }

    /** One hit of one list, with the list's own threshold applied. */
    record Found(Watchlist list, Hit hit, boolean match) {}

    /** What screening one traveller found, best first, and how long it took. */
    record Screened(List<Found> found, long micros) {}

    private Screened screenOne(Traveller t, List<LiveIndex.Served> lists, Options o) {
        long t0 = System.nanoTime();
        List<Found> found = new ArrayList<>();
        for (LiveIndex.Served s : lists) {
            for (Hit h : s.index().screen(t.query(), o.limit())) {
                if (!t.accepts(h.entry())) continue;
                Double threshold = s.list().threshold();
                boolean match = threshold == null ? h.match() : h.score() >= threshold;
                if (match || o.all()) found.add(new Found(s.list(), h, match));
            }
        }
        found.sort(Comparator.comparingDouble((Found f) -> f.hit().score()).reversed());
        if (found.size() > o.limit()) found = new ArrayList<>(found.subList(0, o.limit()));
        return new Screened(found, (System.nanoTime() - t0) / 1000);
    }

    /**
     * Records the check or batch, its hits and their audit records in one group commit; returns the
     * hits as recorded, per traveller.
     */
    private Map<Integer, List<HitStore.Stored>> record(Caller c, List<Traveller> travellers, List<Screened> screened,
            List<String> lists, List<Map<String, Object>> withheld, boolean batch, String requestId) {
        List<HitStore.NewHit> newHits = new ArrayList<>();
        List<Integer> ofTraveller = new ArrayList<>();
        for (int i = 0; i < travellers.size(); i++) {
            String sent = null;
            for (Found f : screened.get(i).found()) {
                if (!f.match()) continue;
                Watchlist w = f.list();
                if (sent == null) sent = travellers.get(i).sent().toString();
                newHits.add(new HitStore.NewHit(c.actor(), c.organisationId(), c.purpose().wire(), requestId,
                        sent, w.id(), f.hit().entry().listing().id(),
                        EntryJson.write(f.hit().entry()),
                        round(f.hit().score()), w.received() ? w.providerId() : w.ownerId(), w.providerId(),
                        w.agreementId()));
                ofTraveller.add(i);
            }
        }
        List<HitStore.Stored> stored = recorder.record(newHits, (h, s, records) -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("endpoint", batch ? "batch" : "check");
            d.put("purpose", c.purpose().wire());
            if (batch) {
                d.put("travellers", travellers.size());
                d.put("queries", travellers.stream().map(Traveller::sent).toList());
            } else {
                d.put("query", travellers.getFirst().sent());
            }
            d.put("lists", lists);
            if (!withheld.isEmpty()) d.put("lists_withheld", withheld);
            // Each hit is in the request's record: one record per check or batch, however many it found
            // (a common name meets ten listed namesakes; ten records more per check halved the throughput).
            List<Map<String, Object>> found = new ArrayList<>(s.size());
            for (HitStore.Stored x : s) {
                found.add(AuditEvent.detail("hit", x.seq(), "list", x.hit().listId(), "entry", x.hit().entryId(),
                        "entry_version", x.entryVersion(), "score", x.hit().score(), "owner",
                        x.hit().notifyOrganisation(), "delivery", x.delivery()));
            }
            d.put("hits", found);
            // Written by the recorder's thread: the request id is given, not found in the thread's context.
            if (requestId != null) d.put("request_id", requestId);
            records.add(new AuditEvent(batch ? BATCH : CHECK, c.actor(), c.organisationId(), d));
            return List.copyOf(s);
        });
        Map<Integer, List<HitStore.Stored>> out = new HashMap<>();
        for (int k = 0; k < stored.size(); k++) {
            out.computeIfAbsent(ofTraveller.get(k), x -> new ArrayList<>()).add(stored.get(k));
        }
        return out;
    }

    private Refusal sweepRefused(Caller c, Sweeps.Sweep sweep, List<Traveller> travellers, Instant now) {
        Instant until = now.plus(sweepBlock);
        ObjectNode detail = EntryJson.JSON.createObjectNode();
        detail.put("key", sweep.key());
        ArrayNode values = detail.putArray("values");
        sweep.values().stream().limit(200).forEach(values::add);
        detail.put("travellers_in_request", travellers.size());
        String requestId = MDC.get("request_id");
        recorder.record((h, none, records) -> {
            long seq = HitStore.nextEvents(h, 1);
            HitStore.insertSweep(h, seq, now, c.actor(), c.organisationId(), sweep.pattern(), detail, until);
            Map<String, Object> d = AuditEvent.detail("pattern", sweep.pattern(), "key", sweep.key(), "values",
                    sweep.values().stream().limit(200).toList(), "blocked_until", until.toString(), "sweep", seq);
            if (requestId != null) d.put("request_id", requestId);
            records.add(new AuditEvent(SWEEP, c.actor(), c.organisationId(), d));
            h.execute("SELECT pg_notify('" + WatchlistStore.CHANNEL + "', 'event')");
            return seq;
        });
        Map<String, Instant> b = new HashMap<>(blocked);
        b.put(c.actor(), until);
        blocked = Map.copyOf(b);
        sweeps.forget(c.actor());
        return new Refusal(403, "Sweep refused", "screening-sweep", "these queries sweep a list ("
                + sweep.pattern().replace('-', ' ') + "): refused, reported to the administrators, and screening is refused"
                + " to " + c.actor() + " until " + until).audited();
    }

    private ObjectNode answer(Traveller t, int position, Screened s, List<HitStore.Stored> recorded,
            Map<String, Optional<Organisation>> owners) {
        ObjectNode out = EntryJson.JSON.createObjectNode();
        out.set("query", t.idOr(position));
        ArrayNode arr = out.putArray("hits");
        int r = 0;
        for (Found f : s.found()) {
            ObjectNode h = hitJson(f);
            if (f.match() && r < recorded.size()) {
                HitStore.Stored x = recorded.get(r++);
                h.put("hit", x.seq());
                Optional<Organisation> owner = owners.computeIfAbsent(x.hit().notifyOrganisation(), organisations::find);
                ObjectNode follow = h.putObject("follow_up");
                follow.put("organisation", x.hit().notifyOrganisation());
                owner.ifPresent(o -> {
                    follow.put("name", o.name());
                    if (o.contactPoint() != null) follow.put("contact_point", o.contactPoint());
                });
                follow.put("reference", f.hit().entry().listing().reference());
                follow.put("hit", x.seq());
            }
            arr.add(h);
        }
        if (t.query().mrz() != null && !t.query().mrz().valid()) {
            out.put("warning", String.join("; ", t.query().mrz().problems()));
        }
        out.put("micros", s.micros());
        return out;
    }

    /** A hit as {@code entente screen} writes it, with the list's name and id. */
    static ObjectNode hitJson(Found f) {
        ObjectNode o = EntryJson.JSON.createObjectNode();
        Entry e = f.hit().entry();
        ObjectNode entry = o.putObject("entry");
        entry.put("id", e.listing().id());
        entry.put("list", f.list().name());
        entry.put("list_id", f.list().id());
        entry.put("kind", e.kind().label());
        entry.put("name", e.label());
        entry.put("owner", e.listing().owner());
        entry.put("reference", e.listing().reference());
        o.put("score", round(f.hit().score()));
        o.put("match", f.match());
        o.put("explanation", f.hit().explain());
        return o;
    }

    private static double round(double score) {
        return Math.round(score * 1000) / 1000.0;
    }

    // ---------------------------------------------------------------- lists

    /** A list the caller manages (an own list, the caller an administrator or supervisor of the own organisation). */
    Watchlist managed(Caller c, String idOrName) {
        Watchlist w = store.find(idOrName).filter(Watchlist::live).orElseThrow(() -> new Refusal(404, "Unknown watchlist",
                "unknown-watchlist", "no watchlist '" + idOrName.replace("\0", "\\0") + "' on this node"));
        if (!c.manages()) {
            throw new Refusal(403, "Not a list manager", "watchlist-management", c.actor()
                    + " may not change watchlists: that is for administrators and supervisors of the node's organisation");
        }
        if (w.received()) {
            throw new Refusal(403, "Received list", "watchlist-received", "watchlist " + w.id() + " was received from "
                    + w.providerId() + ": only its provider changes it");
        }
        return w;
    }

    private static void mayManage(Caller c) {
        if (!c.manages()) {
            throw new Refusal(403, "Not a list manager", "watchlist-management", c.actor()
                    + " may not create watchlists: that is for administrators and supervisors of the node's organisation");
        }
    }

    public Watchlist create(Caller c, WatchlistDraft d) {
        mayManage(c);
        Watchlist w = store.create(d, c.organisationId(), c.actor(), c.organisationId());
        caughtUp();
        return w;
    }

    public Watchlist update(Caller c, String idOrName, WatchlistDraft d) {
        Watchlist w = store.update(managed(c, idOrName).id(), d, c.actor(), c.organisationId());
        caughtUp();
        return w;
    }

    public Watchlist remove(Caller c, String idOrName) {
        Watchlist w = store.remove(managed(c, idOrName).id(), c.actor(), c.organisationId());
        caughtUp();
        return w;
    }

    /** Adds or changes one entry of a list; the body is the entry in the JSON Lines form. */
    public WatchlistStore.EntryChange putEntry(Caller c, String idOrName, String entryId, JsonNode body) {
        Watchlist w = managed(c, idOrName);
        Entry e = EntryJson.read(body, w.id(), entryId);
        WatchlistStore.EntryChange change = store.put(w.id(), e, c.actor(), c.organisationId(), "api");
        caughtUp();
        return change;
    }

    public Optional<WatchlistStore.EntryChange> removeEntry(Caller c, String idOrName, String entryId) {
        Watchlist w = managed(c, idOrName);
        Optional<WatchlistStore.EntryChange> change = store.removeEntry(w.id(), entryId, c.actor(), c.organisationId());
        caughtUp();
        return change;
    }

    /** Imports an edition of a list from a file the library reads (UN XML, OFAC CSV folder or sdn.csv, JSON Lines). */
    public ListImport.Report importFile(Caller c, String idOrName, java.nio.file.Path file, boolean removeMissing,
            String edition, org.entente.screening.io.Progress progress) throws java.io.IOException {
        Watchlist w = managed(c, idOrName);
        ListImport.Report r = ListImport.run(store, w, file, removeMissing, edition, c.actor(), c.organisationId(), progress);
        caughtUp();
        return r;
    }

    /** The lists the caller may query for its purpose, and for those who manage lists every own list too. */
    public List<Listed> visible(Caller c) {
        Map<String, Long> sizes = store.sizes();
        List<Listed> out = new ArrayList<>();
        for (Decided d : decide(c)) {
            Watchlist w = d.served().list();
            if (d.decision().permitted() || (c.manages() && !w.received())) {
                out.add(new Listed(w, sizes.getOrDefault(w.id(), 0L), d.decision()));
            }
        }
        out.sort(Comparator.comparing((Listed l) -> l.list().name()));
        return out;
    }

    /** One list for the caller: 404 unknown, 403 not permitted (managers see their own lists). */
    public Listed visible(Caller c, String idOrName) {
        Decided d = decideOne(c, idOrName);
        Watchlist w = d.served().list();
        if (!d.decision().permitted() && !(c.manages() && !w.received())) throw notPermitted(w, d.decision());
        return new Listed(w, store.sizes().getOrDefault(w.id(), 0L), d.decision());
    }

    /** Sets (both null: lifts) the screening limits an agreement puts on its partners' people. */
    public Limits.AgreementLimit setAgreementLimit(Caller c, String agreementId, Integer perUser, Integer perOrganisation) {
        if (!c.manages()) {
            throw new Refusal(403, "Forbidden", "limits-management", "limits are for administrators and supervisors of"
                    + " the node's organisation");
        }
        if (gate.policies().current().agreement(agreementId).isEmpty()) {
            throw new Refusal(404, "Unknown agreement", "unknown-agreement", "no agreement '"
                    + agreementId.replace("\0", "\\0") + "'");
        }
        return limits.setAgreementLimit(agreementId, perUser, perOrganisation, c.actor(), c.organisationId());
    }

    public List<Limits.AgreementLimit> agreementLimits() {
        return limits.agreementLimitList();
    }

    /** Drops usage counts older than an hour (the limits count per minute). */
    public int purgeUsage() {
        return limits.purge(Instant.now().minusSeconds(3_600));
    }

    /** A list with its number of entries and the policy's decision for the caller. */
    public record Listed(Watchlist list, long entries, Decision decision) {}
}
