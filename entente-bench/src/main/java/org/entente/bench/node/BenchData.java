package org.entente.bench.node;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Writes a realistic mixed STIX 2.1 bundle for the node benchmarks: indicators with simple patterns
 * (addresses, CIDR blocks, domains, URLs, hashes, e-mail addresses), the observables themselves, and
 * relationships between indicators and malware. Deterministic for a given seed, streamed to disk.
 */
public final class BenchData {
    private BenchData() {}

    /** Values the look-up benchmark queries: the i-th address/domain the generator used. */
    public static String ipv4(long i) {
        return "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255);
    }

    public static String domain(long i) {
        return "host" + i + ".bench-" + (i % 997) + ".example";
    }

    /** The bundle of {@code count} objects in {@code work} (seed 42), written the first time it is asked for. */
    public static Path ensure(Path work, long count) throws IOException {
        Path data = work.resolve("mixed-" + count + ".json");
        if (!Files.exists(data)) {
            long t = System.nanoTime();
            write(data, count, 42);
            System.out.printf("generated %s (%,d objects, %,d MB) in %.1f s%n", data, count, Files.size(data) >> 20,
                    (System.nanoTime() - t) / 1e9);
        }
        return data;
    }

    public static void write(Path file, long count, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Files.createDirectories(file.toAbsolutePath().getParent());
        String[] malware = new String[100];
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"type\":\"bundle\",\"id\":\"bundle--" + uuid(rnd) + "\",\"objects\":[\n");
            for (int m = 0; m < malware.length; m++) {
                malware[m] = "malware--" + uuid(rnd);
                w.write("{\"type\":\"malware\",\"spec_version\":\"2.1\",\"id\":\"" + malware[m]
                        + "\",\"created\":\"2024-03-01T10:00:00.000Z\",\"modified\":\"2024-03-01T10:00:00.000Z\","
                        + "\"name\":\"Bench family " + m + "\",\"is_family\":true,\"malware_types\":[\"bot\"]},\n");
            }
            String lastIndicator = null;
            for (long i = malware.length; i < count; i++) {
                int kind = rnd.nextInt(100);
                String obj;
                if (kind < 40) {
                    lastIndicator = "indicator--" + uuid(rnd);
                    obj = indicator(lastIndicator, pattern(rnd, i), i);
                } else if (kind < 80) {
                    obj = observable(rnd, i);
                } else if (lastIndicator != null) {
                    obj = "{\"type\":\"relationship\",\"spec_version\":\"2.1\",\"id\":\"relationship--" + uuid(rnd)
                            + "\",\"created\":\"2024-03-02T10:00:00.000Z\",\"modified\":\"2024-03-02T10:00:00.000Z\","
                            + "\"relationship_type\":\"indicates\",\"source_ref\":\"" + lastIndicator
                            + "\",\"target_ref\":\"" + malware[rnd.nextInt(malware.length)] + "\"}";
                } else {
                    obj = observable(rnd, i);
                }
                w.write(obj);
                w.write(i + 1 < count ? ",\n" : "\n");
            }
            w.write("]}\n");
        }
    }

    private static String indicator(String id, String pattern, long i) {
        return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id
                + "\",\"created\":\"2024-03-01T10:00:00.000Z\",\"modified\":\"2024-03-01T10:00:00.000Z\","
                + "\"name\":\"Bench indicator " + i + "\",\"indicator_types\":[\"malicious-activity\"],"
                + "\"pattern\":\"" + pattern + "\",\"pattern_type\":\"stix\",\"valid_from\":\"2024-03-01T10:00:00Z\","
                + "\"object_marking_refs\":[\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\"]}";
    }

    private static String pattern(SplittableRandom rnd, long i) {
        return switch (rnd.nextInt(6)) {
            case 0 -> "[ipv4-addr:value = '" + ipv4(i) + "']";
            case 1 -> "[ipv4-addr:value = '" + ((i >> 8) % 200 + 20) + "." + (i & 255) + ".0.0/16']";
            case 2 -> "[domain-name:value = '" + domain(i) + "']";
            case 3 -> "[url:value = 'http://" + domain(i) + "/gate.php?id=" + i + "']";
            case 4 -> "[file:hashes.'SHA-256' = '" + hex(rnd, 32) + "']";
            default -> "[email-addr:value = 'sender" + i + "@" + domain(i) + "']";
        };
    }

    private static String observable(SplittableRandom rnd, long i) {
        String id = UUID.randomUUID().toString();
        return switch (rnd.nextInt(5)) {
            case 0 -> "{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\"ipv4-addr--" + id + "\",\"value\":\""
                    + ipv4(i) + "\"}";
            case 1 -> "{\"type\":\"domain-name\",\"spec_version\":\"2.1\",\"id\":\"domain-name--" + id + "\",\"value\":\""
                    + domain(i) + "\"}";
            case 2 -> "{\"type\":\"url\",\"spec_version\":\"2.1\",\"id\":\"url--" + id + "\",\"value\":\"https://"
                    + domain(i) + "/download/" + i + ".exe\"}";
            case 3 -> "{\"type\":\"file\",\"spec_version\":\"2.1\",\"id\":\"file--" + id + "\",\"name\":\"payload" + i
                    + ".bin\",\"hashes\":{\"SHA-256\":\"" + hex(rnd, 32) + "\",\"MD5\":\"" + hex(rnd, 16) + "\"}}";
            default -> "{\"type\":\"email-addr\",\"spec_version\":\"2.1\",\"id\":\"email-addr--" + id + "\",\"value\":\"user"
                    + i + "@" + domain(i) + "\"}";
        };
    }

    private static String uuid(SplittableRandom rnd) {
        return new UUID((rnd.nextLong() & ~0xF000L) | 0x4000L, (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
                .toString();
    }

    private static String hex(SplittableRandom rnd, int bytes) {
        StringBuilder sb = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++) {
            int b = rnd.nextInt(256);
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
        }
        return sb.toString();
    }
}
