package org.entente.bench.screening;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.entente.node.Node;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import org.entente.node.policy.Purpose;
import org.entente.node.screening.EntryJson;
import org.entente.node.screening.ListImport;
import org.entente.node.screening.ScreeningService;
import org.entente.node.screening.Watchlist;
import org.entente.node.users.Role;
import org.entente.screening.Entry;
import org.entente.screening.Kind;
import org.entente.screening.Query;
import org.entente.screening.ScreeningIndex;

/**
 * Screening as a service of the node (issue 13): a generated list of N entries imported into a
 * node (embedded PostgreSQL), the node started (index built from the database), then checks over
 * HTTP on loopback at 100 concurrent clients, closed loop (throughput) and open loop at fixed
 * rates (latency at a load), beside the library's own single-thread rate on the very index the
 * node serves, measured in the same run; a 300-traveller manifest; memory per entry.
 *
 * <p>Usage: ScreeningNodeBenchmark [ENTRIES] [QUERIES] [SECONDS] [WORK-DIR]
 */
public final class ScreeningNodeBenchmark {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String USER = "bench-officer";
    static final String PASSWORD = "bench-password-1";
    static final int CLIENTS = 100;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path work = Path.of(args.length > 3 ? args[3] : "bench/out").toAbsolutePath();
        Path watchlists = Path.of("entente-screening/src/test/resources/watchlists");
        Path un = watchlists.resolve("un/consolidated.xml");
        Path ofac = watchlists.resolve("ofac-sdn-2019");
        System.out.printf("machine: %d cores, JDK %s, max heap %d MB, load average %.1f%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), Runtime.getRuntime().maxMemory() >> 20,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        Path data = work.resolve("screening-node-" + n);
        Map<Key, String> settings = new EnumMap<>(Key.class);
        settings.put(Key.PORT, "0");
        settings.put(Key.ORG_NAME, "Bench border police");
        settings.put(Key.ORG_NATION, "DE");
        settings.put(Key.ORG_SECTOR, "border");
        // One user stands for a hundred clients: no per-user limit, and no sweep detection (the
        // generated names are respellings of each other by design).
        settings.put(Key.SCREENING_LIMIT_USER, "0");
        settings.put(Key.SCREENING_LIMIT_ORGANISATION, "0");
        settings.put(Key.SCREENING_SWEEP_DOCUMENTS, "0");
        settings.put(Key.SCREENING_SWEEP_NAMES, "0");
        NodeConfig config = NodeConfig.of(new DatabaseLocation.Embedded(data), settings);

        // 1. The list in the database (kept between runs in WORK-DIR).
        boolean imported = Files.exists(data.resolve("imported"));
        if (!imported) {
            Files.createDirectories(work);
            Path jsonl = work.resolve("generated-" + n + ".jsonl");
            long t = System.nanoTime();
            try (BufferedWriter w = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8)) {
                for (Entry e : new WatchlistGenerator(un, ofac, 42).generate(n)) {
                    w.write(EntryJson.write(e));
                    w.newLine();
                }
            }
            System.out.printf(Locale.ROOT, "generated %,d entries (%,d MB of JSON Lines) in %.1f s%n", n,
                    Files.size(jsonl) >> 20, (System.nanoTime() - t) / 1e9);
            try (Node node = Node.start(config)) {
                ScreeningService s = node.services().screening();
                ScreeningService.Caller op = s.operator("bench", null);
                Watchlist list = s.create(op, org.entente.node.screening.WatchlistDraft.parse(JSON.createObjectNode()
                        .put("name", "Generated").put("kind", "wanted-persons").put("tlp", "amber")));
                t = System.nanoTime();
                ListImport.Report r = s.importFile(op, list.id(), jsonl, true, "bench", org.entente.screening.io.Progress.NONE);
                System.out.printf(Locale.ROOT, "import through the node (read, COPY, difference in SQL, index followed):"
                        + " %,d entries in %.1f s (%,d ms of it reading and writing), %d problems%n", r.applied().added(),
                        (System.nanoTime() - t) / 1e9, r.millis(), r.problems().size());
                node.services().accounts().create(USER, PASSWORD, false, node.services().organisations().own()
                        .orElseThrow().id(), Set.of(Role.BORDER_OFFICER));
            }
            Files.writeString(data.resolve("imported"), "yes\n");
            Files.delete(jsonl);
        }

