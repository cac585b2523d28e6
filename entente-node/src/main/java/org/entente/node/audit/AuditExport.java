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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.entente.stix.StixJson;

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
        try (Connection c = log.dataSource().getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                // A consistent snapshot; if no checkpoint covers the range yet, sign the head
                // (in a transaction of its own) and look again in a fresh snapshot.
                for (int attempt = 0; ; attempt++) {
                    Optional<Summary> written = tryWrite(c, from, until, out);
                    c.rollback();
                    if (written.isPresent()) return written.get();
                    if (attempt > 0) throw new IllegalStateException("no checkpoint covers the end of the range even after signing one");
                    log.checkpoint();
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the audit log: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the audit export: " + e.getMessage(), e);
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

    private Optional<Summary> tryWrite(Connection c, Instant from, Instant until, Writer out) throws SQLException, IOException {
        long head;
        try (PreparedStatement s = c.prepareStatement("SELECT seq FROM audit_head"); ResultSet rs = s.executeQuery()) {
            if (!rs.next()) throw new IllegalStateException("the audit log has lost its head row: run 'entente audit verify'");
            head = rs.getLong(1);
        }
        if (head == 0) throw new IllegalStateException("the audit log is empty: there is nothing to export");
        // Times never decrease along the chain, so the range is a contiguous run of seq.
        long first = firstFrom(c, from, head + 1);
        long last = lastBefore(c, until);
        long end = Math.max(last, first - 1);
        Optional<Checkpoint> covering = firstCheckpointFrom(c, end);
        if (covering.isEmpty()) return Optional.empty();
        Checkpoint checkpoint = covering.get();
        long anchor = first - 1;
        byte[] previous = anchor == 0 ? Chain.GENESIS : hashAt(c, anchor);

        Writer w = out instanceof BufferedWriter ? out : new BufferedWriter(out);
        JsonGenerator g = StixJson.mapper().getFactory().createGenerator(w).useDefaultPrettyPrinter();
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeStringField("format", FORMAT);
        g.writeNumberField("version", VERSION);
        g.writeStringField("public_key", log.publicKeyPem());
        g.writeObjectFieldStart("range");
        g.writeStringField("from", Chain.time(Chain.micros(from)));
        g.writeStringField("until", Chain.time(Chain.micros(until)));
        g.writeEndObject();
        g.writeNumberField("previous_seq", anchor);
        g.writeStringField("previous_hash", Chain.hex(previous));
        long count = 0;
        g.writeArrayFieldStart("records");
        try (PreparedStatement s = c.prepareStatement("SELECT seq, at, kind, actor, organisation, detail::text, digest, hash"
                + " FROM audit_record WHERE seq BETWEEN ? AND ? ORDER BY seq")) {
            s.setFetchSize(FETCH);
            s.setLong(1, first);
            s.setLong(2, end);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    g.writeStartObject();
                    g.writeNumberField("seq", rs.getLong(1));
                    g.writeStringField("at", Chain.time(AuditLog.instant(rs, 2)));
                    g.writeStringField("kind", rs.getString(3));
                    g.writeStringField("actor", rs.getString(4));
                    g.writeStringField("organisation", rs.getString(5));
                    g.writeFieldName("detail");
                    g.writeTree(Chain.parse(rs.getString(6)));
                    g.writeStringField("digest", Chain.hex(rs.getBytes(7)));
                    g.writeStringField("hash", Chain.hex(rs.getBytes(8)));
                    g.writeEndObject();
                    count++;
                }
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("tail");
        try (PreparedStatement s = c.prepareStatement(
                "SELECT seq, digest FROM audit_record WHERE seq > ? AND seq <= ? ORDER BY seq")) {
            s.setFetchSize(FETCH);
            s.setLong(1, end);
            s.setLong(2, checkpoint.seq());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    g.writeStartObject();
                    g.writeNumberField("seq", rs.getLong(1));
                    g.writeStringField("digest", Chain.hex(rs.getBytes(2)));
                    g.writeEndObject();
                }
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
        return Optional.of(new Summary(count, first, end, checkpoint));
    }

    /** The seq of the first record at or after {@code t}, or {@code none} when there is none. */
    private static long firstFrom(Connection c, Instant t, long none) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT min(seq) FROM audit_record WHERE at >= ?")) {
            s.setObject(1, AuditLog.sql(t));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long seq = rs.getLong(1);
                return rs.wasNull() ? none : seq;
            }
        }
    }

    /** The seq of the last record before {@code t}, or 0. */
    private static long lastBefore(Connection c, Instant t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM audit_record WHERE at < ?")) {
            s.setObject(1, AuditLog.sql(t));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Optional<Checkpoint> firstCheckpointFrom(Connection c, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT seq, hash, at, signature FROM audit_checkpoint WHERE seq >= ? ORDER BY seq LIMIT 1")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(AuditLog.checkpoint(rs)) : Optional.empty();
            }
        }
    }

    private static byte[] hashAt(Connection c, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT hash FROM audit_record WHERE seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("record " + seq + " is missing: run 'entente audit verify'");
                return rs.getBytes(1);
            }
        }
    }
}
