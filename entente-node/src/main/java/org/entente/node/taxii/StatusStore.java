package org.entente.node.taxii;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.entente.node.store.StoreException;
import org.entente.node.store.Timestamps;

/** TAXII status resources, kept in PostgreSQL so that any node process can answer for any of them. */
final class StatusStore {
    private final DataSource db;
    private final ObjectMapper json;

    StatusStore(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Records a finished request; successes and failures are TAXII status-details arrays. */
    ObjectNode record(String collectionId, long userId, Instant requested, ArrayNode successes, ArrayNode failures) {
        String id = UUID.randomUUID().toString();
        ArrayNode pendings = json.createArrayNode();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO taxii_status (id, collection_id, user_id, status, request_timestamp, total_count,"
                        + " success_count, failure_count, pending_count, successes, failures, pendings)"
                        + " VALUES (?, ?, ?, 'complete', ?, ?, ?, ?, 0, ?::jsonb, ?::jsonb, ?::jsonb)")) {
            s.setString(1, id);
            s.setString(2, collectionId);
            s.setLong(3, userId);
            s.setObject(4, requested.atOffset(ZoneOffset.UTC));
            s.setInt(5, successes.size() + failures.size());
            s.setInt(6, successes.size());
            s.setInt(7, failures.size());
            s.setString(8, successes.toString());
            s.setString(9, failures.toString());
            s.setString(10, pendings.toString());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not record a status resource", e);
        }
        return find(id, userId, true).orElseThrow();
    }

    /** A status resource as its requester (or an administrator) may see it. */
    Optional<ObjectNode> find(String id, long userId, boolean admin) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT id, status, request_timestamp, total_count, success_count, failure_count, pending_count,"
                        + " successes::text, failures::text, pendings::text FROM taxii_status"
                        + " WHERE id = ? AND (user_id = ? OR ?)")) {
            s.setString(1, id);
            s.setLong(2, userId);
            s.setBoolean(3, admin);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                ObjectNode out = json.createObjectNode();
                out.put("id", rs.getString(1));
                out.put("status", rs.getString(2));
                out.put("request_timestamp", Timestamps.format(rs.getObject(3, OffsetDateTime.class).toInstant()));
                out.put("total_count", rs.getInt(4));
                out.put("success_count", rs.getInt(5));
                out.put("failure_count", rs.getInt(6));
                out.put("pending_count", rs.getInt(7));
                out.set("successes", json.readTree(rs.getString(8)));
                out.set("failures", json.readTree(rs.getString(9)));
                out.set("pendings", json.readTree(rs.getString(10)));
                return Optional.of(out);
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StoreException("could not read status " + id, e);
        }
    }
}
