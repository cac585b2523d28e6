package org.entente.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.InvalidInput;
import org.entente.node.db.Database;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.store.Agreements;
import org.entente.node.policy.store.Countersigning;
import org.entente.stix.StixJson;
import org.jdbi.v3.core.Handle;

/**
 * Agreements held by both sides, identically (docs/FEDERATION.md, "Agreements"): every version made
 * at a node whose parties include a peer's organisation is signed by that node and sent to the peer;
 * a version that lets data flow (active) is held as proposed at both until every party's node has
 * signed it ({@code entente agreement accept} at the peer); a suspension or termination takes effect
 * at once, and the peer countersigns it as it applies it. The only SQL of {@code agreement_signature}.
 */
final class AgreementExchange implements Countersigning {
    static final String VERSION_KIND = "agreement-version";
    static final String SIGNATURE_KIND = "agreement-signature";
    static final String CONTEXT = "entente-agreement/1\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final AuditLog audit;
    private final Peers peers;
    private final OwnKeys keys;
    private final Supplier<String> ownOrganisation;
    private final Supplier<FederationChannel> channel;
    private volatile Agreements agreements;

    AgreementExchange(Database db, AuditLog audit, Peers peers, OwnKeys keys, Supplier<String> ownOrganisation,
            Supplier<FederationChannel> channel) {
        this.db = db;
        this.audit = audit;
        this.peers = peers;
        this.keys = keys;
        this.ownOrganisation = ownOrganisation;
        this.channel = channel;
    }

    /** The agreements store, which is built with this as its countersigning (so it comes after). */
    void agreements(Agreements agreements) {
        this.agreements = agreements;
    }

    @Override
    public Set<String> countersigners(Agreement a) {
        Set<String> out = new LinkedHashSet<>();
        String own = ownOrganisation.get();
        for (String party : a.parties()) {
            if (!party.equals(own) && party.startsWith("identity--") && peers.byOrganisation(party).isPresent()) {
                out.add(party);
            }
        }
        return out;
    }

    static byte[] signedBytes(JsonNode document) {
        return Crypto.utf8(CONTEXT + StixJson.canonical(document));
    }

    @Override
    public void madeHere(Handle h, Agreement a, String actor) {
        Set<String> to = countersigners(a);
        if (to.isEmpty()) return;
        ObjectNode doc = a.toJson(JSON);
        OwnKeys.SigningKey k = keys.signingKey();
        byte[] sig = Crypto.sign(k.privateKey(), signedBytes(doc));
        store(h, a.id(), a.version(), ownOrganisation.get(), k.id(), doc, sig);
        for (String peer : to) {
            ObjectNode body = JSON.createObjectNode();
            body.set("document", doc);
            body.put("key", k.id());
            body.put("signature", Crypto.b64u(sig));
            channel.get().send(h, peer, VERSION_KIND, body);
        }
    }

    /** After the transaction of {@link #madeHere}: deliver at once. */
    void flush(Agreement a) {
        for (String peer : countersigners(a)) channel.get().flush(peer);
    }

    private static void store(Handle h, String id, int version, String organisation, String keyId, JsonNode doc, byte[] sig) {
        h.createUpdate("INSERT INTO agreement_signature (agreement_id, version, organisation_id, key_id, document, signature)"
                        + " VALUES (:a, :v, :o, :k, CAST(:d AS jsonb), :s) ON CONFLICT DO NOTHING")
                .bind("a", id).bind("v", version).bind("o", organisation).bind("k", keyId).bind("d", doc.toString())
                .bind("s", sig).execute();
    }

    private static Set<String> signers(Handle h, String id, int version) {
        return new LinkedHashSet<>(h.createQuery("SELECT organisation_id FROM agreement_signature WHERE agreement_id = :a"
                + " AND version = :v").bind("a", id).bind("v", version).mapTo(String.class).list());
    }

    /** Who has signed which version of an agreement, for people. */
    Map<Integer, List<String>> signatures(String id) {
        Map<Integer, List<String>> out = new java.util.TreeMap<>();
        db.jdbi().useHandle(h -> h.createQuery("SELECT version, organisation_id FROM agreement_signature"
                + " WHERE agreement_id = :a ORDER BY version, signed_at").bind("a", id).map((rs, ctx) ->
                out.computeIfAbsent(rs.getInt(1), v -> new java.util.ArrayList<>()).add(rs.getString(2))).forEach(x -> { }));
        return out;
    }

    // ---------------------------------------------------------------- receiving

