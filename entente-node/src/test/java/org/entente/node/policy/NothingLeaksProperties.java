package org.entente.node.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.entente.node.policy.LeakOracle.Agreement;
import org.entente.node.policy.LeakOracle.Answer;
import org.entente.node.policy.LeakOracle.Org;
import org.entente.node.policy.LeakWorld.AgreementSpec;
import org.entente.node.policy.LeakWorld.CollectionSpec;
import org.entente.node.policy.LeakWorld.ObjectSpec;
import org.entente.node.policy.LeakWorld.WorldSpec;

/**
 * The proof that nothing leaks: random worlds of organisations, agreements, collections and
 * marked objects on one running node; every recipient, for every purpose, reads through every read
 * path (objects, manifest, object, versions, mentions) and gets exactly what {@link LeakOracle} (a
 * reading of docs/POLICY.md written without the node's policy code) permits, with exactly the
 * properties it permits; then an agreement changes status and everything is read again at once.
 *
 * <p>One node serves the whole class; each try creates organisations, agreements and collections
 * of its own, moves the pooled reader accounts to its organisations, reads only its own
 * collections, and terminates its agreements at the end so that later tries are not bound by them.
 */
class NothingLeaksProperties {

    /** Enough tries for well over 100,000 (object, recipient, purpose) triples; see the summary printed. */
    static final int TRIES = 40;
    static final boolean TRACE = true;
    /** False: the object and versions paths read each (object, recipient) under one purpose (rotating). */
    static final boolean PER_OBJECT_ALL_PURPOSES = Boolean.getBoolean("leak.allPurposesPerObject");
    static final AtomicLong PER_OBJECT_TRIPLES = new AtomicLong();
    static final long REQUIRED_TRIPLES = 100_000;

    static LeakHarness h;
    static ExecutorService pool;
    /** Every agreement the node holds (all tries), as the oracle knows it, by id. */
    static final Map<String, Agreement> AGREEMENTS = new ConcurrentHashMap<>();
    static final AtomicLong TRIPLES = new AtomicLong();
    static final AtomicLong REQUESTS = new AtomicLong();
    static final AtomicLong PERMITTED = new AtomicLong();
    static final AtomicInteger WORLDS = new AtomicInteger();
    static long started;

    static final String OWN_A = "leak-own-a", OWN_B = "leak-own-b";
    static final List<String> PARTNER_USERS = List.of("leak-p1", "leak-p2", "leak-p3", "leak-p4", "leak-p5");

    @BeforeContainer
    static void start() {
        started = System.nanoTime();
        h = new LeakHarness("Estonian cybercrime unit (leak test)", "EE");
        pool = Executors.newFixedThreadPool(Integer.getInteger("leak.threads", 6));
    }

    @AfterContainer
    static void stop() {
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("NothingLeaksProperties: %d worlds, %,d (object, recipient, purpose) triples checked on the objects,"
                        + " manifest and mentions paths (%,d permitted), %,d of them also on the object and versions"
                        + " paths; %,d HTTP requests, %.1f s%n",
                WORLDS.get(), TRIPLES.get(), PERMITTED.get(), PER_OBJECT_TRIPLES.get(), REQUESTS.get(), ms / 1000.0);
        System.out.println("request timings:" + LeakHarness.timings());
        if (pool != null) pool.shutdownNow();
        if (h != null) h.close();
        if (WORLDS.get() >= TRIES && TRIPLES.get() < REQUIRED_TRIPLES) {
            throw new AssertionError("only " + TRIPLES.get() + " triples checked, fewer than " + REQUIRED_TRIPLES);
        }
    }

    @Provide
    Arbitrary<WorldSpec> worlds() {
        return LeakWorld.worlds();
    }

