package org.entente.node.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.entente.pattern.StreamingMatcher;
import org.entente.pattern.StreamingMatcher.Outcome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

@Command(name = "match", mixinStandardHelpOptions = true,
        description = {"Streams observations against indicators and writes one STIX sighting per match (JSON Lines).",
                "Indicators: a bundle or JSON Lines of objects; those that are not STIX-pattern indicators are skipped,"
                        + " invalid ones are reported with their id and the rest go on.",
                "Observations: JSON Lines, each line a bundle (observed-data with its SCOs) or a bare SCO"
                        + " (observed once, now); a malformed line is reported with its number and skipped.",
                "'-' reads standard input. Progress and the final throughput go to standard error.",
                "Exit codes: 0 done (even with reported bad lines); 2 unreadable input or bad usage."})
final class MatchCommand implements Callable<Integer> {
    /** Lines longer than this are reported and skipped rather than buffered. */
    static final int MAX_LINE = 64 << 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--indicators", required = true, paramLabel = "FILE", description = "Indicators ('-' for standard input).")
    String indicators;

    @Option(names = "--observations", required = true, paramLabel = "FILE",
            description = "Observations as JSON Lines ('-' for standard input).")
    String observations;

    @Option(names = "--output", paramLabel = "FILE", description = "Where the sightings go (default: standard output).")
    String output;

    @Option(names = {"-q", "--quiet"}, description = "Only errors and the final summary on standard error.")
    boolean quiet;

    private PrintWriter err;

