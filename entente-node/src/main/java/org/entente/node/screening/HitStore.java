package org.entente.node.screening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.entente.node.db.Database;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The only SQL of {@code screening_hit} and {@code screening_sweep}: what the owners of lists are
 * told and what the administrators are warned of. Both are numbered by the 'event' counter, taken
 * by the writer's transaction, so the event stream's ids follow commit order.
 */
public final class HitStore {

    /** A hit as recorded: who asked, for what, what was asked, what it met, and whom to tell. */
    public record Hit(long seq, Instant at, String actor, String organisation, String purpose, String requestId,
            JsonNode query, String listId, String entryId, Integer entryVersion, JsonNode entry, double score,
            String notifyOrganisation, String providerId, String agreementId, String delivery) {

        /** The hit as the API and the event stream write it. */
        public String toJson() {
            return json().toString();
        }

        ObjectNode json() {
            ObjectNode o = EntryJson.JSON.createObjectNode();
            o.put("id", seq);
            o.put("at", at.toString());
            o.put("asked_by", actor);
            o.put("organisation", organisation);
            o.put("purpose", purpose);
            if (requestId != null) o.put("request_id", requestId);
            o.set("query", query);
            o.put("list", listId);
            o.put("entry_id", entryId);
            if (entryVersion != null) o.put("entry_version", entryVersion);
            o.set("entry", entry);
            o.put("score", score);
            o.put("owner", notifyOrganisation);
            if (providerId != null) {
                o.put("provider", providerId);
                o.put("agreement", agreementId);
            }
            o.put("delivery", delivery);
            return o;
        }
    }

    /** A sweep refused: who, which pattern, what made it, and until when the user is refused. */
    public record Sweep(long seq, Instant at, String actor, String organisation, String pattern, JsonNode detail,
            Instant blockedUntil) {

        public String toJson() {
            return json().toString();
        }

        ObjectNode json() {
            ObjectNode o = EntryJson.JSON.createObjectNode();
            o.put("id", seq);
            o.put("at", at.toString());
            o.put("user", actor);
            o.put("organisation", organisation);
            o.put("pattern", pattern);
            o.set("detail", detail);
            o.put("blocked_until", blockedUntil.toString());
            return o;
        }
    }

