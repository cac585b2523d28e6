package org.entente.screening;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.entente.screening.documents.DocumentNumbers;
import org.entente.screening.names.AnalysedName;
import org.entente.screening.names.NameAnalyser;
import org.entente.screening.names.NameKeys;
import org.entente.screening.names.NameMatch;
import org.entente.screening.names.NameMatcher;
import org.entente.screening.names.Token;

/**
 * An in-memory screening index over any number of watchlists. Names are found through an
 * inverted index of consonant-skeleton keys (and their one-deletion neighbours), weighted by
 * rarity, so a query touches only the entries that share a key with it; the best candidates
 * are then compared word by word and corroborated by date of birth, nationality, gender and
 * documents. Documents and vehicles are found by their normalised numbers.
 *
 * <p>A common name is held by thousands of namesakes: its keys are also kept per year of birth,
 * nationality and gender of their holders, so that a query with those facts reaches the
 * namesakes that agree with it first ({@link Identity}).
 *
 * <p>Entries may be added and removed while queries run: queries share a read lock, changes
 * take the write lock for the few microseconds of an insertion, and for the compaction that
 * gives back what removed entries held once they are a quarter of the index.
 */
public final class ScreeningIndex {

    /** Names compared in full per query name; the rest of the candidates are ranked by keys only. */
    static final int CANDIDATES = 40;
    /** A key found in more names than this is left out of candidate search when the query has rarer words. */
    static final int COMMON = 2_000;
    /** Names taken from the postings of a query of common words only, before ranking. */
    static final int POOL = 300;
    /** Key score taken off per word of a listed name, to rank names the keys cannot tell apart. */
    static final float PER_WORD = 1e-3f;
    /**
     * A name key held by this many names or more is also keyed by each holder's year of birth,
     * nationality and gender ({@link Identity#facets}): among a hundred thousand holders of
     * Muhammad, a query born in 1975 reaches those born then without walking the others.
     */
    static final int FACETED = 1024;
    /**
     * Names of a common-words query's postings scanned past those of its facets, when it has
     * facets: the holders the facets leave out contradict the query, and walking a hundred
     * thousand of them for a few would cost more than the rest of the query.
     */
    static final int BEYOND_FACETS = 4 * 300;

    private final NameMatcher matcher;
    private final Thresholds thresholds;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private Entry[] entries = new Entry[1024];
    /** Per entry slot: date of birth, nationality and gender packed by {@link Identity#pack}. */
    private long[] identity = new long[1024];
    private int entryCount;
    private int live;
    private final Map<String, Integer> slotById = new HashMap<>();

    private int[] nameEntry = new int[1024];
    private short[] nameOrdinal = new short[1024];
    private byte[] nameWords = new byte[1024];
    private String[] nameCode = new String[1024];
    private int nameCount;

    private final Map<String, IntList> nameKeys = new HashMap<>();
    /** Per common word key ({@link NameKeys#facetBases}), its holders by facet ({@link Identity#facets}). */
    private final Map<String, Map<String, IntList>> facetPostings = new HashMap<>();
    private final Map<String, IntList> identifiers = new HashMap<>();

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    public ScreeningIndex(NameMatcher matcher, Thresholds thresholds) {
        this.matcher = matcher;
        this.thresholds = thresholds;
    }

