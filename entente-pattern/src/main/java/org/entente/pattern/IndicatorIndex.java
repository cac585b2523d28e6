package org.entente.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.entente.pattern.Anchors.Anchor;
import org.entente.pattern.Anchors.DomainSuffix;
import org.entente.pattern.Anchors.Exact;
import org.entente.pattern.Anchors.Network;
import org.entente.pattern.Anchors.Trigram;
import org.entente.pattern.Ast.*;
import org.entente.pattern.Cmp.TestC;
import org.entente.pattern.ObservationSet.Observed;
import org.entente.pattern.StreamingMatcher.Options;
import org.entente.pattern.StreamingMatcher.Outcome;
import org.entente.pattern.StreamingMatcher.Stats;
import org.entente.pattern.StreamingMatcher.Status;

import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

/**
 * The compiled indicators of a {@link StreamingMatcher} and the indexes that find them for an
 * observation. Not thread-safe: the matcher guards it.
 *
 * <p>Removing an indicator only marks it dead: its postings are skipped on lookup. The dead
 * entries are counted per structure (indicator slots, postings, leaves of multi-comparison
 * patterns), and {@link #compacted} builds a new index holding only the live ones. Building it
 * only reads this index, so observations can go on matching against this one meanwhile.
 */
final class IndicatorIndex {

    /** Dead entries below this never make a compaction worth its cost. */
    static final int COMPACT_MIN_DEAD = 4096;

