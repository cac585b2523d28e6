package org.entente.node.audit;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import org.entente.stix.StixJson;

/**
 * The offline check of an audit export. Streams the file (an export may hold millions of records)
 * and keeps only the running hash, so {@code previous_seq} and {@code previous_hash} must come
 * before {@code records}, and {@code records} before {@code tail}, as the node writes them.
 */
final class ExportVerifier {

    /** The first thing wrong, and the record it concerns (0 for none in particular). */
    private static final class Bad extends Exception {
        final long seq;

        Bad(long seq, String message) {
            super(message, null, false, false);
            this.seq = seq;
        }
    }

    private final PublicKey key;
    private String fileKey;
    private Instant from;
    private Instant until;
    private Long previousSeq;
    private byte[] running;
    private long expected;
    private long records;
    private long firstRecord;
    private JsonNode checkpoint;
    private boolean formatSeen;

    private ExportVerifier(PublicKey key) {
        this.key = key;
    }

    static AuditVerification verify(Path file, PublicKey key) {
        ExportVerifier v = new ExportVerifier(key);
        try (InputStream in = Files.newInputStream(file); JsonParser p = StixJson.mapper().getFactory().createParser(in)) {
            return v.run(p);
        } catch (Bad b) {
            return AuditVerification.bad(v.records, 0, b.seq, b.getMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return AuditVerification.bad(v.records, 0, 0, "not a readable audit export: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private AuditVerification run(JsonParser p) throws IOException, Bad {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new Bad(0, "not an audit export: the file is not a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "format" -> {
                    if (!AuditExport.FORMAT.equals(p.getValueAsString())) {
                        throw new Bad(0, "not an Entente audit export (format is " + p.getText() + ")");
                    }
                    formatSeen = true;
                }
                case "version" -> {
                    if (p.getValueAsInt(-1) != AuditExport.VERSION) {
                        throw new Bad(0, "unsupported audit export version " + p.getText()
                                + " (this node reads version " + AuditExport.VERSION + ")");
                    }
                }
                case "public_key" -> fileKey = p.getValueAsString();
                case "range" -> {
                    JsonNode range = p.readValueAsTree();
                    from = time(range.path("from"));
                    until = time(range.path("until"));
                }
                case "previous_seq" -> {
                    if (!p.currentToken().isNumeric()) throw new Bad(0, "the export's previous_seq is not a number");
                    previousSeq = p.getLongValue();
                    expected = previousSeq + 1;
                }
                case "previous_hash" -> running = hash32(p.getValueAsString(), 0, "the export's previous_hash");
                case "records" -> array(p, true);
                case "tail" -> array(p, false);
                case "checkpoint" -> checkpoint = p.readValueAsTree();
                default -> p.skipChildren(); // later versions may add fields; they prove nothing here
            }
        }
        if (!formatSeen) throw new Bad(0, "not an Entente audit export (no \"format\": \"" + AuditExport.FORMAT + "\")");
        if (checkpoint == null) throw new Bad(0, "the export has no checkpoint, so nothing proves its records");
        return finish();
    }

    private void array(JsonParser p, boolean full) throws IOException, Bad {
        String what = full ? "records" : "tail";
        if (previousSeq == null || running == null) {
            throw new Bad(0, "the export gives its " + what + " before previous_seq and previous_hash");
        }
        if (p.currentToken() != JsonToken.START_ARRAY) throw new Bad(0, "the export's " + what + " is not a list");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode entry = p.readValueAsTree();
            if (full) record(entry); else tailEntry(entry);
            expected++;
        }
    }

    private long seqOf(JsonNode entry) throws Bad {
        JsonNode seq = entry.path("seq");
        if (!seq.canConvertToExactIntegral() || !seq.isNumber()) {
            throw new Bad(expected, "the entry after seq " + (expected - 1) + " is malformed (it has no seq)");
        }
        long s = seq.longValue();
        if (s != expected) throw new Bad(expected, AuditVerifier.missing(expected, s));
        return s;
    }

