package org.entente.node.screening;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.InvalidInput;
import org.entente.node.db.Database;
import org.entente.node.policy.Category;
import org.entente.node.policy.HandlingCode;
import org.entente.node.policy.TlpLevel;
import org.entente.screening.Entry;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.postgresql.PGConnection;

/**
 * The only SQL of {@code watchlist}, {@code watchlist_entry} and {@code watchlist_entry_version}.
 * Every change takes its numbers from the 'watchlist' counter (so followers see changes in order),
 * is audited in its own transaction and wakes the other processes with a notice on
 * {@link #CHANNEL} when it commits.
 */
public final class WatchlistStore {
    /** The notification channel of screening: 'watchlist' after a change of lists, 'event' after a hit or sweep. */
    public static final String CHANNEL = "entente_screening";
    static final String WATCHLIST_CHANGE = "watchlist-change";

    private static final String COLUMNS = "SELECT id, name, owner_id, kind, category, tlp, handling_codes, red_recipients,"
            + " personal_data, description, threshold, provider_id, agreement_id, remote_id, edition, seq, created,"
            + " modified, removed FROM watchlist ";
    private static final RowMapper<Watchlist> ROW = (rs, ctx) -> new Watchlist(rs.getString(1), rs.getString(2),
            rs.getString(3), WatchlistKind.parse(rs.getString(4)).orElseThrow(),
            Category.parse(rs.getString(5)).orElseThrow(), TlpLevel.parse(rs.getString(6)).orElse(TlpLevel.UNMARKED),
            codes(rs.getArray(7)), strings(rs.getArray(8)), rs.getBoolean(9), rs.getString(10),
            (Double) rs.getObject(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
            rs.getLong(16), rs.getObject(17, OffsetDateTime.class).toInstant(),
            rs.getObject(18, OffsetDateTime.class).toInstant(),
            rs.getObject(19) == null ? null : rs.getObject(19, OffsetDateTime.class).toInstant());

    private final Database db;
    private final AuditLog audit;

    public WatchlistStore(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    // ---------------------------------------------------------------- lists

    public List<Watchlist> all(boolean withRemoved) {
        return db.jdbi().withHandle(h -> h.createQuery(COLUMNS + (withRemoved ? "" : "WHERE removed IS NULL ")
                + "ORDER BY name, id").map(ROW).list());
    }

    /** A list by id, or by name among the live lists (ids are UUIDs, names are the owner's words). */
    public Optional<Watchlist> find(String idOrName) {
        if (idOrName == null || idOrName.indexOf('\0') >= 0) return Optional.empty();
        return db.jdbi().withHandle(h -> h.createQuery(COLUMNS + "WHERE id = :x OR (name = :x AND removed IS NULL)"
                + " ORDER BY removed NULLS FIRST LIMIT 1").bind("x", idOrName).map(ROW).findOne());
    }

    /** Entries currently on each live list. */
    public Map<String, Long> sizes() {
        return db.jdbi().withHandle(h -> {
            Map<String, Long> out = new java.util.HashMap<>();
            h.createQuery("SELECT list_id, count(*) FROM watchlist_entry GROUP BY list_id")
                    .map((rs, ctx) -> out.put(rs.getString(1), rs.getLong(2))).forEach(x -> { });
            return out;
        });
    }

    public Watchlist create(WatchlistDraft d, String ownerId, String actor, String actorOrganisation) {
        String id = UUID.randomUUID().toString();
        return unique(d.name(), () -> db.jdbi().inTransaction(h -> {
            long seq = next(h, 1);
            bindDraft(h.createUpdate("INSERT INTO watchlist (id, name, owner_id, kind, category, tlp, handling_codes,"
                            + " red_recipients, personal_data, description, threshold, seq) VALUES (:id, :name, :owner,"
                            + " :kind, :category, :tlp, :codes, :red, :personal, :description, :threshold, :seq)"), d)
                    .bind("id", id).bind("owner", ownerId).bind("seq", seq).execute();
            Watchlist w = h.createQuery(COLUMNS + "WHERE id = :id").bind("id", id).map(ROW).one();
            audit.append(h, new AuditEvent(WATCHLIST_CHANGE, actor, actorOrganisation, describe("created", w)));
            notice(h);
            return w;
        }));
    }

    /** Changes the description, markings or category of a list: every process decides it anew at once. */
    public Watchlist update(String id, WatchlistDraft d, String actor, String actorOrganisation) {
        return unique(d.name(), () -> db.jdbi().inTransaction(h -> {
            Watchlist before = locked(h, id);
            long seq = next(h, 1);
            bindDraft(h.createUpdate("UPDATE watchlist SET name = :name, kind = :kind, category = :category, tlp = :tlp,"
                    + " handling_codes = :codes, red_recipients = :red, personal_data = :personal,"
                    + " description = :description, threshold = :threshold, seq = :seq, modified = now()"
                    + " WHERE id = :id"), d).bind("id", id).bind("seq", seq).execute();
            Watchlist w = h.createQuery(COLUMNS + "WHERE id = :id").bind("id", id).map(ROW).one();
            Map<String, Object> detail = describe("changed", w);
            detail.put("before", describe("", before));
            audit.append(h, new AuditEvent(WATCHLIST_CHANGE, actor, actorOrganisation, detail));
            notice(h);
            return w;
        }));
    }

    /** Removes a list with its entries and their history; hits already recorded keep what they matched. */
    public Watchlist remove(String id, String actor, String actorOrganisation) {
        return db.jdbi().inTransaction(h -> {
            Watchlist before = locked(h, id);
            long seq = next(h, 1);
            long entries = h.createUpdate("DELETE FROM watchlist_entry WHERE list_id = :id").bind("id", id).execute();
            h.createUpdate("DELETE FROM watchlist_entry_version WHERE list_id = :id").bind("id", id).execute();
            h.createUpdate("UPDATE watchlist SET removed = now(), seq = :seq, modified = now() WHERE id = :id")
                    .bind("id", id).bind("seq", seq).execute();
            Map<String, Object> detail = describe("removed", before);
            detail.put("entries", entries);
            audit.append(h, new AuditEvent(WATCHLIST_CHANGE, actor, actorOrganisation, detail));
            notice(h);
            return h.createQuery(COLUMNS + "WHERE id = :id").bind("id", id).map(ROW).one();
        });
    }

    private static <T> T unique(String name, java.util.function.Supplier<T> change) {
        try {
            return change.get();
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException s && "23505".equals(s.getSQLState())) {
                throw InvalidInput.of("Invalid watchlist", "/name", "a live list named '" + name + "' exists already");
            }
            throw e;
        }
    }

    private static org.jdbi.v3.core.statement.Update bindDraft(org.jdbi.v3.core.statement.Update u, WatchlistDraft d) {
        return u.bind("name", d.name()).bind("kind", d.kind().wire()).bind("category", d.category().wire())
                .bind("tlp", d.tlp().wire())
                .bind("codes", d.handlingCodes().stream().map(Enum::name).sorted().toArray(String[]::new))
                .bind("red", d.redRecipients().toArray(String[]::new)).bind("personal", d.personalData())
                .bind("description", d.description()).bind("threshold", d.threshold());
    }

    private static Watchlist locked(Handle h, String id) {
        return h.createQuery(COLUMNS + "WHERE id = :id AND removed IS NULL FOR UPDATE").bind("id", id).map(ROW)
                .findOne().orElseThrow(() -> new IllegalArgumentException("no live watchlist " + id));
    }

    static Map<String, Object> describe(String change, Watchlist w) {
        Map<String, Object> d = AuditEvent.detail("watchlist", w.id(), "name", w.name(), "kind", w.kind().wire(),
                "category", w.category().wire(), "tlp", w.tlp().wire(),
                "handling_codes", w.handlingCodes().stream().map(Enum::name).sorted().toList(),
                "red_recipients", w.redRecipients(), "threshold", w.threshold());
        if (!change.isEmpty()) d.put("change", change);
        return d;
    }

    // ---------------------------------------------------------------- entries

    /** One stored entry and its version. */
    public record StoredEntry(String listId, String entryId, int version, String data, java.time.Instant modified) {}

    /** One version in an entry's history; data is null for a removal. */
    public record EntryVersion(int version, String change, String data, long seq, java.time.Instant at, String actor,
            String source) {}

    public Optional<StoredEntry> entry(String listId, String entryId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT list_id, entry_id, version, data, modified"
                        + " FROM watchlist_entry WHERE list_id = :l AND entry_id = :e").bind("l", listId).bind("e", entryId)
                .map((rs, ctx) -> new StoredEntry(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant())).findOne());
    }

    public List<EntryVersion> history(String listId, String entryId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT version, change, data, seq, at, actor, source"
                        + " FROM watchlist_entry_version WHERE list_id = :l AND entry_id = :e ORDER BY version")
                .bind("l", listId).bind("e", entryId)
                .map((rs, ctx) -> new EntryVersion(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getString(7))).list());
    }

    /** Entries of a list in id order, after {@code after} (null: from the start). */
    public List<StoredEntry> entries(String listId, String after, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT list_id, entry_id, version, data, modified"
                        + " FROM watchlist_entry WHERE list_id = :l AND entry_id > :after ORDER BY entry_id LIMIT :n")
                .bind("l", listId).bind("after", after == null ? "" : after).bind("n", limit)
                .map((rs, ctx) -> new StoredEntry(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant())).list());
    }

    /** What a change of one entry did: its new version, or nothing when the entry was already so. */
    public record EntryChange(String change, int version, long seq) {
        public static final EntryChange NONE = new EntryChange("unchanged", 0, 0);
    }

    /** Adds or changes one entry (the API's PUT). */
    public EntryChange put(String listId, Entry entry, String actor, String actorOrganisation, String source) {
        String data = EntryJson.write(entry);
        String entryId = entry.listing().id();
        return db.jdbi().inTransaction(h -> {
            locked(h, listId);
            Optional<StoredEntry> old = h.createQuery("SELECT list_id, entry_id, version, data, modified FROM watchlist_entry"
                            + " WHERE list_id = :l AND entry_id = :e FOR UPDATE").bind("l", listId).bind("e", entryId)
                    .map((rs, ctx) -> new StoredEntry(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                            null)).findOne();
            if (old.isPresent() && old.get().data().equals(data)) return EntryChange.NONE;
            int version = old.map(o -> o.version() + 1).orElseGet(() -> lastVersion(h, listId, entryId) + 1);
            String change = old.isPresent() ? "changed" : "added";
            long seq = next(h, 1);
            version(h, listId, entryId, version, change, data, seq, actor, source);
            h.createUpdate("INSERT INTO watchlist_entry (list_id, entry_id, version, data) VALUES (:l, :e, :v, :d)"
                            + " ON CONFLICT (list_id, entry_id) DO UPDATE SET version = excluded.version, data = excluded.data,"
                            + " modified = now()")
                    .bind("l", listId).bind("e", entryId).bind("v", version).bind("d", data).execute();
            audit.append(h, new AuditEvent(WATCHLIST_CHANGE, actor, actorOrganisation, AuditEvent.detail("change",
                    "entry-" + change, "watchlist", listId, "entry", entryId, "version", version, "source", source)));
            notice(h);
            return new EntryChange(change, version, seq);
        });
    }

    /** Removes one entry; false when the list has no such entry. */
    public Optional<EntryChange> removeEntry(String listId, String entryId, String actor, String actorOrganisation) {
        return db.jdbi().inTransaction(h -> {
            locked(h, listId);
            Optional<Integer> old = h.createQuery("DELETE FROM watchlist_entry WHERE list_id = :l AND entry_id = :e"
                    + " RETURNING version").bind("l", listId).bind("e", entryId).mapTo(Integer.class).findOne();
            if (old.isEmpty()) return Optional.empty();
            long seq = next(h, 1);
            version(h, listId, entryId, old.get() + 1, "removed", null, seq, actor, "api");
            audit.append(h, new AuditEvent(WATCHLIST_CHANGE, actor, actorOrganisation, AuditEvent.detail("change",
                    "entry-removed", "watchlist", listId, "entry", entryId, "version", old.get() + 1)));
            notice(h);
            return Optional.of(new EntryChange("removed", old.get() + 1, seq));
        });
    }

    private static int lastVersion(Handle h, String listId, String entryId) {
        return h.createQuery("SELECT coalesce(max(version), 0) FROM watchlist_entry_version WHERE list_id = :l"
                + " AND entry_id = :e").bind("l", listId).bind("e", entryId).mapTo(Integer.class).one();
    }

    private static void version(Handle h, String listId, String entryId, int version, String change, String data,
            long seq, String actor, String source) {
        h.createUpdate("INSERT INTO watchlist_entry_version (list_id, entry_id, version, change, data, seq, actor, source)"
                        + " VALUES (:l, :e, :v, :c, :d, :s, :a, :src)")
                .bind("l", listId).bind("e", entryId).bind("v", version).bind("c", change).bind("d", data)
                .bind("s", seq).bind("a", actor).bind("src", source).execute();
    }

    // ---------------------------------------------------------------- editions

    /** What applying an edition changed. */
    public record Applied(long added, long changed, long removed, long unchanged) {
        public long total() {
            return added + changed + removed;
        }
    }

    /**
     * Makes the list what {@code entries} say it is, in one transaction: the edition is copied into a
     * temporary table and compared with the stored entries in SQL, and only the difference (added,
     * changed and removed entries) becomes new versions. An edition that changes nothing changes
     * nothing, not even the counter.
     *
     * @param entries id and canonical JSON of each entry of the new edition, ids unique
     * @param removeMissing whether entries absent from the edition are removed (a full edition) or kept (a supplement)
     */
    public Applied applyEdition(String listId, List<String[]> entries, boolean removeMissing, String edition, String actor,
            String actorOrganisation, String source) {
        return db.jdbi().inTransaction(h -> {
            Watchlist w = locked(h, listId);
            h.execute("CREATE TEMP TABLE incoming (entry_id text PRIMARY KEY, data text NOT NULL) ON COMMIT DROP");
            copy(h.getConnection(), entries);
            h.execute("ANALYZE incoming");
            h.execute("CREATE TEMP TABLE diff (entry_id text PRIMARY KEY, change text NOT NULL, data text,"
                    + " version int NOT NULL) ON COMMIT DROP");
            h.createUpdate("INSERT INTO diff (entry_id, change, data, version)"
                    + " SELECT coalesce(i.entry_id, e.entry_id) AS entry_id,"
                    + " CASE WHEN e.entry_id IS NULL THEN 'added' WHEN i.entry_id IS NULL THEN 'removed' ELSE 'changed' END"
                    + " AS change, i.data, coalesce(e.version, 0) + 1 AS version"
                    + " FROM incoming i FULL JOIN (SELECT entry_id, version, data FROM watchlist_entry WHERE list_id = :l) e"
                    + " ON e.entry_id = i.entry_id"
                    + " WHERE (e.entry_id IS NULL OR (i.entry_id IS NULL AND :removeMissing) OR e.data <> i.data)")
                    .bind("l", listId).bind("removeMissing", removeMissing).execute();
            // An entry removed once and listed again continues its history.
            h.createUpdate("UPDATE diff SET version = v.last + 1 FROM (SELECT d.entry_id, max(x.version) AS last"
                    + " FROM diff d JOIN watchlist_entry_version x ON x.list_id = :l AND x.entry_id = d.entry_id"
                    + " WHERE d.change = 'added' GROUP BY d.entry_id) v WHERE diff.entry_id = v.entry_id")
                    .bind("l", listId).execute();
            Map<String, Long> counts = new java.util.HashMap<>();
            h.createQuery("SELECT change, count(*) FROM diff GROUP BY change")
                    .map((rs, ctx) -> counts.put(rs.getString(1), rs.getLong(2))).forEach(x -> { });
            long added = counts.getOrDefault("added", 0L);
            long changed = counts.getOrDefault("changed", 0L);
            long removed = counts.getOrDefault("removed", 0L);
            long total = added + changed + removed;
            Applied applied = new Applied(added, changed, removed, entries.size() - added - changed);
            if (total > 0) {
                long last = next(h, total);
                h.createUpdate("INSERT INTO watchlist_entry_version (list_id, entry_id, version, change, data, seq, actor,"
                                + " source) SELECT :l, entry_id, version, change, data,"
                                + " :first + row_number() OVER (ORDER BY entry_id) - 1, :actor, :source FROM diff")
                        .bind("l", listId).bind("first", last - total + 1).bind("actor", actor).bind("source", source)
                        .execute();
                h.createUpdate("DELETE FROM watchlist_entry e USING diff d WHERE e.list_id = :l AND e.entry_id = d.entry_id"
                        + " AND d.change = 'removed'").bind("l", listId).execute();
                h.createUpdate("INSERT INTO watchlist_entry (list_id, entry_id, version, data) SELECT :l, entry_id, version,"
                                + " data FROM diff WHERE change <> 'removed' ON CONFLICT (list_id, entry_id) DO UPDATE"
                                + " SET version = excluded.version, data = excluded.data, modified = now()")
                        .bind("l", listId).execute();
            }
            if (edition != null) {
                h.createUpdate("UPDATE watchlist SET edition = :ed, modified = now() WHERE id = :l").bind("ed", edition)
                        .bind("l", listId).execute();
            }
            Map<String, Object> detail = AuditEvent.detail("change", "imported", "watchlist", w.id(), "name", w.name(),
                    "edition", edition, "source", source, "entries", entries.size(), "added", added, "changed", changed,
                    "removed", removed, "remove_missing", removeMissing);
            audit.append(h, new AuditEvent(WATCHLIST_CHANGE, actor, actorOrganisation, detail));
            if (total > 0) notice(h);
            return applied;
        });
    }

    private static void copy(Connection c, List<String[]> entries) {
        Copy.rows(c, "COPY incoming (entry_id, data) FROM STDIN (FORMAT csv)", entries);
    }

    // ---------------------------------------------------------------- following

    /** The number of the last committed change of lists. */
    public long lastChange() {
        return db.jdbi().withHandle(h -> counter(h, "watchlist"));
    }

    static long counter(Handle h, String name) {
        return h.createQuery("SELECT value FROM screening_counter WHERE name = :n").bind("n", name).mapTo(Long.class).one();
    }

    /** Every live list with its entries, read in one snapshot with the change number it is complete up to. */
    public long snapshot(Consumer<Watchlist> list, Consumer<StoredEntry> entry) {
        return db.jdbi().inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            long seq = counter(h, "watchlist");
            List<Watchlist> lists = h.createQuery(COLUMNS + "WHERE removed IS NULL ORDER BY id").map(ROW).list();
            lists.forEach(list);
            for (Watchlist w : lists) {
                h.createQuery("SELECT entry_id, version, data FROM watchlist_entry WHERE list_id = :l")
                        .bind("l", w.id()).setFetchSize(10_000)
                        .map((rs, ctx) -> new StoredEntry(w.id(), rs.getString(1), rs.getInt(2), rs.getString(3), null))
                        .forEach(entry);
            }
            return seq;
        });
    }

    /** The changes after {@code seq}: lists changed (also removed ones), then entry versions in order. */
    public long changesSince(long seq, Consumer<Watchlist> list, Consumer<EntryChangeRow> entry) {
        return db.jdbi().inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            long last = counter(h, "watchlist");
            if (last <= seq) return last;
            h.createQuery(COLUMNS + "WHERE seq > :s ORDER BY seq").bind("s", seq).map(ROW).forEach(list);
            h.createQuery("SELECT list_id, entry_id, version, change, data, seq FROM watchlist_entry_version"
                            + " WHERE seq > :s ORDER BY seq").bind("s", seq).setFetchSize(10_000)
                    .map((rs, ctx) -> new EntryChangeRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6))).forEach(entry);
            return last;
        });
    }

    /** One version as the followers apply it. */
    public record EntryChangeRow(String listId, String entryId, int version, String change, String data, long seq) {}

    // ---------------------------------------------------------------- helpers

    /** Takes the next {@code n} change numbers (locking the counter to commit); returns the last. */
    static long next(Handle h, long n) {
        return h.createQuery("UPDATE screening_counter SET value = value + :n WHERE name = 'watchlist' RETURNING value")
                .bind("n", n).mapTo(Long.class).one();
    }

    static void notice(Handle h) {
        h.execute("SELECT pg_notify('" + CHANNEL + "', 'watchlist')");
    }

    private static Set<HandlingCode> codes(Array a) throws SQLException {
        Set<HandlingCode> out = EnumSet.noneOf(HandlingCode.class);
        for (String s : strings(a)) HandlingCode.parse(s).ifPresent(out::add);
        return out;
    }

    private static List<String> strings(Array a) throws SQLException {
        if (a == null) return List.of();
        return Arrays.asList((String[]) a.getArray());
    }
}
