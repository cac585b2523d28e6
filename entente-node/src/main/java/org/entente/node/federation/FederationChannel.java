package org.entente.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.db.Database;
import org.jdbi.v3.core.Handle;

/**
 * Signed messages between this node and its peers, delivered exactly once (docs/FEDERATION.md,
 * "Messages"). A message is written to the outbox, in the caller's transaction when it has one,
 * sent at once and again on every sync cycle until the peer acknowledges it; the receiver checks
 * the sender's signature and records the message id in its inbox in the transaction that handles
 * it, so that a repeat changes nothing. Agreements travel this way; so can what later features send
 * (register a handler for a kind with {@link #on}).
 */
public final class FederationChannel {
    static final String TYPE = "entente-message";
    static final String CONTEXT = "entente-message/1\n";
    /**
     * Several messages posted in one call: under load a peer's outbox is drained a call per batch
     * instead of a call per message, so a queue that built up empties in a few round trips.
     */
    static final String BATCH_TYPE = "entente-messages";
    static final int BATCH_MAX = 100;
    static final long BATCH_BYTES = 1L << 20;
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message as received (its signature checked). */
    public record Message(String id, String kind, String sender, String recipient, Instant sent, JsonNode body) {}

    /** Handles one kind of message, in the transaction that records its receipt: throw to refuse it. */
    public interface Handler {
        void receive(Handle h, Message m);

        /**
         * Work done before that transaction, on the same thread, for what must not run inside it:
         * other transactions (storing objects through intake, an audit record that must outlive a
         * refusal), or loading the policy. Runs again for a repeated message, so it must be
         * idempotent; throw to refuse the message.
         */
        default void prepare(Message m) {}
    }

    /** A message waiting in the outbox, or delivered. */
    public record Outgoing(String id, String recipient, String kind, Instant created, int attempts, Instant delivered,
            String lastError) {}

    private final Database db;
    private final AuditLog audit;
    private final OwnKeys keys;
    private final java.util.function.Supplier<String> ownOrganisation;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    /** Told that a peer has messages waiting (delivers them in the background). */
    private volatile java.util.function.Consumer<String> wake = p -> { };

    FederationChannel(Database db, AuditLog audit, OwnKeys keys, java.util.function.Supplier<String> ownOrganisation) {
        this.db = db;
        this.audit = audit;
        this.keys = keys;
        this.ownOrganisation = ownOrganisation;
    }

    void onSend(java.util.function.Consumer<String> wake) {
        this.wake = wake;
    }

    /** Handles messages of {@code kind} from now on (one handler per kind). */
    public void on(String kind, Handler handler) {
        if (!KIND.matcher(kind).matches()) throw new IllegalArgumentException("a message kind is a lower-case word: " + kind);
        handlers.put(kind, handler);
    }

    /** Sends a message to a peer in a transaction of its own; returns its id. */
    public String send(String recipient, String kind, JsonNode body) {
        return db.jdbi().inTransaction(h -> send(h, recipient, kind, body));
    }

    /**
     * Sends a message as part of the caller's transaction: it leaves only if the transaction commits,
     * and delivery starts as soon as it has.
     */
    public String send(Handle h, String recipient, String kind, JsonNode body) {
        if (!KIND.matcher(kind).matches()) throw new IllegalArgumentException("a message kind is a lower-case word: " + kind);
        String id = UUID.randomUUID().toString();
        ObjectNode m = sign(id, kind, recipient, body);
        // Stamped when written, not when the transaction began: two transitions of one request are
        // written under its lock, so this order is the order they were made in (and go out in).
        h.createUpdate("INSERT INTO federation_outbox (id, organisation_id, kind, body, created)"
                        + " VALUES (:id, :o, :k, CAST(:b AS jsonb), clock_timestamp())")
                .bind("id", id).bind("o", recipient).bind("k", kind).bind("b", m.toString()).execute();
        h.afterCommit(() -> wake.accept(recipient));
        return id;
    }

    /** Asks for the peer's waiting messages to be delivered now (after the caller's transaction committed). */
    public void flush(String recipient) {
        wake.accept(recipient);
    }

    private ObjectNode sign(String id, String kind, String recipient, JsonNode body) {
        OwnKeys.SigningKey k = keys.signingKey();
        ObjectNode m = JSON.createObjectNode();
        m.put("type", TYPE);
        m.put("version", 1);
        m.put("id", id);
        m.put("kind", kind);
        m.put("sender", ownOrganisation.get());
        m.put("recipient", recipient);
        m.put("sent", Instant.now().toString());
        m.set("body", body);
        m.put("key", k.id());
        m.put("signature", Crypto.b64u(Crypto.sign(k.privateKey(), signedBytes(m))));
        return m;
    }

    static byte[] signedBytes(ObjectNode m) {
        return Crypto.signedBytes(CONTEXT, m);
    }

    /**
     * A message as signed, sent or received, by its id (features keep the signed form of what they
     * exchange); empty when this node has no message of that id.
     */
    public java.util.Optional<ObjectNode> envelope(Handle h, String id) {
        return h.createQuery("SELECT body::text FROM federation_outbox WHERE id = :id UNION ALL"
                        + " SELECT body::text FROM federation_inbox WHERE id = :id LIMIT 1").bind("id", id)
                .mapTo(String.class).findFirst().map(t -> (ObjectNode) Peers.tree(t));
    }

