package org.entente.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.entente.stix.StixJson;

/**
 * Signed provenance (docs/FEDERATION.md, "The signature extension"): every object the node produces
 * carries, in a property extension of Entente's own, its producer's Ed25519 signature over a Merkle
 * tree of the RFC 8785 digests of the objects stored with it, and the path from its leaf to the
 * root. One signature covers up to {@value #LEAVES} objects, so a receiver verifies one Ed25519
 * signature per batch (and a few hashes per object) instead of one per object; each object still
 * carries everything a third node needs to verify it alone.
 */
final class ObjectSignatures {
    static final String EXTENSION = "extension-definition--2c5f0b31-9c4e-4a7a-8f3e-5d1b6a0c9e47";
    static final String CONTEXT = "entente-batch/1\n";
    /** Objects under one signature: the path is log2 of it, the verification cost one signature per batch. */
    static final int LEAVES = 64;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ObjectSignatures() {}

    // ---------------------------------------------------------------- signing

    /**
     * Signs, in place, the objects of a batch that the node produced: those without another
     * organisation in created_by_ref and not already signed by a producer.
     *
     * @param ownOrganisation the producer's organisation id
     */
    static void sign(List<ObjectNode> objects, String ownOrganisation, OwnKeys.SigningKey key) {
        List<ObjectNode> produced = new ArrayList<>(objects.size());
        for (ObjectNode o : objects) {
            JsonNode by = o.get("created_by_ref");
            if (by != null && !ownOrganisation.equals(by.asText())) continue;
            if (o.path("extensions").has(EXTENSION)) continue;
            produced.add(o);
        }
        signAll(produced, ownOrganisation, key);
    }

    /** Signs every given object as {@code signer}'s, in batches of {@value #LEAVES}. */
    static void signAll(List<ObjectNode> produced, String ownOrganisation, OwnKeys.SigningKey key) {
        for (int from = 0; from < produced.size(); from += LEAVES) {
            List<ObjectNode> batch = produced.subList(from, Math.min(produced.size(), from + LEAVES));
            byte[][] leaves = new byte[batch.size()][];
            for (int i = 0; i < leaves.length; i++) leaves[i] = leaf(digest(batch.get(i)));
            List<byte[][]> levels = levels(leaves);
            byte[] root = levels.get(levels.size() - 1)[0];
            String signature = Crypto.b64u(Crypto.sign(key.privateKey(),
                    message(ownOrganisation, key.id(), leaves.length, root)));
            for (int i = 0; i < leaves.length; i++) {
                ObjectNode ext = F.objectNode();
                ext.put("extension_type", "property-extension");
                ext.put("signer", ownOrganisation);
                ext.put("key", key.id());
                ext.put("batch_size", leaves.length);
                ext.put("batch_index", i);
                ArrayNode path = ext.putArray("path");
                for (byte[] sibling : path(levels, i)) path.add(Crypto.b64u(sibling));
                ext.put("signature", signature);
                ObjectNode o = batch.get(i);
                JsonNode exts = o.get("extensions");
                (exts instanceof ObjectNode on ? on : o.putObject("extensions")).set(EXTENSION, ext);
            }
        }
    }

    static byte[] message(String signer, String keyId, int size, byte[] root) {
        return Crypto.utf8(CONTEXT + signer + "\n" + keyId + "\n" + size + "\n" + Crypto.hex(root));
    }

