package org.entente.bench.node;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.entente.node.Node;
import org.entente.node.NodeServices;
import org.entente.node.config.NodeConfig;
import org.entente.node.db.Database;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.store.CollectionInfo;
import org.entente.node.intake.Importer;
import org.entente.node.store.ObjectStore;
import org.entente.stix.Problem;

/**
 * The node's end-to-end benchmark (issue 2): bulk import into the embedded PostgreSQL, TAXII pages
 * of 1,000 objects over loopback, and observable look-ups, all at the same collection size.
 * Run it with {@code bench/node.sh [OBJECTS]}; it prints the figures recorded in docs/BENCHMARKS.md.
 */
public final class NodeBenchmark {

    public static void main(String[] args) throws Exception {
        long count = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
        Path work = Path.of(args.length > 1 ? args[1] : "bench/out").toAbsolutePath();
        Path data = work.resolve("mixed-" + count + ".json");
        if (!Files.exists(data)) {
            long t = System.nanoTime();
            BenchData.write(data, count, 42);
            System.out.printf("generated %s (%,d objects, %,d MB) in %.1f s%n", data, count, Files.size(data) >> 20,
                    (System.nanoTime() - t) / 1e9);
        }
        Path pg = work.resolve("node-" + count + "-" + System.currentTimeMillis());
        DatabaseLocation location = new DatabaseLocation.Embedded(pg);

        // 0. Baseline in the same process: read, validate and prepare every object, no database.
        double parseRate = parseOnly(data);
        System.out.printf("BASE    read + validate + prepare only (no database): %,.0f objects/s%n", parseRate);

        // 1. Import
        resetPeaks();
        double rate;
        try (Database db = Database.open(location)) {
            NodeServices services = NodeServices.on(NodeConfig.of(location, java.util.Map.of()), db);
            ObjectStore store = services.store();
            CollectionInfo c = store.ensureCollection(Node.DEFAULT_COLLECTION, "Intelligence", null);
            Importer.Report r;
            long javaCpu0 = processCpuNanos();
            long pgCpu0 = postgresCpuNanos(pg);
            try (InputStream in = Files.newInputStream(data)) {
                r = services.importer().importStream(in, c.id(), Importer.Mode.REJECT_FILE, new Importer.Listener() {
                    long shown;

                    @Override
                    public void progress(long objects, long bytes) {
                        if (objects - shown >= 200_000) {
                            shown = objects;
                            System.out.printf("  ... %,d objects%n", objects);
                        }
                    }

                    @Override
                    public void problem(long index, String id, Problem p) {
                        if (p.isError()) System.out.println("  invalid: " + index + " " + id + " " + p);
                    }
                });
            }
            if (r.rejected()) throw new IllegalStateException(r.rejection());
            double javaUs = (processCpuNanos() - javaCpu0) / 1e3 / r.read();
            double pgUs = (postgresCpuNanos(pg) - pgCpu0) / 1e3 / r.read();
            System.out.printf("CPU     per object imported: Java %.1f us, PostgreSQL %.1f us (CPU time, not wall time:"
                    + " what the import costs whatever else the machine runs)%n", javaUs, pgUs);
            rate = r.objectsPerSecond();
            System.out.printf("IMPORT  %,d objects in %.1f s = %,.0f objects/s (%.2f of the no-database baseline);"
                            + " peak heap %,d MB (max heap %,d MB)%n",
                    r.read(), r.took().toMillis() / 1000.0, rate, rate / parseRate, peakHeapMb(),
                    Runtime.getRuntime().maxMemory() >> 20);
            try (Connection conn = db.dataSource().getConnection(); Statement s = conn.createStatement()) {
                s.execute("VACUUM ANALYZE");
            }
        }

        // 2. TAXII pages and 3. look-ups, through a running node on the same database.
        try (Node node = Node.start(new NodeConfig("127.0.0.1", 0, location, false, null, null,
                NodeConfig.DEFAULT_MAX_CONTENT_LENGTH, "bench"))) {
            var users = node.services().accounts();
            if (users.find("bench").isEmpty()) users.create("bench", "bench-password-1", true);
            ObjectStore store = node.services().store();
            CollectionInfo c = store.collection(Node.DEFAULT_COLLECTION).orElseThrow();
            taxiiPages(node, c, node.database(), "bench", "own administrator");
            // The same pages read by a partner's analyst: every object decided through an agreement,
            // among 1,000 agreements of 300 organisations.
            partner(node, c);
            taxiiPages(node, c, node.database(), "partner", "partner analyst, 1,000 agreements");
            lookups(store, c, count);
        }
    }

