package org.entente.node.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import org.entente.stix.StixJson;

/**
 * The arithmetic of the chain, shared by the appender, the database verifier and the offline
 * export verifier so that all three compute exactly the same bytes.
 */
final class Chain {
    private Chain() {}

    /** The previous hash of record 1. */
    static final byte[] GENESIS = new byte[32];

    private static final HexFormat HEX = HexFormat.of();

    // Defined here rather than borrowed from the store: these bytes are part of a published proof
    // format and must not change when another feature changes how it prints times.
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    /** PostgreSQL keeps microseconds; every time that enters a digest or a signature is cut to them first. */
    static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    static byte[] digest(long seq, Instant at, String kind, String actor, String organisation, JsonNode detail) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("seq", seq);
        record.put("at", time(at));
        record.put("kind", kind);
        record.put("actor", actor);
        if (organisation == null) {
            record.putNull("organisation");
        } else {
            record.put("organisation", organisation);
        }
        record.set("detail", detail);
        return sha256(StixJson.canonical(record).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The same digest from the detail already in canonical form (the appender has it: it is what
     * is stored), without canonicalising the detail a second time. RFC 8785 writes an object as its
     * members sorted by key, each value canonical: the record's six keys sort as written here.
     */
    static byte[] digest(long seq, Instant at, String kind, String actor, String organisation, String canonicalDetail) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String record = "{\"actor\":" + StixJson.canonical(f.textNode(actor))
                + ",\"at\":" + StixJson.canonical(f.textNode(time(at)))
                + ",\"detail\":" + canonicalDetail
                + ",\"kind\":" + StixJson.canonical(f.textNode(kind))
                + ",\"organisation\":" + (organisation == null ? "null" : StixJson.canonical(f.textNode(organisation)))
                + ",\"seq\":" + StixJson.canonical(f.numberNode(seq)) + "}";
        return sha256(record.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hash(byte[] previous, byte[] digest) {
        MessageDigest md = sha256();
        md.update(previous);
        md.update(digest);
        return md.digest();
    }

    static byte[] checkpointMessage(long seq, byte[] hash, Instant at) {
        return ("entente-audit-checkpoint\n" + seq + "\n" + hex(hash) + "\n" + time(at))
                .getBytes(StandardCharsets.UTF_8);
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }

    static JsonNode parse(String json) {
        try {
            return StixJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored audit detail is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * PostgreSQL cannot store U+0000 in text or jsonb, and unpaired surrogates do not survive
     * UTF-8: either would make the stored record differ from the one that was hashed.
     */
    static void checkStorable(String what, String s) {
        if (s == null) return;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException(what + " contains the character U+0000, which PostgreSQL cannot store");
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " contains an unpaired UTF-16 surrogate");
            }
        }
    }

    static void checkStorable(JsonNode node) {
        if (node.isTextual()) {
            checkStorable("audit detail", node.textValue());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                checkStorable("audit detail", f.getKey());
                checkStorable(f.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) checkStorable(element);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
