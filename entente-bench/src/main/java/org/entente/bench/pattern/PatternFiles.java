package org.entente.bench.pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes the benchmark's indicators (one bundle) and observations (JSON Lines of bare SCOs, 1%
 * matching) for an end-to-end run of {@code entente match}.
 *
 * <p>Usage: {@code PatternFiles INDICATORS OBSERVATIONS DIR}
 */
public final class PatternFiles {
    public static void main(String[] args) throws IOException {
        long n = Long.parseLong(args[0]);
        long m = Long.parseLong(args[1]);
        Path dir = Path.of(args[2]);
        Files.createDirectories(dir);
        PatternData data = new PatternData(n, false);
        ObjectMapper json = new ObjectMapper();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("indicators.json")), 1 << 20)) {
            out.write("{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":[\n".getBytes());
            for (long i = 0; i < n; i++) {
                if (i > 0) {
                    out.write(",\n".getBytes());
                }
                out.write(json.writeValueAsBytes(data.indicator(i)));
            }
            out.write("\n]}\n".getBytes());
        }
        SplittableRandom r = new SplittableRandom(7);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("observations.jsonl")), 1 << 20)) {
            for (long i = 0; i < m; i++) {
                out.write(json.writeValueAsBytes(data.observation(r, 0.01)));
                out.write('\n');
            }
        }
        System.out.println("wrote " + n + " indicators and " + m + " observations to " + dir);
    }
}
