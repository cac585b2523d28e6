package org.entente.node.store;

import org.entente.node.audit.AuditLog;
import org.entente.node.intake.Importer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.entente.node.db.Database;
import org.entente.node.testing.Stix;
import org.entente.node.testing.TestPostgres;
import org.entente.stix.Problem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ImporterTest {
    static Database db;
    static ObjectStore store;
    static Importer importer;

    @BeforeAll
    static void open() {
        db = Database.open(TestPostgres.freshDatabase());
        store = new ObjectStore(db, new AuditLog(db));
        importer = new Importer(store);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static CollectionInfo collection() {
        return store.createCollection(UUID.randomUUID().toString(), null, "import test", null);
    }

    static final class Recorder implements Importer.Listener {
        final List<String> problems = new ArrayList<>();
        long lastProgress;

        @Override
        public void progress(long objects, long bytesRead) {
            lastProgress = objects;
        }

        @Override
        public void problem(long index, String objectId, Problem p) {
            problems.add(index + " " + objectId + " " + p.pointer() + " " + p.severity());
        }
    }

    static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    static long count(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Page all(CollectionInfo c) {
        return store.list(c.id(), new ObjectQuery(null, 1000, List.of(), List.of(), VersionMatch.ALL, List.of()), true);
    }

    static final String UNDEFINED_MARKING_FILE = "interop-objectmarking-test.json";

    @Test
    void theOasisExamplesImportAndReimportingChangesNothing() throws Exception {
        CollectionInfo c = collection();
        long total = 0;
        for (String f : org.entente.node.NodeTestAccess.demoFiles()) {
            try (InputStream in = getClass().getResourceAsStream("/demo/" + f)) {
                Importer.Report r = importer.importStream(in, c.id(), Importer.Mode.REJECT_FILE, new Recorder());
                if (f.equals(UNDEFINED_MARKING_FILE)) {
                    // Its campaign carries a marking (…d5ec) that is defined nowhere: a marking nobody can
                    // look up cannot be honoured, so the file is refused by default.
                    assertThat(r.rejected()).isTrue();
                    assertThat(r.rejection()).contains("marking marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ec",
                            "is not defined");
                    continue;
                }
                assertThat(r.rejected()).as(f + ": " + r.rejection()).isFalse();
                total += r.added();
            }
        }
        try (InputStream in = getClass().getResourceAsStream("/demo/" + UNDEFINED_MARKING_FILE)) {
            Recorder rec = new Recorder();
            Importer.Report r = importer.importStream(in, c.id(), Importer.Mode.SKIP_INVALID, rec);
            assertThat(r.rejected()).isFalse();
            assertThat(r.warnings()).isGreaterThanOrEqualTo(1);
            total += r.added();
        }
        assertThat(total).isGreaterThan(200);
        long objects = count("SELECT count(*) FROM stix_object");
        long observables = count("SELECT count(*) FROM observable");
        Page before = all(c);

        for (String f : org.entente.node.NodeTestAccess.demoFiles()) {
            try (InputStream in = getClass().getResourceAsStream("/demo/" + f)) {
                Importer.Report r = importer.importStream(in, c.id(), Importer.Mode.REJECT_FILE, new Recorder());
                assertThat(r.added()).isZero();
            }
        }
        assertThat(count("SELECT count(*) FROM stix_object")).isEqualTo(objects);
        assertThat(count("SELECT count(*) FROM observable")).isEqualTo(observables);
        assertThat(all(c)).isEqualTo(before);
    }

    @Test
    void anInvalidObjectRejectsTheWholeFileByDefault() {
        CollectionInfo c = collection();
        StringBuilder objects = new StringBuilder();
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) list.add(Stix.indicator("[ipv4-addr:value = '10.20." + (i / 250) + "." + (i % 250) + "']"));
        // The bad object comes after two full batches have been written: they must roll back too.
        list.add("{\"type\":\"indicator\",\"id\":\"indicator--x\"}");
        objects.append(Stix.bundle(list.toArray(String[]::new)));
        Recorder rec = new Recorder();
        Importer.Report r = importer.importStream(stream(objects.toString()), c.id(), Importer.Mode.REJECT_FILE, rec);
        assertThat(r.rejected()).isTrue();
        assertThat(r.rejection()).contains("object 12000").contains("nothing of this file was stored");
        assertThat(rec.problems).anyMatch(p -> p.startsWith("12000 indicator--x /id ERROR"));
        assertThat(all(c).entries()).isEmpty();
    }

    @Test
    void skipInvalidStoresTheValidObjectsAndReportsTheRest() {
        CollectionInfo c = collection();
        String good1 = Stix.indicator("[ipv4-addr:value = '10.21.0.1']");
        String bad = "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--" + UUID.randomUUID()
                + "\",\"created\":\"2024-01-01T00:00:00Z\",\"modified\":\"2024-01-01T00:00:00Z\"}";
        String good2 = Stix.indicator("[ipv4-addr:value = '10.21.0.2']");
        Recorder rec = new Recorder();
        Importer.Report r = importer.importStream(stream(Stix.bundle(good1, bad, good2)), c.id(),
                Importer.Mode.SKIP_INVALID, rec);
        assertThat(r.rejected()).isFalse();
        assertThat(r.read()).isEqualTo(3);
        assertThat(r.invalid()).isEqualTo(1);
        assertThat(r.added()).isEqualTo(2);
        assertThat(all(c).entries()).hasSize(2);
        assertThat(rec.problems).allMatch(p -> p.startsWith("1 "));
    }

    @Test
    void malformedJsonRejectsTheFile() {
        CollectionInfo c = collection();
        String truncated = Stix.bundle(Stix.indicator("[ipv4-addr:value = '10.22.0.1']"),
                Stix.indicator("[ipv4-addr:value = '10.22.0.2']"));
        truncated = truncated.substring(0, truncated.length() - 30);
        Importer.Report r = importer.importStream(stream(truncated), c.id(), Importer.Mode.SKIP_INVALID, new Recorder());
        assertThat(r.rejected()).isTrue();
        assertThat(r.rejection()).contains("not readable STIX JSON");
        assertThat(all(c).entries()).isEmpty();
    }

    @Test
    void observablesOfScosAndSimplePatternsCanBeLookedUp() {
        CollectionInfo c = collection();
        String ipSco = "{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\"ipv4-addr--" + UUID.nameUUIDFromBytes(
                "x".getBytes()) + "\",\"value\":\"203.0.113.7\"}";
        String cidrIndicator = Stix.indicator("[ipv4-addr:value = '198.18.0.0/15']");
        String domainIndicator = Stix.indicator("[domain-name:value = 'C2.Example.COM'] OR [url:value = 'http://c2.example.com/x']");
        String hashIndicator = Stix.indicator(
                "[file:hashes.'SHA-256' = 'AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F']");
        String complex = Stix.indicator("[ipv4-addr:value = '192.0.2.99' AND network-traffic:dst_port = 443]");
        importer.importStream(stream(Stix.bundle(ipSco, cidrIndicator, domainIndicator, hashIndicator, complex)), c.id(),
                Importer.Mode.SKIP_INVALID, new Recorder());
        List<String> all = List.of(c.id());

        assertThat(store.mentions("203.0.113.7", all, 10)).extracting(Mention::type).containsExactly("ipv4-addr");
        assertThat(store.mentions("198.19.4.5", all, 10)).extracting(Mention::kind).containsExactly("ipv4-addr");
        assertThat(store.mentions("198.18.0.0/16", all, 10)).hasSize(1);
        assertThat(store.mentions("c2.example.com", all, 10)).extracting(Mention::kind).containsExactly("domain-name");
        assertThat(store.mentions("http://c2.example.com/x", all, 10)).extracting(Mention::kind).containsExactly("url");
        assertThat(store.mentions("aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f", all, 10))
                .extracting(Mention::kind).containsExactly("file:hashes.SHA-256");
        // Only simple equality patterns are indexed; the detection engine handles the rest.
        assertThat(store.mentions("192.0.2.99", all, 10)).isEmpty();
        assertThat(store.mentions("203.0.113.8", all, 10)).isEmpty();
        // Restricted to the collections the caller may read.
        assertThat(store.mentions("203.0.113.7", List.of("another"), 10)).isEmpty();
    }
}