    private static final String HIT_COLUMNS = "SELECT seq, at, actor, organisation, purpose, request_id, query,"
            + " list_id, entry_id, entry_version, entry, score, notify_organisation, provider_id, agreement_id,"
            + " delivery FROM screening_hit ";
    private static final RowMapper<Hit> HIT = (rs, ctx) -> new Hit(rs.getLong(1),
            rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), json(rs.getString(7)), rs.getString(8), rs.getString(9), (Integer) rs.getObject(10),
            json(rs.getString(11)), rs.getDouble(12), rs.getString(13), rs.getString(14), rs.getString(15),
            rs.getString(16));
    private static final String SWEEP_COLUMNS = "SELECT seq, at, actor, organisation, pattern, detail::text, blocked_until"
            + " FROM screening_sweep ";
    private static final RowMapper<Sweep> SWEEP = (rs, ctx) -> new Sweep(rs.getLong(1),
            rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5),
            json(rs.getString(6)), rs.getObject(7, OffsetDateTime.class).toInstant());

    private final Database db;

    public HitStore(Database db) {
        this.db = db;
    }

    /** Takes {@code n} event numbers in the caller's transaction; returns the first. */
    static long nextEvents(Handle h, int n) {
        long last = h.createQuery("UPDATE screening_counter SET value = value + :n WHERE name = 'event' RETURNING value")
                .bind("n", n).mapTo(Long.class).one();
        return last - n + 1;
    }

    /** A hit to insert, its JSON already written (by the request's thread); seq and time are given by the writer. */
    record NewHit(String actor, String organisation, String purpose, String requestId, String query, String listId,
            String entryId, String entry, double score, String notifyOrganisation, String providerId,
            String agreementId) {}

    /** A hit as inserted: its number, the version of the entry it met, and what was inserted. */
    record Stored(long seq, Integer entryVersion, NewHit hit) {
        String delivery() {
            return deliveryOf(hit);
        }
    }

    /** A hit on a partner's list is the partner's to hear of: federation delivers it. */
    private static String deliveryOf(NewHit x) {
        return x.providerId() == null ? "local" : "pending";
    }

    /**
     * Inserts hits numbered from {@code first} with one COPY (a manifest's two thousand hits cost one
     * statement), each with the version of the entry it met, read first in the same transaction (an
     * update after the COPY wrote every hit row twice).
     */
    static List<Stored> insert(Handle h, long first, Instant at, List<NewHit> hits) {
        Map<String, Map<String, Integer>> versions = new HashMap<>();
        Map<String, List<String>> asked = new HashMap<>();
        for (NewHit x : hits) asked.computeIfAbsent(x.listId(), k -> new java.util.ArrayList<>()).add(x.entryId());
        for (var e : asked.entrySet()) {
            Map<String, Integer> ofList = versions.computeIfAbsent(e.getKey(), k -> new HashMap<>());
            h.createQuery("SELECT entry_id, version FROM watchlist_entry WHERE list_id = :list AND entry_id = ANY(:entries)")
                    .bind("list", e.getKey()).bind("entries", e.getValue().stream().distinct().toArray(String[]::new))
                    .map((rs, ctx) -> ofList.put(rs.getString(1), rs.getInt(2))).forEach(x -> { });
        }
        String when = at.atOffset(ZoneOffset.UTC).toString();
        List<String[]> rows = new java.util.ArrayList<>(hits.size());
        List<Stored> out = new java.util.ArrayList<>(hits.size());
        long seq = first;
        for (NewHit x : hits) {
            Integer version = versions.get(x.listId()).get(x.entryId());
            out.add(new Stored(seq, version, x));
            rows.add(new String[] {Long.toString(seq++), when, x.actor(), x.organisation(), x.purpose(), x.requestId(),
                    x.query(), x.listId(), x.entryId(), version == null ? null : version.toString(), x.entry(),
                    Double.toString(x.score()), x.notifyOrganisation(), x.providerId(), x.agreementId(), deliveryOf(x)});
        }
        Copy.rows(h.getConnection(), "COPY screening_hit (seq, at, actor, organisation, purpose, request_id, query, list_id,"
                + " entry_id, entry_version, entry, score, notify_organisation, provider_id, agreement_id, delivery)"
                + " FROM STDIN (FORMAT csv)", rows);
        return out;
    }

    static Sweep insertSweep(Handle h, long seq, Instant at, String actor, String organisation, String pattern,
            JsonNode detail, Instant blockedUntil) {
        h.createUpdate("INSERT INTO screening_sweep (seq, at, actor, organisation, pattern, detail, blocked_until)"
                        + " VALUES (:seq, :at, :actor, :org, :pattern, :detail::jsonb, :until)")
                .bind("seq", seq).bind("at", at.atOffset(ZoneOffset.UTC)).bind("actor", actor).bind("org", organisation)
                .bind("pattern", pattern).bind("detail", detail.toString())
                .bind("until", blockedUntil.atOffset(ZoneOffset.UTC)).execute();
        return new Sweep(seq, at, actor, organisation, pattern, detail, blockedUntil);
    }

    /** The last event number committed. */
    public long lastEvent() {
        return db.jdbi().withHandle(h -> WatchlistStore.counter(h, "event"));
    }

    /** Hits after {@code seq} (every owner's), oldest first, at most {@code limit}. */
    List<Hit> hitsAfter(long seq, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery(HIT_COLUMNS + "WHERE seq > :s ORDER BY seq LIMIT :n")
                .bind("s", seq).bind("n", limit).map(HIT).list());
    }

    List<Sweep> sweepsAfter(long seq, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery(SWEEP_COLUMNS + "WHERE seq > :s ORDER BY seq LIMIT :n")
                .bind("s", seq).bind("n", limit).map(SWEEP).list());
    }

    /**
     * Hits to tell one organisation of, newest last: since a time, on one list, after an event id.
     *
     * @param organisation the owner told; null for every owner (the CLI of the node's operator)
     */
    public List<Hit> hits(String organisation, Instant since, String listId, long after, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery(HIT_COLUMNS + "WHERE seq > :after"
                        + (organisation == null ? "" : " AND notify_organisation = :org")
                        + (since == null ? "" : " AND at >= :since") + (listId == null ? "" : " AND list_id = :list")
                        + " ORDER BY seq DESC LIMIT :n")
                .bind("after", after).bind("org", organisation)
                .bind("since", since == null ? null : since.atOffset(ZoneOffset.UTC)).bind("list", listId)
                .bind("n", limit).map(HIT).list().reversed());
    }

    public List<Sweep> sweeps(Instant since, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery(SWEEP_COLUMNS + "WHERE at >= :since ORDER BY seq DESC LIMIT :n")
                .bind("since", (since == null ? Instant.EPOCH : since).atOffset(ZoneOffset.UTC)).bind("n", limit)
                .map(SWEEP).list().reversed());
    }

    /** Users refused for a sweep, and until when. */
    Map<String, Instant> blocked(Instant now) {
        return db.jdbi().withHandle(h -> {
            Map<String, Instant> out = new HashMap<>();
            h.createQuery("SELECT actor, max(blocked_until) FROM screening_sweep WHERE blocked_until > :now GROUP BY actor")
                    .bind("now", now.atOffset(ZoneOffset.UTC))
                    .map((rs, ctx) -> out.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()))
                    .forEach(x -> { });
            return out;
        });
    }

    private static JsonNode json(String s) {
        try {
            return s == null ? null : EntryJson.JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
