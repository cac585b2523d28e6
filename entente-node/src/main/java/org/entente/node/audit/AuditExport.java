package org.entente.node.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Optional;
import org.entente.stix.StixJson;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.result.ResultIterator;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * A time range of the audit log with its proof, for a partner who holds only the node's public
 * key (format in docs/AUDIT.md): the records in range, the hash they chain from, the digests (not
 * the content) of the later records up to a signed checkpoint, and that checkpoint.
 */
public final class AuditExport {

    static final String FORMAT = "entente-audit-export";
    static final int VERSION = 1;
    private static final int FETCH = 1_000;

    private final AuditLog log;

    public AuditExport(AuditLog log) {
        this.log = log;
    }

    /** What was written. {@code firstSeq > lastSeq} when no record fell in the range. */
    public record Summary(long records, long firstSeq, long lastSeq, Checkpoint checkpoint) {}

    /** Writes the records whose time is in [from, until) to {@code file} (replaced if it exists). */
    public Summary write(Instant from, Instant until, Path file) {
        checkRange(from, until);
        Path target = file.toAbsolutePath();
        Path partial = null;
        try {
            // Written beside the target and moved into place, so a failed export leaves no half file.
            partial = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".partial");
            Summary summary;
            try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                summary = write(from, until, out);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // the export itself succeeded or failed already; a stray temporary file is harmless
                }
            }
        }
    }

    public Summary write(Instant from, Instant until, Writer out) {
        checkRange(from, until);
        // Read (and, on a new database, made) before the read-only snapshot below.
        String publicKey = log.publicKeyPem();
        try {
            // A consistent snapshot; if no checkpoint covers the range yet, sign the head (in a
            // transaction of its own) and look again in a fresh snapshot.
            for (int attempt = 0; ; attempt++) {
                Optional<Summary> written = log.database().jdbi().inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
                    h.execute("SET TRANSACTION READ ONLY");
                    return tryWrite(h, from, until, out, publicKey);
                });
                if (written.isPresent()) return written.get();
                if (attempt > 0) throw new IllegalStateException("no checkpoint covers the end of the range even after signing one");
                log.checkpoint();
            }
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("could not write the audit export: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Checks an export offline against the node's public key: recomputes every digest and hash
     * from the anchor through the tail and checks the checkpoint's signature.
     *
     * @throws IllegalArgumentException when the file cannot be read at all
     */
    public static AuditVerification verify(Path file, PublicKey nodeKey) {
        return ExportVerifier.verify(file, nodeKey);
    }

    private static void checkRange(Instant from, Instant until) {
        if (from == null || until == null) throw new IllegalArgumentException("an export needs both --from and --until");
        if (from.isAfter(until)) {
            throw new IllegalArgumentException("the range is empty: --from " + Chain.time(from) + " is after --until " + Chain.time(until));
        }
    }

    private Optional<Summary> tryWrite(Handle h, Instant from, Instant until, Writer out, String publicKey) {
        long head = h.createQuery("SELECT seq FROM audit_head").mapTo(Long.class).findOne()
                .orElseThrow(() -> new IllegalStateException("the audit log has lost its head row: run 'entente audit verify'"));
        if (head == 0) throw new IllegalStateException("the audit log is empty: there is nothing to export");
        // Times never decrease along the chain, so the range is a contiguous run of seq.
        long first = h.createQuery("SELECT min(seq) FROM audit_record WHERE at >= :t").bind("t", AuditLog.sql(from))
                .mapTo(Long.class).findOne().orElse(head + 1);
        long last = h.createQuery("SELECT coalesce(max(seq), 0) FROM audit_record WHERE at < :t")
                .bind("t", AuditLog.sql(until)).mapTo(Long.class).one();
        long end = Math.max(last, first - 1);
        Optional<Checkpoint> covering = h.createQuery(
                        "SELECT seq, hash, at, signature FROM audit_checkpoint WHERE seq >= :seq ORDER BY seq LIMIT 1")
                .bind("seq", end).map(AuditLog.CHECKPOINT).findOne();
        if (covering.isEmpty()) return Optional.empty();
        Checkpoint checkpoint = covering.get();
        long anchor = first - 1;
        byte[] previous = anchor == 0 ? Chain.GENESIS : h.createQuery("SELECT hash FROM audit_record WHERE seq = :seq")
                .bind("seq", anchor).mapTo(byte[].class).findOne()
                .orElseThrow(() -> new IllegalStateException("record " + anchor + " is missing: run 'entente audit verify'"));
        try {
            return Optional.of(writeJson(h, from, until, out, publicKey, first, end, anchor, previous, checkpoint));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Digest(long seq, byte[] digest) {}

    /** The records and tail are streamed from cursors of FETCH rows straight into the file. */
    private Summary writeJson(Handle h, Instant from, Instant until, Writer out, String publicKey, long first, long end,
            long anchor, byte[] previous, Checkpoint checkpoint) throws IOException {
        Writer w = out instanceof BufferedWriter ? out : new BufferedWriter(out);
        JsonGenerator g = StixJson.mapper().getFactory().createGenerator(w).useDefaultPrettyPrinter();
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeStringField("format", FORMAT);
        g.writeNumberField("version", VERSION);
        g.writeStringField("public_key", publicKey);
        g.writeObjectFieldStart("range");
        g.writeStringField("from", Chain.time(Chain.micros(from)));
        g.writeStringField("until", Chain.time(Chain.micros(until)));
        g.writeEndObject();
        g.writeNumberField("previous_seq", anchor);
        g.writeStringField("previous_hash", Chain.hex(previous));
        long count = 0;
        g.writeArrayFieldStart("records");
        try (ResultIterator<AuditLog.Stored> rows = h.createQuery("SELECT seq, at, kind, actor, organisation, detail::text,"
                        + " digest, hash FROM audit_record WHERE seq BETWEEN :first AND :end ORDER BY seq")
                .bind("first", first).bind("end", end).setFetchSize(FETCH).map(AuditLog.STORED).iterator()) {
            while (rows.hasNext()) {
                AuditLog.Stored r = rows.next();
                g.writeStartObject();
                g.writeNumberField("seq", r.seq());
                g.writeStringField("at", Chain.time(r.at()));
                g.writeStringField("kind", r.kind());
                g.writeStringField("actor", r.actor());
                g.writeStringField("organisation", r.organisation());
                g.writeFieldName("detail");
                g.writeTree(Chain.parse(r.detail()));
                g.writeStringField("digest", Chain.hex(r.digest()));
                g.writeStringField("hash", Chain.hex(r.hash()));
                g.writeEndObject();
                count++;
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("tail");
        try (ResultIterator<Digest> rows = h.createQuery("SELECT seq, digest FROM audit_record"
                        + " WHERE seq > :end AND seq <= :checkpoint ORDER BY seq")
                .bind("end", end).bind("checkpoint", checkpoint.seq()).setFetchSize(FETCH)
                .map((rs, ctx) -> new Digest(rs.getLong(1), rs.getBytes(2))).iterator()) {
            while (rows.hasNext()) {
                Digest d = rows.next();
                g.writeStartObject();
                g.writeNumberField("seq", d.seq());
                g.writeStringField("digest", Chain.hex(d.digest()));
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeObjectFieldStart("checkpoint");
        g.writeNumberField("seq", checkpoint.seq());
        g.writeStringField("hash", checkpoint.hash());
        g.writeStringField("at", Chain.time(checkpoint.at()));
        g.writeStringField("signature", checkpoint.signature());
        g.writeEndObject();
        g.writeEndObject();
        g.flush();
        w.write('\n');
        w.flush();
        return new Summary(count, first, end, checkpoint);
    }
}
