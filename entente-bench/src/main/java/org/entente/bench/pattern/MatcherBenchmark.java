package org.entente.bench.pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.entente.pattern.ObservationSet;
import org.entente.pattern.Pattern;
import org.entente.pattern.StreamingMatcher;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * End-to-end figures for the streaming matcher on one thread: compile time and heap per
 * indicator for N indicators, then observations per second over M generated SCOs (1% made to
 * match), as the median of five rounds, beside the naive approach (every pattern evaluated
 * against every observation) measured in the same process on a sample.
 *
 * <p>Usage: {@code MatcherBenchmark [INDICATORS] [OBSERVATIONS] [simple|mix] [POOL]}: the observations
 * cycle through a pool of POOL pre-built SCOs (default 1,000,000: cold in cache, as pessimistic as
 * it gets; a stream parser hands the matcher an object it has just built, hot in cache).
 */
public final class MatcherBenchmark {
    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        long m = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000;
        boolean simpleOnly = args.length > 2 && args[2].equals("simple");
        int poolSize = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
        PatternData data = new PatternData(n, simpleOnly);
        System.out.printf("JVM %s, %d processors, max heap %d MiB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        long heap0 = usedHeap();
        StreamingMatcher matcher = new StreamingMatcher();
        var threadBean = ManagementFactory.getThreadMXBean();
        long cpuStart = threadBean.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        int rejected = 0;
        for (long i = 0; i < n; i++) {
            if (matcher.add(data.indicator(i)).status() == StreamingMatcher.Status.REJECTED) {
                rejected++;
            }
        }
        double compile = (System.nanoTime() - t0) / 1e9;
        double compileCpu = (threadBean.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        long heap1 = usedHeap();
        System.out.printf("indicators: %,d (%s mix), rejected %d%n", n, simpleOnly ? "simple-only" : "realistic", rejected);
        System.out.printf("compile: %.2f s wall, %.2f s CPU (%,.0f indicators/s wall), generation of the indicator objects included%n",
                compile, compileCpu, n / compile);
        System.out.printf("heap: %,d bytes after GC for %,d indicators = %.0f bytes/indicator%n", heap1 - heap0, n,
                (heap1 - heap0) / (double) n);

        // a pool of observations, generated before timing (JSON parsing is measured separately, end to end)
        int pool = (int) Math.min(m, poolSize);
        SplittableRandom r = new SplittableRandom(42);
        List<ObjectNode> observations = new ArrayList<>(pool);
        for (int i = 0; i < pool; i++) {
            observations.add(data.observation(r, 0.01));
        }
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        // warm-up
        for (int i = 0; i < Math.min(pool, 500_000); i++) {
            matcher.observe(observations.get(i), now);
        }
        int rounds = 5;
        long perRound = m / rounds;
        double[] rates = new double[rounds];
        double[] cpuRates = new double[rounds];
        var threads = ManagementFactory.getThreadMXBean();
        long sightings = 0;
        for (int round = 0; round < rounds; round++) {
            long s = 0;
            long cpu0 = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (long i = 0; i < perRound; i++) {
                s += matcher.observe(observations.get((int) (i % pool)), now).size();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            rates[round] = perRound / secs;
            cpuRates[round] = perRound / cpu;
            sightings += s;
            System.out.printf("round %d: %,d observations in %.2f s wall (%.2f s CPU) = %,.0f obs/s wall, %,.0f obs per CPU-second,"
                    + " %,d sightings%n", round + 1, perRound, secs, cpu, rates[round], cpuRates[round], s);
        }
        Arrays.sort(rates);
        Arrays.sort(cpuRates);
        double median = rates[rounds / 2];
        System.out.printf("matcher: median %,.0f observations/s wall, %,.0f per CPU-second, on one thread"
                        + " (%,d observations, %.2f%% produced a sighting)%n",
                median, cpuRates[rounds / 2], rounds * perRound, 100.0 * sightings / (rounds * perRound));

        // naive baseline: each pattern evaluated against each observation, on a sample of patterns
        int sample = (int) Math.min(n, 2000);
        List<Pattern> patterns = new ArrayList<>(sample);
        for (int i = 0; i < sample; i++) {
            patterns.add(Pattern.parse(data.pattern((long) i * (n / sample))));
        }
        int obsSample = 200;
        long start = System.nanoTime();
        long evaluations = 0;
        for (int k = 0; k < 3; k++) {
            for (int o = 0; o < obsSample; o++) {
                ObservationSet set = ObservationSet.ofSco(observations.get(o), now);
                for (Pattern p : patterns) {
                    p.match(set);
                    evaluations++;
                }
            }
        }
        double perEval = (System.nanoTime() - start) / (double) evaluations;
        double naiveRate = 1e9 / (perEval * n);
        System.out.printf("naive: %.0f ns per pattern evaluation, so %,.2f observations/s against %,d indicators;"
                + " the index is %,.0f times faster%n", perEval, naiveRate, n, median / naiveRate);
        System.out.printf("live indicators at the end: %,d%n", matcher.size());
    }

    static long usedHeap() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        var mem = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return mem.getUsed();
    }
}
