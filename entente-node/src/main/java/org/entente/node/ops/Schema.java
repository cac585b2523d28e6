package org.entente.node.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The node's schema as the catalog describes it: its tables, their columns and the order foreign keys
 * impose, its sequences, its migrations, and whether anything is in it. The node's schema is the
 * connection's {@code current_schema()}, where Flyway creates it.
 */
final class Schema {
    private Schema() {}

    static final String HISTORY = "flyway_schema_history";

    /**
     * Filled by the migrations, or by the first command that needs a node secret (the audit key, the
     * paging-token key), not with anything an operator or a partner put in: a database with rows in
     * these only is empty.
     */
    private static final Set<String> SEEDED = Set.of(HISTORY, "audit_head", "policy_epoch", "node_setting",
            "screening_counter");

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String current(Connection c) throws SQLException {
        return string(c, "SELECT current_schema()");
    }

    /** The schema's tables (extension members aside), by name, with the columns COPY reads and writes. */
    static Map<String, List<Manifest.Column>> tables(Connection c) throws SQLException {
        Map<String, List<Manifest.Column>> tables = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT t.relname, a.attname, format_type(a.atttypid, a.atttypmod)
                FROM pg_class t
                JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                WHERE n.nspname = current_schema() AND t.relkind = 'r'
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                  WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e')
                ORDER BY t.relname, a.attnum""");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                tables.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new Manifest.Column(rs.getString(2), rs.getString(3)));
            }
        }
        return tables;
    }

    /** The tables in an order in which each comes after every table its foreign keys refer to. */
    static List<String> loadOrder(Connection c, Set<String> tables) throws SQLException {
        Map<String, Set<String>> parents = new HashMap<>();
        for (String t : tables) parents.put(t, new TreeSet<>());
        try (PreparedStatement s = c.prepareStatement("""
                SELECT child.relname, parent.relname
                FROM pg_constraint k
                JOIN pg_class child ON child.oid = k.conrelid
                JOIN pg_class parent ON parent.oid = k.confrelid
                JOIN pg_namespace n ON n.oid = child.relnamespace
                WHERE k.contype = 'f' AND n.nspname = current_schema() AND k.conrelid <> k.confrelid""");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Set<String> p = parents.get(rs.getString(1));
                if (p != null && tables.contains(rs.getString(2))) p.add(rs.getString(2));
            }
        }
        List<String> order = new ArrayList<>();
        Set<String> placed = new TreeSet<>();
        Deque<String> pending = new ArrayDeque<>(new TreeSet<>(tables));
        int stalled = 0;
        while (!pending.isEmpty()) {
            String t = pending.poll();
            if (placed.containsAll(parents.get(t))) {
                order.add(t);
                placed.add(t);
                stalled = 0;
            } else {
                pending.add(t);
                if (++stalled > pending.size()) {
                    throw new IllegalStateException("the foreign keys between " + pending + " form a cycle:"
                            + " no order of loading satisfies them");
                }
            }
        }
        return order;
    }

    /** Sequences with their state; read outside any snapshot, so never behind the rows that used them. */
    static List<Manifest.SequenceState> sequences(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind = 'S' ORDER BY c.relname""");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) names.add(rs.getString(1));
        }
        List<Manifest.SequenceState> states = new ArrayList<>();
        for (String name : names) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT last_value, is_called FROM " + quote(name))) {
                rs.next();
                states.add(new Manifest.SequenceState(name, rs.getLong(1), rs.getBoolean(2)));
            }
        }
        return states;
    }

    static void restoreSequence(Connection c, Manifest.SequenceState s) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT setval(format('%I.%I', current_schema(), ?)::regclass, ?, ?)")) {
            q.setString(1, s.name());
            q.setLong(2, s.lastValue());
            q.setBoolean(3, s.isCalled());
            q.execute();
        }
    }

    /** The applied migrations, oldest first; empty when Flyway never ran here. */
    static List<Manifest.Migration> migrations(Connection c) throws SQLException {
        List<Manifest.Migration> applied = new ArrayList<>();
        if (!tableExists(c, HISTORY)) return applied;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT version, description, type, script, checksum FROM " + quote(HISTORY)
                        + " WHERE success ORDER BY installed_rank")) {
            while (rs.next()) {
                int checksum = rs.getInt(5);
                applied.add(new Manifest.Migration(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.wasNull() ? null : checksum));
            }
        }
        return applied;
    }

    static Manifest.AuditHead auditHead(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, encode(hash, 'hex') FROM audit_head")) {
            if (!rs.next()) return new Manifest.AuditHead(0, "");
            return new Manifest.AuditHead(rs.getLong(1), rs.getString(2));
        }
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * What a node has put into this database, table by table (tables with rows only): empty for a
     * database that was only migrated.
     */
    static Map<String, Long> contents(Connection c) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String t : tables(c).keySet()) {
            if (SEEDED.contains(t)) continue;
            long n = count(c, t);
            if (n > 0) rows.put(t, n);
        }
        if (tableExists(c, "audit_head") && auditHead(c).seq() > 0 && !rows.containsKey("audit_record")) {
            rows.put("audit_head", 1L);
        }
        return rows;
    }

    /** Sessions on this database other than those named {@code ownSession}: node processes, mostly. */
    static List<String> otherSessions(Connection c, String ownSession) throws SQLException {
        List<String> others = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT pid, coalesce(nullif(application_name, ''), 'unnamed'), coalesce(host(client_addr), 'local socket'),
                       to_char(backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"')
                FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                  AND application_name IS DISTINCT FROM ?
                ORDER BY backend_start""")) {
            s.setString(1, ownSession);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    others.add("pid " + rs.getInt(1) + " '" + rs.getString(2) + "' from " + rs.getString(3)
                            + " since " + rs.getString(4));
                }
            }
        }
        return others;
    }

    /**
     * SQL that removes everything in the current schema that is not an extension's: tables (with
     * their indexes, owned sequences and dependent views), then views, sequences, routines and types
     * left over. Keeps the Flyway history table when asked, for a restore that refills it.
     */
    static String emptySchemaSql(boolean keepHistory) {
        String history = keepHistory ? " AND c.relname <> '" + HISTORY + "'" : "";
        return """
                DO $entente$
                DECLARE r record;
                BEGIN
                  FOR r IN
                    SELECT format('DROP %s IF EXISTS %I.%I CASCADE',
                                  CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                                 WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                                  n.nspname, c.relname) AS statement
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                      AND NOT c.relispartition{keep history}
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                      AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
                    ORDER BY c.relkind IN ('r', 'p') DESC, c.relkind = 'S', c.relname
                  LOOP
                    EXECUTE r.statement;
                  END LOOP;
                  FOR r IN
                    SELECT format('DROP %s IF EXISTS %s CASCADE', CASE p.prokind WHEN 'a' THEN 'AGGREGATE' ELSE 'ROUTINE' END,
                                  p.oid::regprocedure) AS statement
                    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = current_schema()
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                      AND d.objid = p.oid AND d.deptype = 'e')
                  LOOP
                    EXECUTE r.statement;
                  END LOOP;
                  FOR r IN
                    SELECT format('DROP TYPE IF EXISTS %I.%I CASCADE', n.nspname, t.typname) AS statement
                    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                    WHERE n.nspname = current_schema()
                      AND (t.typtype IN ('e', 'd', 'r')
                           OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                                      AND d.objid = t.oid AND d.deptype = 'e')
                  LOOP
                    EXECUTE r.statement;
                  END LOOP;
                END
                $entente$;
                """.replace("{keep history}", history);
    }

    static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(format('%I.%I', current_schema(), ?)) IS NOT NULL")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static String string(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