    /** A version signed by the peer that made it: held (proposed when it lets data flow), countersigned when it stops it. */
    void received(Handle h, FederationChannel.Message m) {
        JsonNode doc = m.body().get("document");
        String keyId = m.body().path("key").asText("");
        byte[] sig = Crypto.fromB64u(m.body().path("signature").asText(null));
        if (doc == null || !doc.isObject()) throw InvalidInput.of("Invalid agreement", "/body/document", "missing");
        Peers.KnownKey key = peers.key(keyId).filter(k -> k.organisationId().equals(m.sender()))
                .orElseThrow(() -> InvalidInput.of("Unsigned agreement", "/body/key", "not a key of " + m.sender()));
        if (sig == null || !Crypto.verify(key.publicKey(), signedBytes(doc), sig)) {
            throw InvalidInput.of("Unsigned agreement", "/body/signature", "the signature of " + m.sender()
                    + " over the agreement does not verify");
        }
        boolean party = false;
        for (JsonNode p : doc.path("parties")) if (p.asText().equals(m.sender())) party = true;
        if (!party) {
            throw InvalidInput.of("Invalid agreement", "/body/document/parties", m.sender() + " is not a party to it");
        }
        Agreement held = agreements.receive(h, doc, "node:" + m.sender());
        store(h, held.id(), held.version(), m.sender(), keyId, doc, sig);
        if (held.status() != Agreement.Status.PROPOSED) {
            // Stopping the flow needs no consent: this node applies it at once and says so with its signature.
            countersign(h, held.id(), held.version(), doc, m.sender());
        }
        takeEffectWhenSigned(h, held, doc);
    }

    /** A peer's signature over a version this node holds. */
    void signature(Handle h, FederationChannel.Message m) {
        String id = m.body().path("agreement").asText("");
        int version = m.body().path("version").asInt(0);
        String keyId = m.body().path("key").asText("");
        byte[] sig = Crypto.fromB64u(m.body().path("signature").asText(null));
        JsonNode doc = agreements.document(h, id, version).orElseThrow(() -> InvalidInput.of("Unknown agreement",
                "/body/agreement", "this node holds no version " + version + " of agreement " + id));
        Peers.KnownKey key = peers.key(keyId).filter(k -> k.organisationId().equals(m.sender()))
                .orElseThrow(() -> InvalidInput.of("Unsigned agreement", "/body/key", "not a key of " + m.sender()));
        if (sig == null || !Crypto.verify(key.publicKey(), signedBytes(doc), sig)) {
            throw InvalidInput.of("Unsigned agreement", "/body/signature", "the signature of " + m.sender()
                    + " does not verify over version " + version + " as held here");
        }
        store(h, id, version, m.sender(), keyId, doc, sig);
        agreements.find(id).ifPresent(a -> {
            if (a.version() == version) takeEffectWhenSigned(h, a, doc);
        });
    }

    /** This node's signature over a version, stored and sent to the other parties' nodes. */
    private void countersign(Handle h, String id, int version, JsonNode doc, String alreadyTold) {
        OwnKeys.SigningKey k = keys.signingKey();
        byte[] sig = Crypto.sign(k.privateKey(), signedBytes(doc));
        store(h, id, version, ownOrganisation.get(), k.id(), doc, sig);
        Agreement a = Agreement.parse(doc, id, version, p -> true, p -> true);
        ObjectNode body = JSON.createObjectNode();
        body.put("agreement", id);
        body.put("version", version);
        body.put("key", k.id());
        body.put("signature", Crypto.b64u(sig));
        for (String peer : countersigners(a)) channel.get().send(h, peer, SIGNATURE_KIND, body);
    }

    private void takeEffectWhenSigned(Handle h, Agreement held, JsonNode doc) {
        if (held.status() != Agreement.Status.PROPOSED) return;
        Agreement a = Agreement.parse(doc, held.id(), held.version(), p -> true, p -> true);
        Set<String> needed = countersigners(a);
        needed.add(ownOrganisation.get());
        if (signers(h, held.id(), held.version()).containsAll(needed)) {
            agreements.takeEffect(h, held.id(), held.version(), "federation");
        }
    }

    /**
     * The administrator of this node accepts a version a peer proposed: this node signs it; it
     * takes effect here (and, when the peer receives the signature, there) once every party's node
     * has signed.
     */
    Agreement accept(String id, String actor) {
        Agreement result = db.jdbi().inTransaction(h -> {
            Agreement a = agreements.find(id).orElseThrow(() -> InvalidInput.of("Unknown agreement", "AGREEMENT",
                    "no agreement '" + id + "' (see `entente agreement list`)"));
            if (a.status() != Agreement.Status.PROPOSED) {
                throw InvalidInput.of("Not proposed", "AGREEMENT", "agreement " + id + " is " + Agreement.wire(a.status())
                        + ", not proposed: there is nothing to accept");
            }
            Set<String> signed = signers(h, id, a.version());
            if (signed.contains(ownOrganisation.get())) {
                Set<String> missing = countersigners(a);
                missing.removeAll(signed);
                throw InvalidInput.of("Awaiting the partner", "AGREEMENT", "this node has signed version " + a.version()
                        + " already; it awaits the signature of " + missing.stream().map(peers::name).toList());
            }
            JsonNode doc = agreements.document(h, id, a.version()).orElseThrow();
            countersign(h, id, a.version(), doc, null);
            audit.append(h, new AuditEvent(AuditEvent.AGREEMENT_CHANGE, actor, null, AuditEvent.detail("change",
                    "accepted", "agreement", id, "version", a.version())));
            takeEffectWhenSigned(h, a, doc);
            return agreements.find(id).orElseThrow();
        });
        flush(result);
        return agreements.find(id).orElseThrow();
    }
}
