package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.entente.node.Node;
import org.entente.node.config.NodeConfig;
import org.entente.node.testing.Cli.Run;
import org.entente.node.testing.Http;
import org.entente.node.testing.Stix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `entente backup` and `entente restore` between real databases: what comes back is what was there,
 * a node serves it, and a damaged file or a refused restore changes nothing.
 */
class BackupRestoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A node's database with partners, an agreement, users with a key and a grant, objects and a signed audit log. */
    record Source(CliDatabase db, String apiKey, List<String> objectIds) {}

    private Source source() throws IOException {
        return populate(CliDatabase.withPartners(), dir);
    }

    /** Adds to a database with partners what a working node holds. */
    static Source populate(CliDatabase db, Path dir) throws IOException {
        db.ok("agreement", "add", "--file", CliDatabase.file(CliDatabase.mou()));
        List<String> ids = new ArrayList<>();
        String[] objects = new String[25];
        for (int i = 0; i < objects.length; i++) {
            String id = Stix.indicatorId();
            ids.add(id);
            objects[i] = Stix.indicator(id, "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '10.77.0." + i + "']");
        }
        Path bundle = Files.writeString(dir.resolve("bundle.json"), Stix.bundle(objects));
        db.ok("import", bundle.toString());
        db.ok("user", "add", "alice", "--role", "analyst");
        db.ok("user", "grant", "alice", Node.DEFAULT_COLLECTION, "--read");
        String key = CliDatabase.firstLine(db.ok("user", "key", "alice"));
        db.ok("audit", "checkpoint");
        return new Source(db, key, ids);
    }

    @Test
    void aRestoredDatabaseHoldsWhatWasBackedUpAndANodeServesIt() throws Exception {
        Source s = source();
        Path file = dir.resolve("node.backup");
        Run backup = s.db().ok("backup", file.toString(), "--method", "builtin");
        assertThat(backup.out()).startsWith("backup written to " + file.toAbsolutePath())
                .contains("schema version " + org.entente.node.testing.Schema.latest()).contains("built-in");
        assertThat(backup.err()).contains("stix_object: 25 rows");
        assertThat(manifest(file).path("method").asText()).isEqualTo("builtin");

        CliDatabase target = new CliDatabase();
        Run restore = target.ok("restore", file.toString());
        assertThat(restore.out()).contains("restored " + file).contains("audit log intact:");
        assertThat(restore.err()).contains("checking " + file).contains("stix_object: 25 rows");
        assertThat(fingerprint(target)).as("every table, row for row").isEqualTo(fingerprint(s.db()));

        // A node started on the restored database serves the same objects to the same API key, and its
        // audit records chain on from the restored ones, checkpoints signed with the restored key.
        try (Node node = Node.start(new NodeConfig("127.0.0.1", 0, target.location, false, null, null,
                NodeConfig.DEFAULT_MAX_CONTENT_LENGTH, "restored"))) {
            Http alice = new Http(node.url(), Http.bearer(s.apiKey()));
            String collection = alice.get("/taxii2/intel/collections/").json().path("collections").get(0).path("id").asText();
            Http.Response page = alice.get("/taxii2/intel/collections/" + collection + "/objects/?limit=100");
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            List<String> served = new ArrayList<>();
            page.json().path("objects").forEach(o -> served.add(o.path("id").asText()));
            assertThat(served).containsExactlyInAnyOrderElementsOf(s.objectIds());
        }
        target.ok("audit", "checkpoint");
        assertThat(target.ok("audit", "verify").out()).startsWith("audit log intact");
        // Sequences carry on from the backup's: new rows do not collide with restored ones.
        target.ok("user", "add", "bob");
        target.ok("consent", "add", "--provider", CliDatabase.PARTNER, "--recipient", CliDatabase.OTHER,
                "--covers", "onward-sharing", "--reference", "letter 2025/7");
    }

    @Test
    void aBackupIsOneSnapshotWhileTheNodeWrites() throws Exception {
        Source s = source();
        try (Node node = Node.start(new NodeConfig("127.0.0.1", 0, s.db().location, false, null, null,
                NodeConfig.DEFAULT_MAX_CONTENT_LENGTH, "busy"))) {
            Http alice = new Http(node.url(), Http.bearer(s.apiKey()));
            String collection = alice.get("/taxii2/intel/collections/").json().path("collections").get(0).path("id").asText();
            String objects = "/taxii2/intel/collections/" + collection + "/objects/";
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger pages = new AtomicInteger();
            // Every page read appends a release record to the audit chain: audit_record and audit_head
            // change together all the time, so tables read at different moments would not fit.
            Thread reader = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    if (alice.get(objects + "?limit=5").status() == 200) pages.incrementAndGet();
                }
            });
            List<Long> heads = new ArrayList<>();
            try {
                while (pages.get() < 5) Thread.sleep(20);
                for (int i = 0; i < 3; i++) {
                    Path file = dir.resolve("busy-" + i + ".backup");
                    s.db().ok("backup", file.toString(), "--method", "builtin", "-q");
                    heads.add(manifest(file).path("audit_head").path("seq").asLong());
                }
            } finally {
                stop.set(true);
                reader.join();
            }
            assertThat(heads).as("the node kept writing between the backups").doesNotHaveDuplicates();
            for (int i = 0; i < 3; i++) {
                CliDatabase target = new CliDatabase();
                Run restore = target.ok("restore", dir.resolve("busy-" + i + ".backup").toString(), "-q");
                assertThat(restore.out()).contains("audit log intact: " + heads.get(i) + " records");
            }
        }
    }

    @Test
    void aDatabaseThatHoldsDataIsReplacedOnlyWithForceWhichSaysWhat() throws Exception {
        Source s = source();
        Path file = dir.resolve("node.backup");
        s.db().ok("backup", file.toString(), "--method", "builtin");
        CliDatabase other = CliDatabase.withPartners();
        other.ok("collection", "add", "Other's collection", "--alias", "others");
        Map<String, String> before = fingerprint(other);

        Run refused = other.refused("restore", file.toString());
        assertThat(refused.err()).contains("the database is not empty (").contains("organisation 3 rows")
                .contains("give --force");
        assertThat(fingerprint(other)).isEqualTo(before);

        Run forced = other.ok("restore", file.toString(), "--force");
        assertThat(forced.err()).contains("--force: replacing everything in the database: ").contains("collection 1 row");
        assertThat(fingerprint(other)).isEqualTo(fingerprint(s.db()));
        assertThat(other.strings("SELECT alias FROM collection")).doesNotContain("others");
    }

    @Test
    void aRestoreBesideARunningNodeIsRefused() throws Exception {
        Source s = source();
        Path file = dir.resolve("node.backup");
        s.db().ok("backup", file.toString(), "--method", "builtin");
        CliDatabase target = new CliDatabase();
        try (Node node = Node.start(new NodeConfig("127.0.0.1", 0, target.location, false, null, null,
                NodeConfig.DEFAULT_MAX_CONTENT_LENGTH, "running"))) {
            Map<String, String> before = fingerprint(target);
            Run refused = target.refused("restore", file.toString());
            assertThat(refused.err()).containsPattern("other sessions? (is|are) connected to this database \\(pid \\d+ 'entente'")
                    .contains("stop the node processes using it");
            assertThat(fingerprint(target)).isEqualTo(before);
        }
    }

    @Test
    void aTruncatedOrCorruptedFileIsRefusedAndChangesNothing() throws Exception {
        Source s = source();
        Path file = dir.resolve("node.backup");
        s.db().ok("backup", file.toString(), "--method", "builtin");
        byte[] bytes = Files.readAllBytes(file);
        CliDatabase target = CliDatabase.withPartners();
        Map<String, String> before = fingerprint(target);

        Path truncated = Files.write(dir.resolve("truncated.backup"), java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));
        Run r1 = target.refused("restore", truncated.toString(), "--force");
        assertThat(r1.err()).contains(truncated + " is damaged, nothing was changed: it is not a complete backup file");

        // One byte changed inside the stored rows of the largest table.
        ZipEntry rows;
        try (ZipFile z = new ZipFile(file.toFile())) {
            rows = z.getEntry("tables/stix_object.copy");
        }
        long at = dataOffset(file, "tables/stix_object.copy") + rows.getCompressedSize() / 2;
        byte[] flipped = bytes.clone();
        flipped[(int) at] ^= 0x5a;
        Path corrupted = Files.write(dir.resolve("corrupted.backup"), flipped);
        Run r2 = target.refused("restore", corrupted.toString(), "--force");
        assertThat(r2.err()).contains(corrupted + " is damaged, nothing was changed: its entry tables/stix_object.copy is damaged");

        Path notABackup = Files.writeString(dir.resolve("notes.txt"), "not a backup");
        assertThat(target.refused("restore", notABackup.toString()).err()).contains("is damaged");
        assertThat(target.refused("restore", dir.resolve("missing.backup").toString()).err()).contains("no such file");
        assertThat(fingerprint(target)).isEqualTo(before);
    }

    @Test
    void aFailureHalfwayThroughTheRestoreRollsEverythingBack() throws Exception {
        Source s = source();
        Path file = dir.resolve("node.backup");
        s.db().ok("backup", file.toString(), "--method", "builtin");
        // Sound entries, but the manifest counts one row more than stix_object gives: the check comes
        // after the schema was emptied and other tables were loaded.
        Path miscounted = rewrite(file, "miscounted.backup", m -> {
            for (JsonNode t : m.path("tables")) {
                if (t.path("name").asText().equals("stix_object")) ((ObjectNode) t).put("rows", t.path("rows").asLong() + 1);
            }
        });
        CliDatabase target = CliDatabase.withPartners();
        Map<String, String> before = fingerprint(target);
        Run r = target.refused("restore", miscounted.toString(), "--force");
        assertThat(r.err()).contains("--force: replacing").contains("table stix_object gave 25 rows where the manifest counts 26");
        assertThat(fingerprint(target)).isEqualTo(before);
    }

    @Test
    void aBackupOfANewerSchemaIsRefused() throws Exception {
        Source s = source();
        Path file = dir.resolve("node.backup");
        s.db().ok("backup", file.toString(), "--method", "builtin");
        Path newer = rewrite(file, "newer.backup", m -> ((ArrayNode) m.path("migrations")).addObject()
                .put("version", "999").put("description", "from the future").put("type", "SQL")
                .put("script", "V999__from_the_future.sql").put("checksum", 1));
        CliDatabase target = CliDatabase.withPartners();
        Map<String, String> before = fingerprint(target);
        Run r = target.refused("restore", newer.toString(), "--force");
        assertThat(r.err()).contains("cannot be restored here, nothing was changed: it holds schema version 999,"
                + " newer than this Entente's " + org.entente.node.testing.Schema.latest());
        assertThat(fingerprint(target)).isEqualTo(before);
    }

    @Test
    void aPgDumpBackupNeedsPgRestoreAndPsqlOfItsVersion() throws Exception {
        Source s = source();
        Path file = dir.resolve("node.backup");
        s.db().ok("backup", file.toString(), "--method", "builtin");
        byte[] archive = "PGDMP as if from a future pg_dump".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(archive));
        Path future = rewrite(file, "future.backup", m -> {
            m.put("method", "pg_dump").put("tool_version", "99.1");
            m.putObject("dump").put("name", "pg_dump.custom").put("bytes", archive.length).put("sha256", sha);
        }, Map.of("pg_dump.custom", archive));
        Path empty = Files.createDirectory(dir.resolve("no-tools"));
        CliDatabase target = new CliDatabase();
        Run r = target.refused("restore", future.toString(), "--pg-bin", empty.toString());
        assertThat(r.err()).contains("this backup was written by pg_dump 99.1: restoring it needs pg_restore and psql of"
                + " PostgreSQL 99 or later, and there is no pg_restore in " + empty);
        assertThat(target.strings("SELECT count(*) FROM organisation")).containsExactly("0");
    }

    @Test
    void backupRefusesToOverwriteAFileAndAnUnavailablePgDump() throws Exception {
        CliDatabase db = CliDatabase.withPartners();
        Path existing = Files.writeString(dir.resolve("existing.backup"), "keep me");
        assertThat(db.refused("backup", existing.toString()).err()).contains("exists: give --force to replace it");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
        db.ok("backup", existing.toString(), "--force", "--method", "builtin");
        assertThat(manifest(existing).path("format").asText()).isEqualTo("entente-backup");
        assertThat(Files.getPosixFilePermissions(existing)).as("it holds the node's secrets")
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

        Path empty = Files.createDirectory(dir.resolve("no-tools"));
        Run r = db.refused("backup", dir.resolve("b.backup").toString(), "--method", "pg_dump", "--pg-bin", empty.toString());
        assertThat(r.err()).contains("--method pg_dump: no pg_dump in " + empty);
        Run auto = db.ok("backup", dir.resolve("auto.backup").toString(), "--pg-bin", empty.toString());
        assertThat(auto.err()).contains("no pg_dump in " + empty + ": using the built-in logical backup");
        assertThat(dir.resolve("b.backup")).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
    }

    // ------------------------------------------------------------------ helpers

    static JsonNode manifest(Path file) throws IOException {
        try (ZipFile z = new ZipFile(file.toFile()); InputStream in = z.getInputStream(z.getEntry("manifest.json"))) {
            return JSON.readTree(in);
        }
    }

    /** The same backup with its manifest edited and every other entry as it was. */
    static Path rewrite(Path file, String name, Consumer<ObjectNode> edit) throws IOException {
        return rewrite(file, name, edit, Map.of());
    }

    static Path rewrite(Path file, String name, Consumer<ObjectNode> edit, Map<String, byte[]> added) throws IOException {
        Path out = file.resolveSibling(name);
        try (ZipFile z = new ZipFile(file.toFile()); ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Map.Entry<String, byte[]> a : added.entrySet()) {
                zip.putNextEntry(new ZipEntry(a.getKey()));
                zip.write(a.getValue());
                zip.closeEntry();
            }
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                zip.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = z.getInputStream(entry)) {
                    if (entry.getName().equals("manifest.json")) {
                        ObjectNode m = (ObjectNode) JSON.readTree(in);
                        edit.accept(m);
                        zip.write(JSON.writeValueAsBytes(m));
                    } else {
                        in.transferTo(zip);
                    }
                }
                zip.closeEntry();
            }
        }
        return out;
    }

    /** Where an entry's data starts: after its local header (30 bytes, the name and the extra field). */
    private static long dataOffset(Path file, String entryName) throws IOException {
        byte[] b = Files.readAllBytes(file);
        byte[] name = entryName.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i + 30 + name.length < b.length; i++) {
            if (b[i] == 0x50 && b[i + 1] == 0x4b && b[i + 2] == 0x03 && b[i + 3] == 0x04
                    && java.util.Arrays.equals(b, i + 30, i + 30 + name.length, name, 0, name.length)) {
                int nameLength = (b[i + 26] & 0xff) | (b[i + 27] & 0xff) << 8;
                int extraLength = (b[i + 28] & 0xff) | (b[i + 29] & 0xff) << 8;
                return i + 30L + nameLength + extraLength;
            }
        }
        throw new AssertionError("no entry " + entryName);
    }

    /** Each table's row count and a digest of its rows in a stable order. */
    static Map<String, String> fingerprint(CliDatabase db) throws SQLException {
        return fingerprint(db.location.jdbcUrl(), "postgres", "postgres");
    }

    static Map<String, String> fingerprint(String url, String user, String password) throws SQLException {
        Map<String, String> tables = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
                while (rs.next()) names.add(rs.getString(1));
            }
            for (String t : names) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) || ' ' || md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), ''))"
                        + " FROM \"" + t + "\" x")) {
                    rs.next();
                    tables.put(t, rs.getString(1));
                }
            }
        }
        return tables;
    }
}
