package org.entente.bench.federation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.search.Search;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.entente.bench.node.BenchData;
import org.entente.bench.node.NodeBenchmark;
import org.entente.node.Node;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import org.entente.node.federation.PeerStatus;
import org.entente.node.intake.Importer;
import org.entente.node.policy.Agreement;
import org.entente.node.store.CollectionInfo;

/**
 * Federation benchmark (issue 11), two nodes on loopback, each with its own embedded PostgreSQL:
 * <ol>
 * <li>the baseline: `entente import` of the bundle at the producer (its own objects, signed as stored);</li>
 * <li>the sync of the same objects to the partner over mutual TLS with every signature verified,
 *     started by the push notification of the offer, timed until the partner holds all of them;</li>
 * <li>a cycle with nothing new: requests the partner made to the producer's listener;</li>
 * <li>push latency: objects posted one by one over TAXII at the producer, each timed until the
 *     partner holds it (the partner syncs only when told).</li>
 * </ol>
 * Run it with {@code bench/federation.sh [OBJECTS] [WORK-DIR]}; figures in docs/BENCHMARKS.md.
 */
public final class FederationBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        long count = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
        Path work = Path.of(args.length > 1 ? args[1] : "bench/out").toAbsolutePath();
        int pushes = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path data = work.resolve("mixed-" + count + ".json");
        if (!Files.exists(data)) {
            long t = System.nanoTime();
            BenchData.write(data, count, 42);
            System.out.printf("generated %s (%,d objects, %,d MB) in %.1f s%n", data, count, Files.size(data) >> 20,
                    (System.nanoTime() - t) / 1e9);
        }
        Path run = work.resolve("federation-" + count + "-" + System.currentTimeMillis());
        try (Node producer = start(run.resolve("producer"), "Producer Unit", "EE");
                Node partner = start(run.resolve("partner"), "Partner CERT", "DE")) {
            // 1. The baseline: the import of the bundle at the producer.
            CollectionInfo feed = producer.services().store().ensureCollection("feed", "Feed", null);
            Importer.Report r;
            long cpu0 = cpu();
            long pg0 = NodeBenchmark.postgresCpuNanos(run.resolve("producer"));
            try (InputStream in = Files.newInputStream(data)) {
                r = producer.services().importer().importStream(in, feed.id(), Importer.Mode.REJECT_FILE, Importer.silent());
            }
            if (r.rejected()) throw new IllegalStateException(r.rejection());
            double importRate = r.objectsPerSecond();
            System.out.printf("IMPORT  %,d objects (signed as stored) in %.1f s = %,.0f objects/s; CPU per object: JVM %.1f us,"
                            + " PostgreSQL %.1f us%n", r.read(), r.took().toMillis() / 1000.0, importRate,
                    (cpu() - cpu0) / 1e3 / r.read(), (NodeBenchmark.postgresCpuNanos(run.resolve("producer")) - pg0) / 1e3 / r.read());

            // 2. Node to node.
            producer.services().federation().addPeer(partner.services().federation().identityDocument(), "bench");
            partner.services().federation().addPeer(producer.services().federation().identityDocument(), "bench");
            ObjectNode doc = agreement(own(producer), own(partner));
            Agreement a = producer.services().agreements().create(doc, "bench");
            await(() -> partner.services().agreements().find(a.id()).isPresent(), 60);
            partner.services().federation().acceptAgreement(a.id(), "bench");
            await(() -> producer.services().agreements().find(a.id()).map(x -> x.status() == Agreement.Status.ACTIVE)
                    .orElse(false), 60);
            long t0 = System.nanoTime();
            cpu0 = cpu();
            long pgA = NodeBenchmark.postgresCpuNanos(run.resolve("producer"));
            long pgB = NodeBenchmark.postgresCpuNanos(run.resolve("partner"));
            producer.services().federation().offer("Partner CERT", "feed", a.id(), "bench");
            await(() -> received(partner) >= r.read(), 3600);
            double took = (System.nanoTime() - t0) / 1e9;
            double syncRate = r.read() / took;
            PeerStatus.Pulled p = partner.services().federation().status("Producer Unit").collections().get(0);
            System.out.printf("SYNC    %,d objects node to node (mutual TLS 1.3, every signature verified) in %.1f s ="
                            + " %,.0f objects/s: %.2f of the import rate (target >= 0.5, < 120 s); received %,d, rejected %,d;"
                            + " CPU per object: JVM (both nodes) %.1f us, PostgreSQL producer %.1f us, partner %.1f us%n",
                    r.read(), took, syncRate, syncRate / importRate, p.received(), p.rejected(),
                    (cpu() - cpu0) / 1e3 / r.read(), (NodeBenchmark.postgresCpuNanos(run.resolve("producer")) - pgA) / 1e3 / r.read(),
                    (NodeBenchmark.postgresCpuNanos(run.resolve("partner")) - pgB) / 1e3 / r.read());

            // 3. A cycle with nothing new (after the cycles the notification asked for have ended).
            Thread.sleep(3000);
            long before = requests(producer);
            partner.services().federation().syncNow("Producer Unit");
            long after = requests(producer);
            System.out.printf("IDLE    a cycle with nothing new: %d request(s) to the producer for %d collection(s)%n",
                    after - before, partner.services().federation().status("Producer Unit").collections().size());

            // 4. Push latency over TAXII.
            producer.services().accounts().create("bench", "bench-password-1", true);
            HttpClient http = HttpClient.newHttpClient();
            String auth = "Basic " + Base64.getEncoder().encodeToString("bench:bench-password-1".getBytes());
            double[] ms = new double[pushes];
            for (int i = 0; i < pushes; i++) {
                String id = "indicator--" + UUID.randomUUID();
                String body = "{\"objects\":[{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id
                        + "\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\","
                        + "\"pattern\":\"[ipv4-addr:value = '" + BenchData.ipv4(i + 7_000_000L) + "']\",\"pattern_type\":\"stix\","
                        + "\"valid_from\":\"2026-01-01T00:00:00Z\"}]}";
                long s = System.nanoTime();
                HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(producer.url() + "taxii2/intel/collections/"
                                + feed.id() + "/objects/")).header("Authorization", auth)
                        .header("Accept", "application/taxii+json;version=2.1")
                        .header("Content-Type", "application/taxii+json;version=2.1")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() != 202) throw new IllegalStateException("POST " + resp.statusCode() + " " + resp.body());
                await(() -> holds(partner, id), 30);
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf("PUSH    new object at the producer -> held by the partner, %d objects: median %.0f ms,"
                            + " p90 %.0f ms, p99 %.0f ms, max %.0f ms (targets: median < 1 s, p99 < 3 s)%n",
                    pushes, ms[pushes / 2], ms[(int) (pushes * 0.9)], ms[Math.min(pushes - 1, (int) Math.ceil(pushes * 0.99) - 1)],
                    ms[pushes - 1]);
        }
    }

    private static Node start(Path dir, String name, String nation) {
        Map<Key, String> s = new EnumMap<>(Key.class);
        s.put(Key.PORT, "0");
        s.put(Key.ORG_NAME, name);
        s.put(Key.ORG_NATION, nation);
        s.put(Key.ORG_SECTOR, "cert");
        s.put(Key.SYNC_EVERY, "1h");
        s.put(Key.LOG_FORMAT, "text");
        return Node.start(NodeConfig.of(new DatabaseLocation.Embedded(dir), s));
    }

    private static String own(Node n) {
        return n.services().organisations().own().orElseThrow().id();
    }

    private static ObjectNode agreement(String a, String b) {
        ObjectNode d = JSON.createObjectNode();
        d.put("title", "Benchmark agreement");
        d.put("kind", "bilateral");
        d.putArray("parties").add(a).add(b);
        d.putObject("legal_basis").put("text", "benchmark");
        d.put("valid_from", "2020-01-01");
        d.put("status", "active");
        ObjectNode r = d.putObject("rules");
        r.putArray("categories").add("cyber-indicators").add("malware-and-tooling").add("reports-and-context");
        r.putArray("purposes").add("detection");
        r.put("max_tlp", "amber");
        r.putArray("handling_codes");
        r.putObject("personal_data").put("allowed", false);
        r.putObject("onward_sharing").put("rule", "forbidden");
        return d;
    }

    /** What the partner has received, read cheaply (the benchmark must not load the machine it measures). */
    private static long received(Node partner) throws InterruptedException {
        Thread.sleep(50);
        return partner.database().jdbi().withHandle(h -> h.createQuery("SELECT coalesce(sum(received), 0) FROM peer_collection")
                .mapTo(Long.class).one());
    }

    private static boolean holds(Node n, String id) {
        return n.database().jdbi().withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM collection c"
                + " JOIN stix_object o ON o.collection_no = c.num WHERE c.provider_id IS NOT NULL AND o.id = :id)")
                .bind("id", id).mapTo(Boolean.class).one());
    }

    /** Requests the producer's federation listener has answered. */
    private static long requests(Node producer) {
        return (long) Search.in(producer.services().metrics().registry()).name("federation.server.requests").timers()
                .stream().mapToLong(t -> t.count()).sum();
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void await(Check c, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!c.done()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out after " + seconds + " s");
            Thread.sleep(2);
        }
    }

}
