package org.entente.node.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.entente.stix.Problem;
import org.entente.stix.StixFormatException;
import org.entente.stix.StixReader;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.PreparedObject;

/**
 * Streams STIX bundles of any size into a collection: one thread reads, validates and prepares
 * batches while the caller's thread writes them, so that parsing and PostgreSQL work overlap on
 * two cores. A whole file is one transaction: with {@link Mode#REJECT_FILE} an invalid object
 * rolls everything back; with {@link Mode#SKIP_INVALID} it is reported and left out.
 */
public final class Importer {

    public enum Mode { REJECT_FILE, SKIP_INVALID }

    /** What an import sees: progress now and then, and every problem of every object. */
    public interface Listener {
        void progress(long objects, long bytesRead);

        void problem(long index, String objectId, Problem problem);
    }

    /** A listener that ignores everything (demo loading, tests). */
    public static Listener silent() {
        return new Listener() {
            @Override
            public void progress(long objects, long bytesRead) {}

            @Override
            public void problem(long index, String objectId, Problem problem) {}
        };
    }

    /** @param added versions that were new to the collection (0 when the file was rejected) */
    public record Report(long read, long invalid, long warnings, long added, boolean rejected, String rejection,
            Duration took) {
        public double objectsPerSecond() {
            return took.toNanos() == 0 ? 0 : read * 1e9 / took.toNanos();
        }
    }

    static final int BATCH = 5_000;

    private final ObjectStore store;
    private final IntakeMetrics metrics;
    private final Producer producer;
    private final ObjectMapper json = new ObjectMapper();

    public Importer(ObjectStore store) {
        this(store, IntakeMetrics.NONE, Producer.NONE);
    }

    public Importer(ObjectStore store, IntakeMetrics metrics) {
        this(store, metrics, Producer.NONE);
    }

    /** @param producer signs what the node produces (imports into its own collections) and announces it */
    public Importer(ObjectStore store, IntakeMetrics metrics, Producer producer) {
        this.store = store;
        this.metrics = metrics;
        this.producer = producer;
    }

    private record Batch(List<PreparedObject> objects, long read, long bytes) {}

    private static final Batch END = new Batch(List.of(), 0, 0);