    public ScreeningIndex() {
        this(new NameMatcher(), Thresholds.defaults());
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    public NameMatcher matcher() {
        return matcher;
    }

    /** Number of entries currently listed. */
    public int size() {
        lock.readLock().lock();
        try {
            return live;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Adds many entries: names are analysed on all cores, then inserted in order. Queries may run
     * meanwhile; each insertion holds the write lock only briefly.
     */
    public void addAll(Iterable<? extends Entry> es) {
        // Pipelined: the next batch is analysed on the other cores while this one is inserted.
        java.util.concurrent.CompletableFuture<List<Prepared>> pending = null;
        List<Entry> batch = new ArrayList<>(BATCH);
        for (Entry e : es) {
            batch.add(e);
            if (batch.size() == BATCH) {
                List<Entry> b = batch;
                var next = java.util.concurrent.CompletableFuture.supplyAsync(() -> prepareAll(b));
                if (pending != null) {
                    pending.join().forEach(this::insert);
                }
                pending = next;
                batch = new ArrayList<>(BATCH);
            }
        }
        if (pending != null) {
            pending.join().forEach(this::insert);
        }
        prepareAll(batch).forEach(this::insert);
    }

    private static final int BATCH = 4096;

    private static List<Prepared> prepareAll(List<Entry> batch) {
        return batch.size() < 64 ? batch.stream().map(ScreeningIndex::prepare).toList()
                : batch.parallelStream().map(ScreeningIndex::prepare).toList();
    }

    /**
     * Screens many queries (a passenger manifest) on all cores; the results are in the order of
     * the queries.
     */
    public List<List<Hit>> screenAll(List<Query> queries, int limit) {
        return queries.parallelStream().map(q -> screen(q, limit)).toList();
    }

    /** Adds an entry, replacing any entry with the same list and id. */
    public void add(Entry e) {
        insert(prepare(e));
    }

    /** An entry with the work that needs no lock done: name analysis and identifier keys. */
    private record Prepared(Entry entry, List<AnalysedName> names, List<String> codes, List<List<String>> keys,
                            List<List<String>> facetBases, List<String> ids, List<String> facets) {
    }

    private static Prepared prepare(Entry e) {
        List<AnalysedName> analysed = new ArrayList<>(e.names().size());
        List<String> codes = new ArrayList<>(e.names().size());
        List<List<String>> keys = new ArrayList<>(e.names().size());
        List<List<String>> bases = new ArrayList<>(e.names().size());
        boolean person = e.kind() == Kind.PERSON;
        for (ListedName n : e.names()) {
            AnalysedName a = NameAnalyser.analyse(n.text(), e.kind());
            analysed.add(a);
            codes.add(NameKeys.encode(a));
            List<String> k = new ArrayList<>();
            List<String> b = new ArrayList<>();
            for (Token t : a.tokens()) {
                k.addAll(NameKeys.listedKeys(t));
                if (person) {
                    for (String x : NameKeys.facetBases(t)) {
                        if (!b.contains(x)) {
                            b.add(x);
                        }
                    }
                }
            }
            k.addAll(NameKeys.listedNameKeys(a));
            // hashed here, on all cores, rather than under the write lock
            k.forEach(String::hashCode);
            keys.add(k);
            bases.add(b);
        }
        return new Prepared(e, analysed, codes, keys, bases, identifierKeys(e), person ? Identity.facets(e) : List.of());
    }

    private void insert(Prepared prepared) {
        Entry e = prepared.entry;
        List<AnalysedName> analysed = prepared.names;
        List<String> ids = prepared.ids;
        lock.writeLock().lock();
        try {
            removeLocked(e.listing().list(), e.listing().id());
            int slot = entryCount++;
            if (slot == entries.length) {
                entries = Arrays.copyOf(entries, slot * 2);
                identity = Arrays.copyOf(identity, slot * 2);
            }
            entries[slot] = e;
            identity[slot] = Identity.pack(e);
            live++;
            slotById.put(key(e.listing().list(), e.listing().id()), slot);
            for (int i = 0; i < analysed.size(); i++) {
                AnalysedName a = analysed.get(i);
                if (a.isEmpty()) {
                    continue;
                }
                int nameId = nameCount++;
                if (nameId == nameEntry.length) {
                    nameEntry = Arrays.copyOf(nameEntry, nameId * 2);
                    nameOrdinal = Arrays.copyOf(nameOrdinal, nameId * 2);
                    nameWords = Arrays.copyOf(nameWords, nameId * 2);
                    nameCode = Arrays.copyOf(nameCode, nameId * 2);
                }
                nameEntry[nameId] = slot;
                nameOrdinal[nameId] = (short) Math.min(i, Short.MAX_VALUE);
                nameWords[nameId] = (byte) Math.min(a.scored().size(), Byte.MAX_VALUE);
                nameCode[nameId] = prepared.codes.get(i);
                for (String k : prepared.keys.get(i)) {
                    IntList p = nameKeys.computeIfAbsent(k, x -> new IntList(2));
                    if (p.n == 0 || p.a[p.n - 1] != nameId) {
                        p.add(nameId);
                    }
                }
                for (String k : prepared.facetBases.get(i)) {
                    IntList p = nameKeys.get(k);
                    // once faceted, a key stays so, also when removals take it below FACETED
                    if (p != null && (p.n >= FACETED || facetPostings.containsKey(k))) {
                        facet(k, p, nameId, prepared.facets);
                    }
                }
            }
            for (String id : ids) {
                IntList p = identifiers.computeIfAbsent(id, x -> new IntList(1));
                if (p.n == 0 || p.a[p.n - 1] != slot) {
                    p.add(slot);
                }
            }
            compactIfDead(); // a replaced entry is a removed one
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Keys a name under a common word's key and each of its facets; when the word has just become
     * common, first the persons that held it before (the posting may hold a name twice as
     * common: both words of NASSER NASSER).
     */
    private void facet(String key, IntList posting, int nameId, List<String> facets) {
        Map<String, IntList> byFacet = facetPostings.get(key);
        if (byFacet == null) {
            byFacet = new HashMap<>();
            facetPostings.put(key, byFacet);
            for (int i = 0; i < posting.n; i++) {
                int earlier = posting.a[i];
                Entry e = entries[nameEntry[earlier]];
                if (earlier != nameId && e != null && e.kind() == Kind.PERSON) {
                    for (String f : Identity.facets(e)) {
                        addFacet(byFacet, f, earlier);
                    }
                }
            }
        }
        for (String f : facets) {
            addFacet(byFacet, f, nameId);
        }
    }

    private static void addFacet(Map<String, IntList> byFacet, String facet, int nameId) {
        IntList p = byFacet.computeIfAbsent(facet, x -> new IntList(2));
        if (p.n == 0 || p.a[p.n - 1] != nameId) {
            p.add(nameId);
        }
    }

    /**
     * Removes an entry. Its postings stay in the index, skipped by queries, until removed and
     * replaced entries make up a quarter of the index (and at least {@link #COMPACT_AT}): then
     * the index is compacted in place under the write lock, which gives their space back (about
     * a second at a million entries, during which queries wait).
     */
    public boolean remove(String list, String id) {
        lock.writeLock().lock();
        try {
            boolean removed = removeLocked(list, id);
            compactIfDead();
            return removed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private boolean removeLocked(String list, String id) {
        Integer slot = slotById.remove(key(list, id));
        if (slot == null) {
            return false;
        }
        entries[slot] = null;
        live--;
        return true;
    }

    /** Removed or replaced entries from which on, when a quarter of all, the index is compacted. */
    static final int COMPACT_AT = 4096;
    /** {@link #COMPACT_AT} for this index (tests make it small). */
    int compactAt = COMPACT_AT;

    private void compactIfDead() {
        int dead = entryCount - live;
        if (dead >= compactAt && dead * 4L >= entryCount) {
            compactDead();
        }
    }

    /**
     * Drops removed entries and their names from every structure: slots and name numbers are
     * renumbered in order (so postings stay sorted) and postings filtered in place; keys left
     * without names go.
     */
    private void compactDead() {
        int[] slotMap = new int[entryCount];
        int slots = 0;
        for (int s = 0; s < entryCount; s++) {
            if (entries[s] == null) {
                slotMap[s] = -1;
                continue;
            }
            slotMap[s] = slots;
            entries[slots] = entries[s];
            identity[slots] = identity[s];
            slots++;
        }
        Arrays.fill(entries, slots, entryCount, null);
        entryCount = slots;
        slotById.replaceAll((k, v) -> slotMap[v]);
        int[] nameMap = new int[nameCount];
        int names = 0;
        for (int id = 0; id < nameCount; id++) {
            int s = slotMap[nameEntry[id]];
            if (s < 0) {
                nameMap[id] = -1;
                continue;
            }
            nameMap[id] = names;
            nameEntry[names] = s;
            nameOrdinal[names] = nameOrdinal[id];
            nameWords[names] = nameWords[id];
            nameCode[names] = nameCode[id];
            names++;
        }
        Arrays.fill(nameCode, names, nameCount, null);
        nameCount = names;
        int capacity = Math.max(1024, names + names / 4);
        if (nameEntry.length > 2 * capacity) {
            nameEntry = Arrays.copyOf(nameEntry, capacity);
            nameOrdinal = Arrays.copyOf(nameOrdinal, capacity);
            nameWords = Arrays.copyOf(nameWords, capacity);
            nameCode = Arrays.copyOf(nameCode, capacity);
        }
        int slotCapacity = Math.max(1024, slots + slots / 4);
        if (entries.length > 2 * slotCapacity) {
            entries = Arrays.copyOf(entries, slotCapacity);
            identity = Arrays.copyOf(identity, slotCapacity);
        }
        nameKeys.values().removeIf(p -> p.remap(nameMap) == 0);
        facetPostings.values().removeIf(byFacet -> {
            byFacet.values().removeIf(p -> p.remap(nameMap) == 0);
            return byFacet.isEmpty();
        });
        identifiers.values().removeIf(p -> p.remap(slotMap) == 0);
    }

    /** What the index holds, for tests of removal: name numbers, entry slots, ints in postings. */
    record Size(int names, int slots, long postings) {
    }

    Size sizeOfStructures() {
        lock.readLock().lock();
        try {
            long postings = 0;
            for (IntList p : nameKeys.values()) {
                postings += p.n;
            }
            for (Map<String, IntList> m : facetPostings.values()) {
                for (IntList p : m.values()) {
                    postings += p.n;
                }
            }
            for (IntList p : identifiers.values()) {
                postings += p.n;
            }
            return new Size(nameCount, entryCount, postings);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Gives back the spare capacity of postings after a bulk load. */
    public void compact() {
        lock.writeLock().lock();
        try {
            nameKeys.values().forEach(IntList::trim);
            facetPostings.values().forEach(m -> m.values().forEach(IntList::trim));
            identifiers.values().forEach(IntList::trim);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static String key(String list, String id) {
        return list + '\u0000' + id;
    }

    private static List<String> identifierKeys(Entry e) {
        List<String> out = new ArrayList<>();
        switch (e) {
            case Entry.Person p -> p.documents().forEach(d -> addId(out, "D", d.number()));
            case Entry.Entity en -> en.registrations().forEach(d -> addId(out, "D", d.number()));
            case Entry.TravelDocument d -> addId(out, "D", d.number());
            case Entry.Vehicle v -> {
                addId(out, "V", v.plate());
                addId(out, "V", v.vin());
            }
        }
        return out;
    }

    private static void addId(List<String> out, String prefix, String number) {
        String k = DocumentNumbers.key(number);
        if (k.length() >= 3) {
            out.add(prefix + k);
        }
    }

    /**
     * The best hits for a query, best first: at most {@code limit}, including those below their
     * list's threshold (see {@link Hit#match()}).
     */
    public List<Hit> screen(Query q, int limit) {
        return screen(q, limit, NameFilter.NONE);
    }

    /** Names left out of one query, by entry slot and name ordinal (for the evaluation). */
    interface NameFilter {
        NameFilter NONE = (slot, ordinal) -> false;

        boolean skip(int slot, int ordinal);
    }

    /** The internal slot of an entry, or -1. */
    int slotOf(String list, String id) {
        lock.readLock().lock();
        try {
            return slotById.getOrDefault(key(list, id), -1);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * As {@link #screen(Query, int)}, but one listed name is left out, as if it were not on the
     * list: the evaluation queries an alias against the other names of its entry.
     */
    List<Hit> screen(Query q, int limit, NameFilter excludedName) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        Map<Integer, Candidate> bySlot = new LinkedHashMap<>();
        Identity.Wanted wanted = Identity.Wanted.of(q);
        // The query's name analysed per kind, once: the explanation of every hit needs it again.
        Map<Kind, AnalysedName> queryName = new EnumMap<>(Kind.class);
        lock.readLock().lock();
        try {
            if (q.nameText().isPresent()) {
                for (Kind kind : new Kind[] {Kind.PERSON, Kind.ENTITY}) {
                    if (q.kind() == null || q.kind() == kind) {
                        AnalysedName a = NameAnalyser.analyse(q.name(), kind);
                        queryName.put(kind, a);
                        nameCandidates(a, kind, wanted, bySlot, excludedName);
                    }
                }
            }
            identifierCandidates(q, bySlot);
            List<Candidate> ranked = new ArrayList<>();
            for (Candidate c : bySlot.values()) {
                c.entry = entries[c.slot];
                if (c.entry != null) {
                    c.value = Scoring.value(q, c.entry, c.nameScore, c.nameOrdinal);
                    ranked.add(c);
                }
            }
            ranked.sort(Comparator.comparingDouble((Candidate c) -> c.value).reversed());
            // Only the hits returned are explained: explanations are strings, and strings cost.
            List<Hit> out = new ArrayList<>(Math.min(limit, ranked.size()));
            for (Candidate c : ranked.subList(0, Math.min(limit, ranked.size()))) {
                AnalysedName name = c.nameScore == null ? null
                        : queryName.computeIfAbsent(c.entry.kind(), k -> NameAnalyser.analyse(q.name(), k));
                out.add(Scoring.hit(q, name, c.entry, c.nameOrdinal, c.nameScore != null, matcher, thresholds));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static final class Candidate {
        final int slot;
        Entry entry;
        double value;
        NameMatch nameScore;
        int nameOrdinal = -1;

        Candidate(int slot) {
            this.slot = slot;
        }
    }

    private void nameCandidates(AnalysedName query, Kind kind, Identity.Wanted wanted, Map<Integer, Candidate> bySlot,
                                NameFilter excludedName) {
        List<Token> words = query.scored();
        if (words.isEmpty()) {
            return;
        }
        Scratch s = scratch.get();
        s.begin(nameCount);
        // Rarest words first, so that common words can be left out of the search when rare ones exist.
        List<Map<String, Float>> keysPerWord = new ArrayList<>();
        List<List<String>> identityKeys = new ArrayList<>();
        List<Integer> df = new ArrayList<>();
        for (Token t : words) {
            Map<String, Float> keys = NameKeys.queryKeys(t);
            keysPerWord.add(keys);
            List<String> ids = NameKeys.identityKeys(t);
            identityKeys.add(ids);
            // how common the word is: by the largest of the postings that hold it (a rare spelling of
            // a common skeleton is common: the rare path would not reach its other spellings)
            int n = 0;
            for (String k : ids) {
                IntList p = nameKeys.get(k);
                n = Math.max(n, p == null ? 0 : p.n);
            }
            df.add(n);
        }
        Integer[] order = new Integer[words.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(df::get));
        double total = Math.max(1, nameCount);
        // The most key score a name can get: the scale of the identity adjustments among candidates.
        double most = 0;
        for (int d : df) {
            most += NameKeys.EXACT * Math.log(1 + total / Math.max(1, d));
        }
        boolean anyRare = df.get(order[0]) <= COMMON;
        if (anyRare) {
            // Common words (Muhammad, Ahmad) would touch a large share of all names: the rare
            // words find the candidates.
            for (int w : order) {
                if (df.get(w) > COMMON) {
                    break;
                }
                for (Map.Entry<String, Float> k : keysPerWord.get(w).entrySet()) {
                    IntList p = nameKeys.get(k.getKey());
                    if (p != null && p.n <= (k.getValue() < 1f ? COMMON / 5 : COMMON)) {
                        s.accumulate(p, w, (float) (k.getValue() * Math.log(1 + total / p.n)));
                    }
                }
            }
            // The common words were left out of the search, but they still tell apart the names the
            // rare ones found (Edgar BENGOECHEA among a thousand BENGOECHEAs, who all score alike
            // by the rare word): credit them to those names only, as if their postings had been
            // scanned, by looking the names up in them. Without it the 40 compared in full are
            // the first namesakes in id order.
            for (int w : order) {
                if (df.get(w) > COMMON) {
                    credit(s, keysPerWord.get(w), w, total);
                }
            }
        } else {
            // Only common words: the names holding the two rarest together (or the one word).
            // Every such name gets the same key score from those two, and there can be a hundred
            // thousand of them (Muhammad at 1,000,000 entries). Those born in the query's years
            // (or else of its nationality, or gender) are taken first through the faceted keys,
            // then others in id order up to POOL; all are ranked by the query's other words and
            // then by length (the full comparison charges for every listed word left over), the
            // identity facts counted, and the best compared in full.
            // Each word is any of its identity keys (Hasan: its name, and h-s-n), so the postings
            // of each key of one are intersected with each of the other's.
            List<String> ka = identityKeys.get(order[0]);
            List<String> kb = order.length >= 2 ? identityKeys.get(order[1]) : null;
            float weight = (float) (Math.log(1 + total / Math.max(1, df.get(order[0])))
                    + (kb == null ? 0 : Math.log(1 + total / Math.max(1, df.get(order[1])))));
            // a word is several keys, but the scan stays what one key of the rarest word would cost
            int budget = Math.max(POOL, df.get(order[0]));
            if (wanted != null && kind == Kind.PERSON) {
                List<String> fa = NameKeys.facetBases(words.get(order[0]));
                List<String> fb = kb == null ? null : NameKeys.facetBases(words.get(order[1]));
                for (String f : wanted.facets()) {
                    collectFacet(s, fa, fb, f, weight);
                }
                budget = BEYOND_FACETS;
            }
            collectAll(s, ka, kb, weight, budget);
            for (int x = 2; x < order.length; x++) {
                credit(s, keysPerWord.get(order[x]), order[x], total);
            }
        }
        wholeNameKeys(query, s, total, words.size());
        // Take the best few by key score and compare them in full.
        int[] best = s.top(CANDIDATES, nameEntry, nameOrdinal, entries, kind, excludedName,
                kind == Kind.PERSON ? wanted : null, identity, (float) most);
        for (int nameId : best) {
            if (nameId < 0) {
                continue;
            }
            NameMatch m = matcher.compare(query, NameKeys.decode(nameCode[nameId]));
            Candidate c = bySlot.computeIfAbsent(nameEntry[nameId], Candidate::new);
            if (c.nameScore == null || m.score() > c.nameScore.score()) {
                c.nameScore = m;
                c.nameOrdinal = nameOrdinal[nameId];
            }
        }
    }

    /**
     * Collects the names holding a key of each word (or of the one word), up to {@link #POOL}
     * names, scanning at most {@code budget} names of the first word's postings.
     */
    private void collectAll(Scratch s, List<String> ka, List<String> kb, float weight, int budget) {
        int[] left = {budget};
        for (String x : ka) {
            IntList a = nameKeys.get(x);
            if (a == null) {
                continue;
            }
            if (kb == null) {
                s.collect(a, null, POOL, weight, nameWords, left);
                continue;
            }
            for (String y : kb) {
                IntList b = nameKeys.get(y);
                if (b != null) {
                    s.collect(a, b, POOL, weight, nameWords, left);
                }
            }
        }
    }

    /** As {@link #collectAll} for the holders with one facet, through the faceted postings. */
    private void collectFacet(Scratch s, List<String> ka, List<String> kb, String facet, float weight) {
        int[] unlimited = {Integer.MAX_VALUE};
        for (String x : ka) {
            Map<String, IntList> fx = facetPostings.get(x);
            IntList a = fx == null ? null : fx.get(facet);
            if (a == null) {
                continue;
            }
            if (kb == null) {
                s.collect(a, null, POOL, weight, nameWords, unlimited);
                continue;
            }
            for (String y : kb) {
                Map<String, IntList> fy = facetPostings.get(y);
                IntList b = fy == null ? null : fy.get(facet);
                if (b != null) {
                    s.collect(a, b, POOL, weight, nameWords, unlimited);
                }
            }
        }
    }

    /** Credits a word's full-weight keys to the names already touched (see {@link Scratch#credit}). */
    private void credit(Scratch s, Map<String, Float> keys, int word, double total) {
        for (Map.Entry<String, Float> k : keys.entrySet()) {
            IntList p = k.getValue() < 1f ? null : nameKeys.get(k.getKey());
            if (p != null) {
                s.credit(p, word, (float) (k.getValue() * Math.log(1 + total / p.n)));
            }
        }
    }

    /**
     * Keys of the query as a whole: its words written together (RYUNG SENG / RYUNGSENG) and an
     * entity's initials (E.C.A.). They count as words of their own after the query's last.
     */
    private void wholeNameKeys(AnalysedName query, Scratch s, double total, int firstWord) {
        int w = firstWord;
        for (Map.Entry<String, Float> k : NameKeys.queryNameKeys(query).entrySet()) {
            IntList p = nameKeys.get(k.getKey());
            if (p != null && p.n <= COMMON) {
                s.accumulate(p, w, (float) (k.getValue() * Math.log(1 + total / p.n)));
            }
            w++;
        }
    }

    /**
     * The first index at or after {@code from} whose id is at least {@code x}: galloping, then a
     * binary search, since b (the commoner word) can be a hundred times longer than a.
     */
    private static int advance(IntList b, int from, int x) {
        int step = 1;
        int lo = from;
        int hi = from;
        while (hi < b.n && b.a[hi] < x) {
            lo = hi + 1;
            hi += step;
            step <<= 1;
        }
        hi = Math.min(hi, b.n);
        // b.a[lo - 1] < x (or lo == from) and (hi == b.n or b.a[hi] >= x)
        int k = Arrays.binarySearch(b.a, lo, hi, x);
        return k >= 0 ? k : -k - 1;
    }

    private void identifierCandidates(Query q, Map<Integer, Candidate> bySlot) {
        for (String id : new String[] {q.document() == null ? null : "D" + DocumentNumbers.key(q.document()),
                q.vehicle() == null ? null : "V" + DocumentNumbers.key(q.vehicle())}) {
            if (id == null) {
                continue;
            }
            IntList p = identifiers.get(id);
            if (p != null) {
                for (int i = 0; i < p.n; i++) {
                    bySlot.computeIfAbsent(p.a[i], Candidate::new);
                }
            }
        }
    }

    /** Per-thread accumulators over all names, reset by an epoch stamp instead of clearing. */
    private static final class Scratch {
        int[] stamp = new int[0];
        float[] score = new float[0];
        int[] lastWord = new int[0];
        float[] lastWeight = new float[0];
        int epoch;
        IntList touched = new IntList(1024);

        void begin(int names) {
            if (stamp.length < names) {
                int n = Math.max(names, stamp.length * 2);
                stamp = Arrays.copyOf(stamp, n);
                score = Arrays.copyOf(score, n);
                lastWord = Arrays.copyOf(lastWord, n);
                lastWeight = Arrays.copyOf(lastWeight, n);
            }
            epoch++;
            if (epoch == Integer.MAX_VALUE) {
                Arrays.fill(stamp, 0);
                epoch = 1;
            }
            touched.n = 0;
        }

        void accumulate(IntList p, int word, float weight) {
            int[] a = p.a;
            for (int i = 0, n = p.n; i < n; i++) {
                int id = a[i];
                if (id >= stamp.length) {
                    continue; // added after this query began
                }
                if (stamp[id] != epoch) {
                    stamp[id] = epoch;
                    score[id] = weight;
                    lastWord[id] = word;
                    lastWeight[id] = weight;
                    touched.add(id);
                } else {
                    add(id, word, weight);
                }
            }
        }

        /**
         * Adds a word's weight to the names already touched that hold it, touching no new ones:
         * those names get the score {@link #accumulate} would give them, at the cost of the
         * shorter of the posting and the touched names (a walk of the posting testing stamps, or
         * a binary search of the posting per touched name).
         */
        void credit(IntList p, int word, float weight) {
            int[] a = p.a;
            int touchedNow = touched.n;
            if (p.n <= touchedNow * 8) {
                for (int i = 0, n = p.n; i < n; i++) {
                    int id = a[i];
                    if (id < stamp.length && stamp[id] == epoch) {
                        add(id, word, weight);
                    }
                }
            } else {
                int[] t = touched.a;
                for (int i = 0; i < touchedNow; i++) {
                    if (Arrays.binarySearch(a, 0, p.n, t[i]) >= 0) {
                        add(t[i], word, weight);
                    }
                }
            }
        }

        /**
         * Touches the first {@code k} names, in id order, of posting {@code a} that are also in
         * {@code b} (when given), each with {@code weight} less {@link #PER_WORD} per word, scanning
         * at most {@code budget[0]} names of {@code a} (what is left of it is left in it).
         */
        void collect(IntList a, IntList b, int k, float weight, byte[] words, int[] budget) {
            int j = 0;
            for (int i = 0; i < a.n && touched.n < k && budget[0]-- > 0; i++) {
                int x = a.a[i];
                if (b != null) {
                    j = advance(b, j, x);
                    if (j == b.n) {
                        return;
                    }
                    if (b.a[j] != x) {
                        continue;
                    }
                    j++;
                }
                if (x < stamp.length && stamp[x] != epoch) {
                    stamp[x] = epoch;
                    score[x] = weight - PER_WORD * words[x];
                    lastWord[x] = -1;
                    touched.add(x);
                }
            }
        }

        /** A touched name holds the word: one word counts once per name, by its best key. */
        private void add(int id, int word, float weight) {
            if (lastWord[id] != word) {
                score[id] += weight;
                lastWord[id] = word;
                lastWeight[id] = weight;
            } else if (weight > lastWeight[id]) {
                score[id] += weight - lastWeight[id];
                lastWeight[id] = weight;
            }
        }

        /**
         * The ids of the k best-scoring live names of the kind wanted; -1 pads. With a query's
         * identity facts, each name's key score moves as its entry's date of birth, nationality and
         * gender will move the final score, on the scale of the most key score a name can get.
         */
        int[] top(int k, int[] nameEntry, short[] nameOrdinal, Entry[] entries, Kind kind, NameFilter excluded,
                  Identity.Wanted wanted, long[] identity, float scale) {
            int[] heap = new int[k];
            int size = 0;
            int[] t = touched.a;
            float most = wanted == null ? 0 : (float) (Identity.Wanted.mostAdded() * scale);
            for (int i = 0, n = touched.n; i < n; i++) {
                int id = t[i];
                float s = score[id];
                if (size == k && s + most <= score[heap[0]]) {
                    continue; // cheapest test first: most touched names score low
                }
                if (excluded.skip(nameEntry[id], nameOrdinal[id])) {
                    continue;
                }
                Entry e = entries[nameEntry[id]];
                if (e == null || e.kind() != kind) {
                    continue;
                }
                if (wanted != null) {
                    s += (float) (wanted.adjustment(identity[nameEntry[id]]) * scale);
                    score[id] = s;
                }
                if (size < k) {
                    heap[size++] = id;
                    siftUp(heap, size - 1);
                } else if (s > score[heap[0]]) {
                    heap[0] = id;
                    siftDown(heap, size);
                }
            }
            int[] out = Arrays.copyOf(heap, k);
            Arrays.fill(out, size, k, -1);
            return out;
        }

        private void siftUp(int[] h, int i) {
            while (i > 0) {
                int parent = (i - 1) / 2;
                if (score[h[i]] >= score[h[parent]]) {
                    return;
                }
                int x = h[i];
                h[i] = h[parent];
                h[parent] = x;
                i = parent;
            }
        }

        private void siftDown(int[] h, int size) {
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                int r = l + 1;
                int m = i;
                if (l < size && score[h[l]] < score[h[m]]) {
                    m = l;
                }
                if (r < size && score[h[r]] < score[h[m]]) {
                    m = r;
                }
                if (m == i) {
                    return;
                }
                int x = h[i];
                h[i] = h[m];
                h[m] = x;
                i = m;
            }
        }
    }
}
