package org.entente.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.entente.node.common.InvalidInput;
import org.entente.node.db.Database;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.Timestamps;
import org.entente.stix.StixJson;

/**
 * Retractions between nodes (docs/FEDERATION.md, "Retractions"): the store logs every deletion,
 * purge, revocation and withdrawal of a collection as a numbered tombstone; a peer is served the
 * tombstones of objects it received from here (the delivery record says which), each signed by the
 * node that issued it — signed once, when first served, and re-served unchanged by whoever passes it
 * on. The only SQL of {@code federation_delivery}.
 */
final class Tombstones {
    static final String TYPE = "entente-tombstone";
    static final String CONTEXT = "entente-tombstone/1\n";
    static final Set<String> REASONS = Set.of("deleted", "purged", "revoked", "retracted", "withdrawn");
    private static final Set<String> FIELDS = Set.of("type", "version", "object", "object_version", "reason", "producer",
            "issuer", "recipient", "issued", "key", "signature");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final ObjectStore store;

    Tombstones(Database db, ObjectStore store) {
        this.db = db;
        this.store = store;
    }

    // ---------------------------------------------------------------- deliveries

    /** Records that these objects of a collection went to a peer: one row per page. */
    void delivered(int peerNum, String collectionId, Collection<String> objectIds) {
        if (objectIds.isEmpty()) return;
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO federation_delivery (peer_num, collection_id, object_ids)"
                        + " VALUES (:p, :c, :ids)")
                .bind("p", peerNum).bind("c", collectionId).bindArray("ids", String.class, objectIds).execute());
    }

    /** Which of these objects of a collection went to a peer. */
    Set<String> deliveredAmong(int peerNum, String collectionId, Collection<String> objectIds) {
        if (objectIds.isEmpty()) return Set.of();
        return Set.copyOf(db.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT o FROM federation_delivery d,"
                        + " unnest(d.object_ids) o WHERE d.peer_num = :p AND d.collection_id = :c AND d.object_ids && CAST(:ids AS text[])"
                        + " AND o = ANY (:ids)")
                .bind("p", peerNum).bind("c", collectionId).bindArray("ids", String.class, objectIds)
                .mapTo(String.class).list()));
    }

    /** Objects of a collection that went to a peer, in order, after {@code afterId}. */
    List<String> deliveredObjects(int peerNum, String collectionId, String afterId, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT o FROM federation_delivery d, unnest(d.object_ids) o"
                        + " WHERE d.peer_num = :p AND d.collection_id = :c AND o > :after ORDER BY o LIMIT :n")
                .bind("p", peerNum).bind("c", collectionId).bind("after", afterId).bind("n", limit)
                .mapTo(String.class).list());
    }

    boolean anyDelivered(int peerNum, String collectionId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM federation_delivery"
                + " WHERE peer_num = :p AND collection_id = :c)").bind("p", peerNum).bind("c", collectionId)
                .mapTo(Boolean.class).one());
    }

    /** A withdrawn object no longer counts as delivered: it may be delivered again. */
    void forget(int peerNum, String collectionId, String objectId) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE federation_delivery SET object_ids = array_remove(object_ids, :o)"
                + " WHERE peer_num = :p AND collection_id = :c AND :o = ANY (object_ids)").bind("p", peerNum)
                .bind("c", collectionId).bind("o", objectId).execute());
    }

    // ---------------------------------------------------------------- serving

    /** One page of tombstones for a peer: the signed ones it may have, and the cursor to continue after. */
    record Served(List<String> signed, long last, boolean more) {}

    /**
     * The tombstones of a collection after {@code after} that concern a peer: objects it received
     * from here, and withdrawals addressed to it. Unsigned ones (issued here) are signed now and kept.
     */
    Served serve(int peerNum, String peerOrganisation, String collectionId, long after, int limit,
            String ownOrganisation, OwnKeys.SigningKey key) {
        List<ObjectStore.Tombstone> rows = store.tombstones(collectionId, after, limit + 1);
        boolean more = rows.size() > limit;
        if (more) rows = rows.subList(0, limit);
        Set<String> received = deliveredAmong(peerNum, collectionId, rows.stream()
                .filter(t -> t.recipient() == null).map(ObjectStore.Tombstone::objectId).distinct().toList());
        List<String> out = new ArrayList<>();
        long last = after;
        for (ObjectStore.Tombstone t : rows) {
            last = t.seq();
            boolean concerns = t.recipient() == null ? received.contains(t.objectId()) : t.recipient().equals(peerOrganisation);
            if (!concerns) continue;
            String signed = t.signed();
            if (signed == null) {
                signed = sign(t, ownOrganisation, key).toString();
                store.keepSigned(collectionId, t.seq(), signed);
            }
            if (!out.contains(signed)) out.add(signed);
        }
        return new Served(out, last, more);
    }

    static ObjectNode sign(ObjectStore.Tombstone t, String issuer, OwnKeys.SigningKey key) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", TYPE);
        o.put("version", 1);
        o.put("object", t.objectId());
        o.put("object_version", Timestamps.format(t.version()));
        o.put("reason", t.reason().equals("retracted") ? "deleted" : t.reason());
        if (t.producer() != null) o.put("producer", t.producer());
        o.put("issuer", issuer);
        if (t.recipient() != null) o.put("recipient", t.recipient());
        o.put("issued", t.deleted().toString());
        o.put("key", key.id());
        o.put("signature", Crypto.b64u(Crypto.sign(key.privateKey(), signedBytes(o))));
        return o;
    }

    static byte[] signedBytes(ObjectNode tombstone) {
        ObjectNode copy = tombstone.deepCopy();
        copy.remove("signature");
        return Crypto.utf8(CONTEXT + StixJson.canonical(copy));
    }

    // ---------------------------------------------------------------- receiving

    /** A tombstone as received, its form checked (not yet its signature). */
    record Received(String objectId, Instant objectVersion, String reason, String producer, String issuer,
            String recipient, String keyId, byte[] signature, ObjectNode json) {
        /** Whether it removes every version up to its own (a revocation, a withdrawal) rather than the one version. */
        boolean upTo() {
            return reason.equals("revoked") || reason.equals("withdrawn");
        }
    }

    /** @throws InvalidInput naming what is wrong with it */
    static Received read(JsonNode n, String at) {
        List<InvalidInput.Problem> p = new ArrayList<>();
        if (!(n instanceof ObjectNode o)) throw InvalidInput.of("Invalid tombstone", at, "not a JSON object");
        o.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) p.add(new InvalidInput.Problem(at + "/" + f, "unknown field"));
        });
        if (!TYPE.equals(o.path("type").asText())) p.add(new InvalidInput.Problem(at + "/type", "must be " + TYPE));
        String object = o.path("object").asText("");
        if (!object.matches("[a-z0-9-]+--[0-9a-fA-F-]{36}")) p.add(new InvalidInput.Problem(at + "/object", "not a STIX id"));
        Instant version = Timestamps.parse(o.path("object_version").asText(""));
        if (version == null) p.add(new InvalidInput.Problem(at + "/object_version", "not a timestamp"));
        String reason = o.path("reason").asText("");
        if (!REASONS.contains(reason)) p.add(new InvalidInput.Problem(at + "/reason", "not one of " + REASONS));
        String issuer = o.path("issuer").asText("");
        if (!issuer.startsWith("identity--")) p.add(new InvalidInput.Problem(at + "/issuer", "not an organisation id"));
        byte[] sig = Crypto.fromB64u(o.path("signature").asText(null));
        if (sig == null || sig.length != 64) p.add(new InvalidInput.Problem(at + "/signature", "not an Ed25519 signature"));
        if (!o.path("key").isTextual()) p.add(new InvalidInput.Problem(at + "/key", "missing"));
        if (!p.isEmpty()) throw new InvalidInput("Invalid tombstone", p);
        return new Received(object, version, reason, o.path("producer").asText(null), issuer,
                o.path("recipient").asText(null), o.path("key").asText(), sig, o);
    }

    static boolean verifies(Received t, byte[] publicKey) {
        return Crypto.verify(publicKey, signedBytes(t.json()), t.signature());
    }
}
