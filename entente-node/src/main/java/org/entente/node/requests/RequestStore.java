package org.entente.node.requests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.entente.node.db.Database;
import org.entente.node.policy.AssistanceType;
import org.entente.node.policy.Urgency;
import org.entente.node.requests.Requests.Event;
import org.entente.node.requests.Requests.Notice;
import org.entente.node.requests.Requests.Request;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** The only SQL of the request tables (V50__requests.sql). */
final class RequestStore {
    private static final String COLUMNS = "SELECT id, outgoing, requester, requested, partner, agreement_id, article, type,"
            + " urgency, state, deadline, preserved_until, extends_id, document::text, created, created_by, sent,"
            + " acknowledged, answered, updated, events FROM assistance_request ";

    private final Database db;

    RequestStore(Database db) {
        this.db = db;
    }

    static OffsetDateTime ts(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Request request(ResultSet rs) throws SQLException {
        return new Request(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), AssistanceType.parse(rs.getString(8)).orElseThrow(),
                Urgency.parse(rs.getString(9)).orElseThrow(), RequestState.parse(rs.getString(10)).orElseThrow(),
                instant(rs, 11), instant(rs, 12), rs.getString(13), (ObjectNode) tree(rs.getString(14)), instant(rs, 15),
                rs.getString(16), instant(rs, 17), instant(rs, 18), instant(rs, 19), instant(rs, 20), rs.getInt(21));
    }

    static JsonNode tree(String json) {
        try {
            return RequestForm.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable JSON in the request tables", e);
        }
    }

    static int rank(Urgency u) {
        return switch (u) {
            case THREAT_TO_LIFE -> 2;
            case URGENT -> 1;
            case ROUTINE -> 0;
        };
    }

    void insert(Handle h, Request r) {
        h.createUpdate("INSERT INTO assistance_request (id, outgoing, requester, requested, partner, agreement_id, article,"
                        + " type, urgency, urgency_rank, state, open, deadline, preserved_until, extends_id, document, created,"
                        + " created_by, sent, acknowledged, answered, updated, events) VALUES (:id, :out, :rq, :rd, :p, :a,"
                        + " :art, :t, :u, :rank, :s, :open, :dl, :pu, :ext, CAST(:doc AS jsonb), :c, :cb, :sent, :ack, :ans,"
                        + " :upd, :ev)")
                .bind("id", r.id()).bind("out", r.outgoing()).bind("rq", r.requester()).bind("rd", r.requested())
                .bind("p", r.partner()).bind("a", r.agreementId()).bind("art", r.article()).bind("t", r.type().wire())
                .bind("u", r.urgency().wire()).bind("rank", rank(r.urgency())).bind("s", r.state().wire())
                .bind("open", r.state().open()).bind("dl", ts(r.deadline())).bind("pu", ts(r.preservedUntil()))
                .bind("ext", r.extendsId()).bind("doc", r.document().toString()).bind("c", ts(r.created()))
                .bind("cb", r.createdBy()).bind("sent", ts(r.sent())).bind("ack", ts(r.acknowledged()))
                .bind("ans", ts(r.answered())).bind("upd", ts(r.updated())).bind("ev", r.events()).execute();
    }

    /** The request, locked until the end of the caller's transaction (transitions at one node are serial). */
    Optional<Request> lock(Handle h, String id) {
        return h.createQuery(COLUMNS + "WHERE id = :id FOR UPDATE").bind("id", id).map((rs, c) -> request(rs)).findOne();
    }

    Optional<Request> find(String id) {
        return db.jdbi().withHandle(h -> h.createQuery(COLUMNS + "WHERE id = :id").bind("id", id)
                .map((rs, c) -> request(rs)).findOne());
    }

    /** Writes what a transition changed (state, times, deadline, preservation) and counts the event. */
    void update(Handle h, Request r) {
        h.createUpdate("UPDATE assistance_request SET state = :s, open = :open, deadline = :dl, preserved_until = :pu,"
                        + " sent = :sent, acknowledged = :ack, answered = :ans, updated = :upd, events = :ev,"
                        + " document = CAST(:doc AS jsonb) WHERE id = :id")
                .bind("s", r.state().wire()).bind("open", r.state().open()).bind("dl", ts(r.deadline()))
                .bind("pu", ts(r.preservedUntil())).bind("sent", ts(r.sent())).bind("ack", ts(r.acknowledged()))
                .bind("ans", ts(r.answered())).bind("upd", ts(r.updated())).bind("ev", r.events())
                .bind("doc", r.document().toString()).bind("id", r.id()).execute();
    }

    void extendPreservation(Handle h, String id, Instant until) {
        h.createUpdate("UPDATE assistance_request SET preserved_until = :pu WHERE id = :id AND (preserved_until IS NULL"
                + " OR preserved_until < :pu)").bind("pu", ts(until)).bind("id", id).execute();
    }