    /** Imports one stream; the stream is read to its end (or to the first failure) and closed. */
    public Report importStream(InputStream input, String collectionId, Mode mode, Listener listener) {
        long started = System.nanoTime();
        CountingStream in = new CountingStream(input);
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(2);
        ReadState state = new ReadState();
        boolean produced = store.collection(collectionId).filter(c -> c.id().equals(collectionId))
                .map(c -> c.providerId() == null).orElse(false);
        Thread reader = Thread.ofPlatform().name("entente-import-reader").daemon().start(
                () -> readAll(in, mode, listener, queue, state, produced));
        long added = 0;
        try (ObjectStore.Writer writer = store.bulkWriter(collectionId)) {
            while (true) {
                Batch b = queue.poll(1, TimeUnit.SECONDS);
                if (b == null) {
                    if (!reader.isAlive() && queue.isEmpty()) break;
                    continue;
                }
                if (b == END) break;
                added += writer.add(b.objects()).added();
                listener.progress(b.read(), b.bytes());
            }
            reader.join();
            if (state.rejection == null) writer.commit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.rejection = "interrupted";
        } catch (RuntimeException e) {
            state.stop = true;
            reader.interrupt();
            throw e;
        } finally {
            state.stop = true;
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing more to read
            }
        }
        boolean rejected = state.rejection != null;
        if (state.invalid > 0) metrics.refused(IntakeMetrics.Channel.IMPORT, state.invalid);
        if (!rejected) metrics.stored(IntakeMetrics.Channel.IMPORT, state.read - state.invalid, added);
        if (!rejected && added > 0) producer.added(collectionId, added);
        return new Report(state.read, state.invalid, state.warnings, rejected ? 0 : added, rejected, state.rejection,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static final class ReadState {
        volatile long read;
        volatile long invalid;
        volatile long warnings;
        volatile String rejection;
        volatile boolean stop;
    }

    private void readAll(CountingStream in, Mode mode, Listener listener, BlockingQueue<Batch> queue, ReadState state,
            boolean produced) {
        List<PreparedObject> batch = new ArrayList<>(BATCH);
        // What the node produces is signed in groups before it is prepared (docs/FEDERATION.md).
        List<ObjectNode> unsigned = new ArrayList<>(produced ? BATCH : 0);
        long read = 0;
        // Markings other than TLP and handling codes must be defined in the file or on the node;
        // the file may define them after their first use, so they are settled at its end.
        Admission.Markings markings = new Admission.Markings();
        java.util.Map<Long, String> objectIds = new java.util.HashMap<>();
        try (StixReader reader = StixReader.open(in)) {
            while (!state.stop && reader.hasNext()) {
                StixReader.Item item = reader.next();
                read++;
                ObjectNode o = item.json();
                List<Problem> problems = Validation.validate(o);
                boolean bad = false;
                for (Problem p : problems) {
                    listener.problem(item.index(), o.path("id").asText(""), p);
                    if (p.isError()) bad = true;
                    else state.warnings++;
                }
                if (bad) {
                    state.invalid++;
                    if (mode == Mode.REJECT_FILE) {
                        state.rejection = "object " + item.index() + " (" + o.path("id").asText("no id")
                                + ") is not valid STIX 2.1; nothing of this file was stored"
                                + " (use --skip-invalid to store the valid objects)";
                        break;
                    }
                    continue;
                }
                markings.saw(o, (int) Math.min(Integer.MAX_VALUE, item.index()));
                if (!org.entente.node.policy.ObjectFacts.otherMarkingRefs(o).isEmpty() && objectIds.size() < 10_000) {
                    objectIds.put(item.index(), o.path("id").asText());
                }
                if (produced) {
                    unsigned.add(o);
                    if (unsigned.size() == BATCH) signInto(unsigned, batch);
                } else {
                    batch.add(Admission.prepare(o, json.writeValueAsString(o)));
                }
                if (batch.size() == BATCH) {
                    state.read = read;
                    queue.put(new Batch(batch, read, in.count));
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!unsigned.isEmpty()) signInto(unsigned, batch);
            state.read = read;
            java.util.Map<String, Integer> undefined = state.rejection == null ? markings.undefined(store) : java.util.Map.of();
            if (!undefined.isEmpty()) {
                {
                    var first = undefined.entrySet().iterator().next();
                    String usedBy = "object " + first.getValue() + " (" + objectIds.getOrDefault((long) first.getValue(), "?") + ")";
                    String what = "marking " + first.getKey() + " used by " + usedBy + " is not defined"
                            + (undefined.size() > 1 ? " (and " + (undefined.size() - 1) + " more undefined markings)" : "");
                    if (mode == Mode.REJECT_FILE) {
                        state.rejection = what + "; put its marking-definition in the file or import it first;"
                                + " nothing of this file was stored";
                    } else {
                        listener.problem(-1, usedBy, new Problem(org.entente.stix.Severity.WARNING, "", what));
                        state.warnings++;
                    }
                }
            }
            if (state.rejection == null && !batch.isEmpty()) queue.put(new Batch(batch, read, in.count));
        } catch (StixFormatException e) {
            state.read = read;
            state.rejection = "the file is not readable STIX JSON: " + e.getMessage()
                    + "; nothing of this file was stored";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            state.read = read;
            state.rejection = "could not read the file: " + e.getMessage() + "; nothing of this file was stored";
        } finally {
            try {
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void signInto(List<ObjectNode> unsigned, List<PreparedObject> batch) throws java.io.IOException {
        producer.sign(unsigned);
        for (ObjectNode o : unsigned) batch.add(Admission.prepare(o, json.writeValueAsString(o)));
        unsigned.clear();
    }

    /** Counts bytes for the progress bar. */
    private static final class CountingStream extends FilterInputStream {
        volatile long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
