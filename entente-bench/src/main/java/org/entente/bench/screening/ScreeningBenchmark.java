package org.entente.bench.screening;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.entente.screening.Entry;
import org.entente.screening.Hit;
import org.entente.screening.Kind;
import org.entente.screening.Query;
import org.entente.screening.ScreeningIndex;

/**
 * Screening at scale (issue 4): index build time and memory per entry for a generated watchlist
 * of N entries, and single-thread query latency against it, with the same queries against a
 * 10,000-entry index measured in the same process as the baseline. Also a 300-traveller manifest.
 *
 * <p>Usage: ScreeningBenchmark [ENTRIES] [QUERIES]
 */
public final class ScreeningBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        Path watchlists = Path.of("entente-screening/src/test/resources/watchlists");
        WatchlistGenerator gen = new WatchlistGenerator(watchlists.resolve("un/consolidated.xml"),
                watchlists.resolve("ofac-sdn-2019"), 42);
        System.out.printf("machine: %d cores, JDK %s, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);

        List<Entry> entries = gen.generate(n);
        long beforeIndex = usedHeap();
        long t0 = System.nanoTime();
        ScreeningIndex big = new ScreeningIndex();
        big.addAll(entries);
        big.compact();
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        long afterIndex = usedHeap();
        entries = null; // now only the index holds them
        long withEntries = usedHeap();
        long names = big.size();
        System.out.printf(Locale.ROOT, "index build: %,d entries in %.1f s (%,.0f entries/s)%n", names, buildSeconds, names / buildSeconds);
        System.out.printf(Locale.ROOT, "memory: index structures %.0f bytes/entry; entries and index together %.0f bytes/entry%n",
                (afterIndex - beforeIndex) / (double) n, (withEntries - baseline) / (double) n);

        // Queries: half are respelt names of listed persons, half are new names of the same origins.
        List<Entry> sample = new ArrayList<>(new WatchlistGenerator(watchlists.resolve("un/consolidated.xml"),
                watchlists.resolve("ofac-sdn-2019"), 42).generate(Math.min(n, 200_000)));
        java.util.Random rnd = new java.util.Random(7);
        // The generator is deterministic, so the sample's entries are the first of the big list:
        // a respelt name's source is known, and the benchmark also says how often it is found.
        List<Query> qs = new ArrayList<>();
        List<Entry> sources = new ArrayList<>();
        while (qs.size() < queries) {
            if (rnd.nextBoolean()) {
                Entry e = sample.get(rnd.nextInt(sample.size()));
                if (e.kind() == Kind.PERSON) {
                    qs.add(Query.name(gen.respell(e.names().getFirst().text())).withKind(Kind.PERSON));
                    sources.add(e);
                }
            } else {
                qs.add(Query.name(gen.personName(gen.randomOrigin(), false)).withKind(Kind.PERSON));
                sources.add(null);
            }
        }
        ScreeningIndex small = new ScreeningIndex();
        small.addAll(new WatchlistGenerator(watchlists.resolve("un/consolidated.xml"), watchlists.resolve("ofac-sdn-2019"), 43)
                .generate(10_000));

        for (int round = 0; round < 2; round++) { // warm-up, then measure
            long[][] baseLat = latencies(small, qs);
            long[][] bigLat = latencies(big, qs);
            if (round == 1) {
                report("10,000 entries (baseline)", baseLat[0]);
                report(String.format(Locale.ROOT, "%,d entries", n), bigLat[0]);
                System.out.printf(Locale.ROOT, "ratio of medians %,d / 10,000 entries: %.2f%n", n,
                        (double) bigLat[0][bigLat[0].length / 2] / baseLat[0][baseLat[0].length / 2]);
                // the thread's own CPU time: what the query costs when other work shares the cores
                report("10,000 entries, CPU time", baseLat[1]);
                report(String.format(Locale.ROOT, "%,d entries, CPU time", n), bigLat[1]);
            }
        }

        recall(big, qs, sources);

        // A manifest of 300 travellers: one thread, then all cores (ScreeningIndex.screenAll).
        List<Query> manifest = qs.subList(0, 300);
        long[] sequential = new long[20];
        long[] parallel = new long[20];
        int hits = 0;
        for (int r = 0; r < sequential.length; r++) {
            long s = System.nanoTime();
            for (Query q : manifest) {
                for (Hit h : big.screen(q, 10)) {
                    hits += h.match() ? 1 : 0;
                }
            }
            sequential[r] = System.nanoTime() - s;
            s = System.nanoTime();
            for (List<Hit> l : big.screenAll(manifest, 10)) {
                for (Hit h : l) {
                    hits += h.match() ? 1 : 0;
                }
            }
            parallel[r] = System.nanoTime() - s;
        }
        Arrays.sort(sequential);
        Arrays.sort(parallel);
        System.out.printf(Locale.ROOT, "manifest of 300 travellers: median %.1f ms on one thread, %.1f ms on all %d cores (20 runs; %d hits per manifest)%n",
                sequential[10] / 1e6, parallel[10] / 1e6, Runtime.getRuntime().availableProcessors(), hits / 40);
    }

    /**
     * How often a respelt listed name finds its entry first and in the ten best. The generator
     * repeats common names, and an entry listed under the very name respelt cannot be told apart
     * from the source by the name alone, so such a namesake counts as found.
     */
    private static void recall(ScreeningIndex index, List<Query> qs, List<Entry> sources) {
        int n = 0;
        int first = 0;
        int ten = 0;
        for (int i = 0; i < qs.size(); i++) {
            Entry source = sources.get(i);
            if (source == null) {
                continue;
            }
            n++;
            String name = source.names().getFirst().text();
            List<Hit> hits = index.screen(qs.get(i), 10);
            for (int k = 0; k < hits.size(); k++) {
                Entry e = hits.get(k).entry();
                if (e.listing().id().equals(source.listing().id())
                        || e.names().stream().anyMatch(x -> x.text().equals(name))) {
                    first += k == 0 ? 1 : 0;
                    ten++;
                    break;
                }
            }
        }
        System.out.printf(Locale.ROOT, "respelt listed names (%,d of the queries): entry or a namesake of the same name found first %.3f, in the ten best %.3f%n",
                n, first / (double) n, ten / (double) n);
    }

    private static long baseline = usedHeap();

    /** Wall-clock and thread CPU time of each query, each sorted. */
    static long[][] latencies(ScreeningIndex index, List<Query> qs) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] lat = new long[qs.size()];
        long[] cpu = new long[qs.size()];
        for (int i = 0; i < qs.size(); i++) {
            long c = mx.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            index.screen(qs.get(i), 10);
            lat[i] = System.nanoTime() - s;
            cpu[i] = mx.getCurrentThreadCpuTime() - c;
        }
        Arrays.sort(lat);
        Arrays.sort(cpu);
        return new long[][] {lat, cpu};
    }

    static void report(String what, long[] lat) {
        long total = Arrays.stream(lat).sum();
        System.out.printf(Locale.ROOT, "queries on %-26s median %.3f ms, p99 %.3f ms, %,.0f queries/s on one thread%n", what,
                lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.99)] / 1e6, lat.length / (total / 1e9));
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