    /** Whether this node already holds the event (a message repeated under another message id changes nothing). */
    boolean hasEvent(Handle h, String eventId) {
        return h.createQuery("SELECT count(*) FROM assistance_event WHERE id = :id").bind("id", eventId)
                .mapTo(Integer.class).one() > 0;
    }

    void addEvent(Handle h, String requestId, int seq, Event e) {
        h.createUpdate("INSERT INTO assistance_event (request_id, seq, id, kind, state, by_org, actor, at, recorded, detail,"
                        + " message_id, signed) VALUES (:r, :seq, :id, :k, :s, :by, :actor, :at, :rec, CAST(:d AS jsonb), :m,"
                        + " CAST(:sig AS jsonb))")
                .bind("r", requestId).bind("seq", seq).bind("id", e.id()).bind("k", e.kind().wire())
                .bind("s", e.state().wire()).bind("by", e.by()).bind("actor", e.actor()).bind("at", ts(e.at()))
                .bind("rec", ts(e.recorded())).bind("d", e.detail().toString()).bind("m", e.messageId())
                .bind("sig", e.signed() == null ? null : e.signed().toString()).execute();
    }

    void signed(Handle h, String eventId, String messageId, ObjectNode envelope) {
        h.createUpdate("UPDATE assistance_event SET message_id = :m, signed = CAST(:s AS jsonb) WHERE id = :id")
                .bind("m", messageId).bind("s", envelope == null ? null : envelope.toString()).bind("id", eventId).execute();
    }

