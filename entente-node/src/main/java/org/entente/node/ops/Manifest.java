package org.entente.node.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a backup file says about itself ({@code manifest.json}): enough to refuse it before anything
 * is changed (format, schema version, the integrity of every entry) and to check the result after.
 */
record Manifest(
        int formatVersion,
        Method method,
        Instant created,
        String ententeVersion,
        String schema,
        List<Migration> migrations,
        String serverVersion,
        int serverVersionNum,
        String toolVersion,
        AuditHead auditHead,
        List<Table> tables,
        List<SequenceState> sequences,
        Entry dump) {

    static final String FORMAT = "entente-backup";
    static final int FORMAT_VERSION = 1;
    static final String ENTRY = "manifest.json";

    enum Method {
        /** Each table's rows as PostgreSQL's binary COPY format, one entry per table. */
        BUILTIN("builtin"),
        /** One entry holding pg_dump's custom-format archive of the schema. */
        PG_DUMP("pg_dump");

        final String label;

        Method(String label) {
            this.label = label;
        }
    }

    /** An applied Flyway migration, as {@code flyway_schema_history} records it. */
    record Migration(String version, String description, String type, String script, Integer checksum) {}

    record AuditHead(long seq, String hash) {}

    record Column(String name, String type) {}

    /** @param entry the zip entry of its rows (builtin) or null (pg_dump: the rows are in the archive) */
    record Table(String name, List<Column> columns, long rows, Entry entry) {}

    record SequenceState(String name, long lastValue, boolean isCalled) {}

    record Entry(String name, long bytes, String sha256) {}

    /** The newest applied migration: the schema version of the backed-up database. */
    String schemaVersion() {
        return migrations.isEmpty() ? "none" : migrations.getLast().version();
    }

    long rows() {
        return tables.stream().mapToLong(Table::rows).sum();
    }

    byte[] toJson(ObjectMapper json) {
        ObjectNode m = json.createObjectNode();
        m.put("format", FORMAT);
        m.put("format_version", formatVersion);
        m.put("method", method.label);
        m.put("created", created.toString());
        m.put("entente_version", ententeVersion);
        m.put("schema", schema);
        m.put("schema_version", schemaVersion());
        ArrayNode ms = m.putArray("migrations");
        for (Migration x : migrations) {
            ObjectNode o = ms.addObject();
            o.put("version", x.version());
            o.put("description", x.description());
            o.put("type", x.type());
            o.put("script", x.script());
            if (x.checksum() == null) o.putNull("checksum");
            else o.put("checksum", x.checksum());
        }
        m.put("server_version", serverVersion);
        m.put("server_version_num", serverVersionNum);
        if (toolVersion == null) m.putNull("tool_version");
        else m.put("tool_version", toolVersion);
        m.putObject("audit_head").put("seq", auditHead.seq()).put("hash", auditHead.hash());
        ArrayNode ts = m.putArray("tables");
        for (Table t : tables) {
            ObjectNode o = ts.addObject();
            o.put("name", t.name());
            ArrayNode cs = o.putArray("columns");
            for (Column c : t.columns()) cs.addObject().put("name", c.name()).put("type", c.type());
            o.put("rows", t.rows());
            if (t.entry() != null) o.set("entry", entry(json, t.entry()));
        }
        ArrayNode ss = m.putArray("sequences");
        for (SequenceState s : sequences) {
            ss.addObject().put("name", s.name()).put("last_value", s.lastValue()).put("is_called", s.isCalled());
        }
        if (dump != null) m.set("dump", entry(json, dump));
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode entry(ObjectMapper json, Entry e) {
        return json.createObjectNode().put("name", e.name()).put("bytes", e.bytes()).put("sha256", e.sha256());
    }

    /**
     * Reads a manifest.
     *
     * @throws Damaged naming what is missing or malformed
     */
    static Manifest parse(ObjectMapper json, byte[] bytes) {
        JsonNode m;
        try {
            m = json.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new Damaged("its manifest is not JSON: " + e.getMessage());
        }
        if (m == null || !m.isObject() || !FORMAT.equals(m.path("format").asText(null))) {
            throw new Damaged("its manifest does not describe an Entente backup");
        }
        int version = integer(m, "format_version");
        if (version > FORMAT_VERSION) {
            throw new Unsupported("it is in backup format " + version + ", written by a newer Entente; this one reads format "
                    + FORMAT_VERSION + ": restore it with the Entente that wrote it or a newer one");
        }
        Method method = switch (text(m, "method")) {
            case "builtin" -> Method.BUILTIN;
            case "pg_dump" -> Method.PG_DUMP;
            default -> throw new Damaged("its manifest names an unknown method '" + m.path("method").asText() + "'");
        };
        Instant created;
        try {
            created = Instant.parse(text(m, "created"));
        } catch (DateTimeParseException e) {
            throw new Damaged("its manifest has an unreadable creation time");
        }
        List<Migration> migrations = new ArrayList<>();
        for (JsonNode x : array(m, "migrations")) {
            migrations.add(new Migration(text(x, "version"), x.path("description").asText(""), text(x, "type"),
                    text(x, "script"), x.path("checksum").isInt() ? x.path("checksum").intValue() : null));
        }
        JsonNode head = m.path("audit_head");
        if (!head.isObject()) throw new Damaged("its manifest lacks 'audit_head'");
        List<Table> tables = new ArrayList<>();
        for (JsonNode t : array(m, "tables")) {
            List<Column> columns = new ArrayList<>();
            for (JsonNode c : array(t, "columns")) columns.add(new Column(text(c, "name"), text(c, "type")));
            tables.add(new Table(text(t, "name"), columns, longValue(t, "rows"),
                    t.has("entry") ? entry(t.path("entry")) : null));
        }
        List<SequenceState> sequences = new ArrayList<>();
        for (JsonNode s : array(m, "sequences")) {
            sequences.add(new SequenceState(text(s, "name"), longValue(s, "last_value"), s.path("is_called").asBoolean()));
        }
        Entry dump = m.has("dump") ? entry(m.path("dump")) : null;
        if (method == Method.BUILTIN && tables.stream().anyMatch(t -> t.entry() == null)) {
            throw new Damaged("its manifest lists a table without its rows");
        }
        if (method == Method.PG_DUMP && dump == null) throw new Damaged("its manifest lacks the pg_dump archive");
        return new Manifest(version, method, created, m.path("entente_version").asText(""), text(m, "schema"), migrations,
                text(m, "server_version"), integer(m, "server_version_num"),
                m.path("tool_version").isTextual() ? m.path("tool_version").asText() : null,
                new AuditHead(longValue(head, "seq"), text(head, "hash")), tables, sequences, dump);
    }

    private static Entry entry(JsonNode e) {
        return new Entry(text(e, "name"), longValue(e, "bytes"), text(e, "sha256"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.isTextual()) throw new Damaged("its manifest lacks '" + field + "'");
        return v.asText();
    }

    private static int integer(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.isInt()) throw new Damaged("its manifest lacks '" + field + "'");
        return v.intValue();
    }

    private static long longValue(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.canConvertToLong() || !v.isIntegralNumber()) throw new Damaged("its manifest lacks '" + field + "'");
        return v.longValue();
    }

    private static JsonNode array(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.isArray()) throw new Damaged("its manifest lacks '" + field + "'");
        return v;
    }

    /** The file is not what a backup wrote: truncated, altered, or something else. */
    static final class Damaged extends IllegalArgumentException {
        Damaged(String message) {
            super(message);
        }
    }

    /** A sound backup that this build cannot restore (a newer format or schema). */
    static final class Unsupported extends IllegalArgumentException {
        Unsupported(String message) {
            super(message);
        }
    }
}