    /** Messages not yet acknowledged by a peer, oldest first. */
    List<ObjectNode> pending(String recipient) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT body::text FROM federation_outbox WHERE organisation_id = :o"
                        + " AND delivered IS NULL ORDER BY created, id").bind("o", recipient).mapTo(String.class).list())
                .stream().map(t -> (ObjectNode) Peers.tree(t)).toList();
    }

    void delivered(String id, String error) {
        // Not waiting for the WAL flush: a mark lost in a crash only sends the message again, which the peer ignores.
        db.jdbi().useTransaction(h -> {
            h.execute("SET LOCAL synchronous_commit = off");
            h.createUpdate("UPDATE federation_outbox SET delivered = now(), attempts = attempts + 1,"
                    + " last_error = :e WHERE id = :id").bind("e", error).bind("id", id).execute();
        });
    }

    void delivered(List<String> ids) {
        if (ids.isEmpty()) return;
        db.jdbi().useTransaction(h -> {
            h.execute("SET LOCAL synchronous_commit = off");
            h.createUpdate("UPDATE federation_outbox SET delivered = now(), attempts = attempts + 1, last_error = NULL"
                    + " WHERE id = ANY(:ids)").bind("ids", ids.toArray(String[]::new)).execute();
        });
    }

    void failed(String id, String error) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE federation_outbox SET attempts = attempts + 1, last_error = :e"
                + " WHERE id = :id").bind("e", error).bind("id", id).execute());
    }

    /** The outbox towards a peer, newest first (for status). */
    public List<Outgoing> outbox(String recipient, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id, organisation_id, kind, created, attempts, delivered,"
                        + " last_error FROM federation_outbox WHERE organisation_id = :o ORDER BY created DESC LIMIT :n")
                .bind("o", recipient).bind("n", limit).map((rs, ctx) -> {
                    OffsetDateTime d = rs.getObject(6, OffsetDateTime.class);
                    return new Outgoing(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getInt(5), d == null ? null : d.toInstant(),
                            rs.getString(7));
                }).list());
    }

    // ---------------------------------------------------------------- receiving

    /**
     * A message from the peer {@code from} (authenticated by its TLS certificate): checked, handled
     * and recorded in one transaction. A message already received is acknowledged without effect.
     *
     * @return true when it was handled now, false for a repeat
     * @throws InvalidInput or Refusal (with the reason) when it is malformed, misaddressed or not signed by the sender
     */
    boolean receive(JsonNode raw, String from, Peers peers) {
        if (!(raw instanceof ObjectNode m)) throw InvalidInput.of("Invalid message", "", "a message is a JSON object");
        List<InvalidInput.Problem> p = new ArrayList<>();
        if (!TYPE.equals(m.path("type").asText())) p.add(new InvalidInput.Problem("/type", "must be " + TYPE));
        String id = m.path("id").asText("");
        if (!id.matches("[0-9a-fA-F-]{36}")) p.add(new InvalidInput.Problem("/id", "must be a UUID"));
        String kind = m.path("kind").asText("");
        if (!KIND.matcher(kind).matches()) p.add(new InvalidInput.Problem("/kind", "must be a lower-case word"));
        Instant sent = null;
        try {
            sent = Instant.parse(m.path("sent").asText(""));
        } catch (java.time.format.DateTimeParseException e) {
            p.add(new InvalidInput.Problem("/sent", "must be an RFC 3339 timestamp"));
        }
        if (!m.path("body").isObject()) p.add(new InvalidInput.Problem("/body", "must be an object"));
        if (!p.isEmpty()) throw new InvalidInput("Invalid message", p);
        if (!from.equals(m.path("sender").asText())) {
            throw new Refusal(403, "Forged sender", "forged-sender", "the message says it is from " + m.path("sender").asText()
                    + " but came from " + from);
        }
        if (!ownOrganisation.get().equals(m.path("recipient").asText())) {
            throw new Refusal(403, "Misaddressed", "misaddressed", "the message is for " + m.path("recipient").asText()
                    + ", not for this node");
        }
        // An identity proves itself (signed by the key the receiver trusts); everything else is signed by a known key.
        if (!kind.equals(Federation.IDENTITY_KIND)) {
            Peers.KnownKey key = peers.key(m.path("key").asText("")).filter(k -> k.organisationId().equals(from))
                    .orElseThrow(() -> new Refusal(403, "Unknown key", "unknown-signing-key", "the message is signed by key "
                            + m.path("key").asText() + ", which is not a key of " + from + " known here"));
            byte[] sig = Crypto.fromB64u(m.path("signature").asText(null));
            if (sig == null || !Crypto.verify(key.publicKey(), signedBytes(m), sig)) {
                throw new Refusal(403, "Bad signature", "bad-signature", "the message's signature does not verify");
            }
        }
        Handler handler = handlers.get(kind);
        if (handler == null) {
            throw InvalidInput.of("Unknown message kind", "/kind", "this node handles no messages of kind '" + kind + "'");
        }
        Message msg = new Message(id, kind, from, m.path("recipient").asText(), sent, m.get("body"));
        handler.prepare(msg);
        return db.jdbi().inTransaction(h -> {
            int fresh = h.createUpdate("INSERT INTO federation_inbox (id, organisation_id, kind, body)"
                            + " VALUES (:id, :o, :k, CAST(:b AS jsonb)) ON CONFLICT (id) DO NOTHING")
                    .bind("id", id).bind("o", from).bind("k", kind).bind("b", m.toString()).execute();
            if (fresh == 0) return false;
            handler.receive(h, msg);
            audit.append(h, new AuditEvent("federation-message", "node:" + from, from, AuditEvent.detail("message", id,
                    "kind", kind, "direction", "received")));
            return true;
        });
    }
}
