package org.entente.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.InvalidInput;
import org.entente.node.db.Database;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.jdbi.v3.core.Handle;

/**
 * Partner nodes as this node knows them: where they are, their pinned certificates, every signing
 * key they have used, and which collections this node offers each. The only SQL of {@code peer},
 * {@code peer_key}, {@code peer_certificate} and {@code peer_offer}. Every change is audited in its
 * own transaction.
 */
final class Peers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "SELECT organisation_id, num, url, identity::text, issued, added, sync_requested"
            + " FROM peer ";

    /** A partner node. */
    record Peer(String organisationId, int num, String url, Identity identity, Instant issued, Instant added,
            Instant syncRequested) {}

    /** A collection offered to a peer, under an agreement. */
    record Offer(String organisationId, String collectionId, String agreementId, String offeredBy, Instant offeredAt) {}

    private final Database db;
    private final AuditLog audit;
    private final Organisations organisations;

    Peers(Database db, AuditLog audit, Organisations organisations) {
        this.db = db;
        this.audit = audit;
        this.organisations = organisations;
    }

    /** Identities as stored, parsed once: every request on the listener looks its peer up. */
    private final java.util.Map<String, Identity> parsed = new java.util.concurrent.ConcurrentHashMap<>();

    private Identity identity(String json) {
        Identity id = parsed.get(json);
        if (id == null) {
            if (parsed.size() > 1000) parsed.clear();
            id = Identity.parse(tree(json), null);
            parsed.put(json, id);
        }
        return id;
    }

    private Peer peer(java.sql.ResultSet rs) throws java.sql.SQLException {
        OffsetDateTime requested = rs.getObject(7, OffsetDateTime.class);
        return new Peer(rs.getString(1), rs.getInt(2), rs.getString(3), identity(rs.getString(4)), rs.getObject(5, OffsetDateTime.class).toInstant(),
                rs.getObject(6, OffsetDateTime.class).toInstant(), requested == null ? null : requested.toInstant());
    }

    List<Peer> all() {
        return db.jdbi().withHandle(h -> h.createQuery(COLUMNS + "ORDER BY num").map((rs, ctx) -> peer(rs)).list());
    }

    Optional<Peer> byOrganisation(String organisationId) {
        if (organisationId == null || organisationId.indexOf('\0') >= 0) return Optional.empty();
        return db.jdbi().withHandle(h -> h.createQuery(COLUMNS + "WHERE organisation_id = :o").bind("o", organisationId)
                .map((rs, ctx) -> peer(rs)).findOne());
    }

    /** A peer named by its organisation's id or name. */
    Optional<Peer> find(String idOrName) {
        return organisations.find(idOrName).flatMap(o -> byOrganisation(o.id()));
    }

    Peer require(String idOrName, String field) {
        return find(idOrName).orElseThrow(() -> InvalidInput.of("Unknown peer", field, "no peer '"
                + (idOrName == null ? "" : idOrName.replace("\0", "\\0")) + "' (see `entente peer list`)"));
    }

    String name(String organisationId) {
        return organisations.find(organisationId).map(Organisation::name).orElse(organisationId);
    }

    /** The peer whose pinned, unrevoked, unexpired certificate has this fingerprint. */
    Optional<Peer> byFingerprint(String fingerprint) {
        return db.jdbi().withHandle(h -> h.createQuery(COLUMNS + "WHERE organisation_id = (SELECT organisation_id"
                        + " FROM peer_certificate WHERE fingerprint = :f AND revoked IS NULL AND not_after > now())")
                .bind("f", fingerprint).map((rs, ctx) -> peer(rs)).findOne());
    }

    /** Whether the fingerprint was pinned once and revoked since (for the audit record of a refused handshake). */
    Optional<String> revokedOwner(String fingerprint) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT organisation_id FROM peer_certificate WHERE fingerprint = :f"
                + " AND (revoked IS NOT NULL OR not_after <= now())").bind("f", fingerprint).mapTo(String.class).findOne());
    }

    /** Every fingerprint pinned for an organisation and not revoked. */
    List<String> fingerprints(String organisationId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT fingerprint FROM peer_certificate WHERE organisation_id = :o"
                + " AND revoked IS NULL AND not_after > now()").bind("o", organisationId).mapTo(String.class).list());
    }

    // ---------------------------------------------------------------- adding, identities

    /**
     * Makes a partner node a peer on the operator's word (its identity file, exchanged out of band):
     * creates its organisation under the identity's id when missing, pins its certificate and keys.
     * An identity of a peer already known is accepted only as a rotation ({@link #rotate}).
     */
    Peer add(Identity id, String ownOrganisation, String actor) {
        if (id.organisationId().equals(ownOrganisation)) {
            throw InvalidInput.of("Invalid identity", "/organisation/id", "this is the identity of this node's own"
                    + " organisation, not of a partner");
        }
        Optional<Peer> known = byOrganisation(id.organisationId());
        if (known.isPresent()) {
            rotate(known.get(), id, actor);
            return byOrganisation(id.organisationId()).orElseThrow();
        }
        Optional<Organisation> org = organisations.find(id.organisationId()).filter(o -> o.id().equals(id.organisationId()));
        if (org.isEmpty()) {
            Optional<Organisation> sameName = organisations.find(id.name());
            if (sameName.isPresent()) {
                throw InvalidInput.of("Invalid identity", "/organisation/name", "an organisation named '" + id.name()
                        + "' already exists here with id " + sameName.get().id() + ", not " + id.organisationId()
                        + "; rename one of them first");
            }
            organisations.createPartner(id.organisationId(), new Organisations.Draft(id.name(), id.nation(), id.sector(),
                    id.contactPoint()), actor);
        }
        db.jdbi().useTransaction(h -> {
            h.createUpdate("INSERT INTO peer (organisation_id, url, identity, issued, added_by)"
                            + " VALUES (:o, :u, CAST(:i AS jsonb), :t, :by)")
                    .bind("o", id.organisationId()).bind("u", id.url()).bind("i", id.toJson().toString())
                    .bind("t", id.issued().atOffset(java.time.ZoneOffset.UTC)).bind("by", actor).execute();
            pin(h, id);
            keys(h, id, "peer");
            audit.append(h, new AuditEvent("peer-change", actor, null, AuditEvent.detail("change", "added",
                    "peer", id.organisationId(), "name", id.name(), "url", id.url(), "fingerprint", id.fingerprint(),
                    "key", id.signingKey().id())));
        });
        return byOrganisation(id.organisationId()).orElseThrow();
    }

    /**
     * A newer identity of a peer (a key rotation, a new URL or certificate): accepted only when the
     * key this node trusts for it now signed it; then its new certificate is pinned and the old ones
     * are revoked.
     *
     * @throws InvalidInput (with the reason) when it is not newer or not signed by the trusted key
     */
    void rotate(Peer peer, Identity next, String actor) {
        if (!next.organisationId().equals(peer.organisationId())) {
            throw InvalidInput.of("Invalid identity", "/organisation/id", "the identity is of " + next.organisationId()
                    + ", not of peer " + peer.organisationId());
        }
        Identity.Key trusted = peer.identity().signingKey();
        if (!next.signedBy(trusted.id(), trusted.publicKey())) {
            throw InvalidInput.of("Untrusted identity", "/signatures", "not signed by key " + trusted.id()
                    + ", the signing key this node trusts for " + peer.identity().name()
                    + ": an identity signed by an unknown key is refused (add it again only on the partner's word)");
        }
        if (!next.issued().isAfter(peer.issued())) {
            if (next.issued().equals(peer.issued()) && next.signingKey().id().equals(trusted.id())) return;
            throw InvalidInput.of("Stale identity", "/issued", "issued " + next.issued() + ", not after the identity"
                    + " held since " + peer.issued());
        }
        db.jdbi().useTransaction(h -> {
            h.createUpdate("UPDATE peer SET url = :u, identity = CAST(:i AS jsonb), issued = :t WHERE organisation_id = :o")
                    .bind("u", next.url()).bind("i", next.toJson().toString())
                    .bind("t", next.issued().atOffset(java.time.ZoneOffset.UTC)).bind("o", next.organisationId()).execute();
            h.createUpdate("UPDATE peer_certificate SET revoked = now() WHERE organisation_id = :o AND fingerprint <> :f"
                    + " AND revoked IS NULL").bind("o", next.organisationId()).bind("f", next.fingerprint()).execute();
            pin(h, next);
            keys(h, next, "peer");
            audit.append(h, new AuditEvent("peer-change", actor, null, AuditEvent.detail("change", "identity",
                    "peer", next.organisationId(), "url", next.url(), "fingerprint", next.fingerprint(),
                    "key", next.signingKey().id(), "previous_key", trusted.id())));
        });
    }

    private static void pin(Handle h, Identity id) {
        java.security.cert.X509Certificate c = id.x509();
        h.createUpdate("INSERT INTO peer_certificate (fingerprint, organisation_id, certificate, not_after)"
                        + " VALUES (:f, :o, :c, :na) ON CONFLICT (fingerprint) DO UPDATE SET revoked = NULL"
                        + " WHERE peer_certificate.organisation_id = EXCLUDED.organisation_id")
                .bind("f", id.fingerprint()).bind("o", id.organisationId()).bind("c", id.certificate())
                .bind("na", c.getNotAfter().toInstant().atOffset(java.time.ZoneOffset.UTC)).execute();
    }

    private static void keys(Handle h, Identity id, String source) {
        for (Identity.Key k : id.keys()) {
            h.createUpdate("INSERT INTO peer_key (id, organisation_id, public_key, source) VALUES (:id, :o, :k, :s)"
                            + " ON CONFLICT (id) DO NOTHING")
                    .bind("id", k.id()).bind("o", id.organisationId()).bind("k", k.publicKey()).bind("s", source).execute();
        }
    }

    /**
     * Keys of a producer whose objects reach this node through a peer, as that peer vouched for them
     * (the producer's identity, checked by its own signature). Known keys are never replaced.
     */
    void vouched(Identity producer, String viaPeer, String actor) {
        db.jdbi().useTransaction(h -> {
            keys(h, producer, "via:" + viaPeer);
            audit.append(h, new AuditEvent("peer-change", actor, null, AuditEvent.detail("change", "producer keys",
                    "producer", producer.organisationId(), "name", producer.name(), "via", viaPeer,
                    "keys", producer.keys().stream().map(Identity.Key::id).toList())));
        });
    }

    /** A signing key known to this node: whose it is, and its raw bytes. */
    record KnownKey(String id, String organisationId, byte[] publicKey, String source) {}

    /** Keys never change once known (a key id is the hash of the key): remembered for the verification of every object. */
    private final com.github.benmanes.caffeine.cache.Cache<String, KnownKey> knownKeys =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000).build();

    Optional<KnownKey> key(String id) {
        KnownKey k = knownKeys.getIfPresent(id);
        if (k != null) return Optional.of(k);
        Optional<KnownKey> found = db.jdbi().withHandle(h -> h.createQuery("SELECT id, organisation_id, public_key, source"
                + " FROM peer_key WHERE id = :id").bind("id", id).map((rs, ctx) -> new KnownKey(rs.getString(1),
                rs.getString(2), rs.getBytes(3), rs.getString(4))).findOne());
        found.ifPresent(x -> knownKeys.put(id, x));
        return found;
    }

    void remove(Peer p, String actor) {
        db.jdbi().useTransaction(h -> {
            h.createUpdate("UPDATE peer_certificate SET revoked = now() WHERE organisation_id = :o AND revoked IS NULL")
                    .bind("o", p.organisationId()).execute();
            h.createUpdate("DELETE FROM peer WHERE organisation_id = :o").bind("o", p.organisationId()).execute();
            audit.append(h, new AuditEvent("peer-change", actor, null, AuditEvent.detail("change", "removed",
                    "peer", p.organisationId(), "name", name(p.organisationId()))));
        });
    }

    /** Asks for a sync cycle of a peer (a push notification, the command line, the API). */
    void requestSync(String organisationId) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE peer SET sync_requested = now() WHERE organisation_id = :o")
                .bind("o", organisationId).execute());
    }

    /** Peers with a cycle asked for that no cycle begun since has served. */
    List<String> requested() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT organisation_id FROM peer"
                + " WHERE sync_requested > coalesce(cycle_started, '-infinity')").mapTo(String.class).list());
    }

    boolean requested(String organisationId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM peer WHERE organisation_id = :o"
                + " AND sync_requested > coalesce(cycle_started, '-infinity'))").bind("o", organisationId)
                .mapTo(Boolean.class).one());
    }

    /** A cycle begins now (by the database's clock): it serves every request made before. */
    void cycleStarted(String organisationId) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE peer SET cycle_started = now() WHERE organisation_id = :o")
                .bind("o", organisationId).execute());
    }

    // ---------------------------------------------------------------- offers

    void offer(Peer p, String collectionId, String agreementId, String actor) {
        db.jdbi().useTransaction(h -> {
            h.createUpdate("INSERT INTO peer_offer (organisation_id, collection_id, agreement_id, offered_by)"
                            + " VALUES (:o, :c, :a, :by) ON CONFLICT (organisation_id, collection_id)"
                            + " DO UPDATE SET agreement_id = EXCLUDED.agreement_id, offered_by = EXCLUDED.offered_by,"
                            + " offered_at = now()")
                    .bind("o", p.organisationId()).bind("c", collectionId).bind("a", agreementId).bind("by", actor)
                    .execute();
            audit.append(h, new AuditEvent("peer-change", actor, null, AuditEvent.detail("change", "offered",
                    "peer", p.organisationId(), "collection", collectionId, "agreement", agreementId)));
        });
    }

    boolean withdraw(Peer p, String collectionId, String actor) {
        return db.jdbi().inTransaction(h -> {
            int n = h.createUpdate("DELETE FROM peer_offer WHERE organisation_id = :o AND collection_id = :c")
                    .bind("o", p.organisationId()).bind("c", collectionId).execute();
            if (n > 0) {
                audit.append(h, new AuditEvent("peer-change", actor, null, AuditEvent.detail("change", "withdrawn",
                        "peer", p.organisationId(), "collection", collectionId)));
            }
            return n > 0;
        });
    }

    List<Offer> offers(String organisationId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT organisation_id, collection_id, agreement_id, offered_by,"
                        + " offered_at FROM peer_offer WHERE organisation_id = :o ORDER BY offered_at")
                .bind("o", organisationId).map((rs, ctx) -> new Offer(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant())).list());
    }

    /** Peers to which a collection is offered. */
    List<Offer> offersOf(String collectionId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT organisation_id, collection_id, agreement_id, offered_by,"
                        + " offered_at FROM peer_offer WHERE collection_id = :c")
                .bind("c", collectionId).map((rs, ctx) -> new Offer(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant())).list());
    }

    Optional<Offer> offer(String organisationId, String collectionId) {
        return offers(organisationId).stream().filter(o -> o.collectionId().equals(collectionId)).findFirst();
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
