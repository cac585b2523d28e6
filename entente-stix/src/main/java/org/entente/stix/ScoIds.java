package org.entente.stix;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Deterministic identifiers of STIX Cyber-observable Objects (STIX 2.1 section 2.9): a UUIDv5 in the
 * namespace {@code 00abedb4-aa42-466c-9c01-fed23315a9b7} over the RFC 8785 canonical JSON of the object
 * restricted to its type's ID-contributing properties; of {@code hashes} only one entry is used, chosen in
 * the order MD5, SHA-1, SHA-256, SHA-512, else the first one given.
 */
public final class ScoIds {
    private ScoIds() {}

    static final UUID NAMESPACE = UUID.fromString("00abedb4-aa42-466c-9c01-fed23315a9b7");
    private static final String[] HASH_PREFERENCE = {"MD5", "SHA-1", "SHA-256", "SHA-512"};

    /**
     * The identifier the specification prescribes for {@code sco}: {@code type--UUIDv5} from its
     * ID-contributing properties, or, when it has none of them (or its type has none, like process),
     * a fresh {@code type--UUIDv4} as the specification then allows.
     *
     * @throws IllegalArgumentException when {@code sco} is not an object of a STIX 2.1 SCO type
     */
    public static String compute(JsonNode sco) {
        String type = scoType(sco);
        return deterministic(sco).orElseGet(() -> type + "--" + UUID.randomUUID());
    }

    /** The UUIDv5 identifier, or empty when none of the ID-contributing properties is present. */
    public static Optional<String> deterministic(JsonNode sco) {
        String type = scoType(sco);
        // The canonical JSON object is written directly, members in RFC 8785 key order, without building a tree.
        StringBuilder canonical = new StringBuilder(96).append('{');
        int members = 0;
        for (String property : SORTED_CONTRIBUTING.get(type)) {
            JsonNode value = sco.get(property);
            if (value == null || value.isNull()) continue;
            if (property.equals("hashes")) {
                Map.Entry<String, JsonNode> chosen = chooseHash(value);
                if (chosen == null) continue;
                if (members++ > 0) canonical.append(',');
                canonical.append("\"hashes\":{");
                Jcs.string(chosen.getKey(), canonical);
                canonical.append(':');
                Jcs.write(chosen.getValue(), canonical);
                canonical.append('}');
            } else {
                if (members++ > 0) canonical.append(',');
                Jcs.string(property, canonical);
                canonical.append(':');
                Jcs.write(value, canonical);
            }
        }
        if (members == 0) return Optional.empty();
        return Optional.of(type + "--" + uuid5(NAMESPACE, canonical.append('}').toString()));
    }

    /** ID-contributing properties per SCO type, sorted the way RFC 8785 orders keys (UTF-16 code units). */
    private static final Map<String, List<String>> SORTED_CONTRIBUTING = sortedContributing();

    private static Map<String, List<String>> sortedContributing() {
        Map<String, List<String>> m = new HashMap<>();
        for (TypeDef def : Registry.all()) {
            if (def.category() == Category.SCO) m.put(def.name(), def.idContributing().stream().sorted().toList());
        }
        return Map.copyOf(m);
    }

    private static String scoType(JsonNode sco) {
        JsonNode type = sco == null ? null : sco.get("type");
        if (type == null || !type.isTextual() || !StixTypes.isSco(type.textValue())) {
            throw new IllegalArgumentException("not a STIX 2.1 cyber-observable object: type " + type);
        }
        return type.textValue();
    }

    private static Map.Entry<String, JsonNode> chooseHash(JsonNode hashes) {
        if (!hashes.isObject() || hashes.isEmpty()) return null;
        for (String algorithm : HASH_PREFERENCE) {
            JsonNode v = hashes.get(algorithm);
            if (v != null) return Map.entry(algorithm, v);
        }
        return hashes.fields().next();
    }

    // Looking up a digest per identifier costs more than hashing the few bytes of a typical SCO.
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    });

    static UUID uuid5(UUID namespace, String name) {
        MessageDigest sha1 = SHA1.get();
        sha1.reset();
        sha1.update(toBytes(namespace));
        byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        h[6] = (byte) ((h[6] & 0x0f) | 0x50);
        h[8] = (byte) ((h[8] & 0x3f) | 0x80);
        long msb = 0, lsb = 0;
        for (int i = 0; i < 8; i++) msb = (msb << 8) | (h[i] & 0xff);
        for (int i = 8; i < 16; i++) lsb = (lsb << 8) | (h[i] & 0xff);
        return new UUID(msb, lsb);
    }

    private static byte[] toBytes(UUID u) {
        byte[] b = new byte[16];
        long msb = u.getMostSignificantBits(), lsb = u.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (msb >>> (56 - 8 * i));
            b[8 + i] = (byte) (lsb >>> (56 - 8 * i));
        }
        return b;
    }
}