    private void record(JsonNode r) throws Bad {
        long seq = seqOf(r);
        Instant at = time(r.path("at"));
        if (at == null) throw new Bad(seq, "record " + seq + " is malformed (its time is not an RFC 3339 timestamp)");
        String kind = text(r, "kind", seq);
        String actor = text(r, "actor", seq);
        JsonNode org = r.path("organisation");
        if (!org.isNull() && !org.isTextual()) throw new Bad(seq, "record " + seq + " is malformed (organisation)");
        JsonNode detail = r.path("detail");
        if (!detail.isObject()) throw new Bad(seq, "record " + seq + " is malformed (its detail is not an object)");
        if ((from != null && at.isBefore(from)) || (until != null && !at.isBefore(until))) {
            throw new Bad(seq, "record " + seq + " lies outside the exported range (its time is " + Chain.time(at) + ")");
        }
        byte[] digest = Chain.digest(seq, at, kind, actor, org.isNull() ? null : org.textValue(), detail);
        if (!Arrays.equals(digest, hash32(r.path("digest").asText(null), seq, "record " + seq + "'s digest"))) {
            throw new Bad(seq, "record " + seq + " was altered (its content no longer matches its digest)");
        }
        byte[] hash = Chain.hash(running, digest);
        if (!Arrays.equals(hash, hash32(r.path("hash").asText(null), seq, "record " + seq + "'s hash"))) {
            throw new Bad(seq, "record " + seq + " was inserted or altered (its hash does not follow from "
                    + AuditVerifier.predecessor(seq) + ")");
        }
        running = hash;
        if (records++ == 0) firstRecord = seq;
    }

    private void tailEntry(JsonNode t) throws Bad {
        long seq = seqOf(t);
        running = Chain.hash(running, hash32(t.path("digest").asText(null), seq, "the digest of record " + seq + " in the tail"));
    }

    private AuditVerification finish() throws Bad {
        long last = expected - 1;
        JsonNode seqNode = checkpoint.path("seq");
        Instant at = time(checkpoint.path("at"));
        if (!seqNode.isIntegralNumber() || at == null) throw new Bad(0, "the export's checkpoint is malformed");
        long seq = seqNode.longValue();
        if (seq > last) {
            throw new Bad(last + 1, "record " + (last + 1) + " is missing (the export ends at seq " + last
                    + " but its checkpoint is at seq " + seq + ")");
        }
        if (seq < last) {
            throw new Bad(seq + 1, "record " + (seq + 1) + " lies beyond the checkpoint at seq " + seq + ", which cannot prove it");
        }
        byte[] hash = hash32(checkpoint.path("hash").asText(null), seq, "the checkpoint's hash");
        byte[] signature;
        try {
            signature = Chain.unhex(checkpoint.path("signature").asText(""));
        } catch (IllegalArgumentException e) {
            throw new Bad(seq, "the checkpoint at seq " + seq + " is malformed (its signature is not hex)");
        }
        if (!NodeKey.verifies(key, Chain.checkpointMessage(seq, hash, at), signature)) {
            boolean otherKey = fileKey != null && !fileKey.isBlank() && !samePem(fileKey);
            throw new Bad(seq, AuditVerifier.forged(new Checkpoint(seq, Chain.hex(hash), at, Chain.hex(signature)))
                    + (otherKey ? "; the export names a different public key than the one given" : ""));
        }
        if (!Arrays.equals(hash, running)) {
            long first = previousSeq + 1;
            throw new Bad(first, AuditVerifier.rewritten(first, seq));
        }
        String range = from == null || until == null ? "" : " from " + Chain.time(from) + " until " + Chain.time(until);
        return AuditVerification.ok(records, 1, "export intact: "
                + (records == 0 ? "no records" : records + " record" + (records == 1 ? "" : "s") + " (seq " + firstRecord
                        + " to " + (firstRecord + records - 1) + ")")
                + range + ", chained to the checkpoint at seq " + seq + " signed " + Chain.time(at));
    }

    private boolean samePem(String pem) {
        try {
            return Arrays.equals(NodeKey.readPublicKeyPem(pem).getEncoded(), key.getEncoded());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(JsonNode r, String field, long seq) throws Bad {
        JsonNode v = r.path(field);
        if (!v.isTextual()) throw new Bad(seq, "record " + seq + " is malformed (it has no " + field + ")");
        return v.textValue();
    }

    private static byte[] hash32(String hex, long seq, String what) throws Bad {
        try {
            byte[] b = hex == null ? null : Chain.unhex(hex);
            if (b != null && b.length == 32) return b;
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new Bad(seq, what + " is not 64 hexadecimal digits");
    }

    private static Instant time(JsonNode n) {
        if (!n.isTextual()) return null;
        try {
            return OffsetDateTime.parse(n.textValue()).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
