package org.entente.bench.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.entente.pattern.ObservationSet;
import org.entente.pattern.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pattern evaluations per second over the shapes of the conformance suite: the compiled
 * evaluator, the same with parsing on every evaluation (as the reference matcher's match()
 * does), and a naive tree walk. Only cases all three evaluate alike, without error, are used,
 * so each figure is for the same work. Run from the repository root (bench/pattern.sh).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PatternEvalBenchmark {
    static final String SUITE = "entente-pattern/src/test/resources/conformance/matcher-v21.json";
    /** The number of cases kept; the per-invocation operation count below must match it. */
    static final int CASES = 300;

    List<Pattern> patterns;
    List<String> texts;
    List<ObservationSet> sets;
    List<List<NaiveTreeWalk.Obs>> naiveSets;

    @Setup
    public void load() throws IOException {
        patterns = new ArrayList<>();
        texts = new ArrayList<>();
        sets = new ArrayList<>();
        naiveSets = new ArrayList<>();
        int kept = 0;
        for (JsonNode c : new ObjectMapper().readTree(new File(SUITE))) {
            if (!c.get("stix_version").asText().equals("2.1") || c.get("expected").isTextual()) {
                continue;
            }
            String text = c.get("pattern").asText();
            List<JsonNode> bundles = new ArrayList<>();
            c.get("observations").forEach(bundles::add);
            try {
                Pattern p = Pattern.parse(text);
                ObservationSet set = ObservationSet.ofBundles(bundles);
                List<NaiveTreeWalk.Obs> naive = NaiveTreeWalk.observations(bundles);
                boolean expected = p.match(set).matched();
                if (NaiveTreeWalk.matches(p.expression(), naive) != expected) {
                    continue;
                }
                patterns.add(p);
                texts.add(text);
                sets.add(set);
                naiveSets.add(naive);
                kept++;
            } catch (RuntimeException e) {
                // a syntax or evaluation error, or a case the naive walk does not cover
            }
        }
        // cycle the kept cases to a fixed count so that ops/s is evaluations/s
        int n = patterns.size();
        for (int i = n; i < CASES; i++) {
            patterns.add(patterns.get(i % n));
            texts.add(texts.get(i % n));
            sets.add(sets.get(i % n));
            naiveSets.add(naiveSets.get(i % n));
        }
        patterns = patterns.subList(0, CASES);
        System.out.println("\ncases evaluated alike by all three: " + kept);
    }

    @Benchmark
    @OperationsPerInvocation(CASES)
    public void compiled(Blackhole bh) {
        for (int i = 0; i < CASES; i++) {
            bh.consume(patterns.get(i).match(sets.get(i)).matched());
        }
    }

    @Benchmark
    @OperationsPerInvocation(CASES)
    public void parseEveryTime(Blackhole bh) {
        for (int i = 0; i < CASES; i++) {
            bh.consume(Pattern.parse(texts.get(i)).match(sets.get(i)).matched());
        }
    }

    @Benchmark
    @OperationsPerInvocation(CASES)
    public void naiveTreeWalk(Blackhole bh) {
        for (int i = 0; i < CASES; i++) {
            bh.consume(NaiveTreeWalk.matches(patterns.get(i).expression(), naiveSets.get(i)));
        }
    }
}
