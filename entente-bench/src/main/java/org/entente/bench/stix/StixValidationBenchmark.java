package org.entente.bench.stix;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.entente.stix.Problem;
import org.entente.stix.ScoIds;
import org.entente.stix.StixJson;
import org.entente.stix.StixReader;
import org.entente.stix.StixValidator;
import org.entente.stix.StixWriter;
import org.entente.stix.Tlp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * STIX validation throughput on a typical import mix: half indicators, a third observables with
 * deterministic (UUIDv5) ids, the rest relationships and sightings. Scores are objects per second on one
 * thread. {@code parse} (streaming read of the bundle only) is the baseline the other two compare to.
 * Run: {@code bench/stix.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class StixValidationBenchmark {

    static final int OBJECTS = 10_000;

    byte[] bundle;
    List<ObjectNode> parsed;
    final StixValidator validator = StixValidator.standard();

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parsed = new ArrayList<>(OBJECTS);
        try (StixWriter w = StixWriter.bundle(out)) {
            for (int i = 0; i < OBJECTS; i++) {
                ObjectNode o = object(i, rnd);
                parsed.add(o);
                w.write(o);
            }
        }
        bundle = out.toByteArray();
        long errors = parsed.stream().flatMap(o -> validator.validate(o).stream()).filter(Problem::isError).count();
        if (errors > 0) throw new IllegalStateException("benchmark data must be valid, found " + errors + " errors");
    }

    @Benchmark
    @OperationsPerInvocation(OBJECTS)
    public void parse(Blackhole bh) {
        try (StixReader r = StixReader.open(new ByteArrayInputStream(bundle))) {
            while (r.hasNext()) bh.consume(r.next());
        }
    }

    @Benchmark
    @OperationsPerInvocation(OBJECTS)
    public void parseAndValidate(Blackhole bh) {
        try (StixReader r = StixReader.open(new ByteArrayInputStream(bundle))) {
            while (r.hasNext()) bh.consume(validator.validate(r.next().json()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(OBJECTS)
    public void validate(Blackhole bh) {
        for (ObjectNode o : parsed) bh.consume(validator.validate(o));
    }

    static ObjectNode object(int i, SplittableRandom rnd) {
        ObjectNode o = StixJson.mapper().createObjectNode();
        String ts = String.format("2024-%02d-%02dT%02d:%02d:%02d.%03dZ", 1 + rnd.nextInt(12), 1 + rnd.nextInt(28),
                rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60), rnd.nextInt(1000));
        String ip = "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256);
        int kind = i % 6;
        if (kind <= 2) {
            o.put("type", "indicator").put("spec_version", "2.1").put("id", "indicator--" + uuid(rnd))
                    .put("created_by_ref", "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff")
                    .put("created", ts).put("modified", ts).put("name", "C2 address " + ip);
            o.putArray("indicator_types").add("malicious-activity");
            o.put("pattern", "[ipv4-addr:value = '" + ip + "']").put("pattern_type", "stix")
                    .put("valid_from", ts).put("confidence", rnd.nextInt(101));
            o.putArray("kill_chain_phases").addObject()
                    .put("kill_chain_name", "lockheed-martin-cyber-kill-chain").put("phase_name", "command-and-control");
            o.putArray("external_references").addObject().put("source_name", "acme-feed").put("external_id", "F-" + i);
            o.putArray("object_marking_refs").add(Tlp.AMBER);
        } else if (kind <= 4) {
            if (kind == 3) {
                o.put("type", "ipv4-addr").put("spec_version", "2.1").put("value", ip);
            } else {
                o.put("type", "file").put("spec_version", "2.1").put("name", "sample" + i + ".exe");
                o.putObject("hashes").put("SHA-256", hex(rnd, 64)).put("MD5", hex(rnd, 32));
            }
            o.put("id", ScoIds.compute(o));
            o.putArray("object_marking_refs").add(Tlp.GREEN);
        } else {
            o.put("type", "relationship").put("spec_version", "2.1").put("id", "relationship--" + uuid(rnd))
                    .put("created", ts).put("modified", ts).put("relationship_type", "indicates")
                    .put("source_ref", "indicator--" + uuid(rnd)).put("target_ref", "malware--" + uuid(rnd));
        }
        return o;
    }

    static String uuid(SplittableRandom rnd) {
        return new UUID((rnd.nextLong() & ~0xF000L) | 0x4000L, (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    static String hex(SplittableRandom rnd, int digits) {
        StringBuilder sb = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) sb.append(Character.forDigit(rnd.nextInt(16), 16));
        return sb.toString();
    }
}