    static final byte LIVE = 1;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** {@link #postingCount} saturates here; larger counts are kept in {@link #manyPostings}. */
    private static final int MANY = 255;

    private final Options options;

    // ---- indicators, by int reference
    private int count;
    private int liveCount;
    private long[] idHi;
    private long[] idLo;
    private long[] validFrom;    // epoch millis
    private long[] validUntil;   // epoch millis, Long.MAX_VALUE when open
    private byte[] flags;
    /** Postings made for the indicator (its own, or its leaves'), so a removal knows how many it leaves dead. */
    private byte[] postingCount;
    private final Map<Integer, Integer> manyPostings = new HashMap<>();
    private final Map<Integer, String> oddIds = new HashMap<>();   // ids that are not type--uuid
    private LongIntMap byIdHash;
    private final Map<String, Integer> idCollisions = new HashMap<>();
    private final Map<Integer, Complex> complex = new HashMap<>();

    // ---- leaves of complex indicators
    private int leafCount;
    private int[] leafOwner;
    private int[] leafIndex;
    private Cmp[] leafCmp;
    private int[] leafStamp;

    // ---- postings: target >= 0 a simple indicator, < 0 the leaf -(target + 1)
    private int postings;
    private int[] postTarget;
    private int[] postNext;

    // ---- tombstones: what removals left behind until the next compaction
    private long deadPostings;
    private int deadLeaves;

    // ---- indexes
    private StringKeyIndex exact = new StringKeyIndex();
    private LongIntMap trigrams = new LongIntMap(1024);
    /**
     * One bit per (low seven bits of three characters): most trigrams of a value are in no
     * pattern, and this says so with one read of a 256 KiB table, without hashing.
     */
    private final long[] trigramFilter = new long[1 << 15];
    /** The same for five characters (35 bits, hashed to 2^20 bits: 128 KiB, stays in L2). */
    private final long[] longGramFilter = new long[1 << 14];
    private final Map<Integer, CidrIndex> networks = new HashMap<>();
    private final Map<String, Integer> fieldIds = new HashMap<>();
    private final List<Field> fields = new ArrayList<>();
    private final Map<String, TypeIndex> types = new HashMap<>();

    // ---- per-observation scratch
    private int stamp;
    private int[] simpleStamp;
    private int[] hitSimple = new int[64];
    private int hitSimpleCount;
    private int[] hitLeaf = new int[64];
    private int hitLeafCount;

    IndicatorIndex(Options options) {
        this(options, 1024, 256, 1024);
    }

    private IndicatorIndex(Options options, int indicators, int leaves, int postingCapacity) {
        this.options = options;
        idHi = new long[indicators];
        idLo = new long[indicators];
        validFrom = new long[indicators];
        validUntil = new long[indicators];
        flags = new byte[indicators];
        postingCount = new byte[indicators];
        simpleStamp = new int[indicators];
        byIdHash = new LongIntMap(indicators);
        leafOwner = new int[leaves];
        leafIndex = new int[leaves];
        leafCmp = new Cmp[leaves];
        leafStamp = new int[leaves];
        postTarget = new int[postingCapacity];
        postNext = new int[postingCapacity];
    }

    int size() {
        return liveCount;
    }

    // ======================================================================== indicators

    /** Indexes a parsed indicator, replacing the live one with the same id. */
    Outcome add(String id, long from, long until, Pattern pattern) {
        boolean replaced = remove(id);
        int ref = newIndicator(id, from, until);
        int postingsBefore = postings;
        Evaluator ev = pattern.evaluator();
        ObservationExpression root = ev.root();
        SimpleShape simple = root instanceof Observation o ? simpleShape(ev.leaf(o)) : null;
        if (simple != null) {
            for (Anchor a : simple.anchors) {
                index(a, ref);
            }
        } else {
            Complex cx = new Complex(pattern, ev, root instanceof Observation, horizon(root));
            complex.put(ref, cx);
            List<Observation> leaves = ev.leafOrder();
            for (int j = 0; j < leaves.size(); j++) {
                int leaf = newLeaf(ref, j, ev.leaf(leaves.get(j)));
                List<Anchor> anchors = Anchors.of(leafCmp[leaf]);
                if (anchors == null) {
                    for (String t : types(leafCmp[leaf])) {
                        typeIndex(t).scan = append(typeIndex(t).scan, leaf);
                    }
                } else {
                    for (Anchor a : anchors) {
                        index(a, -leaf - 1);
                    }
                }
            }
        }
        setPostingCount(ref, postings - postingsBefore);
        return new Outcome(id, replaced ? Status.REPLACED : Status.ADDED, simple != null ? "indexed" : "compiled");
    }

    /** Stops matching the indicator with this id; false if there was none. */
    boolean remove(String id) {
        int ref = find(id);
        if (ref < 0) {
            return false;
        }
        // postings of a dead indicator are skipped on lookup until the next compaction; its state goes now
        flags[ref] = 0;
        liveCount--;
        deadPostings += postingCount(ref);
        manyPostings.remove(ref);
        Complex cx = complex.remove(ref);
        if (cx != null) {
            deadLeaves += cx.evaluator.leafOrder().size();
        }
        oddIds.remove(ref);
        long h = idHash(id);
        if (byIdHash.get(h) == ref) {
            byIdHash.put(h, -1);
        }
        idCollisions.remove(id);
        return true;
    }

    private void setPostingCount(int ref, int n) {
        if (n >= MANY) {
            postingCount[ref] = (byte) MANY;
            manyPostings.put(ref, n);
        } else {
            postingCount[ref] = (byte) n;
        }
    }

    private int postingCount(int ref) {
        int n = postingCount[ref] & 0xFF;
        return n == MANY ? manyPostings.get(ref) : n;
    }

    private int find(String id) {
        Integer c = idCollisions.get(id);
        if (c != null) {
            return c;
        }
        int ref = byIdHash.get(idHash(id));
        return ref >= 0 && flags[ref] == LIVE && idOf(ref).equals(id) ? ref : -1;
    }

    private int newIndicator(String id, long from, long until) {
        int ref = newSlot();
        UUID u = uuidOf(id);
        if (u != null) {
            idHi[ref] = u.getMostSignificantBits();
            idLo[ref] = u.getLeastSignificantBits();
        } else {
            oddIds.put(ref, id);
        }
        validFrom[ref] = from;
        validUntil[ref] = until;
        long h = idHash(id);
        int previous = byIdHash.get(h);
        if (previous >= 0 && flags[previous] == LIVE) {
            idCollisions.put(id, ref);   // another live id shares the 64-bit hash
        } else {
            byIdHash.put(h, ref);
        }
        flags[ref] = LIVE;
        liveCount++;
        return ref;
    }

    private int newSlot() {
        int ref = count++;
        if (ref == idHi.length) {
            int n = ref * 2;
            idHi = Arrays.copyOf(idHi, n);
            idLo = Arrays.copyOf(idLo, n);
            validFrom = Arrays.copyOf(validFrom, n);
            validUntil = Arrays.copyOf(validUntil, n);
            flags = Arrays.copyOf(flags, n);
            postingCount = Arrays.copyOf(postingCount, n);
            simpleStamp = Arrays.copyOf(simpleStamp, n);
        }
        return ref;
    }

    private static UUID uuidOf(String id) {
        if (!id.startsWith("indicator--") || id.length() != 47) {
            return null;
        }
        try {
            UUID u = UUID.fromString(id.substring(11));
            return u.toString().equals(id.substring(11)) ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String idOf(int ref) {
        String odd = oddIds.get(ref);
        return odd != null ? odd : "indicator--" + new UUID(idHi[ref], idLo[ref]);
    }

    private static long idHash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001b3L;
        }
        return h == Long.MIN_VALUE ? 0 : h;
    }

    private long horizon(ObservationExpression root) {
        long max = options.stateHorizon().toNanos();
        if (root instanceof Within w) {
            return Math.min(max, w.seconds().multiply(java.math.BigDecimal.valueOf(1_000_000_000L)).longValue());
        }
        return max;
    }

    // ======================================================================== compile

    /** A pattern that is one comparison whose anchors decide it exactly: no evaluation needed. */
    private record SimpleShape(List<Anchor> anchors) {
    }

    private static SimpleShape simpleShape(Cmp c) {
        if (!(c instanceof TestC t)) {
            return null;
        }
        List<Anchor> anchors = Anchors.of(t);
        if (anchors == null) {
            return null;
        }
        for (Anchor a : anchors) {
            if (a instanceof Trigram) {
                return null;
            }
        }
        return new SimpleShape(anchors);
    }

    private static List<String> types(Cmp c) {
        return switch (c) {
            case Cmp.AndC a -> types(a.left());
            case Cmp.OrC o -> {
                List<String> l = new ArrayList<>(types(o.left()));
                for (String t : types(o.right())) {
                    if (!l.contains(t)) {
                        l.add(t);
                    }
                }
                yield l;
            }
            case TestC t -> List.of(t.type());
        };
    }

    private int newLeaf(int owner, int index, Cmp cmp) {
        int leaf = leafCount++;
        if (leaf == leafOwner.length) {
            int n = leaf * 2;
            leafOwner = Arrays.copyOf(leafOwner, n);
            leafIndex = Arrays.copyOf(leafIndex, n);
            leafCmp = Arrays.copyOf(leafCmp, n);
            leafStamp = Arrays.copyOf(leafStamp, n);
        }
        leafOwner[leaf] = owner;
        leafIndex[leaf] = index;
        leafCmp[leaf] = cmp;
        return leaf;
    }

    private void index(Anchor a, int target) {
        TestC t = a.test();
        String path = t.source().path().toString();
        switch (a) {
            case Exact e -> {
                Field f = field(path, t, 'e');
                exact.put(f.id, e.value(), post(exact.get(f.id, e.value(), 0), target));
            }
            case DomainSuffix d -> {
                Field f = field(path, t, 's');
                exact.put(f.id, d.suffix(), post(exact.get(f.id, d.suffix(), 0), target));
            }
            case Network n -> {
                Field f = field(path, t, 'n');
                networks.computeIfAbsent(f.id, k -> new CidrIndex()).add(n.net(), target, this);
            }
            case Trigram g when g.chars().length() == 3 -> {
                Field f = field(path, t, 'g');
                long key = gramKey(f.id, gramWindow(g.chars(), 0, 3));
                trigrams.put(key, post(trigrams.get(key), target));
                int bit = (int) gramWindow(g.chars(), 0, 3);
                trigramFilter[bit >>> 6] |= 1L << bit;
            }
            case Trigram g -> {
                Field f = field(path, t, 'h');
                long window = gramWindow(g.chars(), 0, Anchors.LONG_GRAM);
                long key = gramKey(f.id, window);
                trigrams.put(key, post(trigrams.get(key), target));
                int bit = longGramBit(window);
                longGramFilter[bit >>> 6] |= 1L << bit;
            }
        }
    }

    int post(int head, int target) {
        int p = postings++;
        if (p == postTarget.length) {
            postTarget = Arrays.copyOf(postTarget, p * 2);
            postNext = Arrays.copyOf(postNext, p * 2);
        }
        postTarget[p] = target;
        postNext[p] = head;
        return p;
    }

    private Field field(String path, TestC t, char kind) {
        String key = kind + path;
        Integer id = fieldIds.get(key);
        if (id != null) {
            return fields.get(id);
        }
        Field f = new Field(fields.size(), kind, t.type(), t.steps());
        fields.add(f);
        fieldIds.put(key, f.id);
        TypeIndex ti = typeIndex(t.type());
        for (int g = 0; g < ti.groups.length; g++) {
            PathGroup pg = ti.groups[g];
            if (Arrays.equals(pg.steps(), f.steps())) {
                Field[] fs = Arrays.copyOf(pg.fields(), pg.fields().length + 1);
                fs[fs.length - 1] = f;
                ti.groups[g] = new PathGroup(pg.keys(), pg.steps(), fs);
                return f;
            }
        }
        ti.groups = Arrays.copyOf(ti.groups, ti.groups.length + 1);
        ti.groups[ti.groups.length - 1] = new PathGroup(f.keys(), f.steps(), new Field[]{f});
        return f;
    }

    private TypeIndex typeIndex(String type) {
        return types.computeIfAbsent(type, k -> new TypeIndex());
    }

    /**
     * The low seven bits of {@code n} characters; characters beyond ASCII fold together, which
     * only adds candidates (every candidate is evaluated).
     */
    private static long gramWindow(String s, int at, int n) {
        long w = 0;
        for (int i = at; i < at + n; i++) {
            w = (w << 7) | (s.charAt(i) & 127);
        }
        return w;
    }

    private static long gramKey(int field, long window) {
        return ((long) field << 40) | window;
    }

    private static int longGramBit(long window) {
        return (int) ((window * 0x9E3779B97F4A7C15L) >>> (64 - 20));
    }

    private static int[] append(int[] a, int v) {
        int[] r = Arrays.copyOf(a, a.length + 1);
        r[a.length] = v;
        return r;
    }

    /** One object path of one object type, looked up in one way (e exact, s suffix, n network, g three and h five characters). */
    private record Field(int id, char kind, String type, PathStep[] steps, String[] keys) {
        Field(int id, char kind, String type, PathStep[] steps) {
            this(id, kind, type, steps, plainKeys(steps));
        }

        /** The keys of a path that is only plain keys (no list index, no reference), else null. */
        static String[] plainKeys(PathStep[] steps) {
            String[] keys = new String[steps.length];
            for (int i = 0; i < steps.length; i++) {
                if (!(steps[i] instanceof Key k) || k.name().endsWith("_ref") || k.name().endsWith("_refs")) {
                    return null;
                }
                keys[i] = k.name();
            }
            return keys;
        }
    }

    /** The fields of one type that share a path, so the path is resolved once per object. */
    private record PathGroup(String[] keys, PathStep[] steps, Field[] fields) {
    }

    private static final class TypeIndex {
        PathGroup[] groups = new PathGroup[0];
        int[] scan = new int[0];
    }

    // ======================================================================== observe

    /** Part-matches of a multi-observation pattern and the pattern itself. */
    private static final class Complex {
        final Pattern pattern;
        final Evaluator evaluator;
        final boolean single;
        final long horizonNanos;
        final ArrayDeque<Event> events = new ArrayDeque<>();

        Complex(Pattern pattern, Evaluator evaluator, boolean single, long horizonNanos) {
            this.pattern = pattern;
            this.evaluator = evaluator;
            this.single = single;
            this.horizonNanos = horizonNanos;
        }
    }

    private record Event(Observed observed, String scoId, BitSet leaves) {
    }

    /** Adds to {@code out} a sighting for every indicator the observation completes. */
    void match(Observed o, Instant now, List<ObjectNode> out) {
        if (++stamp == 0) {
            Arrays.fill(simpleStamp, 0);
            Arrays.fill(leafStamp, 0);
            stamp = 1;
        }
        hitSimpleCount = 0;
        hitLeafCount = 0;
        String scoId = null;
        for (JsonNode root : o.roots()) {
            JsonNode t = root.get("type");
            TypeIndex ti = t == null ? null : types.get(t.asText());
            if (ti == null) {
                continue;
            }
            int leavesBefore = hitLeafCount;
            for (PathGroup g : ti.groups) {
                lookup(g, root, o.scope());
            }
            for (int leaf : ti.scan) {
                hit(-leaf - 1);
            }
            // candidate leaves are confirmed against this root; a leaf already confirmed stays
            for (int i = leavesBefore; i < hitLeafCount; i++) {
                int leaf = hitLeaf[i];
                boolean ok;
                try {
                    ok = flags[leafOwner[leaf]] == LIVE && leafCmp[leaf].test(root, o.scope());
                } catch (PatternEvaluationException e) {
                    ok = false;   // the specification's error for this pairing: no match
                }
                if (!ok) {
                    leafStamp[leaf] = 0;
                    hitLeaf[i--] = hitLeaf[--hitLeafCount];
                }
            }
        }
        if (hitSimpleCount == 0 && hitLeafCount == 0) {
            return;
        }
        if (o.id() == null && o.roots().size() == 1 && o.roots().getFirst().get("id") != null) {
            scoId = o.roots().getFirst().get("id").asText();
        }
        long first = o.first().toEpochMilli();
        long last = o.last().toEpochMilli();
        for (int i = 0; i < hitSimpleCount; i++) {
            int ref = hitSimple[i];
            if (flags[ref] == LIVE && validFrom[ref] <= last && first < validUntil[ref]) {
                out.add(sighting(ref, List.of(o), scoId == null ? List.of() : List.of(scoId), now));
            }
        }
        if (hitLeafCount > 0) {
            matchComplex(o, scoId, now, out);
        }
    }

    private void matchComplex(Observed o, String scoId, Instant now, List<ObjectNode> out) {
        Map<Integer, BitSet> byOwner = new HashMap<>();
        for (int i = 0; i < hitLeafCount; i++) {
            int leaf = hitLeaf[i];
            byOwner.computeIfAbsent(leafOwner[leaf], k -> new BitSet()).set(leafIndex[leaf]);
        }
        long first = o.first().toEpochMilli();
        long last = o.last().toEpochMilli();
        for (Map.Entry<Integer, BitSet> e : byOwner.entrySet()) {
            int ref = e.getKey();
            Complex cx = complex.get(ref);
            if (cx == null || !(validFrom[ref] <= last && first < validUntil[ref])) {
                continue;
            }
            if (cx.single && cx.evaluator.root() instanceof Observation) {
                out.add(sighting(ref, List.of(o), scoId == null ? List.of() : List.of(scoId), now));
                continue;
            }
            Event ev = new Event(o, scoId, e.getValue());
            cx.events.addLast(ev);
            expire(cx, o.last());
            List<Event> events = new ArrayList<>(cx.events);
            List<Observed> obs = new ArrayList<>(events.size());
            int leaves = cx.evaluator.leafOrder().size();
            BitSet[] hits = new BitSet[leaves];
            for (int j = 0; j < leaves; j++) {
                hits[j] = new BitSet(events.size());
            }
            for (int i = 0; i < events.size(); i++) {
                obs.add(events.get(i).observed());
                BitSet m = events.get(i).leaves();
                for (int j = m.nextSetBit(0); j >= 0; j = m.nextSetBit(j + 1)) {
                    hits[j].set(i);
                }
            }
            MatchResult r;
            try {
                r = cx.evaluator.match(obs, hits);
            } catch (PatternEvaluationException ex) {
                continue;
            }
            if (r.matched()) {
                List<Observed> used = new ArrayList<>();
                List<String> scos = new ArrayList<>();
                for (int i : r.observationIndices()) {
                    used.add(obs.get(i));
                    if (events.get(i).scoId() != null) {
                        scos.add(events.get(i).scoId());
                    }
                }
                out.add(sighting(ref, used, scos, now));
                // what produced this sighting cannot produce the next one
                java.util.Set<Event> consumed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                for (int i : r.observationIndices()) {
                    consumed.add(events.get(i));
                }
                cx.events.removeIf(consumed::contains);
            }
        }
    }

    private void expire(Complex cx, Instant newest) {
        Instant limit = newest.minusNanos(cx.horizonNanos);
        for (Iterator<Event> it = cx.events.iterator(); it.hasNext(); ) {
            if (it.next().observed().last().isBefore(limit)) {
                it.remove();
            }
        }
        while (cx.events.size() > options.maxPendingEvents()) {
            cx.events.removeFirst();
        }
    }

    private void lookup(PathGroup g, JsonNode root, Map<String, JsonNode> scope) {
        String[] keys = g.keys();
        if (keys != null) {
            JsonNode v = root;
            for (int i = 0; i < keys.length && v != null; i++) {
                v = v.get(keys[i]);
            }
            if (v != null && v.isTextual()) {
                for (Field f : g.fields()) {
                    lookupValue(f, v.textValue());
                }
            }
            return;
        }
        List<JsonNode> values;
        try {
            values = Cmp.resolve(root, g.steps(), scope);
        } catch (PatternEvaluationException e) {
            return;
        }
        for (JsonNode v : values) {
            if (v.isTextual()) {
                for (Field f : g.fields()) {
                    lookupValue(f, v.textValue());
                }
            }
        }
    }

    private void lookupValue(Field f, String value) {
        switch (f.kind()) {
            case 'e' -> walk(exact.get(f.id(), value, 0));
            case 's' -> {
                String v = nfc(value);
                for (int i = v.indexOf('.'); i >= 0; i = v.indexOf('.', i + 1)) {
                    walk(exact.get(f.id(), v, i));
                }
            }
            case 'n' -> {
                Cidr c = Cidr.parse(value);
                if (c != null) {
                    networks.get(f.id()).lookup(c, this);
                }
            }
            case 'g' -> {
                String v = nfc(value);
                int n = v.length();
                int window = 0;
                for (int i = 0; i < n; i++) {
                    window = ((window << 7) | (v.charAt(i) & 127)) & 0x1FFFFF;
                    if (i >= 2 && (trigramFilter[window >>> 6] & (1L << window)) != 0) {
                        walk(trigrams.get(gramKey(f.id(), window)));
                    }
                }
            }
            case 'h' -> {
                String v = nfc(value);
                int n = v.length();
                long window = 0;
                long mask = (1L << (7 * Anchors.LONG_GRAM)) - 1;
                for (int i = 0; i < n; i++) {
                    window = ((window << 7) | (v.charAt(i) & 127)) & mask;
                    if (i >= Anchors.LONG_GRAM - 1) {
                        int bit = longGramBit(window);
                        if ((longGramFilter[bit >>> 6] & (1L << bit)) != 0) {
                            walk(trigrams.get(gramKey(f.id(), window)));
                        }
                    }
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private static String nfc(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x300) {
                return Normalizer.normalize(s, Normalizer.Form.NFC);
            }
        }
        return s;
    }

    void walk(int head) {
        for (int p = head; p >= 0; p = postNext[p]) {
            hit(postTarget[p]);
        }
    }

    private void hit(int target) {
        if (target >= 0) {
            if (simpleStamp[target] != stamp && flags[target] == LIVE) {
                simpleStamp[target] = stamp;
                if (hitSimpleCount == hitSimple.length) {
                    hitSimple = Arrays.copyOf(hitSimple, hitSimpleCount * 2);
                }
                hitSimple[hitSimpleCount++] = target;
            }
        } else {
            int leaf = -target - 1;
            if (leafStamp[leaf] != stamp && flags[leafOwner[leaf]] == LIVE) {
                leafStamp[leaf] = stamp;
                if (hitLeafCount == hitLeaf.length) {
                    hitLeaf = Arrays.copyOf(hitLeaf, hitLeafCount * 2);
                }
                hitLeaf[hitLeafCount++] = leaf;
            }
        }
    }

    private ObjectNode sighting(int ref, List<Observed> observed, List<String> scoIds, Instant now) {
        Instant first = Instant.MAX;
        Instant last = Instant.MIN;
        long total = 0;
        List<String> refs = new ArrayList<>();
        for (Observed o : observed) {
            first = o.first().isBefore(first) ? o.first() : first;
            last = o.last().isAfter(last) ? o.last() : last;
            total += o.count();
            if (o.id() != null && !refs.contains(o.id())) {
                refs.add(o.id());
            }
        }
        ObjectNode s = F.objectNode();
        String ts = now.toString();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        UUID id = new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
        s.put("type", "sighting");
        s.put("spec_version", "2.1");
        s.put("id", "sighting--" + id);
        s.put("created", ts);
        s.put("modified", ts);
        s.put("sighting_of_ref", idOf(ref));
        s.put("first_seen", first.toString());
        s.put("last_seen", last.toString());
        s.put("count", Math.min(total, 999_999_999L));
        if (!refs.isEmpty()) {
            var a = s.putArray("observed_data_refs");
            refs.forEach(a::add);
        }
        if (!scoIds.isEmpty()) {
            // bare SCOs have no observed-data to refer to; name the objects themselves
            var a = s.putArray("x_entente_sco_refs");
            scoIds.forEach(a::add);
        }
        return s;
    }

    // ======================================================================== compaction

    /** What the index holds, live and dead. */
    Stats stats(int compactions) {
        int networkKeys = 0;
        for (CidrIndex c : networks.values()) {
            networkKeys += c.size();
        }
        return new Stats(liveCount, count, postings, deadPostings, exact.size() + trigrams.size() + networkKeys,
                leafCount, deadLeaves, compactions);
    }

    /** True when removals left at least as much dead as live in one of the structures. */
    boolean worthCompacting() {
        long deadSlots = count - liveCount;
        return deadSlots >= COMPACT_MIN_DEAD && deadSlots * 2 >= count
                || deadPostings >= COMPACT_MIN_DEAD && deadPostings * 2 >= postings
                || deadLeaves >= COMPACT_MIN_DEAD && deadLeaves * 2L >= leafCount;
    }

    /**
     * A new index with the live indicators only, renumbered, every table sized for what is left
     * and its filters recomputed. It only reads this index (and shares the immutable compiled
     * comparisons and the part-match state of multi-observation patterns with it), so matching
     * against this index may go on while it is built, provided nothing is added or removed.
     */
    IndicatorIndex compacted() {
        int live = liveCount;
        long livePostings = postings - deadPostings;
        int liveLeaves = leafCount - deadLeaves;
        IndicatorIndex to = new IndicatorIndex(options, Math.max(1024, live + (live >> 3)),
                Math.max(256, liveLeaves + (liveLeaves >> 3)),
                (int) Math.max(1024, Math.min(Integer.MAX_VALUE - 8, livePostings + (livePostings >> 3))));
        int[] refs = new int[count];
        for (int ref = 0; ref < count; ref++) {
            if (flags[ref] != LIVE) {
                refs[ref] = -1;
                continue;
            }
            int r = to.newSlot();
            refs[ref] = r;
            to.idHi[r] = idHi[ref];
            to.idLo[r] = idLo[ref];
            to.validFrom[r] = validFrom[ref];
            to.validUntil[r] = validUntil[ref];
            to.flags[r] = LIVE;
            to.setPostingCount(r, postingCount(ref));
            to.liveCount++;
        }
        // removals take their entries out of these maps at once: every entry left is live
        oddIds.forEach((ref, id) -> to.oddIds.put(refs[ref], id));
        idCollisions.forEach((id, ref) -> to.idCollisions.put(id, refs[ref]));
        to.byIdHash = byIdHash.rebuilt((hash, ref) -> ref < 0 ? -1 : refs[ref]);
        complex.forEach((ref, cx) -> to.complex.put(refs[ref], cx));

        int[] leaves = new int[leafCount];
        for (int leaf = 0; leaf < leafCount; leaf++) {
            int owner = refs[leafOwner[leaf]];
            leaves[leaf] = owner < 0 ? -1 : to.newLeaf(owner, leafIndex[leaf], leafCmp[leaf]);
        }

        Relister relist = new Relister(to, refs, leaves);
        to.exact = exact.rebuilt(relist);
        to.trigrams = trigrams.rebuilt((key, head) -> {
            int h = relist.applyAsInt(head);
            if (h >= 0) {
                long window = key & ((1L << 40) - 1);
                if (fields.get((int) (key >>> 40)).kind() == 'g') {
                    to.trigramFilter[(int) window >>> 6] |= 1L << window;
                } else {
                    int bit = longGramBit(window);
                    to.longGramFilter[bit >>> 6] |= 1L << bit;
                }
            }
            return h;
        });
        networks.forEach((field, index) -> to.networks.put(field, index.rebuilt(relist)));
        to.fields.addAll(fields);
        to.fieldIds.putAll(fieldIds);
        types.forEach((type, index) -> {
            TypeIndex t = new TypeIndex();
            t.groups = index.groups.clone();
            t.scan = Arrays.stream(index.scan).map(leaf -> leaves[leaf]).filter(leaf -> leaf >= 0).toArray();
            to.types.put(type, t);
        });
        return to;
    }

    /**
     * Copies a posting list of the old index into the new one without its dead targets, in the
     * same order (the order of sightings does not change with a compaction); -1 when none is left.
     */
    private final class Relister implements IntUnaryOperator {
        private final IndicatorIndex to;
        private final int[] refs;
        private final int[] leaves;
        private int[] targets = new int[16];

        Relister(IndicatorIndex to, int[] refs, int[] leaves) {
            this.to = to;
            this.refs = refs;
            this.leaves = leaves;
        }

        @Override
        public int applyAsInt(int head) {
            int n = 0;
            for (int p = head; p >= 0; p = postNext[p]) {
                int t = postTarget[p];
                int mapped;
                if (t >= 0) {
                    mapped = refs[t];
                    if (mapped < 0) {
                        continue;
                    }
                } else {
                    int leaf = leaves[-t - 1];
                    if (leaf < 0) {
                        continue;
                    }
                    mapped = -leaf - 1;
                }
                if (n == targets.length) {
                    targets = Arrays.copyOf(targets, n * 2);
                }
                targets[n++] = mapped;
            }
            int h = -1;
            for (int i = n - 1; i >= 0; i--) {
                h = to.post(h, targets[i]);
            }
            return h;
        }
    }

    /** Part-matches held for the indicator (0 for one-comparison indicators or unknown ids). */
    int pendingEvents(String id) {
        int ref = find(id);
        Complex cx = ref < 0 ? null : complex.get(ref);
        return cx == null ? 0 : cx.events.size();
    }
}
