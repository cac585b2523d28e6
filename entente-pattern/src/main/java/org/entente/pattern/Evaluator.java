package org.entente.pattern;

import org.entente.pattern.Ast.*;
import org.entente.pattern.ObservationSet.Observed;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Finds one binding of observations to a pattern: each {@code [..]} leaf gets its own
 * observation instance (an observed-data with {@code number_observed = n} provides n instances
 * with the same time window), and the temporal operators constrain the windows:
 * <ul>
 * <li>{@code A FOLLOWEDBY B}: the latest first_observed of A is not after the earliest last_observed of B;</li>
 * <li>{@code WITHIN d}: some window of d seconds touches every bound instance's window;</li>
 * <li>{@code START s STOP e}: every window overlaps [s, e), touching at s allowed;</li>
 * <li>{@code REPEATS n}: n disjoint bindings of the inner expression.</li>
 * </ul>
 * The search is depth-first with backtracking; a step budget turns a combinatorial explosion
 * into a clear error.
 */
final class Evaluator {
    static final long STEP_BUDGET = 50_000_000L;
    /** Instances beyond this per observed-data cannot change the result of any realistic pattern. */
    private static final long INSTANCE_CAP = 100_000;

    private final ObservationExpression root;
    private final Map<Observation, Cmp> leaves;
    private final List<Observation> leafOrder = new ArrayList<>();

    Evaluator(ObservationExpression root) {
        this.root = root;
        this.leaves = new IdentityHashMap<>();
        check(root);
    }

    /** The {@code [..]} leaves in pattern order, with their compiled comparison expressions. */
    List<Observation> leafOrder() {
        return leafOrder;
    }

    Cmp leaf(Observation o) {
        return leaves.get(o);
    }

    ObservationExpression root() {
        return root;
    }

    private void check(ObservationExpression e) {
        switch (e) {
            case Observation o -> {
                leaves.put(o, Cmp.compile(o.comparison()));
                leafOrder.add(o);
            }
            case ObsAnd a -> {
                check(a.left());
                check(a.right());
            }
            case ObsOr a -> {
                check(a.left());
                check(a.right());
            }
            case FollowedBy a -> {
                check(a.left());
                check(a.right());
            }
            case Within w -> {
                if (w.seconds().signum() <= 0) {
                    throw new PatternEvaluationException("WITHIN needs a positive number of seconds, got " + w.seconds());
                }
                check(w.inner());
            }
            case Repeats r -> {
                if (r.times().signum() <= 0) {
                    throw new PatternEvaluationException("REPEATS needs a positive count, got " + r.times());
                }
                check(r.inner());
            }
            case StartStop s -> check(s.inner());
        }
    }

    /** The least ({@code most} false) or greatest number of observation instances a binding of {@code e} uses, saturating. */
    static long instances(ObservationExpression e, boolean most) {
        return switch (e) {
            case Observation o -> 1;
            case ObsAnd a -> sat(instances(a.left(), most) + instances(a.right(), most));
            case FollowedBy a -> sat(instances(a.left(), most) + instances(a.right(), most));
            case ObsOr a -> most ? Math.max(instances(a.left(), true), instances(a.right(), true))
                    : Math.min(instances(a.left(), false), instances(a.right(), false));
            case Within w -> instances(w.inner(), most);
            case StartStop s -> instances(s.inner(), most);
            case Repeats r -> r.times().bitLength() > 40 ? Long.MAX_VALUE / 4
                    : sat(BigInteger.valueOf(instances(r.inner(), most)).multiply(r.times())
                    .min(BigInteger.valueOf(Long.MAX_VALUE / 4)).longValue());
        };
    }

    private static long sat(long v) {
        return Math.min(v, Long.MAX_VALUE / 4);
    }

    MatchResult match(ObservationSet set) {
        return match(set.observed(), null);
    }

    /**
     * Matches against observations whose leaf results are already known: bit {@code i} of
     * {@code leafHits[j]} says observation i satisfies leaf j (in {@link #leafOrder()}).
     */
    MatchResult match(List<Observed> obs, BitSet[] leafHits) {
        Search s = new Search(obs, instances(root, true));
        if (leafHits != null) {
            for (int j = 0; j < leafOrder.size(); j++) {
                s.leafHits.put(leafOrder.get(j), leafHits[j]);
            }
        }
        if (instances(root, false) > s.instances) {
            return MatchResult.NO_MATCH;
        }
        int[][] found = new int[1][];
        boolean ok = s.solve(root, b -> {
            found[0] = b;
            return true;
        });
        if (!ok) {
            return MatchResult.NO_MATCH;
        }
        TreeSet<Integer> indices = new TreeSet<>();
        for (int inst : found[0]) {
            indices.add(s.owner[inst]);
        }
        List<String> refs = new ArrayList<>();
        for (int i : indices) {
            String id = obs.get(i).id();
            if (id != null) {
                refs.add(id);
            }
        }
        List<Integer> idx = new ArrayList<>(indices);
        return new MatchResult(true, refs, idx);
    }