    /**
     * SHA-256 of the RFC 8785 form of the object without the signature extension (and without
     * {@code extensions} when that was its only entry). The object is left as it was.
     */
    static byte[] digest(ObjectNode o) {
        JsonNode exts = o.get("extensions");
        JsonNode mine = exts instanceof ObjectNode e ? e.remove(EXTENSION) : null;
        boolean dropped = mine != null && exts.isEmpty();
        if (dropped) o.remove("extensions");
        try {
            return sha256().digest(Crypto.utf8(StixJson.canonical(o)));
        } finally {
            if (dropped) o.set("extensions", exts);
            if (mine != null) ((ObjectNode) exts).set(EXTENSION, mine);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] leaf(byte[] digest) {
        MessageDigest md = sha256();
        md.update((byte) 0);
        return md.digest(digest);
    }

    static byte[] node(byte[] left, byte[] right) {
        MessageDigest md = sha256();
        md.update((byte) 1);
        md.update(left);
        return md.digest(right);
    }

    /** The tree level by level, leaves first; a lone last node of a level moves up unchanged. */
    static List<byte[][]> levels(byte[][] leaves) {
        List<byte[][]> levels = new ArrayList<>();
        byte[][] level = leaves;
        levels.add(level);
        while (level.length > 1) {
            byte[][] up = new byte[(level.length + 1) / 2][];
            for (int i = 0; i < up.length; i++) {
                up[i] = 2 * i + 1 < level.length ? node(level[2 * i], level[2 * i + 1]) : level[2 * i];
            }
            levels.add(up);
            level = up;
        }
        return levels;
    }

    static List<byte[]> path(List<byte[][]> levels, int index) {
        List<byte[]> out = new ArrayList<>();
        int i = index;
        for (int l = 0; l < levels.size() - 1; l++) {
            byte[][] level = levels.get(l);
            int sibling = i ^ 1;
            if (sibling < level.length) out.add(level[sibling]);
            i /= 2;
        }
        return out;
    }

    /** The root a leaf and its path lead to, or null when the path does not fit the batch's shape. */
    static byte[] root(byte[] leaf, int index, int size, List<byte[]> path) {
        byte[] h = leaf;
        int i = index;
        int n = size;
        int p = 0;
        while (n > 1) {
            if ((i & 1) == 1) {
                if (p >= path.size()) return null;
                h = node(path.get(p++), h);
            } else if (i + 1 < n) {
                if (p >= path.size()) return null;
                h = node(h, path.get(p++));
            }
            i /= 2;
            n = (n + 1) / 2;
        }
        return p == path.size() ? h : null;
    }

    // ---------------------------------------------------------------- verifying

    /** Who signed an object, or why it cannot be trusted. */
    sealed interface Verdict {
        record Signed(String signer, String keyId) implements Verdict {}

        record Unsigned() implements Verdict {}

        /** The key is not known here: the caller may learn it (from the peer that vouches for the producer) and retry. */
        record UnknownKey(String signer, String keyId) implements Verdict {}

        record Bad(String reason) implements Verdict {}
    }

    /**
     * Verifies objects against their producers' keys, remembering which batch signatures it has
     * already verified so that each costs one Ed25519 verification. Safe for concurrent use.
     */
    static final class Verifier {
        private final Function<String, Peers.KnownKey> keys;
        private final Map<String, Boolean> verifiedRoots = new ConcurrentHashMap<>();

        /** @param keys a signing key by id (null when unknown) */
        Verifier(Function<String, Peers.KnownKey> keys) {
            this.keys = keys;
        }

        Verdict verify(ObjectNode o) {
            JsonNode ext = o.path("extensions").get(EXTENSION);
            if (ext == null) return new Verdict.Unsigned();
            if (!ext.isObject()) return new Verdict.Bad("the signature extension is not an object");
            String signer = ext.path("signer").asText(null);
            String keyId = ext.path("key").asText(null);
            JsonNode size = ext.get("batch_size");
            JsonNode index = ext.get("batch_index");
            JsonNode path = ext.get("path");
            byte[] signature = Crypto.fromB64u(ext.path("signature").asText(null));
            if (signer == null || keyId == null || size == null || !size.canConvertToInt() || index == null
                    || !index.canConvertToInt() || path == null || !path.isArray() || signature == null
                    || signature.length != 64 || size.asInt() < 1 || size.asInt() > 1 << 20 || index.asInt() < 0
                    || index.asInt() >= size.asInt() || path.size() > 32) {
                return new Verdict.Bad("the signature extension is malformed");
            }
            List<byte[]> siblings = new ArrayList<>(path.size());
            for (JsonNode s : path) {
                byte[] b = Crypto.fromB64u(s.asText(null));
                if (b == null || b.length != 32) return new Verdict.Bad("the signature extension's path is malformed");
                siblings.add(b);
            }
            Peers.KnownKey key = keys.apply(keyId);
            if (key == null) return new Verdict.UnknownKey(signer, keyId);
            if (!key.organisationId().equals(signer)) {
                return new Verdict.Bad("key " + keyId + " belongs to " + key.organisationId() + ", not to the named signer "
                        + signer);
            }
            byte[] root = root(leaf(digest(o)), index.asInt(), size.asInt(), siblings);
            if (root == null) return new Verdict.Bad("the signature extension's path does not fit its batch");
            String memo = keyId + "|" + size.asInt() + "|" + Crypto.hex(root) + "|" + Crypto.b64u(signature);
            if (verifiedRoots.size() > 100_000) verifiedRoots.clear();
            // One verification per batch, also when several threads meet its objects at once.
            boolean ok = verifiedRoots.computeIfAbsent(memo, m -> Crypto.verify(key.publicKey(),
                    message(signer, keyId, size.asInt(), root), signature));
            if (!ok) return new Verdict.Bad("the signature does not verify: the object was altered after " + signer
                    + " signed it, or it was never signed by that key");
            return new Verdict.Signed(signer, keyId);
        }
    }

    /** Signs what the node produces with its current key. */
    static Supplier<OwnKeys.SigningKey> current(OwnKeys keys) {
        return keys::signingKey;
    }
}
