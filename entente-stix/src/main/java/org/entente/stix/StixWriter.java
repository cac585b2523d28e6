package org.entente.stix;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * Writes STIX as compact UTF-8 JSON, properties in the order given and values as read (so a read-write
 * round trip yields the same JSON tree). A writer instance streams one bundle of any size:
 * {@code try (var w = StixWriter.bundle(out)) { w.write(o1); w.write(o2); }}.
 */
public final class StixWriter implements Closeable {

    private final JsonGenerator generator;
    private long count;

    private StixWriter(JsonGenerator generator) {
        this.generator = generator;
    }

    /** Compact JSON of one object or bundle. */
    public static String toJson(JsonNode node) {
        try {
            return StixJson.mapper().writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one object or bundle to {@code out}, which is flushed but not closed. */
    public static void write(JsonNode node, OutputStream out) {
        try {
            JsonGenerator g = StixJson.factory().createGenerator(out);
            StixJson.mapper().writeTree(g, node);
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a bundle with a fresh {@code bundle--UUIDv4} identifier. */
    public static StixWriter bundle(OutputStream out) {
        return bundle(out, "bundle--" + UUID.randomUUID());
    }

    /** Starts a bundle with the given identifier; {@link #close()} ends it and closes {@code out}. */
    public static StixWriter bundle(OutputStream out, String bundleId) {
        if (Syntax.identifierError(bundleId) != null || !Syntax.typeName(bundleId).equals("bundle")) {
            throw new IllegalArgumentException("not a bundle identifier: " + bundleId);
        }
        try {
            JsonGenerator g = StixJson.factory().createGenerator(out);
            g.writeStartObject();
            g.writeStringField("type", "bundle");
            g.writeStringField("id", bundleId);
            g.writeArrayFieldStart("objects");
            return new StixWriter(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(JsonNode object) {
        if (object == null || !object.isObject()) throw new IllegalArgumentException("a STIX object must be a JSON object");
        try {
            StixJson.mapper().writeTree(generator, object);
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Objects written so far. */
    public long count() {
        return count;
    }

    @Override
    public void close() {
        try {
            generator.writeEndArray();
            generator.writeEndObject();
            generator.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
