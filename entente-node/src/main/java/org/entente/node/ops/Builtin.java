package org.entente.node.ops;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The logical backup that needs no PostgreSQL client tools: every table's rows in PostgreSQL's binary
 * COPY format, read in one snapshot; restored into the schema rebuilt by the backup's own migrations.
 *
 * <p>Binary rows carry the element type's OID inside arrays: arrays of built-in types restore into
 * any database, but an array of a type a migration creates (an enum) would be refused on restore,
 * inside the transaction. None of the node's columns is one today.
 */
final class Builtin {
    private Builtin() {}

    static String entryName(String table) {
        return "tables/" + table + ".copy";
    }

    /**
     * Writes every table of the schema. The caller's connection is in a REPEATABLE READ transaction,
     * so all tables, the audit head and the migrations are of one moment even while a node writes.
     */
    static List<Manifest.Table> write(Connection c, Map<String, List<Manifest.Column>> tables, BackupFile.Writer out,
            Backups.Progress progress) throws SQLException, IOException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        List<Manifest.Table> written = new ArrayList<>();
        for (String table : Schema.loadOrder(c, tables.keySet())) {
            List<Manifest.Column> columns = tables.get(table);
            String sql = "COPY " + Schema.quote(table) + " (" + columnList(columns) + ") TO STDOUT (FORMAT binary)";
            long[] rows = new long[1];
            Meter meter = new Meter(progress, table, -1);
            Manifest.Entry entry = out.write(entryName(table), meter, o -> {
                try {
                    rows[0] = copy.copyOut(sql, o);
                } catch (SQLException e) {
                    throw new IOException(e.getMessage(), e);
                }
            });
            progress.report(String.format("  %s: %s, %s", table, Backups.rows(rows[0]), Backups.size(entry.bytes())));
            written.add(new Manifest.Table(table, columns, rows[0], entry));
        }
        return written;
    }

    /**
     * Loads every table of the backup into the caller's transaction, in an order its foreign keys
     * allow. The schema must be the backup's (same tables, same columns and types): the rows are
     * binary and checked against the manifest's digests and row counts as they go in.
     */
    static long load(Connection c, BackupFile.Reader file, Manifest m, Backups.Progress progress) throws SQLException {
        Map<String, List<Manifest.Column>> schema = Schema.tables(c);
        Map<String, Manifest.Table> byName = new HashMap<>();
        for (Manifest.Table t : m.tables()) {
            List<Manifest.Column> there = schema.get(t.name());
            if (there == null) {
                throw new Manifest.Damaged("it holds table " + t.name() + ", which schema version " + m.schemaVersion()
                        + " does not have");
            }
            if (!there.containsAll(t.columns())) {
                throw new Manifest.Damaged("its columns of " + t.name() + " (" + describe(t.columns())
                        + ") are not those of schema version " + m.schemaVersion() + " (" + describe(there) + ")");
            }
            byName.put(t.name(), t);
        }
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        long rows = 0;
        for (String name : Schema.loadOrder(c, byName.keySet())) {
            Manifest.Table t = byName.get(name);
            String sql = "COPY " + Schema.quote(name) + " (" + columnList(t.columns()) + ") FROM STDIN (FORMAT binary)";
            long loaded;
            try (InputStream in = file.open(t.entry(), new Meter(progress, name, t.entry().bytes()))) {
                loaded = copy.copyIn(sql, in);
            } catch (IOException e) {
                throw file.damaged(t.entry(), e);
            }
            if (loaded != t.rows()) {
                throw new Manifest.Damaged("table " + name + " gave " + loaded + " rows where the manifest counts " + t.rows());
            }
            progress.report("  " + name + ": " + Backups.rows(loaded));
            rows += loaded;
        }
        for (Manifest.SequenceState s : m.sequences()) Schema.restoreSequence(c, s);
        return rows;
    }

    /** Runs a migration script of this build inside the caller's transaction. */
    static void run(Connection c, String script) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(script);
        }
    }

    private static String columnList(List<Manifest.Column> columns) {
        return columns.stream().map(x -> Schema.quote(x.name())).collect(Collectors.joining(", "));
    }

    private static String describe(List<Manifest.Column> columns) {
        return columns.stream().map(x -> x.name() + " " + x.type()).collect(Collectors.joining(", "));
    }
}