    @Property(tries = TRIES, seed = "20260501", shrinking = ShrinkingMode.BOUNDED)
    void noRecipientGetsMoreOrLessThanTheAgreementsPermit(@ForAll("worlds") WorldSpec spec) {
        long t0 = System.nanoTime();
        World w = realise(spec);
        long t1 = System.nanoTime();
        long r0 = REQUESTS.get();
        List<String> problems = new ArrayList<>();
        try {
            problems.addAll(readEverything(w, "initial reading", true));
            if (!w.agreements.isEmpty()) {
                // An agreement changes status; the very next requests must follow it.
                Agreement a = AGREEMENTS.get(w.agreements.get(spec.change() % w.agreements.size()).id());
                if (!a.status().equals("terminated")) {
                    String to = a.status().equals("active") ? (spec.terminate() ? "terminated" : "suspended") : "active";
                    AGREEMENTS.put(a.id(), h.setStatus(a, to));
                    problems.addAll(readEverything(w, "after " + a.id() + " went from " + a.status() + " to " + to, false));
                }
            }
        } finally {
            for (Agreement a : w.agreements) {
                Agreement now = AGREEMENTS.get(a.id());
                if (!now.status().equals("terminated")) AGREEMENTS.put(a.id(), h.setStatus(now, "terminated"));
            }
        }
        if (TRACE) {
            System.out.printf("world %s: %d orgs, %d agreements, %d collections, %d objects: set up %d ms, read %d ms"
                    + " (%d requests)%n", w.tag(), w.orgs().size(), w.agreements().size(), w.cols().size(),
                    w.objects().size(), (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000, REQUESTS.get() - r0);
        }
        if (!problems.isEmpty()) {
            StringBuilder b = new StringBuilder(problems.size() + " disagreement(s) between the node and POLICY.md in "
                    + spec + ":\n");
            problems.stream().limit(12).forEach(p -> b.append(p).append("\n\n"));
            throw new AssertionError(b.toString());
        }
    }

    // ------------------------------------------------------------------ a world on the node

    static int readerIndex(World w, Reader r) {
        return w.readers().indexOf(r);
    }

    record Col(String id, String providerId, String agreementId) {}

    record Obj(ObjectNode json, Col col, Set<String> mentions) {}

    record Reader(String user, Org org) {}

    record World(String tag, List<Org> orgs, List<Agreement> agreements, List<Col> cols, List<Obj> objects,
            List<Reader> readers, LeakWorld.Values values, Map<String, Org> orgById) {}

    static World realise(WorldSpec spec) {
        int n = WORLDS.incrementAndGet();
        String tag = "w" + n + "x" + UUID.randomUUID().toString().substring(0, 6);
        List<Org> orgs = new ArrayList<>();
        orgs.add(h.ownOrg);
        for (int i = 0; i < spec.partnerNations().size(); i++) {
            orgs.add(h.partner("Partner " + tag + "-" + i, LeakWorld.NATIONS[spec.partnerNations().get(i)]));
        }
        List<Org> partners = orgs.subList(1, orgs.size());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Duration year = Duration.ofDays(365);
        List<Agreement> agreements = new ArrayList<>();
        for (int i = 0; i < spec.agreements().size(); i++) {
            AgreementSpec a = spec.agreements().get(i);
            LinkedHashSet<String> parties = new LinkedHashSet<>();
            String ownRef = a.head().ownByNation() ? "nation:" + h.ownOrg.nation() : h.ownOrg.id();
            parties.add(ownRef);
            for (LeakWorld.PartyRef p : a.head().others()) parties.add(LeakWorld.ref(p, orgs));
            List<String> ps = new ArrayList<>(parties);
            if (!a.head().multilateral() && ps.size() > 2) ps = ps.subList(0, 2);
            if (ps.size() < 2) ps.add(partners.get(0).id());
            Instant from, until;
            switch (a.head().window()) {
                case 0 -> { from = now.minus(year); until = now.plus(year); }
                case 1 -> { from = now.minus(year); until = null; }
                case 2 -> { from = now.minus(year.multipliedBy(3)); until = now.minus(year); }
                default -> { from = now.plus(year); until = now.plus(year.multipliedBy(3)); }
            }
            LeakWorld.AgreementRules r = a.rules();
            String onward = LeakWorld.ONWARD[r.onward()];
            List<String> onwardParties = new ArrayList<>(new LinkedHashSet<>(
                    r.onwardParties().stream().map(p -> LeakWorld.ref(p, orgs)).toList()));
            ObjectNode doc = LeakHarness.agreementDoc("Agreement " + tag + "-" + i, new ArrayList<>(ps),
                    LeakWorld.STATUSES[a.head().status()], from, until,
                    r.categories().stream().sorted().map(c -> LeakWorld.CATEGORIES[c]).toList(),
                    r.purposes().stream().sorted().map(LeakHarness.PURPOSES::get).toList(),
                    LeakWorld.TLP_LEVELS[r.maxTlp()], r.codes().stream().sorted().map(c -> LeakWorld.CODES[c]).toList(),
                    r.personal(), onward, onwardParties);
            Agreement model = h.agreement(doc);
            AGREEMENTS.put(model.id(), model);
            agreements.add(model);
        }
        List<Col> cols = new ArrayList<>();
        for (int i = 0; i < spec.collections().size(); i++) {
            CollectionSpec c = spec.collections().get(i);
            String id = h.collection("Collection " + tag + "-" + i);
            if (c.provided() && !agreements.isEmpty()) {
                Org provider = partners.get(c.provider() % partners.size());
                Agreement under = agreements.get(c.agreement() % agreements.size());
                h.provenance(id, provider.id(), under.id());
                cols.add(new Col(id, provider.id(), under.id()));
            } else {
                cols.add(new Col(id, null, null));
            }
        }
        List<String> redNames = new ArrayList<>(List.of("user:" + OWN_A, "user:" + OWN_B));
        partners.forEach(p -> redNames.add(p.id()));
        LeakWorld.Values values = new LeakWorld.Values("198.51.100.7", "c2-" + tag + ".example", "courier@" + tag + ".example");
        Set<String> used = new java.util.HashSet<>();
        List<Obj> objects = new ArrayList<>();
        Map<String, List<ObjectNode>> byCol = new LinkedHashMap<>();
        for (int i = 0; i < spec.objects().size(); i++) {
            ObjectSpec o = spec.objects().get(i);
            Col col = cols.get(o.collection() % cols.size());
            Set<String> mentions = new TreeSet<>();
            ObjectNode json = LeakWorld.object(o, col.providerId() == null ? h.ownOrg.id() : col.providerId(), redNames,
                    values, used, i, mentions);
            objects.add(new Obj(json, col, mentions));
            byCol.computeIfAbsent(col.id(), k -> new ArrayList<>()).add(json);
        }
        byCol.forEach(h::write);
        List<String> colIds = cols.stream().map(Col::id).toList();
        List<Reader> readers = new ArrayList<>();
        h.assign(OWN_A, h.ownOrg.id(), colIds);
        h.assign(OWN_B, h.ownOrg.id(), colIds);
        readers.add(new Reader(OWN_A, h.ownOrg));
        readers.add(new Reader(OWN_B, h.ownOrg));
        for (int i = 0; i < partners.size(); i++) {
            h.assign(PARTNER_USERS.get(i), partners.get(i).id(), colIds);
            readers.add(new Reader(PARTNER_USERS.get(i), partners.get(i)));
        }
        Map<String, Org> byId = new LinkedHashMap<>();
        orgs.forEach(o -> byId.put(o.id(), o));
        return new World(tag, orgs, agreements, cols, objects, readers, values, byId);
    }

    // ------------------------------------------------------------------ reading it all back

    static List<String> readEverything(World w, String phase, boolean full) {
        // One request per account first, one after the other: the node verifies a password (Argon2id) once
        // and then remembers it; parallel first requests would all verify it.
        for (Reader r : w.readers()) h.get(r.user(), null, LeakHarness.ROOT, LeakHarness.TAXII);
        List<Agreement> snapshot = List.copyOf(AGREEMENTS.values());
        Instant now = Instant.now();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Future<?>> tasks = new ArrayList<>();
        for (Reader r : w.readers()) {
            for (String purpose : LeakHarness.PURPOSES) {
                tasks.add(pool.submit(() -> readAs(w, r, purpose, snapshot, now, phase, full, problems)));
            }
        }
        for (Future<?> f : tasks) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
            }
        }
        return new ArrayList<>(problems);
    }

    static void readAs(World w, Reader r, String purpose, List<Agreement> agreements, Instant now, String phase,
            boolean full, ConcurrentLinkedQueue<String> problems) {
        Map<Obj, Answer> expected = new LinkedHashMap<>();
        for (Obj o : w.objects()) {
            Answer a = LeakOracle.answer(o.json(), o.col().providerId(), o.col().agreementId(), h.ownOrg, r.org(),
                    r.user(), purpose, now, agreements);
            expected.put(o, a);
            if (a.permitted()) PERMITTED.incrementAndGet();
        }
        TRIPLES.addAndGet(w.objects().size());
        Problems p = new Problems(w, r, purpose, phase, agreements, problems);
        for (Col c : w.cols()) {
            Map<String, Obj> inCol = new LinkedHashMap<>();
            for (Obj o : w.objects()) if (o.col() == c) inCol.put(o.json().path("id").asText(), o);
            for (String path : List.of("objects", "manifest")) {
                Map<String, JsonNode> served = path.equals("objects") ? h.objects(r.user(), purpose, c.id())
                        : h.manifest(r.user(), purpose, c.id());
                REQUESTS.incrementAndGet();
                for (Map.Entry<String, JsonNode> e : served.entrySet()) {
                    Obj o = inCol.get(e.getKey());
                    if (o == null) {
                        p.add(null, path, "nothing (not in this collection)", "served " + e.getKey());
                    } else if (!expected.get(o).permitted()) {
                        p.add(o, path, expected.get(o).toString(), "served it (LEAK)");
                    } else if (path.equals("objects")) {
                        p.content(o, path, expected.get(o), e.getValue());
                    }
                }
                for (Obj o : inCol.values()) {
                    if (expected.get(o).permitted() && !served.containsKey(o.json().path("id").asText())) {
                        p.add(o, path, expected.get(o).toString(), "withheld it");
                    }
                }
            }
        }
        int purposeIndex = LeakHarness.PURPOSES.indexOf(purpose);
        int n = LeakHarness.PURPOSES.size();
        for (int i = 0; i < w.objects().size(); i++) {
            Obj o = w.objects().get(i);
            // The object and versions paths cost a request per triple. In the full reading each (object,
            // recipient) pair is read on one of them under one purpose, rotating over objects and recipients so
            // that every path meets every purpose; the collection-wide paths above read every triple.
            int k = (i + readerIndex(w, r)) % (2 * n);
            boolean viaObject = full && (PER_OBJECT_ALL_PURPOSES || k == purposeIndex);
            boolean viaVersions = full && (PER_OBJECT_ALL_PURPOSES || k == purposeIndex + n);
            if (!viaObject && !viaVersions) continue;
            PER_OBJECT_TRIPLES.incrementAndGet();
            Answer a = expected.get(o);
            String id = o.json().path("id").asText();
            if (viaObject) {
                LeakHarness.Got got = h.object(r.user(), purpose, o.col().id(), id);
                REQUESTS.incrementAndGet();
                if (a.permitted() && (got.status() != 200 || got.body().path("objects").size() != 1)) {
                    p.add(o, "object", a.toString(), "HTTP " + got.status() + " " + got.body());
                } else if (a.permitted()) {
                    p.content(o, "object", a, got.body().path("objects").get(0));
                } else if (got.status() != 404) {
                    p.add(o, "object", a.toString(), "HTTP " + got.status() + " (LEAK) " + got.body());
                }
            }
            if (viaVersions) {
                LeakHarness.Got versions = h.versions(r.user(), purpose, o.col().id(), id);
                REQUESTS.incrementAndGet();
                if (a.permitted() && (versions.status() != 200 || versions.body().path("versions").size() != 1)) {
                    p.add(o, "versions", a.toString(), "HTTP " + versions.status() + " " + versions.body());
                } else if (!a.permitted() && versions.status() != 404) {
                    p.add(o, "versions", a.toString(), "HTTP " + versions.status() + " (LEAK) " + versions.body());
                }
            }
        }
        List<String> values = List.of(w.values().ip(), w.values().domain(), w.values().email());
        // After a change, one of the three values per (recipient, purpose), rotating.
        if (!full) values = List.of(values.get((purposeIndex + readerIndex(w, r)) % 3));
        for (String value : values) {
            Set<String> served = new TreeSet<>(h.mentions(r.user(), purpose, value));
            REQUESTS.incrementAndGet();
            for (Obj o : w.objects()) {
                if (!o.mentions().contains(value)) continue;
                String key = o.col().id() + "|" + o.json().path("id").asText();
                boolean got = served.remove(key);
                Answer a = expected.get(o);
                if (a.permitted() && !got) p.add(o, "mentions " + value, a.toString(), "withheld it");
                if (!a.permitted() && got) p.add(o, "mentions " + value, a.toString(), "served it (LEAK)");
            }
            for (String extra : served) p.add(null, "mentions " + value, "nothing", "served " + extra);
        }
    }

    /** Collects disagreements, each told so that a person can follow it without the code. */
    record Problems(World w, Reader r, String purpose, String phase, List<Agreement> agreements,
            ConcurrentLinkedQueue<String> out) {

        void add(Obj o, String path, String oracle, String node) {
            StringBuilder b = new StringBuilder();
            b.append("path ").append(path).append(", ").append(phase).append('\n');
            b.append("  recipient ").append(r.org().name()).append(" (").append(r.org().id()).append(", nation ")
                    .append(r.org().nation()).append(r.org().own() ? ", OWN organisation" : "").append("), user ")
                    .append(r.user()).append(", purpose ").append(purpose).append('\n');
            if (o != null) {
                b.append("  object ").append(LeakWorld.describe(o.json())).append('\n');
                if (o.col().providerId() == null) {
                    b.append("  provider: none (own intelligence)\n");
                } else {
                    Org prov = w.orgById().get(o.col().providerId());
                    b.append("  provider ").append(prov.name()).append(" (").append(prov.id()).append(", ")
                            .append(prov.nation()).append(") under ").append(find(o.col().agreementId())).append('\n');
                }
            }
            for (Agreement a : agreements) {
                if (a.status().equals("terminated")) continue;
                b.append("  agreement in the node: ").append(a).append('\n');
            }
            b.append("  POLICY.md (oracle): ").append(oracle).append('\n');
            b.append("  node: ").append(node);
            out.add(b.toString());
        }

        Agreement find(String id) {
            for (Agreement a : agreements) if (a.id().equals(id)) return a;
            return null;
        }

        /** The served object is the stored one less exactly the removed top-level properties. */
        void content(Obj o, String path, Answer a, JsonNode served) {
            List<String> wrong = new ArrayList<>();
            for (Iterator<String> it = o.json().fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (a.removed().contains(f)) {
                    if (served.has(f)) wrong.add("kept " + f + " (LEAK of a property)");
                } else if (!f.equals("granular_markings")) {
                    if (!served.has(f)) wrong.add("removed " + f);
                    else if (!served.get(f).equals(o.json().get(f))) wrong.add("changed " + f + " to " + served.get(f));
                }
            }
            for (Iterator<String> it = served.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!o.json().has(f)) wrong.add("added " + f);
            }
            if (!wrong.isEmpty()) add(o, path + " (properties)", a.toString(), String.join("; ", wrong));
        }
    }
}
