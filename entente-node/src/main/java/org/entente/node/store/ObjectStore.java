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
import java.util.HashSet;
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

    private final DataSource db;

    public ObjectStore(DataSource db) {
        this.db = db;
    }

    // ---------------------------------------------------------------- collections

    public CollectionInfo createCollection(String id, String alias, String title, String description) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO collection (id, alias, title, description) VALUES (?, ?, ?, ?) "
                                + "ON CONFLICT (id) DO NOTHING")) {
            s.setString(1, id);
            s.setString(2, alias);
            s.setString(3, title);
            s.setString(4, description);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not create collection " + id, e);
        }
        return collection(id).orElseThrow();
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
        String sql = "SELECT id, alias, title, description, created FROM collection " + where + " ORDER BY created, id";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setString(i + 1, args[i]);
            List<CollectionInfo> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new CollectionInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant()));
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
        StringBuilder sql = new StringBuilder("SELECT co.object_id, co.version, co.date_added, co.spec_version");
        sql.append(withJson ? ", o.json FROM collection_object co JOIN stix_object o ON o.pk = co.object_pk"
                : ", NULL FROM collection_object co");
        sql.append(" WHERE co.collection_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(collectionId);
        if (q.after() != null) {
            sql.append(" AND co.date_added > ?");
            args.add(Timestamps.sql(q.after()));
        }
        if (!q.ids().isEmpty()) {
            sql.append(" AND co.object_id = ANY (?)");
            args.add(q.ids());
        }
        if (!q.types().isEmpty()) {
            sql.append(" AND co.type = ANY (?)");
            args.add(q.types());
        }
        if (!q.specVersions().isEmpty()) {
            sql.append(" AND co.spec_version = ANY (?)");
            args.add(q.specVersions());
        }
        appendVersionFilter(sql, args, q.versions());
        sql.append(" ORDER BY co.date_added LIMIT ?");
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
                            rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4), rs.getString(5)));
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
        if (v.first()) alternatives.add("co.is_first");
        if (v.last()) alternatives.add("co.is_latest");
        if (!v.exact().isEmpty()) {
            alternatives.add("co.version = ANY (?)");
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
                + ") SELECT DISTINCT o.id, o.type, co.version, co.collection_id, h.kind, h.value"
                + " FROM hits h JOIN stix_object o ON o.pk = h.object_pk"
                + " JOIN collection_object co ON co.object_pk = o.pk"
                + " WHERE co.collection_id = ANY (?) ORDER BY co.collection_id, o.id, co.version LIMIT ?";
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
                            rs.getString(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not look up " + value, e);
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
        StringBuilder where = new StringBuilder("co.collection_id = ? AND co.object_id = ?");
        List<Object> args = new ArrayList<>(List.of(collectionId, objectId));
        if (!specVersions.isEmpty()) {
            where.append(" AND co.spec_version = ANY (?)");
            args.add(specVersions);
        }
        appendVersionFilter(where, args, versions);
        String sql = "WITH gone AS (DELETE FROM collection_object co WHERE " + where
                + " RETURNING co.collection_id, co.object_id, co.version, co.object_pk),"
                + " logged AS (INSERT INTO deleted_object (collection_id, object_id, version)"
                + "   SELECT collection_id, object_id, version FROM gone)"
                + " SELECT object_pk FROM gone";
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Long> pks = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    bind(c, s, args);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) pks.add(rs.getLong(1));
                    }
                }
                if (!pks.isEmpty()) {
                    try (PreparedStatement s = c.prepareStatement(
                            "DELETE FROM stix_object o WHERE o.pk = ANY (?) AND NOT EXISTS"
                                    + " (SELECT 1 FROM collection_object co WHERE co.object_pk = o.pk)")) {
                        s.setArray(1, c.createArrayOf("bigint", pks.toArray()));
                        s.executeUpdate();
                    }
                    try (PreparedStatement s = c.prepareStatement(Writer.FIX_FIRST_LATEST_FOR_ID)) {
                        s.setString(1, collectionId);
                        s.setString(2, objectId);
                        s.setString(3, collectionId);
                        s.executeUpdate();
                    }
                }
                c.commit();
                return pks.size();
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

    /** What one batch did: how many versions were new to the store and to the collection. */
    public record BatchResult(int received, int newToStore, int newToCollection) {}

    public static final class Writer implements AutoCloseable {

        static final String FIX_FIRST_LATEST_FOR_ID =
                "UPDATE collection_object co SET is_first = (co.version = m.minv), is_latest = (co.version = m.maxv)"
                        + " FROM (SELECT object_id, min(version) minv, max(version) maxv FROM collection_object"
                        + "       WHERE collection_id = ? AND object_id = ? GROUP BY object_id) m"
                        + " WHERE co.collection_id = ? AND co.object_id = m.object_id"
                        + " AND (co.is_first <> (co.version = m.minv) OR co.is_latest <> (co.version = m.maxv))";

        private static final String INSERT_OBJECTS =
                "WITH ins AS (INSERT INTO stix_object (id, version, type, spec_version, revoked, json)"
                        + "   SELECT id, version, type, spec_version, revoked, json FROM entente_stage ORDER BY ord"
                        + "   ON CONFLICT (id, version) DO NOTHING RETURNING pk, id, version),"
                        + " obs AS (INSERT INTO observable (object_pk, kind, value, net)"
                        + "   SELECT ins.pk, b.kind, b.value, b.net FROM ins"
                        + "   JOIN entente_stage s ON s.id = ins.id AND s.version = ins.version"
                        + "   JOIN entente_stage_obs b ON b.ord = s.ord)"
                        + " SELECT count(*) FROM ins";

        private static final String INSERT_MEMBERSHIP =
                "WITH ins AS (INSERT INTO collection_object"
                        + "   (collection_id, object_pk, object_id, version, type, spec_version, date_added, is_first, is_latest)"
                        + "   SELECT ?, o.pk, s.id,"
                        + "     CASE WHEN s.version = '-infinity' THEN ?::timestamptz + s.ord * interval '1 microsecond'"
                        + "          ELSE s.version END,"
                        + "     s.type, s.spec_version, ?::timestamptz + s.ord * interval '1 microsecond', true, true"
                        + "   FROM entente_stage s JOIN stix_object o ON o.id = s.id AND o.version = s.version"
                        + "   ORDER BY s.ord"
                        + "   ON CONFLICT (collection_id, object_pk) DO NOTHING RETURNING date_added)"
                        + " SELECT count(*), max(date_added) FROM ins";

        // Objects of the batch that now have more than one version in the collection get their
        // first/latest flags recomputed; the common case (one version) costs one index probe each.
        private static final String FIX_FIRST_LATEST =
                "UPDATE collection_object co SET is_first = (co.version = m.minv), is_latest = (co.version = m.maxv)"
                        + " FROM (SELECT c.object_id, min(c.version) minv, max(c.version) maxv FROM collection_object c"
                        + "       WHERE c.collection_id = ? AND c.object_id IN (SELECT id FROM entente_stage)"
                        + "       GROUP BY c.object_id HAVING count(*) > 1) m"
                        + " WHERE co.collection_id = ? AND co.object_id = m.object_id"
                        + " AND (co.is_first <> (co.version = m.minv) OR co.is_latest <> (co.version = m.maxv))";

        private final Connection c;
        private final String collectionId;
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
                    s.execute("CREATE TEMP TABLE IF NOT EXISTS entente_stage (ord int, id text, version timestamptz,"
                            + " type text, spec_version text, revoked boolean, json text) ON COMMIT DELETE ROWS");
                    s.execute("CREATE TEMP TABLE IF NOT EXISTS entente_stage_obs (ord int, kind text, value text,"
                            + " net inet) ON COMMIT DELETE ROWS");
                }
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT last_added FROM collection WHERE id = ? FOR UPDATE")) {
                    s.setString(1, collectionId);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) throw new NoSuchCollectionException(collectionId);
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
        public BatchResult add(List<PreparedObject> batch) {
            if (done) throw new IllegalStateException("writer already finished");
            if (batch.isEmpty()) return new BatchResult(0, 0, 0);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("TRUNCATE entente_stage, entente_stage_obs");
                }
                List<PreparedObject> unique = dedupe(batch);
                copy(unique);
                // Without statistics the planner may scan stix_object instead of probing its key.
                try (Statement s = c.createStatement()) {
                    s.execute("ANALYZE entente_stage");
                }
                int newToStore;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(INSERT_OBJECTS)) {
                    rs.next();
                    newToStore = rs.getInt(1);
                }
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                Instant base = now.isAfter(lastAdded) ? now : lastAdded.plus(1, ChronoUnit.MICROS);
                int newToCollection;
                try (PreparedStatement s = c.prepareStatement(INSERT_MEMBERSHIP)) {
                    s.setString(1, collectionId);
                    s.setObject(2, Timestamps.sql(base));
                    s.setObject(3, Timestamps.sql(base));
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        newToCollection = rs.getInt(1);
                        OffsetDateTime max = rs.getObject(2, OffsetDateTime.class);
                        if (max != null) lastAdded = max.toInstant();
                    }
                }
                if (newToCollection > 0) {
                    try (PreparedStatement s = c.prepareStatement(FIX_FIRST_LATEST)) {
                        s.setString(1, collectionId);
                        s.setString(2, collectionId);
                        s.executeUpdate();
                    }
                }
                return new BatchResult(batch.size(), newToStore, newToCollection);
            } catch (SQLException | IOException e) {
                throw new StoreException("could not store a batch in " + collectionId + ": " + e.getMessage(), e);
            }
        }

        private static List<PreparedObject> dedupe(List<PreparedObject> batch) {
            Set<String> seen = new HashSet<>();
            List<PreparedObject> out = new ArrayList<>(batch.size());
            for (PreparedObject o : batch) {
                if (seen.add(o.id() + '\u0000' + o.version())) out.add(o);
            }
            return out;
        }

        private void copy(List<PreparedObject> batch) throws SQLException, IOException {
            StringBuilder objects = new StringBuilder(batch.size() * 512);
            StringBuilder observables = new StringBuilder(batch.size() * 64);
            for (int i = 0; i < batch.size(); i++) {
                PreparedObject o = batch.get(i);
                objects.append(i).append('\t');
                copyText(objects, o.id()).append('\t');
                objects.append(o.version() == null ? "-infinity" : Timestamps.format(o.version())).append('\t');
                copyText(objects, o.type()).append('\t');
                copyText(objects, o.specVersion()).append('\t');
                objects.append(o.revoked() ? 't' : 'f').append('\t');
                copyText(objects, o.json()).append('\n');
                for (Observable ob : o.observables()) {
                    observables.append(i).append('\t');
                    copyText(observables, ob.kind()).append('\t');
                    copyText(observables, ob.value()).append('\t');
                    if (ob.net() == null) observables.append("\\N");
                    else copyText(observables, ob.net());
                    observables.append('\n');
                }
            }
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY entente_stage FROM STDIN", new StringReader(objects.toString()));
            if (!observables.isEmpty()) {
                copy.copyIn("COPY entente_stage_obs FROM STDIN", new StringReader(observables.toString()));
            }
        }

        /** COPY text format: backslash, tab, newline and carriage return are escaped. */
        private static StringBuilder copyText(StringBuilder out, String s) {
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
