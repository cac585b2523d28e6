package org.entente.bench.pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.entente.pattern.StreamingMatcher;

import java.lang.management.ManagementFactory;
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
        var threads = ManagementFactory.getThreadMXBean();
        long[] gc = gc();
        long t0 = System.nanoTime();
        long slowestRemove = 0;
        long slowestRemoveCpu = 0;
        for (long i = 0; i < n; i++) {
            if (i % 10 != 0) {
                long c = threads.getCurrentThreadCpuTime();
                long s = System.nanoTime();
                matcher.remove(data.id(i));
                long d = System.nanoTime() - s;
                if (d > slowestRemove) {
                    slowestRemove = d;
                    slowestRemoveCpu = threads.getCurrentThreadCpuTime() - c;
                }
            }
        }
        double removeSecs = (System.nanoTime() - t0) / 1e9;
        String duringRemoval = observer.reset();
        long[] gcRemoval = since(gc);
        StreamingMatcher.Stats auto = matcher.stats();
        System.out.printf("removed %,d in %.2f s; slowest remove (one that rebuilt): %.0f ms wall, %.0f ms CPU; %s%n",
                n - (n + 9) / 10, removeSecs, slowestRemove / 1e6, slowestRemoveCpu / 1e6, auto);
        report("observations while removing", duringRemoval, gcRemoval);

        int live = matcher.size();
        gc = gc();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long c0 = System.nanoTime();
        matcher.compact();
        double compactMs = (System.nanoTime() - c0) / 1e6;
        double compactCpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
        String duringCompact = observer.reset();
        long[] gcCompact = since(gc);
        System.out.printf("explicit compact(): %.0f ms wall, %.0f ms CPU for %,d live indicators%n", compactMs,
                compactCpuMs, live);
        report("observations during compact()", duringCompact, gcCompact);
        // baseline for the latencies: the same observer while nothing changes, as long as the compaction took
        observer.reset();
        gc = gc();
        Thread.sleep(Math.max(200, (long) compactMs));
        report("observations while nothing changes (baseline)", observer.reset(), since(gc));
        observer.stop.set(true);
        thread.join();
        observer = null;   // it holds the matcher
        thread = null;

        // the matcher's own heap: used heap with it, then without it, nothing else allocated in between
        long with = MatcherBenchmark.usedHeap();
        StreamingMatcher.Stats after = matcher.stats();
        matcher = null;
        long kept = with - MatcherBenchmark.usedHeap();
        System.out.printf("after removal and compaction: heap %,d bytes for %,d indicators (%.0f per indicator), %s%n",
                kept, after.indicators(), kept / (double) after.indicators(), after);

        // baseline in the same process: a matcher that only ever held the indicators left
        long heap1 = MatcherBenchmark.usedHeap();
        StreamingMatcher fresh = new StreamingMatcher();
        for (long i = 0; i < n; i += 10) {
            fresh.add(data.indicator(i));
        }
        long baseline = MatcherBenchmark.usedHeap() - heap1;
        System.out.printf("baseline, the same %,d indicators added to a new matcher: heap %,d bytes (%.0f per indicator);"
                + " ratio compacted / baseline %.2f; heap before the removals / after %.1f%n", fresh.size(), baseline,
                baseline / (double) fresh.size(), kept / (double) baseline, full / (double) kept);
    }

    private static void report(String what, String latencies, long[] gc) {
        System.out.printf("%s: %s; meanwhile %d collections, %d ms in the collector%n", what, latencies, gc[0], gc[1]);
    }

    /** Collections so far and milliseconds spent in them (the collector's pauses stop the observer too). */
    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (var b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            millis += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static long[] since(long[] before) {
        long[] now = gc();
        return new long[] {now[0] - before[0], now[1] - before[1]};
    }

    /** Matches observations in a loop and keeps the latency of each call since the last reset. */
    private static final class Observer implements Runnable {
        final StreamingMatcher matcher;
        final List<ObjectNode> observations;
        final Instant now;
        final AtomicBoolean stop = new AtomicBoolean();
        private long[] latencies = new long[1 << 16];
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

        /** The latencies since the last reset, summarised; the buffer starts again small. */
        synchronized String reset() {
            long[] l = Arrays.copyOf(latencies, count);
            latencies = new long[1 << 16];
            count = 0;
            if (l.length == 0) {
                return "no observation";
            }
            Arrays.sort(l);
            return String.format("%,d observations, latency median %.1f µs, p99.9 %.1f µs, max %.1f ms", l.length,
                    l[l.length / 2] / 1e3, l[(int) (l.length * 0.999)] / 1e3, l[l.length - 1] / 1e6);
        }
    }
}
