package org.entente.bench.pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.entente.pattern.StreamingMatcher;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What removing indicators gives back, and what the rebuild costs the observations that flow
 * meanwhile: N indicators (the realistic mix of {@link PatternData}) are added, then all but one
 * in ten removed while another thread matches observations; the heap after GC is compared with
 * that of a matcher built from the remaining indicators only, in the same process.
 *
 * <p>Usage: {@code CompactionBenchmark [INDICATORS]}.
 */
public final class CompactionBenchmark {
    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        PatternData data = new PatternData(n, false);
        System.out.printf("JVM %s, %d processors, max heap %d MiB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        SplittableRandom r = new SplittableRandom(42);
        List<ObjectNode> observations = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            observations.add(data.observation(r, 0.01));
        }
        Instant now = Instant.parse("2026-06-01T00:00:00Z");

        long heap0 = MatcherBenchmark.usedHeap();
        StreamingMatcher matcher = new StreamingMatcher();
        for (long i = 0; i < n; i++) {
            matcher.add(data.indicator(i));
        }
        long full = MatcherBenchmark.usedHeap() - heap0;
        StreamingMatcher.Stats before = matcher.stats();
        System.out.printf("added %,d: heap %,d bytes (%.0f per indicator), %s%n", n, full, full / (double) n, before);

        Observer observer = new Observer(matcher, observations, now);
        Thread thread = new Thread(observer, "observer");
        thread.start();
        Thread.sleep(500);   // the observer's warm-up
        observer.reset();
        long t0 = System.nanoTime();
        long slowestRemove = 0;
        for (long i = 0; i < n; i++) {
            if (i % 10 != 0) {
                long s = System.nanoTime();
                matcher.remove(data.id(i));
                slowestRemove = Math.max(slowestRemove, System.nanoTime() - s);
            }
        }
        double removeSecs = (System.nanoTime() - t0) / 1e9;
        long[] duringRemoval = observer.reset();
        StreamingMatcher.Stats auto = matcher.stats();
        System.out.printf("removed %,d in %.2f s (slowest remove, the one that rebuilt: %.1f ms), %s%n",
                n - (n + 9) / 10, removeSecs, slowestRemove / 1e6, auto);
        report("observations while removing", duringRemoval);

        long c0 = System.nanoTime();
        matcher.compact();
        double compactMs = (System.nanoTime() - c0) / 1e6;
        long[] duringCompact = observer.reset();
        System.out.printf("explicit compact(): %.1f ms for %,d live indicators%n", compactMs, matcher.size());
        report("observations during compact()", duringCompact);
        observer.stop.set(true);
        thread.join();

        long kept = MatcherBenchmark.usedHeap() - heap0;
        StreamingMatcher.Stats after = matcher.stats();
        System.out.printf("after removal and compaction: heap %,d bytes for %,d indicators (%.0f per indicator), %s%n",
                kept, after.indicators(), kept / (double) after.indicators(), after);

        // baseline in the same process: a matcher that only ever held the indicators left
        matcher = null;
        long heap1 = MatcherBenchmark.usedHeap();
        StreamingMatcher fresh = new StreamingMatcher();
        for (long i = 0; i < n; i += 10) {
            fresh.add(data.indicator(i));
        }
        long baseline = MatcherBenchmark.usedHeap() - heap1;
        System.out.printf("baseline, the same %,d indicators added to a new matcher: heap %,d bytes (%.0f per indicator);"
                + " ratio compacted / baseline %.2f; retained before compaction / after %.1f%n", fresh.size(), baseline,
                baseline / (double) fresh.size(), kept / (double) baseline, full / (double) kept);
    }

    private static void report(String what, long[] latencies) {
        long[] l = latencies.clone();
        Arrays.sort(l);
        if (l.length == 0) {
            System.out.printf("%s: none%n", what);
            return;
        }
        System.out.printf("%s: %,d, latency median %.1f µs, p99.9 %.1f µs, max %.1f ms%n", what, l.length,
                l[l.length / 2] / 1e3, l[(int) (l.length * 0.999)] / 1e3, l[l.length - 1] / 1e6);
    }

    /** Matches observations in a loop and keeps the latency of each call since the last reset. */
    private static final class Observer implements Runnable {
        final StreamingMatcher matcher;
        final List<ObjectNode> observations;
        final Instant now;
        final AtomicBoolean stop = new AtomicBoolean();
        private long[] latencies = new long[1 << 20];
        private int count;

        Observer(StreamingMatcher matcher, List<ObjectNode> observations, Instant now) {
            this.matcher = matcher;
            this.observations = observations;
            this.now = now;
        }

        @Override
        public void run() {
            int i = 0;
            while (!stop.get()) {
                long s = System.nanoTime();
                matcher.observe(observations.get(i++ % observations.size()), now);
                long d = System.nanoTime() - s;
                synchronized (this) {
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = d;
                }
            }
        }

        synchronized long[] reset() {
            long[] l = Arrays.copyOf(latencies, count);
            count = 0;
            return l;
        }
    }
}
