package org.entente.node.store;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.db.Database;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.postgresql.PGConnection;

/**
 * Every version of every STIX object, the collections that hold them, and the observable values
 * they mention: the only code that writes SQL for {@code collection}, {@code stix_object},
 * {@code observable} and {@code deleted_object}. Reads are single statements; writes go through a
 * {@link Writer}, which owns one transaction and the collection's lock until it commits.
 */
public final class ObjectStore {

    /** The TAXII version of a row: modified or created, else (for most SCOs) date_added. */
    static final String VERSION = "(CASE WHEN o.version_key = '-infinity' THEN o.date_added ELSE o.version_key END)";

    private static final String COLLECTION_COLUMNS =
            "SELECT id, alias, title, description, created, provider_id, agreement_id FROM collection ";
    private static final RowMapper<CollectionInfo> COLLECTION = (rs, ctx) -> new CollectionInfo(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant(),
            rs.getString(6), rs.getString(7));

    private final Database db;
    private final AuditLog audit;

    public ObjectStore(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    // ---------------------------------------------------------------- collections

    public CollectionInfo createCollection(String id, String alias, String title, String description) {
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO collection (id, alias, title, description)"
                        + " VALUES (:id, :alias, :title, :description) ON CONFLICT DO NOTHING")
                .bind("id", id).bind("alias", alias).bind("title", title).bind("description", description).execute());
        // Another process may have created the same alias first: that one is the collection.
        return collection(id).or(() -> alias == null ? Optional.empty() : collection(alias)).orElseThrow();
    }

    /** Finds a collection by alias, creating it with a fresh UUID on first use. */
    public CollectionInfo ensureCollection(String alias, String title, String description) {
        return collection(alias).orElseGet(() -> createCollection(java.util.UUID.randomUUID().toString(), alias, title,
                description));
    }

    /**
     * Records that a collection holds what {@code providerId} shared under {@code agreementId} (both
     * null: the node's own intelligence). Onward sharing, purpose limitation and retention follow,
     * so the change and its audit record are one transaction. The caller has checked that the
     * provider is a party to the agreement.
     */
    public void setProvenance(String collectionId, String providerId, String agreementId, String actor) {
        db.jdbi().useTransaction(h -> {
            CollectionInfo before = h.createQuery(COLLECTION_COLUMNS + "WHERE id = :id FOR UPDATE").bind("id", collectionId)
                    .map(COLLECTION).findOne().orElseThrow(() -> new NoSuchCollectionException(collectionId));
            h.createUpdate("UPDATE collection SET provider_id = :provider, agreement_id = :agreement WHERE id = :id")
                    .bind("provider", providerId).bind("agreement", agreementId).bind("id", collectionId).execute();
            audit.append(h, new AuditEvent("collection-change", actor, null, AuditEvent.detail("change", "provenance",
                    "collection", collectionId, "provider", providerId, "agreement", agreementId,
                    "was_provider", before.providerId(), "was_agreement", before.agreementId())));
        });
    }

    public Optional<CollectionInfo> collection(String idOrAlias) {
        if (idOrAlias == null || idOrAlias.indexOf('\0') >= 0) return Optional.empty();
        List<CollectionInfo> found = db.jdbi().withHandle(h -> h.createQuery(COLLECTION_COLUMNS
                + "WHERE id = :k OR alias = :k ORDER BY created, id").bind("k", idOrAlias).map(COLLECTION).list());
        return found.stream().filter(c -> c.id().equals(idOrAlias)).findFirst().or(() -> found.stream().findFirst());
    }

    public List<CollectionInfo> collections() {
        return db.jdbi().withHandle(h -> h.createQuery(COLLECTION_COLUMNS + "ORDER BY created, id").map(COLLECTION).list());
    }

    // ---------------------------------------------------------------- reading

    private static final RowMapper<Entry> ENTRY = (rs, ctx) -> new Entry(rs.getString(1),
            rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getObject(3, OffsetDateTime.class).toInstant(),
            rs.getString(4), (Integer) rs.getObject(5), (Integer) rs.getObject(7), rs.getString(6));

    /**
     * One page of a collection in date_added order, in one SQL statement. With {@code withJson}
     * false only the manifest columns are read, and the JSON of rows the policy cannot decide from
     * their facts alone.
     */
    public Page list(String collectionId, ObjectQuery q, boolean withJson) {
        StringBuilder sql = new StringBuilder("SELECT o.id, ").append(VERSION).append(", o.date_added, o.spec_version,")
                .append(" o.policy_facts, ").append(withJson ? "o.json" : "CASE WHEN o.needs_json THEN o.json END")
                .append(", o.latest_facts FROM stix_object o WHERE o.collection_no = (SELECT num FROM collection WHERE id = :collection)");
        Map<String, Object> args = new HashMap<>();
        if (q.after() != null) {
            sql.append(" AND o.date_added > :after");
            args.put("after", Timestamps.sql(q.after()));
        }
        if (!q.ids().isEmpty()) {
            sql.append(" AND o.id = ANY (:ids)");
            args.put("ids", q.ids());
        }
        if (!q.types().isEmpty()) {
            sql.append(" AND o.type = ANY (:types)");
            args.put("types", q.types());
        }
        if (!q.specVersions().isEmpty()) {
            sql.append(" AND o.spec_version = ANY (:specs)");
            args.put("specs", q.specVersions());
        }
        appendVersionFilter(sql, args, q.versions());
        sql.append(" ORDER BY o.date_added LIMIT :limit");
        List<Entry> rows = db.jdbi().withHandle(h -> {
            Query query = h.createQuery(sql.toString()).bind("collection", collectionId).bind("limit", q.limit() + 1);
            bindAll(query, args);
            return query.map(ENTRY).list();
        });
        boolean more = rows.size() > q.limit();
        return new Page(more ? rows.subList(0, q.limit()) : rows, more);
    }

    private static void appendVersionFilter(StringBuilder sql, Map<String, Object> args, VersionMatch v) {
        if (v.all()) return;
        List<String> alternatives = new ArrayList<>();
        if (v.first()) alternatives.add("o.is_first");
        if (v.last()) alternatives.add("o.is_latest");
        if (!v.exact().isEmpty()) {
            alternatives.add(VERSION + " = ANY (:versions)");
            args.put("versions", v.exact().stream().map(Timestamps::sql).toArray(OffsetDateTime[]::new));
        }
        if (alternatives.isEmpty()) return;
        sql.append(" AND (").append(String.join(" OR ", alternatives)).append(')');
    }

    private static void bindAll(org.jdbi.v3.core.statement.SqlStatement<?> s, Map<String, Object> args) {
        args.forEach((name, value) -> {
            if (value instanceof List<?> list) s.bindArray(name, String.class, list);
            else if (value instanceof OffsetDateTime[] ts) s.bindArray(name, OffsetDateTime.class, (Object[]) ts);
            else s.bind(name, value);
        });
    }

    /**
     * Objects that mention a value: equal observable values, and for an address or CIDR block every
     * stored address or block that overlaps it. Limited to the given collections.
     */
    public List<Mention> mentions(String value, Collection<String> collectionIds, int limit) {
        String v = value.trim();
        String net = Observables.canonicalNet(v);
        Set<String> candidates = new LinkedHashSet<>(List.of(v, v.toLowerCase(Locale.ROOT)));
        String sql = "WITH hits AS ("
                + " SELECT object_pk, kind, value FROM observable WHERE value = ANY (:values)"
                + (net != null ? " UNION ALL SELECT object_pk, kind, value FROM observable WHERE net && :net::inet" : "")
                + ") SELECT DISTINCT o.id, o.type, " + VERSION + " AS version, col.id AS collection_id, h.kind, h.value,"
                + " o.policy_facts, CASE WHEN o.needs_json THEN o.json END, col.provider_id, col.agreement_id,"
                + " o.latest_facts"
                + " FROM hits h JOIN stix_object o ON o.pk = h.object_pk JOIN collection col ON col.num = o.collection_no"
                + " WHERE col.id = ANY (:collections) ORDER BY collection_id, o.id, version LIMIT :limit";
        return db.jdbi().withHandle(h -> {
            Query q = h.createQuery(sql).bindArray("values", String.class, candidates)
                    .bindArray("collections", String.class, collectionIds).bind("limit", limit);
            if (net != null) q.bind("net", net);
            return q.map((rs, ctx) -> new Mention(rs.getString(1), rs.getString(2),
                    rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4), rs.getString(5),
                    rs.getString(6), (Integer) rs.getObject(7), (Integer) rs.getObject(11), rs.getString(8),
                    rs.getString(9), rs.getString(10))).list();
        });
    }

    private static final String STORED_COLUMNS = "col.id, col.provider_id, col.agreement_id, o.id, o.type, " + VERSION
            + ", o.date_added, o.policy_facts, o.latest_facts, o.json";
    private static final RowMapper<Stored> STORED = (rs, ctx) -> new Stored(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant(),
            rs.getObject(7, OffsetDateTime.class).toInstant(), (Integer) rs.getObject(8), (Integer) rs.getObject(9),
            rs.getString(10));

    /** The latest versions matching a search, newest arrivals first, in one statement. */
    public List<Stored> search(ObjectSearch s) {
        if (s.collectionIds().isEmpty()) return List.of();
        StringBuilder sql = new StringBuilder("SELECT ").append(STORED_COLUMNS)
                .append(" FROM stix_object o JOIN collection col ON col.num = o.collection_no")
                .append(" WHERE col.id = ANY (:collections) AND o.is_latest");
        Map<String, Object> args = new HashMap<>();
        args.put("collections", s.collectionIds());
        if (!s.types().isEmpty()) {
            sql.append(" AND o.type = ANY (:types)");
            args.put("types", s.types());
        }
        if (s.factsMask() != null) {
            sql.append(" AND (o.policy_facts & :mask) = :factsValue");
            args.put("mask", s.factsMask());
            args.put("factsValue", s.factsValue());
        }
        if (s.addedFrom() != null) {
            sql.append(" AND o.date_added >= :from");
            args.put("from", Timestamps.sql(s.addedFrom()));
        }
        if (s.addedUntil() != null) {
            sql.append(" AND o.date_added < :until");
            args.put("until", Timestamps.sql(s.addedUntil()));
        }
        if (s.value() != null && !s.value().isBlank()) {
            String v = s.value().trim();
            String net = Observables.canonicalNet(v);
            sql.append(" AND o.pk IN (SELECT object_pk FROM observable WHERE value = ANY (:values)");
            if (net != null) {
                sql.append(" UNION ALL SELECT object_pk FROM observable WHERE net && :net::inet");
                args.put("net", net);
            }
            sql.append(')');
            args.put("values", List.copyOf(new LinkedHashSet<>(List.of(v, v.toLowerCase(Locale.ROOT)))));
        }
        sql.append(" ORDER BY o.date_added DESC LIMIT :limit");
        return db.jdbi().withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("limit", s.limit());
            bindAll(q, args);
            return q.map(STORED).list();
        });
    }

    /** The latest versions of these objects in these collections. */
    public List<Stored> latest(Collection<String> objectIds, Collection<String> collectionIds) {
        if (objectIds.isEmpty() || collectionIds.isEmpty()) return List.of();
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + STORED_COLUMNS + " FROM collection col"
                        + " CROSS JOIN LATERAL (SELECT * FROM stix_object WHERE collection_no = col.num AND id = ANY (:ids)"
                        + " AND is_latest) o WHERE col.id = ANY (:collections) ORDER BY col.created, o.id")
                .bindArray("ids", String.class, objectIds).bindArray("collections", String.class, collectionIds)
                .map(STORED).list());
    }

    /** The latest relationships, in these collections, whose source or target is one of these objects. */
    public List<Stored> relationships(Collection<String> objectIds, Collection<String> collectionIds, int limit) {
        if (objectIds.isEmpty() || collectionIds.isEmpty()) return List.of();
        // The expressions are those of the partial indexes of V30.
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + STORED_COLUMNS
                        + " FROM stix_object o JOIN collection col ON col.num = o.collection_no"
                        + " WHERE o.type = 'relationship' AND o.is_latest AND col.id = ANY (:collections)"
                        + " AND (((o.json::jsonb) ->> 'source_ref') = ANY (:ids) OR ((o.json::jsonb) ->> 'target_ref') = ANY (:ids))"
                        + " ORDER BY o.date_added LIMIT :limit")
                .bindArray("ids", String.class, objectIds).bindArray("collections", String.class, collectionIds)
                .bind("limit", limit).map(STORED).list());
    }

    /** Objects that arrived in a collection on one day (UTC). */
    public record DailyCount(String collectionId, java.time.LocalDate day, long objects) {}

    /** How many object versions arrived in each of these collections on each day since {@code since}. */
    public List<DailyCount> addedPerDay(Collection<String> collectionIds, Instant since) {
        if (collectionIds.isEmpty()) return List.of();
        return db.jdbi().withHandle(h -> h.createQuery("SELECT col.id, (o.date_added AT TIME ZONE 'UTC')::date d, count(*)"
                        + " FROM collection col JOIN stix_object o ON o.collection_no = col.num"
                        + " WHERE col.id = ANY (:collections) AND o.date_added >= :since GROUP BY col.id, d ORDER BY d")
                .bindArray("collections", String.class, collectionIds).bind("since", Timestamps.sql(since))
                .map((rs, ctx) -> new DailyCount(rs.getString(1), rs.getObject(2, java.time.LocalDate.class), rs.getLong(3)))
                .list());
    }

    /** How many objects of a collection first arrived before {@code cutoff} (what a retention purge at that cutoff removes). */
    public long countFirstAddedBefore(String collectionId, Instant cutoff) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM (SELECT id FROM stix_object"
                        + " WHERE collection_no = (SELECT num FROM collection WHERE id = :c) GROUP BY id"
                        + " HAVING min(date_added) < :cutoff) e")
                .bind("c", collectionId).bind("cutoff", Timestamps.sql(cutoff)).mapTo(Long.class).one());
    }

    /** Which of these object ids the node holds in any collection. */
    public Set<String> existing(Collection<String> ids) {
        // Per collection, so that the (collection_no, id, …) index answers each probe.
        return new HashSet<>(db.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT o.id FROM collection col"
                        + " CROSS JOIN LATERAL (SELECT id FROM stix_object WHERE collection_no = col.num AND id = ANY (:ids)) o")
                .bindArray("ids", String.class, ids).mapTo(String.class).list()));
    }

    /** The latest version of an object in every collection that holds it, with what decides its release. */
    public record Held(String collectionId, String providerId, String agreementId, Integer facts, String json,
            Instant version) {}

    public List<Held> latestEverywhere(String objectId) {
        if (objectId.indexOf('\0') >= 0) return List.of();
        return db.jdbi().withHandle(h -> h.createQuery("SELECT col.id, col.provider_id, col.agreement_id, o.policy_facts,"
                        + " o.json, " + VERSION + " FROM collection col JOIN stix_object o ON o.collection_no = col.num"
                        + " WHERE o.id = :id AND o.is_latest ORDER BY col.created")
                .bind("id", objectId)
                .map((rs, ctx) -> new Held(rs.getString(1), rs.getString(2), rs.getString(3), (Integer) rs.getObject(4),
                        rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant())).list());
    }

    /** How many latest versions of each collection share the same policy facts. */
    public record FactsGroup(String collectionId, String providerId, String agreementId, Integer facts, long count) {}

    public List<FactsGroup> latestByFacts() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT col.id, col.provider_id, col.agreement_id, g.policy_facts,"
                        + " g.n FROM collection col JOIN (SELECT collection_no, policy_facts, count(*) n FROM stix_object"
                        + " WHERE is_latest GROUP BY collection_no, policy_facts) g ON g.collection_no = col.num"
                        + " ORDER BY col.created")
                .map((rs, ctx) -> new FactsGroup(rs.getString(1), rs.getString(2), rs.getString(3),
                        (Integer) rs.getObject(4), rs.getLong(5))).list());
    }

    // ---------------------------------------------------------------- deleting

    /**
     * Removes the matching versions of an object from a collection and records the deletion for
     * propagation.
     *
     * @return the number of versions removed from the collection
     */
    public int delete(String collectionId, String objectId, VersionMatch versions, List<String> specVersions) {
        StringBuilder where = new StringBuilder("o.collection_no = (SELECT num FROM collection WHERE id = :collection)"
                + " AND o.id = :object");
        Map<String, Object> args = new HashMap<>();
        if (!specVersions.isEmpty()) {
            where.append(" AND o.spec_version = ANY (:specs)");
            args.put("specs", specVersions);
        }
        appendVersionFilter(where, args, versions);
        return db.jdbi().inTransaction(h -> {
            int removed = removeLogged(h, collectionId, where.toString(), args, objectId, "deleted", null, null);
            if (removed > 0) fixFirstAndLatest(h, collectionNo(h, collectionId), List.of(objectId));
            return removed;
        });
    }

    /**
     * Deletes the rows matching {@code where} (over {@code stix_object o}) and logs each removed
     * version as a tombstone numbered in the collection's sequence. The collection's row is locked
     * first, so tombstones become visible in the order of their numbers.
     */
    private static int removeLogged(Handle h, String collectionId, String where, Map<String, Object> args,
            String objectId, String reason, String producer, String signed) {
        long base = lockTombstones(h, collectionId);
        String sql = "WITH gone AS (DELETE FROM stix_object o WHERE " + where
                + " RETURNING o.pk, o.id, " + VERSION + " AS version),"
                + " unindexed AS (DELETE FROM observable WHERE object_pk IN (SELECT pk FROM gone)),"
                + " logged AS (INSERT INTO deleted_object (collection_id, object_id, version, seq, reason, producer, signed)"
                + "   SELECT :collection, id, version, :base + row_number() OVER (ORDER BY version), :reason, :producer,"
                + "   CAST(:signed AS jsonb) FROM gone)"
                + " SELECT count(*) FROM gone";
        Query q = h.createQuery(sql).bind("collection", collectionId).bind("object", objectId).bind("base", base)
                .bind("reason", reason).bind("producer", producer).bind("signed", signed);
        bindAll(q, args);
        int removed = q.mapTo(Integer.class).one();
        if (removed > 0) advanceTombstones(h, collectionId, base + removed);
        return removed;
    }

    private static long lockTombstones(Handle h, String collectionId) {
        return h.createQuery("SELECT last_tombstone FROM collection WHERE id = :id FOR UPDATE").bind("id", collectionId)
                .mapTo(Long.class).findOne().orElseThrow(() -> new NoSuchCollectionException(collectionId));
    }

    private static void advanceTombstones(Handle h, String collectionId, long last) {
        h.createUpdate("UPDATE collection SET last_tombstone = :last WHERE id = :id").bind("last", last)
                .bind("id", collectionId).execute();
    }

    // ---------------------------------------------------------------- tombstones

    /**
     * A logged removal, paged by its number in the collection's sequence.
     *
     * @param reason deleted, purged, revoked, retracted (a partner's tombstone applied) or withdrawn
     * @param recipient null: every partner that received the object; otherwise only this organisation
     * @param signed the signed tombstone as issued (this node's when first served, or a partner's as received)
     */
    public record Tombstone(long seq, String objectId, Instant version, String reason, String producer,
            String recipient, String signed, Instant deleted) {}

    /** The tombstones of a collection after {@code afterSeq}, in order. */
    public List<Tombstone> tombstones(String collectionId, long afterSeq, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT seq, object_id, version, reason, producer, recipient,"
                        + " signed::text, date_deleted FROM deleted_object WHERE collection_id = :c AND seq > :after"
                        + " ORDER BY seq LIMIT :limit")
                .bind("c", collectionId).bind("after", afterSeq).bind("limit", limit)
                .map((rs, ctx) -> new Tombstone(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)
                        .toInstant(), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getObject(8, OffsetDateTime.class).toInstant())).list());
    }

    /** The number of the newest tombstone of a collection (0 when it has none). */
    public long lastTombstone(String collectionId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT last_tombstone FROM collection WHERE id = :id")
                .bind("id", collectionId).mapTo(Long.class).findOne().orElse(0L));
    }

    /** Keeps the signed form of a tombstone once issued, so that it is signed once and re-served unchanged. */
    public void keepSigned(String collectionId, long seq, String signed) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE deleted_object SET signed = CAST(:s AS jsonb)"
                + " WHERE collection_id = :c AND seq = :seq AND signed IS NULL")
                .bind("s", signed).bind("c", collectionId).bind("seq", seq).execute());
    }

    /**
     * Within the caller's transaction, applies a partner's tombstone: removes versions of the object
     * from the collection and logs them with the signed tombstone, so that it travels on to whoever
     * received the object from here.
     *
     * @param version null: every version; otherwise that version (objects without versions, most SCOs,
     *     whatever it says), or every version up to it with {@code upTo}
     * @return the versions removed
     */
    public int retract(Handle h, String collectionId, String objectId, Instant version, boolean upTo, String reason,
            String producer, String signed) {
        StringBuilder where = new StringBuilder("o.collection_no = (SELECT num FROM collection WHERE id = :collection)"
                + " AND o.id = :object");
        Map<String, Object> args = new HashMap<>();
        if (version != null) {
            where.append(upTo ? " AND " + VERSION + " <= :v" : " AND (o.version_key = :v OR o.version_key = '-infinity')");
            args.put("v", Timestamps.sql(version));
        }
        int removed = removeLogged(h, collectionId, where.toString(), args, objectId, reason, producer, signed);
        if (removed > 0) fixFirstAndLatest(h, collectionNo(h, collectionId), List.of(objectId));
        return removed;
    }

    /**
     * Within the caller's transaction, logs that what one recipient received of an object must be
     * withdrawn from it (a consent revoked), without removing the object here.
     */
    public void withdraw(Handle h, String collectionId, String objectId, String recipient, String producer) {
        long base = lockTombstones(h, collectionId);
        h.createUpdate("INSERT INTO deleted_object (collection_id, object_id, version, seq, reason, producer, recipient)"
                        + " VALUES (:c, :o, now(), :seq, 'withdrawn', :p, :r)")
                .bind("c", collectionId).bind("o", objectId).bind("seq", base + 1).bind("p", producer)
                .bind("r", recipient).execute();
        advanceTombstones(h, collectionId, base + 1);
    }

    /**
     * For objects a partner sends again: the newest version of each id that a tombstone removed from
     * the collection (a retracted object does not come back with a repeated page).
     */
    public Map<String, Instant> retracted(String collectionId, Collection<String> ids) {
        Map<String, Instant> out = new HashMap<>();
        db.jdbi().useHandle(h -> h.createQuery("SELECT object_id, max(version) FROM deleted_object"
                        + " WHERE collection_id = :c AND object_id = ANY (:ids) AND recipient IS NULL GROUP BY object_id")
                .bind("c", collectionId).bindArray("ids", String.class, ids)
                .map((rs, ctx) -> out.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()))
                .forEach(x -> { }));
        return out;
    }

    /** What a retention purge removed from one collection. */
    public record Purged(int objects, int versions, List<String> ids) {}

    /**
     * Within the caller's transaction, removes every version of each object of a collection whose
     * first version arrived before {@code cutoff}, logging them for propagation; with
     * {@code dryRun} only counts them.
     *
     * @param listed at most this many object ids are returned
     */
    public Purged purgeFirstAddedBefore(Handle h, String collectionId, Instant cutoff, boolean dryRun, int listed) {
        int num = collectionNo(h, collectionId);
        String expired = "SELECT id FROM stix_object WHERE collection_no = :num GROUP BY id HAVING min(date_added) < :cutoff";
        String sql = dryRun
                ? "SELECT o.id, count(*) FROM stix_object o WHERE o.collection_no = :num AND o.id IN (" + expired + ")"
                        + " GROUP BY o.id ORDER BY o.id"
                : "WITH expired AS (" + expired + "),"
                        + " gone AS (DELETE FROM stix_object o USING expired e WHERE o.collection_no = :num AND o.id = e.id"
                        + "   RETURNING o.pk, o.id, " + VERSION + " AS version),"
                        + " unindexed AS (DELETE FROM observable WHERE object_pk IN (SELECT pk FROM gone)),"
                        + " logged AS (INSERT INTO deleted_object (collection_id, object_id, version, seq, reason)"
                        + "   SELECT :collection, id, version, :base + row_number() OVER (ORDER BY id, version), 'purged'"
                        + "   FROM gone)"
                        + " SELECT id, count(*) FROM gone GROUP BY id ORDER BY id";
        long base = dryRun ? 0 : lockTombstones(h, collectionId);
        int[] totals = new int[2];
        List<String> ids = new ArrayList<>();
        h.createQuery(sql).bind("num", num).bind("cutoff", Timestamps.sql(cutoff)).bind("collection", collectionId)
                .bind("base", base)
                .map((rs, ctx) -> {
                    totals[0]++;
                    totals[1] += rs.getInt(2);
                    if (ids.size() < listed) ids.add(rs.getString(1));
                    return null;
                }).forEach(x -> { });
        if (!dryRun && totals[1] > 0) advanceTombstones(h, collectionId, base + totals[1]);
        return new Purged(totals[0], totals[1], ids);
    }

    private static int collectionNo(Handle h, String collectionId) {
        return h.createQuery("SELECT num FROM collection WHERE id = :id").bind("id", collectionId).mapTo(Integer.class)
                .findOne().orElseThrow(() -> new NoSuchCollectionException(collectionId));
    }

    private static final String FIX_FIRST_LATEST =
            "UPDATE stix_object o SET is_first = (o.version_key = m.minv), is_latest = (o.version_key = m.maxv),"
                    + " latest_facts = m.lf"
                    + " FROM (SELECT id, min(version_key) minv, max(version_key) maxv,"
                    + "       (array_agg(policy_facts ORDER BY version_key DESC))[1] lf FROM stix_object"
                    + "       WHERE collection_no = ? AND id = ANY (?) GROUP BY id) m"
                    + " WHERE o.collection_no = ? AND o.id = m.id"
                    + " AND (o.is_first <> (o.version_key = m.minv) OR o.is_latest <> (o.version_key = m.maxv)"
                    + "      OR o.latest_facts IS DISTINCT FROM m.lf)";

    // One statement shared with the COPY writer, which works on its plain connection: written once, in JDBC.
    private static void fixFirstAndLatest(Handle h, int collectionNo, List<String> ids) {
        try {
            fixFirstAndLatest(h.getConnection(), collectionNo, ids);
        } catch (SQLException e) {
            throw new StoreException("could not update the version flags", e);
        }
    }

    static void fixFirstAndLatest(Connection c, int collectionNo, List<String> ids) throws SQLException {
        if (ids.isEmpty()) return;
        try (PreparedStatement s = c.prepareStatement(FIX_FIRST_LATEST)) {
            s.setInt(1, collectionNo);
            s.setArray(2, c.createArrayOf("text", ids.toArray()));
            s.setInt(3, collectionNo);
            s.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Opens a transaction that adds objects to one collection. It locks the collection row, which
     * serialises writers of that collection across every node process and so keeps date_added
     * strictly increasing.
     *
     * @throws NoSuchCollectionException when the collection does not exist
     */
    public Writer writer(String collectionId) {
        try {
            return new Writer(db.dataSource().getConnection(), collectionId, false);
        } catch (SQLException e) {
            throw new StoreException("could not open a connection", e);
        }
    }

    /**
     * A writer for bulk imports: the transaction does not wait for the WAL flush at commit. A crash
     * can lose only the import being committed, which is safe to run again since imports are
     * idempotent.
     */
    public Writer bulkWriter(String collectionId) {
        try {
            return new Writer(db.dataSource().getConnection(), collectionId, true);
        } catch (SQLException e) {
            throw new StoreException("could not open a connection", e);
        }
    }

    public static final class NoSuchCollectionException extends RuntimeException {
        public NoSuchCollectionException(String id) {
            super("no collection " + id);
        }
    }

    /** What one batch did: how many of its versions were new to the collection. */
    public record BatchResult(int received, int added) {}

    public static final class Writer implements AutoCloseable {

        // The versions the collection already has of the batch's objects: one index probe per object,
        // which tells both which rows to skip and which objects need their first/latest flags redone.
        private static final String EXISTING_VERSIONS =
                "SELECT id, CASE WHEN version_key = '-infinity' THEN NULL ELSE version_key END"
                        + " FROM stix_object WHERE collection_no = ? AND id = ANY (?)";

        private final Connection c;
        private final String collectionId;
        private int collectionNo;
        private Instant lastAdded;
        private Instant committedLastAdded;
        private long lastTombstone;
        private long committedLastTombstone;
        private boolean done;

        Writer(Connection c, String collectionId, boolean bulk) throws SQLException {
            this.c = c;
            this.collectionId = collectionId;
            try {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    if (bulk) s.execute("SET LOCAL synchronous_commit = off");
                    // Batches are small beside the tables: parallel plans only add start-up cost.
                    s.execute("SET LOCAL max_parallel_workers_per_gather = 0");
                }
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT last_added, num, last_tombstone FROM collection WHERE id = ? FOR UPDATE")) {
                    s.setString(1, collectionId);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) throw new NoSuchCollectionException(collectionId);
                        collectionNo = rs.getInt(2);
                        lastTombstone = rs.getLong(3);
                        committedLastTombstone = lastTombstone;
                        OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
                        lastAdded = t == null || t.equals(OffsetDateTime.MIN) ? Instant.EPOCH : t.toInstant();
                        committedLastAdded = lastAdded;
                    }
                }
            } catch (SQLException | RuntimeException e) {
                abandon();
                throw e;
            }
        }

        public String collectionId() {
            return collectionId;
        }

        /** Adds a batch; versions already in the store or the collection are left as they are. */
        /**
         * Adds a batch; versions the collection already has are left as they are. New rows are
         * written with COPY straight into the tables: the collection lock taken at open means no
         * other writer can add a conflicting row meanwhile.
         */
        public BatchResult add(List<PreparedObject> batch) {
            if (done) throw new IllegalStateException("writer already finished");
            if (batch.isEmpty()) return new BatchResult(0, 0);
            try {
                Map<String, Set<Instant>> existing = existingVersions(batch);
                List<PreparedObject> fresh = new ArrayList<>(batch.size());
                Map<String, Set<Instant>> seen = new HashMap<>();
                for (PreparedObject o : batch) {
                    Instant key = versionKey(o);
                    Set<Instant> had = existing.get(o.id());
                    if (had != null && had.contains(key)) continue;
                    if (!seen.computeIfAbsent(o.id(), k -> new HashSet<>()).add(key)) continue;
                    fresh.add(o);
                }
                if (fresh.isEmpty()) return new BatchResult(batch.size(), 0);
                long firstPk = allocatePks(fresh.size());
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                Instant base = now.isAfter(lastAdded) ? now : lastAdded.plus(1, ChronoUnit.MICROS);
                copy(fresh, firstPk, base, seen);
                lastAdded = base.plus(fresh.size() - 1, ChronoUnit.MICROS);
                // Objects that now have versions from before and from this batch: recompute their flags.
                List<String> mixed = new ArrayList<>();
                for (String id : seen.keySet()) if (existing.containsKey(id)) mixed.add(id);
                fixFirstAndLatest(c, collectionNo, mixed);
                logRevocations(fresh);
                return new BatchResult(batch.size(), fresh.size());
            } catch (SQLException | IOException e) {
                throw new StoreException("could not store a batch in " + collectionId + ": " + e.getMessage(), e);
            }
        }

        /**
         * A version that revokes its object is a retraction that must reach whoever received the
         * object: it is logged as a tombstone like a deletion.
         */
        private void logRevocations(List<PreparedObject> fresh) throws SQLException {
            List<PreparedObject> revoked = fresh.stream().filter(PreparedObject::revoked).toList();
            if (revoked.isEmpty()) return;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO deleted_object"
                    + " (collection_id, object_id, version, seq, reason) VALUES (?, ?, ?, ?, 'revoked')")) {
                for (PreparedObject o : revoked) {
                    s.setString(1, collectionId);
                    s.setString(2, o.id());
                    s.setObject(3, Timestamps.sql(versionKey(o) == null ? lastAdded : versionKey(o)));
                    s.setLong(4, ++lastTombstone);
                    s.addBatch();
                }
                s.executeBatch();
            }
        }

        /** Work that must commit or roll back with this writer's objects (e.g. a sync cursor, an audit record). */
        public interface SameTransaction {
            void run(Connection c) throws SQLException;
        }

        /** Runs {@code work} in this writer's transaction, on its connection. */
        public void inSameTransaction(SameTransaction work) {
            if (done) throw new IllegalStateException("writer already finished");
            try {
                work.run(c);
            } catch (SQLException e) {
                throw new StoreException("could not write with the batch of " + collectionId + ": " + e.getMessage(), e);
            }
        }

        /** The version key as PostgreSQL keeps it (microseconds); null for objects without one. */
        private static Instant versionKey(PreparedObject o) {
            return o.version() == null ? null : o.version().truncatedTo(ChronoUnit.MICROS);
        }

        private Map<String, Set<Instant>> existingVersions(List<PreparedObject> batch) throws SQLException {
            Map<String, Set<Instant>> out = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement(EXISTING_VERSIONS)) {
                s.setInt(1, collectionNo);
                s.setArray(2, c.createArrayOf("text", batch.stream().map(PreparedObject::id).distinct().toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        OffsetDateTime v = rs.getObject(2, OffsetDateTime.class);
                        out.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(v == null ? null : v.toInstant());
                    }
                }
            }
            return out;
        }

        private long allocatePks(int n) throws SQLException {
            // One round trip for the whole batch; the sequence hands out consecutive values here
            // because nextval is called n times in one statement (gaps are harmless either way).
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT nextval('stix_object_pk_seq') FROM generate_series(1, ?)")) {
                s.setInt(1, n);
                long[] pks = new long[n];
                try (ResultSet rs = s.executeQuery()) {
                    int i = 0;
                    while (rs.next()) pks[i++] = rs.getLong(1);
                }
                for (int i = 1; i < n; i++) {
                    if (pks[i] != pks[i - 1] + 1) return -1;
                }
                return pks[0];
            }
        }

        private void copy(List<PreparedObject> fresh, long firstPk, Instant base, Map<String, Set<Instant>> batchVersions)
                throws SQLException, IOException {
            if (firstPk < 0) throw new SQLException("could not allocate consecutive row keys");
            // Within the batch, the facts of each object's newest version; versions already stored are
            // reconciled afterwards (fixFirstAndLatest) for the objects that have both.
            Map<String, PreparedObject> newest = new HashMap<>();
            for (PreparedObject o : fresh) {
                newest.merge(o.id(), o, (a, b) -> versionKey(b) != null && (versionKey(a) == null
                        || versionKey(b).isAfter(versionKey(a))) ? b : a);
            }
            Map<String, Integer> latestFacts = new HashMap<>();
            newest.forEach((id, o) -> latestFacts.put(id, o.facts()));
            StringBuilder objects = new StringBuilder(fresh.size() * 512);
            StringBuilder observables = new StringBuilder(fresh.size() * 64);
            for (int i = 0; i < fresh.size(); i++) {
                PreparedObject o = fresh.get(i);
                long pk = firstPk + i;
                Instant key = versionKey(o);
                Set<Instant> versions = batchVersions.get(o.id());
                boolean first = true;
                boolean latest = true;
                if (versions.size() > 1 && key != null) {
                    for (Instant v : versions) {
                        if (v != null && v.isBefore(key)) first = false;
                        if (v != null && v.isAfter(key)) latest = false;
                    }
                }
                objects.append(pk).append('\t');
                objects.append(collectionNo).append('\t');
                copyText(objects, o.id()).append('\t');
                objects.append(key == null ? "-infinity" : Timestamps.formatMicros(key)).append('\t');
                objects.append(Timestamps.formatMicros(base.plus(i, ChronoUnit.MICROS))).append('\t');
                copyText(objects, o.type()).append('\t');
                copyText(objects, o.specVersion()).append('\t');
                objects.append(o.revoked() ? 't' : 'f').append('\t');
                objects.append(first ? 't' : 'f').append('\t');
                objects.append(latest ? 't' : 'f').append('\t');
                copyText(objects, o.json()).append('\t');
                objects.append(o.facts()).append('\t');
                objects.append(o.needsJson() ? 't' : 'f').append('\t');
                objects.append(latestFacts.get(o.id())).append('\n');
                for (Observable ob : o.observables()) {
                    observables.append(pk).append('\t');
                    copyText(observables, ob.kind()).append('\t');
                    copyText(observables, ob.value()).append('\t');
                    if (ob.net() == null) observables.append("\\N");
                    else copyText(observables, ob.net());
                    observables.append('\n');
                }
            }
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY stix_object (pk, collection_no, id, version_key, date_added, type, spec_version, revoked,"
                    + " is_first, is_latest, json, policy_facts, needs_json, latest_facts) FROM STDIN", new StringReader(objects.toString()));
            if (!observables.isEmpty()) {
                copy.copyIn("COPY observable (object_pk, kind, value, net) FROM STDIN",
                        new StringReader(observables.toString()));
            }
        }

        private static boolean needsEscape(String s) {
            // indexOf is vectorised by the JIT: four passes beat one loop over the characters.
            return s.indexOf('\\') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\t') >= 0 || s.indexOf('\r') >= 0;
        }

        /** COPY text format: backslash, tab, newline and carriage return are escaped. */
        private static StringBuilder copyText(StringBuilder out, String s) {
            if (!needsEscape(s)) return out.append(s);
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                switch (ch) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> out.append(ch);
                }
            }
            return out;
        }

        public void commit() {
            if (done) throw new IllegalStateException("writer already finished");
            try {
                if (!lastAdded.equals(committedLastAdded) || lastTombstone != committedLastTombstone) {
                    try (PreparedStatement s = c.prepareStatement(
                            "UPDATE collection SET last_added = ?, last_tombstone = ? WHERE id = ?")) {
                        s.setObject(1, Timestamps.sql(lastAdded));
                        s.setLong(2, lastTombstone);
                        s.setString(3, collectionId);
                        s.executeUpdate();
                    }
                }
                c.commit();
                done = true;
            } catch (SQLException e) {
                throw new StoreException("could not commit to " + collectionId, e);
            } finally {
                if (done) release();
            }
        }

        /** Rolls back unless committed; always returns the connection. */
        @Override
        public void close() {
            if (!done) abandon();
        }

        private void abandon() {
            done = true;
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // The connection is broken; closing it below discards it.
            }
            release();
        }

        private void release() {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // as above
            }
            try {
                c.close();
            } catch (SQLException ignored) {
                // as above
            }
        }
    }
}
