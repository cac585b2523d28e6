package org.entente.node.taxii;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.entente.node.db.Database;
import org.entente.node.store.Timestamps;

/** TAXII status resources, kept in PostgreSQL so that any node process can answer for any of them. */
final class StatusStore {
    private final Database db;
    private final ObjectMapper json;

    StatusStore(Database db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Records a finished request; successes and failures are TAXII status-details arrays. */
    ObjectNode record(String collectionId, long userId, Instant requested, ArrayNode successes, ArrayNode failures) {
        String id = UUID.randomUUID().toString();
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO taxii_status (id, collection_id, user_id, status,"
                        + " request_timestamp, total_count, success_count, failure_count, pending_count, successes, failures,"
                        + " pendings) VALUES (:id, :c, :u, 'complete', :at, :total, :ok, :failed, 0, :s::jsonb, :f::jsonb, '[]')")
                .bind("id", id).bind("c", collectionId).bind("u", userId).bind("at", requested.atOffset(ZoneOffset.UTC))
                .bind("total", successes.size() + failures.size()).bind("ok", successes.size())
                .bind("failed", failures.size()).bind("s", successes.toString()).bind("f", failures.toString()).execute());
        return find(id, userId, true).orElseThrow();
    }

    /** A status resource as its requester (or an administrator) may see it. */
    Optional<ObjectNode> find(String id, long userId, boolean admin) {
        if (id.indexOf('\0') >= 0) return Optional.empty();
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id, status, request_timestamp, total_count, success_count,"
                        + " failure_count, pending_count, successes::text, failures::text, pendings::text FROM taxii_status"
                        + " WHERE id = :id AND (user_id = :u OR :admin)")
                .bind("id", id).bind("u", userId).bind("admin", admin)
                .map((rs, ctx) -> {
                    ObjectNode out = json.createObjectNode();
                    out.put("id", rs.getString(1));
                    out.put("status", rs.getString(2));
                    out.put("request_timestamp", Timestamps.format(rs.getObject(3, OffsetDateTime.class).toInstant()));
                    out.put("total_count", rs.getInt(4));
                    out.put("success_count", rs.getInt(5));
                    out.put("failure_count", rs.getInt(6));
                    out.put("pending_count", rs.getInt(7));
                    out.set("successes", tree(rs.getString(8)));
                    out.set("failures", tree(rs.getString(9)));
                    out.set("pendings", tree(rs.getString(10)));
                    return out;
                }).findOne());
    }

    private com.fasterxml.jackson.databind.JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
