package org.entente.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.entente.node.common.InvalidInput;
import org.entente.node.partners.Party;
import org.entente.node.partners.Sector;
import org.entente.node.tls.Pem;
import org.entente.stix.StixJson;

/**
 * A node's identity document (docs/FEDERATION.md): what a partner needs to trust it and nothing
 * secret — where to reach it, the organisation it speaks for, its TLS certificate and fingerprint, its
 * public signing key — signed by that key and by every key the node had before, so that a partner
 * who knows any earlier key accepts a rotation.
 *
 * @param keys every signing key the node has had, the current one first
 * @param signatures by key id, over {@link #signedBytes()}
 */
record Identity(String url, String organisationId, String name, String nation, String sector, String contactPoint,
        String certificate, String fingerprint, List<Key> keys, Instant issued, Map<String, byte[]> signatures) {

    static final String TYPE = "entente-node-identity";
    static final String CONTEXT = "entente-identity/1\n";
    /** How far an issue time may lie ahead of this node's clock. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("type", "version", "url", "organisation", "certificate",
            "fingerprint", "signing_key", "previous_keys", "issued", "signatures");
    private static final Set<String> ORGANISATION_FIELDS = Set.of("id", "name", "nation", "sector",
            "contact_point");
    private static final Set<String> KEY_FIELDS = Set.of("id", "public_key");
    private static final Set<String> SIGNATURE_FIELDS = Set.of("key", "value");

    record Key(String id, byte[] publicKey) {}

    Key signingKey() {
        return keys.get(0);
    }

    /** A new identity without a contact point, signed by every given key (the current one first). */
    static Identity issue(String url, String organisationId, String name, String nation, String sector,
            OwnKeys.TlsCredential tls, List<OwnKeys.SigningKey> keys) {
        return issue(url, organisationId, name, nation, sector, null, tls, keys);
    }

    /** A new identity, signed by every given key (the current one first). */
    static Identity issue(String url, String organisationId, String name, String nation, String sector,
            String contactPoint, OwnKeys.TlsCredential tls, List<OwnKeys.SigningKey> keys) {
        List<Key> k = keys.stream().map(s -> new Key(s.id(), s.publicKey())).toList();
        Identity unsigned = new Identity(url, organisationId, name, nation, sector, contactPoint, tls.pem(),
                tls.fingerprint(), k,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), Map.of());
        byte[] bytes = unsigned.signedBytes();
        Map<String, byte[]> sigs = new LinkedHashMap<>();
        for (OwnKeys.SigningKey s : keys) sigs.put(s.id(), Crypto.sign(s.privateKey(), bytes));
        return new Identity(url, organisationId, name, nation, sector, contactPoint, tls.pem(), tls.fingerprint(), k,
                unsigned.issued(), sigs);
    }

    ObjectNode toJson() {
        ObjectNode o = unsignedJson();
        ArrayNode sigs = o.putArray("signatures");
        signatures.forEach((id, v) -> sigs.addObject().put("key", id).put("value", Crypto.b64u(v)));
        return o;
    }

    private ObjectNode unsignedJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", TYPE);
        o.put("version", 1);
        o.put("url", url);
        ObjectNode org = o.putObject("organisation");
        org.put("id", organisationId);
        org.put("name", name);
        org.put("nation", nation);
        org.put("sector", sector);
        // The 24/7 contact point partners' desks escalate to (optional: identities before it had none).
        if (contactPoint != null) org.put("contact_point", contactPoint);
        o.put("certificate", certificate);
        o.put("fingerprint", fingerprint);
        ObjectNode sk = o.putObject("signing_key");
        sk.put("id", signingKey().id());
        sk.put("public_key", Crypto.publicKeyPem(signingKey().publicKey()));
        if (keys.size() > 1) {
            ArrayNode prev = o.putArray("previous_keys");
            for (Key k : keys.subList(1, keys.size())) {
                prev.addObject().put("id", k.id()).put("public_key", Crypto.publicKeyPem(k.publicKey()));
            }
        }
        o.put("issued", issued.toString());
        return o;
    }

    /** What the signatures cover: a context line and the RFC 8785 form of the document without its signatures. */
    byte[] signedBytes() {
        return Crypto.utf8(CONTEXT + StixJson.canonical(unsignedJson()));
    }

    /** Whether the signature by key {@code id} (one of this identity's keys or another known one) verifies. */
    boolean signedBy(String id, byte[] publicKey) {
        byte[] sig = signatures.get(id);
        return sig != null && Crypto.verify(publicKey, signedBytes(), sig);
    }

    X509Certificate x509() {
        return Pem.certificates(certificate, "the identity of " + name).get(0);
    }

    /**
     * Reads an identity document and checks everything it can check alone: no unknown fields, every
     * field of the right form, the certificate valid now and matching its fingerprint, the issue time
     * not in the future, and its own signing key's signature. Whether its keys are to be trusted is
     * the caller's question (the operator's, or a key known from before).
     *
     * @param now the time to check validity against; null for an identity stored after those checks
     * @throws InvalidInput naming each problem by JSON pointer
     */
    static Identity parse(JsonNode doc, Instant now) {
        List<InvalidInput.Problem> p = new ArrayList<>();
        if (doc == null || !doc.isObject()) throw InvalidInput.of("Invalid identity", "", "an identity is a JSON object");
        unknown(doc, FIELDS, "", p);
        if (!TYPE.equals(doc.path("type").asText(null))) p.add(problem("/type", "must be \"" + TYPE + "\""));
        if (!doc.path("version").isInt() || doc.path("version").asInt() != 1) p.add(problem("/version", "must be 1"));
        String url = text(doc, "/url", p);
        if (url != null) {
            try {
                URI u = new URI(url);
                if (!"https".equals(u.getScheme()) || u.getHost() == null) p.add(problem("/url", "must be an https:// URL"));
            } catch (URISyntaxException e) {
                p.add(problem("/url", "is not a URL: " + e.getReason()));
            }
        }
        JsonNode org = doc.path("organisation");
        String id = null;
        String name = null;
        String nation = null;
        String sector = null;
        String contact = null;
        if (!org.isObject()) {
            p.add(problem("/organisation", "must be an object with id, name, nation and sector"));
        } else {
            unknown(org, ORGANISATION_FIELDS, "/organisation", p);
            id = text(org, "/organisation/id", p);
            if (id != null && !id.matches("identity--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
                p.add(problem("/organisation/id", "must be a STIX identity id (identity--UUID)"));
            }
            name = text(org, "/organisation/name", p);
            if (name != null && (name.isBlank() || name.length() > 200 || name.chars().anyMatch(c -> c < 0x20))) {
                p.add(problem("/organisation/name", "must be 1 to 200 characters without control characters"));
            }
            nation = text(org, "/organisation/nation", p);
            if (nation != null && !Party.isNationCode(nation)) {
                p.add(problem("/organisation/nation", "must be an ISO 3166-1 alpha-2 code"));
            }
            sector = text(org, "/organisation/sector", p);
            if (sector != null && Sector.parse(sector).isEmpty()) {
                p.add(problem("/organisation/sector", "unknown sector; known: " + Sector.choices()));
            }
            JsonNode cp = org.get("contact_point");
            if (cp != null && !cp.isNull()) {
                contact = cp.asText("");
                if (!cp.isTextual() || contact.isBlank() || contact.length() > 500 || contact.chars().anyMatch(c -> c < 0x20)) {
                    p.add(problem("/organisation/contact_point", "must be 1 to 500 characters without control characters"));
                }
            }
        }
        String certificate = text(doc, "/certificate", p);
        String fingerprint = text(doc, "/fingerprint", p);
        if (certificate != null) {
            try {
                X509Certificate c = Pem.certificates(certificate, "the identity").get(0);
                if (now == null) {
                    // a stored identity, checked when it was accepted
                } else if (c.getNotAfter().toInstant().isBefore(now)) {
                    p.add(problem("/certificate", "expired on " + c.getNotAfter().toInstant()));
                } else if (c.getNotBefore().toInstant().isAfter(now.plus(CLOCK_SKEW))) {
                    p.add(problem("/certificate", "is not valid before " + c.getNotBefore().toInstant()));
                }
                if (fingerprint != null && !fingerprint.equals(Crypto.fingerprint(c))) {
                    p.add(problem("/fingerprint", "is not the SHA-256 fingerprint of the certificate ("
                            + Crypto.fingerprint(c) + ")"));
                }
            } catch (IllegalArgumentException e) {
                p.add(problem("/certificate", e.getMessage()));
            }
        }
        List<Key> keys = new ArrayList<>();
        Key current = key(doc.path("signing_key"), "/signing_key", p);
        if (current != null) keys.add(current);
        JsonNode prev = doc.get("previous_keys");
        if (prev != null) {
            if (!prev.isArray()) {
                p.add(problem("/previous_keys", "must be a list of keys"));
            } else {
                for (int i = 0; i < prev.size(); i++) {
                    Key k = key(prev.get(i), "/previous_keys/" + i, p);
                    if (k != null) keys.add(k);
                }
            }
        }
        Instant issued = null;
        String is = text(doc, "/issued", p);
        if (is != null) {
            try {
                issued = Instant.parse(is);
                if (now != null && issued.isAfter(now.plus(CLOCK_SKEW))) p.add(problem("/issued", "lies in the future (" + is + ")"));
            } catch (DateTimeParseException e) {
                p.add(problem("/issued", "is not an RFC 3339 timestamp"));
            }
        }
        Map<String, byte[]> sigs = new LinkedHashMap<>();
        JsonNode sn = doc.get("signatures");
        if (sn == null || !sn.isArray() || sn.isEmpty()) {
            p.add(problem("/signatures", "the document must be signed"));
        } else {
            for (int i = 0; i < sn.size(); i++) {
                JsonNode s = sn.get(i);
                String at = "/signatures/" + i;
                if (!s.isObject()) {
                    p.add(problem(at, "must be an object with key and value"));
                    continue;
                }
                unknown(s, SIGNATURE_FIELDS, at, p);
                String kid = text(s, at + "/key", p);
                byte[] value = Crypto.fromB64u(s.path("value").asText(null));
                if (value == null || value.length != 64) p.add(problem(at + "/value", "must be a base64url Ed25519 signature"));
                if (kid != null && value != null) sigs.put(kid, value);
            }
        }
        if (!p.isEmpty()) throw new InvalidInput("Invalid identity", p);
        Identity identity = new Identity(url, id, name, nation, sector, contact, certificate, fingerprint, keys, issued,
                sigs);
        if (!identity.signedBy(current.id(), current.publicKey())) {
            throw InvalidInput.of("Invalid identity", "/signatures", "the signature by the document's own signing key "
                    + current.id() + " is missing or does not verify: the document was altered or not signed by it");
        }
        return identity;
    }

    private static Key key(JsonNode k, String at, List<InvalidInput.Problem> p) {
        if (!k.isObject()) {
            p.add(problem(at, "must be an object with id and public_key"));
            return null;
        }
        unknown(k, KEY_FIELDS, at, p);
        String id = text(k, at + "/id", p);
        String pem = text(k, at + "/public_key", p);
        if (id == null || pem == null) return null;
        try {
            byte[] raw = Crypto.publicKeyFromPem(pem);
            if (!Crypto.keyId(raw).equals(id)) {
                p.add(problem(at + "/id", "is not the id of the key (" + Crypto.keyId(raw) + ")"));
                return null;
            }
            return new Key(id, raw);
        } catch (IllegalArgumentException e) {
            p.add(problem(at + "/public_key", e.getMessage()));
            return null;
        }
    }

    private static void unknown(JsonNode o, Set<String> known, String at, List<InvalidInput.Problem> p) {
        o.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) p.add(problem(at + "/" + f, "unknown field '" + f + "'"));
        });
    }

    private static String text(JsonNode parent, String pointer, List<InvalidInput.Problem> p) {
        String field = pointer.substring(pointer.lastIndexOf('/') + 1);
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            p.add(problem(pointer, "is required"));
            return null;
        }
        if (!n.isTextual()) {
            p.add(problem(pointer, "must be a string"));
            return null;
        }
        if (n.asText().indexOf('\0') >= 0) {
            p.add(problem(pointer, "holds a NUL character"));
            return null;
        }
        return n.asText();
    }

    private static InvalidInput.Problem problem(String at, String message) {
        return new InvalidInput.Problem(at, message);
    }
}