    List<Event> events(String requestId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id, seq, kind, state, by_org, actor, at, recorded,"
                        + " detail::text, message_id, signed::text FROM assistance_event WHERE request_id = :r ORDER BY seq")
                .bind("r", requestId).map((rs, c) -> new Event(rs.getString(1), rs.getInt(2),
                        EventKind.parse(rs.getString(3)).orElseThrow(), RequestState.parse(rs.getString(4)).orElseThrow(),
                        rs.getString(5), rs.getString(6), instant(rs, 7), instant(rs, 8), (ObjectNode) tree(rs.getString(9)),
                        rs.getString(10), rs.getString(11) == null ? null : (ObjectNode) tree(rs.getString(11)))).list());
    }

    void addAttachment(Handle h, String requestId, String eventId, RequestForm.Attachment a) {
        h.createUpdate("INSERT INTO assistance_attachment (request_id, event_id, sha256, name, media_type, size, content)"
                        + " VALUES (:r, :e, :h, :n, :t, :s, :c) ON CONFLICT DO NOTHING")
                .bind("r", requestId).bind("e", eventId).bind("h", a.sha256()).bind("n", a.name()).bind("t", a.mediaType())
                .bind("s", a.content().length).bind("c", a.content()).execute();
    }

    Optional<RequestForm.Attachment> attachment(String requestId, String sha256) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT name, media_type, content, sha256 FROM assistance_attachment"
                        + " WHERE request_id = :r AND sha256 = :h").bind("r", requestId).bind("h", sha256)
                .map((rs, c) -> new RequestForm.Attachment(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4)))
                .findOne());
    }

    // ---------------------------------------------------------------- the desk

    /** Where a page of a list ends, to start the next one after it. */
    record Cursor(int rank, Instant deadline, Instant updated, String id) {}

    /**
     * A page of the inbox (incoming) or outbox: open requests by urgency (highest first) then
     * deadline (soonest first), in the order of the desk's partial index; or all requests, the most
     * recently changed first.
     */
    List<Request> list(boolean outgoing, boolean openOnly, String partner, RequestState state, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder(COLUMNS).append("WHERE outgoing = :out");
        if (openOnly) sql.append(" AND open");
        if (partner != null) sql.append(" AND partner = :p");
        if (state != null) sql.append(" AND state = :s");
        if (after != null) {
            sql.append(openOnly
                    ? " AND (-urgency_rank, coalesce(deadline, 'infinity'::timestamptz), id)"
                            + " > (-CAST(:rank AS integer), coalesce(CAST(:dl AS timestamptz), 'infinity'::timestamptz), :id)"
                    : " AND (updated, id) < (CAST(:upd AS timestamptz), :id)");
        }
        sql.append(openOnly ? " ORDER BY -urgency_rank, coalesce(deadline, 'infinity'::timestamptz), id"
                : " ORDER BY updated DESC, id DESC");
        sql.append(" LIMIT :limit");
        return db.jdbi().withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("out", outgoing).bind("limit", limit);
            if (partner != null) q.bind("p", partner);
            if (state != null) q.bind("s", state.wire());
            if (after != null) {
                q.bind("rank", after.rank()).bind("dl", ts(after.deadline())).bind("upd", ts(after.updated()))
                        .bind("id", after.id());
            }
            return q.map((rs, c) -> request(rs)).list();
        });
    }

    long count(boolean outgoing, boolean openOnly) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM assistance_request WHERE outgoing = :out"
                + (openOnly ? " AND open" : "")).bind("out", outgoing).mapTo(Long.class).one());
    }

    // ---------------------------------------------------------------- deadlines

    /**
     * Requests not yet answered whose reminder is due (a quarter of the time to answer left) or whose
     * deadline has passed, without the notice for that moment yet.
     */
    List<Request> remindersDue(Instant now, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery(COLUMNS + "WHERE open AND answered IS NULL AND sent IS NOT NULL"
                        + " AND deadline - (deadline - sent) / 4 <= :now AND NOT EXISTS (SELECT 1 FROM assistance_notice n"
                        + " WHERE n.request_id = assistance_request.id AND n.due = assistance_request.deadline"
                        + " AND n.kind = CASE WHEN assistance_request.deadline <= :now THEN 'escalation' ELSE 'reminder' END)"
                        + " ORDER BY deadline LIMIT :n")
                .bind("now", ts(now)).bind("n", limit).map((rs, c) -> request(rs)).list());
    }

    /**
     * Preservations that end within a quarter of their period (at most 14 days), or have ended, that
     * no later preservation has taken over, without the notice for that moment yet.
     */
    List<Request> preservationsDue(Instant now, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery(COLUMNS + "WHERE preserved_until IS NOT NULL AND answered IS NOT NULL"
                        + " AND state <> 'withdrawn'"
                        + " AND preserved_until - LEAST((preserved_until - answered) / 4, interval '14 days') <= :now"
                        + " AND NOT EXISTS (SELECT 1 FROM assistance_request x WHERE x.extends_id = assistance_request.id"
                        + " AND x.preserved_until IS NOT NULL)"
                        + " AND NOT EXISTS (SELECT 1 FROM assistance_notice n WHERE n.request_id = assistance_request.id"
                        + " AND n.due = assistance_request.preserved_until AND n.kind = CASE WHEN"
                        + " assistance_request.preserved_until <= :now THEN 'preservation-expired' ELSE 'preservation-expiring' END)"
                        + " ORDER BY preserved_until LIMIT :n")
                .bind("now", ts(now)).bind("n", limit).map((rs, c) -> request(rs)).list());
    }

    /** Records a notice once; returns false when it was already there. */
    boolean notice(Handle h, Notice n) {
        return h.createUpdate("INSERT INTO assistance_notice (request_id, kind, due, at, addressed_to, text)"
                        + " VALUES (:r, :k, :due, :at, :to, :t) ON CONFLICT DO NOTHING")
                .bind("r", n.requestId()).bind("k", n.kind()).bind("due", ts(n.due())).bind("at", ts(n.at()))
                .bind("to", n.addressedTo()).bind("t", n.text()).execute() == 1;
    }

    List<Notice> notices(String requestId, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT request_id, kind, due, at, addressed_to, text FROM"
                        + " assistance_notice" + (requestId == null ? "" : " WHERE request_id = :r")
                        + " ORDER BY at DESC, kind LIMIT :n").bind("r", requestId).bind("n", limit)
                .map((rs, c) -> new Notice(rs.getString(1), rs.getString(2), instant(rs, 3), instant(rs, 4), rs.getString(5),
                        rs.getString(6))).list());
    }

    // ---------------------------------------------------------------- figures

    /**
     * Per partner and direction: requests, median seconds to acknowledge and to answer (first answer
     * or refusal), and how many of those whose deadline has come were answered by it.
     */
    List<Requests.PartnerFigures> figures(Instant now) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT partner, outgoing, count(*),"
                        + " percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged - sent))"
                        + "   FILTER (WHERE acknowledged IS NOT NULL AND sent IS NOT NULL),"
                        + " percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM answered - sent))"
                        + "   FILTER (WHERE answered IS NOT NULL AND sent IS NOT NULL),"
                        + " count(*) FILTER (WHERE answered IS NOT NULL AND answered <= deadline),"
                        + " count(*) FILTER (WHERE deadline IS NOT NULL AND state <> 'withdrawn'"
                        + "   AND (answered IS NOT NULL OR deadline <= :now))"
                        + " FROM assistance_request WHERE state <> 'draft' GROUP BY partner, outgoing ORDER BY partner, outgoing DESC")
                .bind("now", ts(now)).map((rs, c) -> {
                    Double ack = (Double) rs.getObject(4);
                    Double ans = (Double) rs.getObject(5);
                    return new Requests.PartnerFigures(rs.getString(1), rs.getBoolean(2), rs.getLong(3), ack, ans,
                            rs.getLong(6), rs.getLong(7));
                }).list());
    }
}
