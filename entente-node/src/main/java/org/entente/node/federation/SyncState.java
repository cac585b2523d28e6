package org.entente.node.federation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.entente.node.db.Database;
import org.jdbi.v3.core.Handle;

/**
 * Where this node stands with each (peer, source collection) it pulls: the cursor, the counts and
 * the last error. The only SQL of {@code peer_collection}, and of the sync columns of {@code peer}.
 * The cursor moves only in the transaction that stores what it covers.
 */
final class SyncState {

    record Row(String organisationId, String remoteCollection, String localCollection, String agreementId,
            String title, String addedAfter, String nextToken, long tombstonesAfter, long received, long rejected,
            long retracted, Instant lastAttempt, Instant lastSuccess, String lastError, Instant lastErrorAt,
            boolean offered) {}

    private static final String COLUMNS = "SELECT organisation_id, remote_collection, local_collection, agreement_id,"
            + " title, added_after, next_token, tombstones_after, received, rejected, retracted, last_attempt,"
            + " last_success, last_error, last_error_at, offered FROM peer_collection ";

    private final Database db;

    SyncState(Database db) {
        this.db = db;
    }

    private static Instant at(java.sql.ResultSet rs, int i) throws SQLException {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    List<Row> of(String organisationId) {
        return db.jdbi().withHandle(h -> h.createQuery(COLUMNS + "WHERE organisation_id = :o ORDER BY title, remote_collection")
                .bind("o", organisationId).map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9),
                        rs.getLong(10), rs.getLong(11), at(rs, 12), at(rs, 13), rs.getString(14), at(rs, 15),
                        rs.getBoolean(16))).list());
    }

    Optional<Row> find(String organisationId, String remote) {
        return of(organisationId).stream().filter(r -> r.remoteCollection().equals(remote)).findFirst();
    }

    void create(String organisationId, String remote, String local, String agreementId, String title) {
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO peer_collection (organisation_id, remote_collection,"
                        + " local_collection, agreement_id, title) VALUES (:o, :r, :l, :a, :t) ON CONFLICT DO NOTHING")
                .bind("o", organisationId).bind("r", remote).bind("l", local).bind("a", agreementId).bind("t", title)
                .execute());
    }

    /** Which collections the peer still offers; the others are kept (with what they received) but no longer pulled. */
    void offered(String organisationId, Set<String> remote) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE peer_collection SET offered = (remote_collection = ANY (:r))"
                + " WHERE organisation_id = :o").bind("o", organisationId).bindArray("r", String.class, remote).execute());
    }

    void agreement(String organisationId, String remote, String agreementId) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE peer_collection SET agreement_id = :a WHERE organisation_id = :o"
                + " AND remote_collection = :r").bind("a", agreementId).bind("o", organisationId).bind("r", remote).execute());
    }

    /** In the page's transaction: the cursor after it and what it added to the counts. */
    static void advance(Connection c, String organisationId, String remote, String addedAfter, String next, long received,
            long rejected) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE peer_collection SET added_after = ?, next_token = ?,"
                + " received = received + ?, rejected = rejected + ?, last_error = NULL"
                + " WHERE organisation_id = ? AND remote_collection = ?")) {
            s.setString(1, addedAfter);
            s.setString(2, next);
            s.setLong(3, received);
            s.setLong(4, rejected);
            s.setString(5, organisationId);
            s.setString(6, remote);
            s.executeUpdate();
        }
    }

    /** In the transaction that applies a page of tombstones: the tombstone cursor and the count. */
    static void advanceTombstones(Handle h, String organisationId, String remote, long after, long retracted,
            long rejected) {
        h.createUpdate("UPDATE peer_collection SET tombstones_after = :t, retracted = retracted + :n,"
                        + " rejected = rejected + :x WHERE organisation_id = :o AND remote_collection = :r")
                .bind("t", after).bind("n", retracted).bind("x", rejected).bind("o", organisationId).bind("r", remote)
                .execute();
    }

    void attempted(String organisationId, String remote, Instant at) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE peer_collection SET last_attempt = :t WHERE organisation_id = :o"
                + " AND remote_collection = :r").bind("t", at.atOffset(ZoneOffset.UTC)).bind("o", organisationId)
                .bind("r", remote).execute());
    }

    void succeeded(String organisationId, String remote, Instant at) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE peer_collection SET last_success = :t, last_error = NULL"
                + " WHERE organisation_id = :o AND remote_collection = :r").bind("t", at.atOffset(ZoneOffset.UTC))
                .bind("o", organisationId).bind("r", remote).execute());
    }

    void failed(String organisationId, String remote, String error) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE peer_collection SET last_error = :e, last_error_at = now()"
                + " WHERE organisation_id = :o AND remote_collection = :r").bind("e", clip(error))
                .bind("o", organisationId).bind("r", remote).execute());
    }

    /** Resets the paging token after the peer refused it (it issues tokens under its own key). */
    void dropToken(String organisationId, String remote) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE peer_collection SET next_token = NULL WHERE organisation_id = :o"
                + " AND remote_collection = :r").bind("o", organisationId).bind("r", remote).execute());
    }

    // ---------------------------------------------------------------- the peer as a whole

    void peerSucceeded(String organisationId) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE peer SET last_success = now(), last_error = NULL"
                + " WHERE organisation_id = :o").bind("o", organisationId).execute());
    }

    void peerFailed(String organisationId, String error) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE peer SET last_error = :e, last_error_at = now()"
                + " WHERE organisation_id = :o").bind("e", clip(error)).bind("o", organisationId).execute());
    }

    record PeerRow(Instant lastSuccess, String lastError, Instant lastErrorAt) {}

    PeerRow peer(String organisationId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT last_success, last_error, last_error_at FROM peer"
                + " WHERE organisation_id = :o").bind("o", organisationId)
                .map((rs, ctx) -> new PeerRow(at(rs, 1), rs.getString(2), at(rs, 3))).findOne()
                .orElse(new PeerRow(null, null, null)));
    }

    private static String clip(String s) {
        return s == null ? null : s.length() > 2000 ? s.substring(0, 2000) + "…" : s.replace("\0", "\\0");
    }
}