    private static double parseOnly(Path data) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        org.entente.stix.StixValidator validator = org.entente.stix.StixValidator.standard();
        double best = 0;
        for (int round = 0; round < 2; round++) {
            long n = 0;
            long t = System.nanoTime();
            try (org.entente.stix.StixReader r = org.entente.stix.StixReader.open(
                    new java.io.BufferedInputStream(Files.newInputStream(data), 1 << 16))) {
                while (r.hasNext()) {
                    var item = r.next();
                    validator.validate(item.json());
                    org.entente.node.intake.Admission.prepare(item.json(), json.writeValueAsString(item.json()));
                    n++;
                }
            }
            best = Math.max(best, n * 1e9 / (System.nanoTime() - t));
        }
        return best;
    }

    private static void partner(Node node, CollectionInfo c) {
        var orgs = node.services().organisations();
        var own = orgs.own().orElseThrow();
        var agreements = node.services().agreements();
        var users = node.services().accounts();
        if (users.find("partner").isPresent()) return;
        var m = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            others.add(orgs.create(new org.entente.node.partners.Organisations.Draft("bench partner " + i,
                    List.of("DE", "FR", "NL", "JO", "MA", "EG", "UA", "GE").get(i % 8), "cybercrime", null), false, "bench").id());
        }
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 1000; i++) {
            var a = m.createObjectNode().put("title", "bench " + i).put("kind", "bilateral").put("valid_from", "2026-01-01")
                    .put("status", i % 10 == 0 ? "suspended" : "active");
            String other = i == 0 ? others.get(0) : others.get(rnd.nextInt(others.size()));
            a.putArray("parties").add(own.id()).add(other);
            a.putObject("legal_basis").put("text", "bench");
            var r = a.putObject("rules");
            r.putArray("categories").add("cyber-indicators").add("reports-and-context").add("malware-and-tooling");
            r.putArray("purposes").add("detection").add("intelligence-analysis");
            r.put("max_tlp", i == 0 ? "amber" : "green");
            r.putObject("onward_sharing").put("rule", "forbidden");
            if (i == 0) a.put("status", "active");
            agreements.create(a, "bench");
        }
        users.create("partner", "bench-password-1", false, others.get(0),
                java.util.Set.of(org.entente.node.users.Role.ANALYST));
        node.services().permissions().grant(c.id(), "partner", true, false);
    }

    private static void taxiiPages(Node node, CollectionInfo c, Database db, String user, String label) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":bench-password-1").getBytes(StandardCharsets.UTF_8));
        String base = node.url() + "taxii2/intel/collections/" + c.id() + "/objects/";
        // Sample start positions spread over the whole collection from its manifest.
        List<String> starts = new ArrayList<>();
        String next = null;
        int pagesWalked = 0;
        do {
            HttpResponse<String> r = get(client, auth, node.url() + "taxii2/intel/collections/" + c.id()
                    + "/manifest/?limit=1000" + (next == null ? "" : "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            if (pagesWalked++ % 5 == 0 && json.path("objects").size() > 0) {
                starts.add(json.path("objects").get(0).path("date_added").asText());
            }
            next = json.path("more").asBoolean() ? json.path("next").asText() : null;
        } while (next != null);
        for (int i = 0; i < 20; i++) get(client, auth, base + "?limit=1000"); // warm-up
        int rounds = 200;
        long[] nanos = new long[rounds];
        long bytes = 0;
        long xactBefore = transactions(db);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < rounds; i++) {
            String start = starts.get(rnd.nextInt(starts.size()));
            String url = base + "?limit=1000&added_after=" + URLEncoder.encode(start, StandardCharsets.UTF_8);
            long t = System.nanoTime();
            HttpResponse<String> r = get(client, auth, url);
            nanos[i] = System.nanoTime() - t;
            bytes += r.body().length();
            if (r.statusCode() != 200) throw new IllegalStateException(r.body());
        }
        Thread.sleep(1500);
        long xactAfter = transactions(db);
        // Baseline in the same process: the page's SQL alone, through the store, no HTTP.
        ObjectStore store = node.services().store();
        long[] baseline = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            java.time.Instant after = java.time.Instant.parse(starts.get(rnd.nextInt(starts.size())));
            long t = System.nanoTime();
            store.list(c.id(), new org.entente.node.store.ObjectQuery(after, 1000, List.of(), List.of(),
                    org.entente.node.store.VersionMatch.LAST, List.of()), true);
            baseline[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        Arrays.sort(baseline);
        System.out.printf("TAXII   (" + label + ") GET objects?limit=1000 at random positions: median %.1f ms, p90 %.1f ms, p99 %.1f ms"
                        + " (%d requests, %,d KB per page); SQL statements per page: %.2f; baseline (page query alone,"
                        + " no HTTP): median %.1f ms, ratio %.2f%n",
                nanos[rounds / 2] / 1e6, nanos[rounds * 9 / 10] / 1e6, nanos[rounds * 99 / 100] / 1e6, rounds,
                bytes / rounds / 1024, (xactAfter - xactBefore - 1) / (double) rounds, baseline[rounds / 2] / 1e6,
                nanos[rounds / 2] / (double) baseline[rounds / 2]);
    }

    /** Committed transactions of this database; each autocommit statement is one. */
    private static long transactions(Database db) throws Exception {
        try (Connection conn = db.dataSource().getConnection(); Statement s = conn.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
            try (ResultSet rs = s.executeQuery(
                    "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void lookups(ObjectStore store, CollectionInfo c, long count) {
        List<String> collections = List.of(c.id());
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 2000; i++) store.mentions(BenchData.ipv4(rnd.nextLong(count)), collections, 100);
        int rounds = 10_000;
        long[] nanos = new long[rounds];
        int hits = 0;
        for (int i = 0; i < rounds; i++) {
            long n = rnd.nextLong(count * 2); // half of the values were never generated
            String value = (i % 2 == 0) ? BenchData.ipv4(n) : BenchData.domain(n);
            long t = System.nanoTime();
            int found = store.mentions(value, collections, 100).size();
            nanos[i] = System.nanoTime() - t;
            if (found > 0) hits++;
        }
        Arrays.sort(nanos);
        System.out.printf("LOOKUP  which objects mention a value (IPv4 incl. CIDR containment, domain): median %.3f ms,"
                        + " p90 %.3f ms, p99 %.3f ms (%d look-ups, %d with hits)%n",
                nanos[rounds / 2] / 1e6, nanos[rounds * 9 / 10] / 1e6, nanos[rounds * 99 / 100] / 1e6, rounds, hits);
    }

    private static HttpResponse<String> get(HttpClient client, String auth, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                .header("Accept", "application/taxii+json;version=2.1").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** User and system CPU time of the PostgreSQL processes serving the data folder, from /proc. */
    public static long postgresCpuNanos(Path dataDir) {
        long ticks = 0;
        String marker = dataDir.toString();
        java.io.File[] procs = new java.io.File("/proc").listFiles((d, n) -> n.chars().allMatch(Character::isDigit));
        if (procs == null) return 0;
        // A postgres backend's command line does not name the folder; its postmaster does. Take the
        // postmaster and every process whose parent it is.
        java.util.Set<String> postmasters = new java.util.HashSet<>();
        for (java.io.File p : procs) {
            try {
                String cmd = Files.readString(p.toPath().resolve("cmdline")).replace('\0', ' ');
                if (cmd.contains("postgres") && cmd.contains(marker)) postmasters.add(p.getName());
            } catch (java.io.IOException | RuntimeException ignored) {
                // the process ended
            }
        }
        for (java.io.File p : procs) {
            try {
                String stat = Files.readString(p.toPath().resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // after the command: state(0) ppid(1) ... utime(11) stime(12)
                if (postmasters.contains(p.getName()) || postmasters.contains(f[1])) {
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            } catch (java.io.IOException | RuntimeException ignored) {
                // the process ended
            }
        }
        return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        }
        return sum >> 20;
    }
}
