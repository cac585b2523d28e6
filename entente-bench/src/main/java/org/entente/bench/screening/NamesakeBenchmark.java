package org.entente.bench.screening;

import java.util.List;
import java.util.Locale;
import org.entente.screening.Evaluation;
import org.entente.screening.Namesakes;
import org.entente.screening.ScreeningIndex;

/**
 * Screening among namesakes (issue 12): a generated list of N persons whose every full name has
 * dozens of namesakes ({@link Namesakes}); queries are listed persons in other romanisations (one
 * in ten in Arabic script) with their exact date of birth and nationality. Prints index build
 * time, memory per entry, recall@10 and single-thread latency.
 *
 * <p>Usage: NamesakeBenchmark [ENTRIES] [QUERIES] [SEED]
 */
public final class NamesakeBenchmark {

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 12;
        System.out.printf("machine: %d cores, JDK %s, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
        long base = usedHeap();
        Namesakes set = Namesakes.generate(n, seed);
        List<Namesakes.Case> cases = set.cases(queries, seed + 1);
        long withEntries = usedHeap();
        long t0 = System.nanoTime();
        ScreeningIndex index = new ScreeningIndex();
        index.addAll(set.entries());
        index.compact();
        double build = (System.nanoTime() - t0) / 1e9;
        long withIndex = usedHeap();
        System.out.printf(Locale.ROOT, "memory: entries %.0f bytes/entry, index structures %.0f bytes/entry, together %.0f bytes/entry%n",
                (withEntries - base) / (double) n, (withIndex - withEntries) / (double) n, (withIndex - base) / (double) n);
        System.out.print(Evaluation.namesakes(set, index, cases, build));
        // the thread's own CPU time per query: what a query costs when other work shares the cores
        List<org.entente.screening.Query> qs = cases.stream().map(Namesakes.Case::query).toList();
        ScreeningBenchmark.report(String.format(Locale.ROOT, "%,d namesakes, CPU time", n), ScreeningBenchmark.latencies(index, qs)[1]);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