        // 2. Each way of committing the screening records: on disk before the answer, and not.
        String modes = args.length > 4 ? args[4] : "true,false";
        for (String sync : modes.split(",")) {
            Map<Key, String> s = new EnumMap<>(settings);
            s.put(Key.SCREENING_SYNCHRONOUS_COMMIT, sync);
            System.out.printf("--- screening.synchronous_commit = %s%n", sync);
            measure(NodeConfig.of(new DatabaseLocation.Embedded(data), s), n, queries, seconds, un, ofac);
        }
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void measure(NodeConfig config, int n, int queries, int seconds, Path un, Path ofac) throws Exception {
        Path pgdata = ((DatabaseLocation.Embedded) config.database()).dataDir().resolve("pgdata");
        // Start: the index built from the database.
        long heapBefore = usedHeap();
        long t0 = System.nanoTime();
        try (Node node = Node.start(config)) {
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            ScreeningService s = node.services().screening();
            long entries = s.indexedEntries();
            long heapAfter = usedHeap();
            System.out.printf(Locale.ROOT, "node start with the index built from PostgreSQL: %,d entries in %.1f s%n",
                    entries, startSeconds);
            System.out.printf(Locale.ROOT, "memory: %.0f bytes per entry (heap after start minus before, entries and"
                    + " index together)%n", (heapAfter - heapBefore) / (double) entries);

            // Queries: half respelt listed names, half new names of the same origins.
            WatchlistGenerator gen = new WatchlistGenerator(un, ofac, 42);
            List<Entry> sample = gen.generate(Math.min(n, 200_000));
            java.util.Random rnd = new java.util.Random(7);
            List<String> names = new ArrayList<>();
            while (names.size() < queries) {
                if (rnd.nextBoolean()) {
                    Entry e = sample.get(rnd.nextInt(sample.size()));
                    if (e.kind() == Kind.PERSON) names.add(gen.respell(e.names().getFirst().text()));
                } else {
                    names.add(gen.personName(gen.randomOrigin(), false));
                }
            }
            sample = null;

            // The library alone on the node's own index, one thread, in the same process and hour.
            List<ScreeningIndex> indexes = List.copyOf(s.indexes().values());
            double libraryRate = 0;
            for (int round = 0; round < 2; round++) {
                long[] lat = new long[names.size()];
                var threads = java.lang.management.ManagementFactory.getThreadMXBean();
                long cpuBefore = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < names.size(); i++) {
                    Query q = Query.name(names.get(i)).withKind(Kind.PERSON);
                    long a = System.nanoTime();
                    for (ScreeningIndex idx : indexes) idx.screen(q, 10);
                    lat[i] = System.nanoTime() - a;
                }
                double cpuPer = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e6 / names.size();
                Arrays.sort(lat);
                libraryRate = lat.length / (Arrays.stream(lat).sum() / 1e9);
                if (round == 1) {
                    System.out.printf(Locale.ROOT, "library, one thread, on the node's index (load average %.1f): median %.3f ms,"
                                    + " p99 %.3f ms, %,.0f checks/s; CPU per check %.3f ms (%,.0f checks/s per core)%n", load(),
                            lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.99)] / 1e6, libraryRate, cpuPer, 1000 / cpuPer);
                }
            }

            // The service without HTTP, one thread: policy, screening, hits recorded and audited.
            ScreeningService.Caller officer = s.operator("bench-direct", Purpose.BORDER_CONTROL);
            for (int round = 0; round < 2; round++) {
                int count = Math.min(names.size(), 2_000);
                long[] lat = new long[count];
                for (int i = 0; i < count; i++) {
                    var t = org.entente.node.screening.Traveller.parse(JSON.createObjectNode().put("name", names.get(i))
                            .put("kind", "person"));
                    long a = System.nanoTime();
                    s.check(officer, t, ScreeningService.Options.DEFAULT);
                    lat[i] = System.nanoTime() - a;
                }
                Arrays.sort(lat);
                if (round == 1) {
                    System.out.printf(Locale.ROOT, "service without HTTP, one thread (screening, hits recorded and audited,"
                                    + " load average %.1f): median %.3f ms, p99 %.3f ms, %,.0f checks/s%n", load(),
                            lat[count / 2] / 1e6, lat[(int) (count * 0.99)] / 1e6, count / (Arrays.stream(lat).sum() / 1e9));
                }
            }

            // HTTP, 100 clients.
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String url = node.url() + "api/screening/check";
            // A border post's system calls with an API key, as tools do.
            String auth = "Bearer " + node.services().apiKeys().create(USER, "bench").secret();
            List<byte[]> bodies = new ArrayList<>();
            for (String name : names) {
                ObjectNode q = JSON.createObjectNode().put("name", name).put("kind", "person");
                bodies.add(JSON.writeValueAsBytes(q));
            }
            closedLoop(client, url, auth, bodies, 5, false); // warm-up
            long hitsBefore = s.hits().lastEvent();
            Cpu cpu0 = Cpu.now(pgdata);
            Map<String, Long> threads0 = threadCpu();
            CLIENT_CPU.set(0);
            Result closed = closedLoop(client, url, auth, bodies, seconds, true);
            Map<String, Long> threads1 = threadCpu();
            threads1.put("Thread (closed loop)", CLIENT_CPU.get());
            Cpu cpu = Cpu.now(pgdata).minus(cpu0);
            long checks = Math.round(closed.rate * seconds);
            System.out.printf(Locale.ROOT, "HTTP, %d clients back to back (closed loop, %d s, load average %.1f): %,.0f checks/s,"
                            + " median %.2f ms, p99 %.2f ms, %d errors; ratio to the library's single-thread rate %.2f%n",
                    CLIENTS, seconds, load(), closed.rate, closed.median, closed.p99, closed.errors, closed.rate / libraryRate);
            long recorded = s.hits().lastEvent() - hitsBefore;
            double perCheck = (cpu.jvmNanos() + cpu.pgNanos()) / 1e6 / checks;
            System.out.printf(Locale.ROOT, "  %,d hits recorded (%.1f per check); CPU per check %.2f ms (JVM %.2f incl. the"
                            + " clients, PostgreSQL %.2f): at most %,.0f checks/s on %d cores of our own%n", recorded,
                    recorded / (double) checks, perCheck, cpu.jvmNanos() / 1e6 / checks, cpu.pgNanos() / 1e6 / checks,
                    Runtime.getRuntime().availableProcessors() * 1000 / perCheck, Runtime.getRuntime().availableProcessors());
            System.out.println("  " + whereTheTimeGoes(threads0, threads1, cpu, checks));
            for (double share : new double[] {0.25, 0.5}) {
                double rate = Math.max(10, closed.rate * share);
                Result open = openLoop(client, url, auth, bodies, rate, seconds);
                System.out.printf(Locale.ROOT, "HTTP, %d clients at %,.0f checks/s in all (open loop, %.0f%% of the closed-loop"
                                + " rate, %d s, load average %.1f): median %.2f ms, p99 %.2f ms, %d errors%n", CLIENTS, rate,
                        share * 100, seconds, load(), open.median, open.p99, open.errors);
            }

            // A manifest of 300 travellers.
            StringBuilder manifest = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                manifest.append(JSON.writeValueAsString(JSON.createObjectNode().put("id", i).put("name", names.get(i))
                        .put("kind", "person"))).append('\n');
            }
            byte[] m = manifest.toString().getBytes(StandardCharsets.UTF_8);
            long[] times = new long[21];
            for (int r = 0; r < times.length; r++) {
                long a = System.nanoTime();
                HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create(node.url() + "api/screening/batch"))
                        .header("Authorization", auth).header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(m)).build(), HttpResponse.BodyHandlers.ofString());
                times[r] = System.nanoTime() - a;
                if (resp.statusCode() != 200 || resp.body().lines().count() != 300) {
                    throw new IllegalStateException("manifest: HTTP " + resp.statusCode() + " " + resp.body());
                }
            }
            Arrays.sort(times);
            System.out.printf(Locale.ROOT, "manifest of 300 travellers over HTTP: median %.1f ms, fastest %.1f ms, slowest"
                    + " %.1f ms (21 runs, each recorded and audited)%n", times[10] / 1e6, times[0] / 1e6, times[20] / 1e6);
        }
    }

    record Result(double rate, double median, double p99, int errors) {}

    /** Each client sends its next check when the last is answered. */
    /** CPU time of the closed loop's client threads, added by each as it ends. */
    static final AtomicLong CLIENT_CPU = new AtomicLong();

    static Result closedLoop(HttpClient client, String url, String auth, List<byte[]> bodies, int seconds, boolean report)
            throws InterruptedException {
        ConcurrentLinkedQueue<long[]> lat = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(CLIENTS);
        long t0 = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            Thread.ofPlatform().start(() -> {
                long[] mine = new long[200_000];
                int k = 0;
                while (System.nanoTime() < end) {
                    byte[] body = bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size()));
                    long a = System.nanoTime();
                    if (!send(client, url, auth, body)) errors.incrementAndGet();
                    if (k < mine.length) mine[k++] = System.nanoTime() - a;
                }
                lat.add(Arrays.copyOf(mine, k));
                CLIENT_CPU.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
                done.countDown();
            });
        }
        done.await();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        return summary(lat, elapsed, errors.get());
    }

    /**
     * Checks sent at a fixed total rate, spread over the clients; each latency is measured from the
     * moment the check was due, so a slow answer also counts against those queued behind it.
     */
    static Result openLoop(HttpClient client, String url, String auth, List<byte[]> bodies, double rate, int seconds)
            throws InterruptedException {
        ConcurrentLinkedQueue<long[]> lat = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong seq = new AtomicLong();
        long total = (long) (rate * seconds);
        long intervalNanos = (long) (1e9 / rate);
        CountDownLatch done = new CountDownLatch(CLIENTS);
        long t0 = System.nanoTime() + 100_000_000L;
        for (int c = 0; c < CLIENTS; c++) {
            Thread.ofPlatform().start(() -> {
                long[] mine = new long[(int) (total / CLIENTS) + 16];
                int k = 0;
                long i;
                while ((i = seq.getAndIncrement()) < total) {
                    long due = t0 + i * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    if (!send(client, url, auth, bodies.get((int) (i % bodies.size())))) errors.incrementAndGet();
                    if (k < mine.length) mine[k++] = System.nanoTime() - due;
                }
                lat.add(Arrays.copyOf(mine, k));
                done.countDown();
            });
        }
        done.await();
        return summary(lat, seconds, errors.get());
    }

    private static Result summary(ConcurrentLinkedQueue<long[]> lat, double elapsed, int errors) {
        long[] all = lat.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(all.length / elapsed, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, errors);
    }

    private static boolean send(HttpClient client, String url, String auth, byte[] body) {
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                    .header("Content-Type", "application/json").header("X-Entente-Purpose", Purpose.BORDER_CONTROL.wire())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** CPU time (user + system) of this JVM and of the node's PostgreSQL (postmaster, its backends, those gone). */
    record Cpu(long jvmNanos, long pgNanos) {
        static Cpu now(Path pgdata) {
            long jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
            return new Cpu(jvm, pgCpu(pgdata));
        }

        Cpu minus(Cpu before) {
            return new Cpu(jvmNanos - before.jvmNanos, pgNanos - before.pgNanos);
        }
    }

    private static long pgCpu(Path pgdata) {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(pgdata.resolve("postmaster.pid")).getFirst().strip());
            long ticks = 0;
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                    String[] f;
                    try {
                        String stat = Files.readString(p.resolve("stat"));
                        f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    } catch (java.io.IOException gone) {
                        continue;
                    }
                    long pid = Long.parseLong(p.getFileName().toString());
                    long ppid = Long.parseLong(f[1]);
                    if (pid == postmaster) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                    } else if (ppid == postmaster) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                }
            }
            return ticks * 10_000_000L; // USER_HZ = 100
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU time of the live threads, summed by the name of their pool (numbers left out). */
    static Map<String, Long> threadCpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new java.util.TreeMap<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) continue;
            long t = mx.getThreadCpuTime(info.getThreadId());
            if (t > 0) out.merge(info.getThreadName().replaceAll("[-#]?\\d+", ""), t, Long::sum);
        }
        return out;
    }

    /**
     * The closed loop's CPU per check by thread pool (threads that ended during the loop are lost
     * to "other"), the rest of the JVM (garbage collection, compilation) and PostgreSQL.
     */
    static String whereTheTimeGoes(Map<String, Long> before, Map<String, Long> after, Cpu cpu, long checks) {
        Map<String, Long> used = new java.util.HashMap<>();
        long sum = 0;
        for (var e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d <= 0) continue;
            String group = e.getKey().startsWith("Thread") ? "benchmark clients" : e.getKey().startsWith("HttpClient")
                    ? "benchmark clients (JDK HttpClient)" : e.getKey();
            used.merge(group, d, Long::sum);
            sum += d;
        }
        StringBuilder b = new StringBuilder("CPU per check by thread (ms):");
        used.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .filter(e -> e.getValue() / 1e6 / checks >= 0.005)
                .forEach(e -> b.append(String.format(Locale.ROOT, " %s %.3f;", e.getKey(), e.getValue() / 1e6 / checks)));
        b.append(String.format(Locale.ROOT, " rest of the JVM (GC, JIT, threads that ended) %.3f; PostgreSQL %.3f",
                (cpu.jvmNanos() - sum) / 1e6 / checks, cpu.pgNanos() / 1e6 / checks));
        return b.toString();
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