    @Override
    public Integer call() {
        err = spec.commandLine().getErr();
        if (indicators.equals("-") && observations.equals("-")) {
            err.println("entente match: indicators and observations cannot both come from standard input");
            return 2;
        }
        for (String f : new String[]{indicators, observations}) {
            if (!f.equals("-") && !Files.isReadable(Path.of(f))) {
                err.println("entente match: cannot read " + f);
                return 2;
            }
        }
        StreamingMatcher matcher = new StreamingMatcher();
        long t0 = System.nanoTime();
        int[] loaded = new int[4];
        try (InputStream in = PatternInputs.open(indicators)) {
            readIndicators(in, node -> {
                Outcome o = matcher.add(node);
                loaded[o.status().ordinal()]++;
                if (o.status() == StreamingMatcher.Status.REJECTED) {
                    err.println("entente match: indicator " + o.id() + " rejected: " + o.message());
                }
            });
        } catch (IOException e) {
            err.println("entente match: cannot read indicators from " + indicators + ": " + firstLine(e));
            return 2;
        }
        double compileSeconds = (System.nanoTime() - t0) / 1e9;
        err.printf("entente match: %d indicators loaded in %.1f s (%d replaced, %d skipped, %d rejected)%n",
                matcher.size(), compileSeconds, loaded[1], loaded[2], loaded[3]);
        err.flush();

        long observed = 0;
        long sightings = 0;
        long bad = 0;
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long nextReport = start + 5_000_000_000L;
        try (InputStream in = PatternInputs.open(observations);
             OutputStream out = output == null ? nonClosing(System.out) : Files.newOutputStream(Path.of(output));
             OutputStream buffered = new BufferedOutputStream(out, 1 << 16)) {
            LineReader lines = new LineReader(in);
            byte[] line;
            while ((line = lines.next()) != null) {
                if (lines.tooLong) {
                    bad++;
                    err.println("entente match: observation line " + lines.number + " skipped: longer than " + MAX_LINE + " bytes");
                    continue;
                }
                if (isBlank(line, lines.length)) {
                    continue;
                }
                JsonNode node;
                List<ObjectNode> found;
                try {
                    node = PatternInputs.JSON.readTree(line, 0, lines.length);
                    if (node == null || !node.isObject()) {
                        throw new IllegalArgumentException("not a JSON object");
                    }
                    found = matcher.observe(node, Instant.now().truncatedTo(ChronoUnit.MILLIS));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    bad++;
                    err.println("entente match: observation line " + lines.number + " skipped: " + firstLine(e));
                    continue;
                } catch (RuntimeException e) {
                    // a defect of ours must not stop a stream that sits behind a log shipper
                    bad++;
                    err.println("entente match: observation line " + lines.number + " skipped after an internal error: " + e);
                    continue;
                }
                observed++;
                for (ObjectNode s : found) {
                    buffered.write(PatternInputs.JSON.writeValueAsBytes(s));
                    buffered.write('\n');
                    sightings++;
                }
                if (!quiet && (observed & 0x3FFF) == 0 && System.nanoTime() > nextReport) {
                    nextReport = System.nanoTime() + 5_000_000_000L;
                    double s = (System.nanoTime() - start) / 1e9;
                    err.printf("entente match: %,d observations, %,d sightings, %,.0f observations/s%n",
                            observed, sightings, observed / s);
                    err.flush();
                }
            }
        } catch (IOException e) {
            err.println("entente match: " + firstLine(e));
            return 2;
        }
        double s = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        double cpu = Math.max(1e-9, (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
        err.printf("entente match: done: %,d observations (%,d bad lines skipped), %,d sightings in %.2f s: %,.0f observations/s"
                        + " (%,.0f per CPU-second of the reading and matching thread)%n",
                observed, bad, sightings, s, observed / s, observed / cpu);
        err.flush();
        return 0;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static boolean isBlank(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static OutputStream nonClosing(OutputStream o) {
        return new java.io.FilterOutputStream(o) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /**
     * Streams the objects of a bundle (without holding the bundle) or of JSON Lines: every
     * top-level object with an {@code objects} array contributes its elements, any other
     * top-level object is itself an indicator candidate.
     */
    static void readIndicators(InputStream in, Consumer<JsonNode> sink) throws IOException {
        try (JsonParser p = PatternInputs.JSON.createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.START_OBJECT) {
                    throw new IOException("expected a JSON object at line " + p.currentLocation().getLineNr());
                }
                ObjectNode rest = PatternInputs.JSON.createObjectNode();
                boolean hadObjects = false;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (name.equals("objects") && v == JsonToken.START_ARRAY) {
                        hadObjects = true;
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            sink.accept(p.readValueAsTree());
                        }
                    } else {
                        rest.set(name, p.readValueAsTree());
                    }
                }
                if (!hadObjects) {
                    sink.accept(rest);
                }
            }
        }
    }

    /** Byte lines, so that a line that is not UTF-8 is one bad line and not the end of the stream. */
    static final class LineReader {
        private final InputStream in;
        private final byte[] chunk = new byte[1 << 16];
        private int chunkPos;
        private int chunkLen;
        private byte[] line = new byte[1 << 12];
        int length;
        long number;
        boolean tooLong;

        LineReader(InputStream in) {
            this.in = in;
        }

        byte[] next() throws IOException {
            length = 0;
            tooLong = false;
            boolean any = false;
            while (true) {
                if (chunkPos == chunkLen) {
                    chunkLen = in.read(chunk);
                    chunkPos = 0;
                    if (chunkLen <= 0) {
                        chunkLen = 0;
                        if (!any) {
                            return null;
                        }
                        number++;
                        return line;
                    }
                }
                any = true;
                int start = chunkPos;
                while (chunkPos < chunkLen && chunk[chunkPos] != '\n') {
                    chunkPos++;
                }
                int n = chunkPos - start;
                if (!tooLong) {
                    if (length + n > MAX_LINE) {
                        tooLong = true;
                        length = 0;
                    } else {
                        if (length + n > line.length) {
                            line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
                        }
                        System.arraycopy(chunk, start, line, length, n);
                        length += n;
                    }
                }
                if (chunkPos < chunkLen) {
                    chunkPos++;
                    number++;
                    return line;
                }
            }
        }
    }
}
