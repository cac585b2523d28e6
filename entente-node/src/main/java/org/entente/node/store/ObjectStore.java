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
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Every version of every STIX object, the collections that hold them, and the observable values
 * they mention. Reads are single statements; writes go through a {@link Writer}, which owns one
 * transaction and the collection's lock until it commits.
 */
public final class ObjectStore {

    /** The short key of the collection whose id is the parameter; planned once per statement. */
    static final String COLLECTION_NO = "(SELECT num FROM collection WHERE id = ?)";

    /** The TAXII version of a row: modified or created, else (for most SCOs) date_added. */
    static final String VERSION = "(CASE WHEN o.version_key = '-infinity' THEN o.date_added ELSE o.version_key END)";

    /** Rows the policy cannot decide from their facts alone: TLP:RED (bits 0-2 = 5), granular markings (bit 12). */
    static final String NEEDS_JSON = "(o.policy_facts IS NULL OR o.policy_facts & 7 = 5 OR o.policy_facts & 4096 <> 0)";

    private final DataSource db;

    public ObjectStore(DataSource db) {
        this.db = db;
    }

    // ---------------------------------------------------------------- collections

    public CollectionInfo createCollection(String id, String alias, String title, String description) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO collection (id, alias, title, description) VALUES (?, ?, ?, ?) "
                                + "ON CONFLICT DO NOTHING")) {
            s.setString(1, id);
            s.setString(2, alias);
            s.setString(3, title);
            s.setString(4, description);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not create collection " + id, e);
        }
        // Another process may have created the same alias first: that one is the collection.
        return collection(id).or(() -> alias == null ? java.util.Optional.empty() : collection(alias)).orElseThrow();
    }

    /**
     * Records that a collection holds what {@code providerId} shared under {@code agreementId} (both
     * null: the node's own intelligence). Onward sharing, purpose limitation and retention follow.
     */
    public void setProvenance(String collectionId, String providerId, String agreementId) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE collection SET provider_id = ?, agreement_id = ? WHERE id = ?")) {
            s.setString(1, providerId);
            s.setString(2, agreementId);
            s.setString(3, collectionId);
            if (s.executeUpdate() == 0) throw new NoSuchCollectionException(collectionId);
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                throw new IllegalArgumentException("no such organisation or agreement: " + providerId + ", " + agreementId);
            }
            throw new StoreException("could not set the provenance of collection " + collectionId, e);
        }
    }

    public Optional<CollectionInfo> collection(String idOrAlias) {
        List<CollectionInfo> found = queryCollections("WHERE id = ? OR alias = ?", idOrAlias, idOrAlias);
        return found.stream().filter(c -> c.id().equals(idOrAlias)).findFirst()
                .or(() -> found.stream().findFirst());
    }

    public List<CollectionInfo> collections() {
        return queryCollections("");
    }

    private List<CollectionInfo> queryCollections(String where, String... args) {
        String sql = "SELECT id, alias, title, description, created, provider_id, agreement_id FROM collection " + where + " ORDER BY created, id";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setString(i + 1, args[i]);
            List<CollectionInfo> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new CollectionInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getString(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not read collections", e);
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * One page of a collection in date_added order, in one SQL statement. With {@code withJson}
     * false only the manifest columns are read.
     */
    public Page list(String collectionId, ObjectQuery q, boolean withJson) {
        StringBuilder sql = new StringBuilder("SELECT o.id, ").append(VERSION).append(", o.date_added, o.spec_version, ")
                .append("o.policy_facts, ")
                // TLP:RED objects name their recipients inside, and a granular marking on an identity property
                // withholds the whole object: the policy reads those even for a manifest.
                .append(withJson ? "o.json" : "CASE WHEN " + NEEDS_JSON + " THEN o.json END").append(" FROM stix_object o WHERE o.collection_no = ").append(COLLECTION_NO);
        List<Object> args = new ArrayList<>();
        args.add(collectionId);
        if (q.after() != null) {
            sql.append(" AND o.date_added > ?");
            args.add(Timestamps.sql(q.after()));
        }
        if (!q.ids().isEmpty()) {
            sql.append(" AND o.id = ANY (?)");
            args.add(q.ids());
        }
        if (!q.types().isEmpty()) {
            sql.append(" AND o.type = ANY (?)");
            args.add(q.types());
        }
        if (!q.specVersions().isEmpty()) {
            sql.append(" AND o.spec_version = ANY (?)");
            args.add(q.specVersions());
        }
        appendVersionFilter(sql, args, q.versions());
        sql.append(" ORDER BY o.date_added LIMIT ?");
        args.add(q.limit() + 1);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            bind(c, s, args);
            List<Entry> out = new ArrayList<>(Math.min(q.limit(), 1024));
            boolean more = false;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (out.size() == q.limit()) {
                        more = true;
                        break;
                    }
                    out.add(new Entry(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                            rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4),
                            (Integer) rs.getObject(5), rs.getString(6)));
                }
            }
            return new Page(out, more);
        } catch (SQLException e) {
            throw new StoreException("could not read collection " + collectionId, e);
        }
    }

    private static void appendVersionFilter(StringBuilder sql, List<Object> args, VersionMatch v) {
        if (v.all()) return;
        List<String> alternatives = new ArrayList<>();
        if (v.first()) alternatives.add("o.is_first");
        if (v.last()) alternatives.add("o.is_latest");
        if (!v.exact().isEmpty()) {
            alternatives.add(VERSION + " = ANY (?)");
            args.add(v.exact().stream().map(Timestamps::sql).toArray(OffsetDateTime[]::new));
        }
        if (alternatives.isEmpty()) return;
        sql.append(" AND (").append(String.join(" OR ", alternatives)).append(')');
    }

    private static void bind(Connection c, PreparedStatement s, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof List<?> list) {
                s.setArray(i + 1, c.createArrayOf("text", list.toArray()));
            } else if (a instanceof OffsetDateTime[] ts) {
                s.setArray(i + 1, c.createArrayOf("timestamptz", ts));
            } else {
                s.setObject(i + 1, a);
            }
        }
    }

    /**
     * Objects that mention a value: equal observable values, and for an address or CIDR block every
     * stored address or block that overlaps it. Limited to the given collections.
     */
    public List<Mention> mentions(String value, Collection<String> collectionIds, int limit) {
        String v = value.trim();
        String net = Observables.canonicalNet(v);
        Set<String> candidates = new HashSet<>();
        candidates.add(v);
        candidates.add(v.toLowerCase(Locale.ROOT));
        String sql = "WITH hits AS ("
                + " SELECT object_pk, kind, value FROM observable WHERE value = ANY (?)"
                + (net != null ? " UNION ALL SELECT object_pk, kind, value FROM observable WHERE net && ?::inet" : "")
                + ") SELECT DISTINCT o.id, o.type, " + VERSION + " AS version, col.id AS collection_id, h.kind, h.value,"
                + " o.policy_facts, CASE WHEN " + NEEDS_JSON + " THEN o.json END,"
                + " col.provider_id, col.agreement_id"
                + " FROM hits h JOIN stix_object o ON o.pk = h.object_pk JOIN collection col ON col.num = o.collection_no"
                + " WHERE col.id = ANY (?) ORDER BY collection_id, o.id, version LIMIT ?";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setArray(i++, c.createArrayOf("text", candidates.toArray()));
            if (net != null) s.setString(i++, net);
            s.setArray(i++, c.createArrayOf("text", collectionIds.toArray()));
            s.setInt(i, limit);
            List<Mention> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Mention(rs.getString(1), rs.getString(2),
                            rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4), rs.getString(5),
                            rs.getString(6), (Integer) rs.getObject(7), rs.getString(8), rs.getString(9), rs.getString(10)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not look up " + value, e);
        }
    }

    /** Which of these object ids the node holds in any collection. */
    public Set<String> existing(Collection<String> ids) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                // Per collection, so that the (collection_no, id, …) index answers each probe.
                "SELECT DISTINCT o.id FROM collection col CROSS JOIN LATERAL"
                        + " (SELECT id FROM stix_object WHERE collection_no = col.num AND id = ANY (?)) o")) {
            s.setArray(1, c.createArrayOf("text", ids.toArray()));
            Set<String> out = new HashSet<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not look up objects", e);
        }
    }

    // ---------------------------------------------------------------- deleting

    /**
     * Removes the matching versions of an object from a collection, records the deletion for
     * propagation, and drops stored versions that no collection holds any more.
     *
     * @return the number of versions removed from the collection
     */
    public int delete(String collectionId, String objectId, VersionMatch versions, List<String> specVersions) {
        StringBuilder where = new StringBuilder("o.collection_no = " + COLLECTION_NO + " AND o.id = ?");
        List<Object> args = new ArrayList<>(List.of(collectionId, objectId));
        if (!specVersions.isEmpty()) {
            where.append(" AND o.spec_version = ANY (?)");
            args.add(specVersions);
        }
        appendVersionFilter(where, args, versions);
        String sql = "WITH gone AS (DELETE FROM stix_object o WHERE " + where
                + " RETURNING o.pk, o.id, " + VERSION + " AS version),"
                + " unindexed AS (DELETE FROM observable WHERE object_pk IN (SELECT pk FROM gone)),"
                + " logged AS (INSERT INTO deleted_object (collection_id, object_id, version)"
                + "   SELECT ?, id, version FROM gone)"
                + " SELECT count(*) FROM gone";
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                int removed;
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    args.add(collectionId);
                    bind(c, s, args);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        removed = rs.getInt(1);
                    }
                }
                if (removed > 0) Writer.fixFirstAndLatest(c, collectionNo(c, collectionId), List.of(objectId));
                c.commit();
                return removed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("could not delete " + objectId + " from " + collectionId, e);
        }
    }

    private static int collectionNo(Connection c, String collectionId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT num FROM collection WHERE id = ?")) {
            s.setString(1, collectionId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) throw new NoSuchCollectionException(collectionId);
                return rs.getInt(1);
            }
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
            return new Writer(db.getConnection(), collectionId, false);
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
            return new Writer(db.getConnection(), collectionId, true);
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

        private static final String FIX_FIRST_LATEST =
                "UPDATE stix_object o SET is_first = (o.version_key = m.minv), is_latest = (o.version_key = m.maxv)"
                        + " FROM (SELECT id, min(version_key) minv, max(version_key) maxv FROM stix_object"
                        + "       WHERE collection_no = ? AND id = ANY (?) GROUP BY id) m"
                        + " WHERE o.collection_no = ? AND o.id = m.id"
                        + " AND (o.is_first <> (o.version_key = m.minv) OR o.is_latest <> (o.version_key = m.maxv))";

        private static final boolean TRACE = Boolean.getBoolean("entente.trace");
        private final Connection c;
        private final String collectionId;
        private int collectionNo;
        private Instant lastAdded;
        private Instant committedLastAdded;
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
                        "SELECT last_added, num FROM collection WHERE id = ? FOR UPDATE")) {
                    s.setString(1, collectionId);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) throw new NoSuchCollectionException(collectionId);
                        collectionNo = rs.getInt(2);
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
                long t0 = System.nanoTime();
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
                long t1 = System.nanoTime();
                long firstPk = allocatePks(fresh.size());
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                Instant base = now.isAfter(lastAdded) ? now : lastAdded.plus(1, ChronoUnit.MICROS);
                copy(fresh, firstPk, base, seen);
                lastAdded = base.plus(fresh.size() - 1, ChronoUnit.MICROS);
                long t2 = System.nanoTime();
                // Objects that now have versions from before and from this batch: recompute their flags.
                List<String> mixed = new ArrayList<>();
                for (String id : seen.keySet()) if (existing.containsKey(id)) mixed.add(id);
                fixFirstAndLatest(c, collectionNo, mixed);
                long t3 = System.nanoTime();
                if (TRACE) {
                    System.err.printf("probe %d copy %d fix %d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                            (t3 - t2) / 1_000_000);
                }
                return new BatchResult(batch.size(), fresh.size());
            } catch (SQLException | IOException e) {
                throw new StoreException("could not store a batch in " + collectionId + ": " + e.getMessage(), e);
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

        static void fixFirstAndLatest(Connection c, int collectionNo, List<String> ids) throws SQLException {
            if (ids.isEmpty()) return;
            try (PreparedStatement s = c.prepareStatement(FIX_FIRST_LATEST)) {
                s.setInt(1, collectionNo);
                s.setArray(2, c.createArrayOf("text", ids.toArray()));
                s.setInt(3, collectionNo);
                s.executeUpdate();
            }
        }

        private void copy(List<PreparedObject> fresh, long firstPk, Instant base, Map<String, Set<Instant>> batchVersions)
                throws SQLException, IOException {
            if (firstPk < 0) throw new SQLException("could not allocate consecutive row keys");
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
                objects.append(o.facts()).append('\n');
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
                    + " is_first, is_latest, json, policy_facts) FROM STDIN", new StringReader(objects.toString()));
            if (!observables.isEmpty()) {
                copy.copyIn("COPY observable (object_pk, kind, value, net) FROM STDIN",
                        new StringReader(observables.toString()));
            }
        }

        private static boolean needsEscape(String s) {
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') return true;
            }
            return false;
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
                if (!lastAdded.equals(committedLastAdded)) {
                    try (PreparedStatement s = c.prepareStatement("UPDATE collection SET last_added = ? WHERE id = ?")) {
                        s.setObject(1, Timestamps.sql(lastAdded));
                        s.setString(2, collectionId);
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