    private final class Search {
        final List<Observed> obs;
        final int[] base;
        final int[] count;
        final int[] owner;
        final boolean[] used;
        final int instances;
        final Map<Observation, BitSet> leafHits = new IdentityHashMap<>();
        long steps;

        Search(List<Observed> obs, long demand) {
            this.obs = obs;
            base = new int[obs.size()];
            count = new int[obs.size()];
            long total = 0;
            long perObserved = Math.min(demand, INSTANCE_CAP);
            for (int i = 0; i < obs.size(); i++) {
                base[i] = (int) total;
                count[i] = (int) Math.min(obs.get(i).count(), perObserved);
                total += count[i];
                if (total > Integer.MAX_VALUE / 2) {
                    throw new PatternEvaluationException("too many observation instances to evaluate");
                }
            }
            instances = (int) total;
            owner = new int[instances];
            for (int i = 0; i < obs.size(); i++) {
                for (int k = 0; k < count[i]; k++) {
                    owner[base[i] + k] = i;
                }
            }
            used = new boolean[instances];
        }

        BitSet hits(Observation leaf) {
            BitSet b = leafHits.get(leaf);
            if (b == null) {
                b = new BitSet(obs.size());
                Cmp c = leaves.get(leaf);
                for (int i = 0; i < obs.size(); i++) {
                    Observed o = obs.get(i);
                    for (var r : o.roots()) {
                        if (c.test(r, o.scope())) {
                            b.set(i);
                            break;
                        }
                    }
                }
                leafHits.put(leaf, b);
            }
            return b;
        }

        private void tick() {
            if (++steps > STEP_BUDGET) {
                throw new PatternEvaluationException("pattern too expensive to evaluate against " + obs.size()
                        + " observations (search stopped after " + STEP_BUDGET + " steps)");
            }
        }

        boolean solve(ObservationExpression e, Predicate<int[]> k) {
            tick();
            return switch (e) {
                case Observation o -> {
                    BitSet hits = hits(o);
                    for (int i = hits.nextSetBit(0); i >= 0; i = hits.nextSetBit(i + 1)) {
                        // instances of one observed-data are interchangeable: try only the first free one
                        for (int inst = base[i]; inst < base[i] + count[i]; inst++) {
                            if (!used[inst]) {
                                used[inst] = true;
                                boolean r = k.test(new int[]{inst});
                                used[inst] = false;
                                if (r) {
                                    yield true;
                                }
                                break;
                            }
                        }
                    }
                    yield false;
                }
                case ObsOr a -> solve(a.left(), k) || solve(a.right(), k);
                case ObsAnd a -> solve(a.left(), l -> solve(a.right(), r -> k.test(concat(l, r))));
                case FollowedBy a -> solve(a.left(), l -> {
                    Instant latestFirst = latestFirst(l);
                    return solve(a.right(), r -> !latestFirst.isAfter(earliestLast(r)) && k.test(concat(l, r)));
                });
                case Within w -> {
                    long nanos = w.seconds().multiply(BigDecimal.valueOf(1_000_000_000L))
                            .min(BigDecimal.valueOf(Long.MAX_VALUE / 2)).longValue();
                    yield solve(w.inner(), b -> within(b, nanos) && k.test(b));
                }
                case StartStop s -> s.start().isBefore(s.stop())
                        && solve(s.inner(), b -> inWindow(b, s.start(), s.stop()) && k.test(b));
                case Repeats r -> {
                    long n = r.times().bitLength() > 31 ? Long.MAX_VALUE : r.times().longValue();
                    if (n > instances) {
                        yield false;
                    }
                    yield repeat(r.inner(), (int) n, -1, new int[0], k);
                }
            };
        }

        /** Bindings are taken in increasing order of their smallest instance, so each set is tried once. */
        private boolean repeat(ObservationExpression inner, int n, int lastMin, int[] acc, Predicate<int[]> k) {
            if (n == 0) {
                return k.test(acc);
            }
            return solve(inner, b -> {
                int min = Integer.MAX_VALUE;
                for (int x : b) {
                    min = Math.min(min, x);
                }
                return min > lastMin && repeat(inner, n - 1, min, concat(acc, b), k);
            });
        }

        private Instant latestFirst(int[] b) {
            Instant t = Instant.MIN;
            for (int i : b) {
                Instant f = obs.get(owner[i]).first();
                if (f.isAfter(t)) {
                    t = f;
                }
            }
            return t;
        }

        private Instant earliestLast(int[] b) {
            Instant t = Instant.MAX;
            for (int i : b) {
                Instant l = obs.get(owner[i]).last();
                if (l.isBefore(t)) {
                    t = l;
                }
            }
            return t;
        }

        /** A window of the given length starting at the earliest last_observed must reach every first_observed. */
        private boolean within(int[] b, long nanos) {
            Instant limit = earliestLast(b).plusNanos(nanos);
            return !latestFirst(b).isAfter(limit);
        }

        private boolean inWindow(int[] b, Instant start, Instant stop) {
            for (int i : b) {
                Observed o = obs.get(owner[i]);
                if (!o.first().isBefore(stop) || o.last().isBefore(start)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = new int[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
