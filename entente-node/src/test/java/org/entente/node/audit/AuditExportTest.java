package org.entente.node.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.entente.node.db.Database;
import org.entente.node.testing.TestPostgres;
import org.entente.stix.StixJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditExportTest {

    @TempDir Path dir;
    private Database database;
    private AuditLog log;
    private Instant from;
    private Instant until;

    /** Records 1-10 before the range, 11-20 in it, 21-30 after it; checkpoints every 25. */
    @BeforeEach
    void thirtyRecords() throws InterruptedException {
        database = Database.open(TestPostgres.freshDatabase());
        log = new AuditLog(database, 25);
        append(1, 10, "before");
        from = pause();
        append(11, 20, "inside");
        until = pause();
        append(21, 30, "after-secret");
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void anExportVerifiesWithThePublicKeyAloneAndDisclosesNothingBeyondTheRange() throws IOException {
        Path file = dir.resolve("audit.json");
        AuditExport.Summary s = new AuditExport(log).write(from, until, file);
        assertThat(s.records()).isEqualTo(10);
        assertThat(s.firstSeq()).isEqualTo(11);
        assertThat(s.lastSeq()).isEqualTo(20);
        assertThat(s.checkpoint().seq()).as("the first checkpoint at or after the range").isEqualTo(25);

        AuditVerification v = AuditExport.verify(file, NodeKey.readPublicKeyPem(log.publicKeyPem()));
        assertThat(v.intact()).as(v.message()).isTrue();
        assertThat(v.message()).startsWith("export intact: 10 records (seq 11 to 20) from ")
                .endsWith("chained to the checkpoint at seq 25 signed " + Chain.time(s.checkpoint().at()));

        String text = Files.readString(file);
        assertThat(text).contains("inside-11", "inside-20", log.publicKeyPem().strip().split("\n")[1])
                .doesNotContain("before-10", "after-secret");
        JsonNode tree = StixJson.mapper().readTree(text);
        assertThat(tree.path("previous_seq").asLong()).isEqualTo(10);
        assertThat(tree.path("tail")).hasSize(5);
    }

    @Test
    void withoutACoveringCheckpointTheExportSignsOne() {
        Path file = dir.resolve("late.json");
        AuditExport.Summary s = new AuditExport(log).write(until, Instant.now().plusSeconds(60), file);
        assertThat(s.records()).isEqualTo(10);
        assertThat(s.checkpoint().seq()).isEqualTo(30);
        assertThat(AuditExport.verify(file, log.publicKey()).message()).startsWith("export intact: 10 records (seq 21 to 30)");
        assertThat(log.verify().message()).isEqualTo("audit log intact: 30 records, 2 checkpoints, last checkpoint at seq 30");
    }

    @Test
    void anEmptyRangeStillCarriesItsProof() {
        Path file = dir.resolve("empty.json");
        AuditExport.Summary s = new AuditExport(log).write(from, from, file);
        assertThat(s.records()).isZero();
        assertThat(AuditExport.verify(file, log.publicKey()).message()).startsWith("export intact: no records from ");
        Path early = dir.resolve("early.json");
        new AuditExport(log).write(Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2000-01-02T00:00:00Z"), early);
        assertThat(AuditExport.verify(early, log.publicKey()).intact()).isTrue();
    }

    @Test
    void aRangeThatEndsBeforeItBeginsIsRefused() {
        assertThatThrownBy(() -> new AuditExport(log).write(until, from, dir.resolve("x.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is after --until");
        assertThat(dir.resolve("x.json")).doesNotExist();
        try (Database empty = Database.open(TestPostgres.freshDatabase())) {
            assertThatThrownBy(() -> new AuditExport(new AuditLog(empty)).write(from, until, dir.resolve("y.json")))
                    .hasMessageContaining("the audit log is empty");
        }
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void anEditedDetailIsNamed() throws IOException {
        assertTampered(t -> ((ObjectNode) record(t, 15).path("detail")).put("tlp", "clear"),
                15, "record 15 was altered (its content no longer matches its digest)");
    }

    @Test
    void aDroppedRecordIsNamed() throws IOException {
        assertTampered(t -> ((ArrayNode) t.path("records")).remove(4), 15, "record 15 is missing (seq jumps from 14 to 16)");
        assertTampered(t -> ((ArrayNode) t.path("records")).remove(9), 20, "record 20 is missing (seq jumps from 19 to 21)");
        assertTampered(t -> ((ArrayNode) t.path("records")).remove(0), 11, "record 11 is missing (seq jumps from 10 to 12)");
    }

    @Test
    void aRecordForgedWithItsOwnDigestAndHashIsCaught() throws IOException {
        assertTampered(t -> {
            ObjectNode r = record(t, 15);
            ((ObjectNode) r.path("detail")).put("tlp", "clear");
            byte[] digest = Chain.digest(15, Instant.parse(r.path("at").asText()), r.path("kind").asText(),
                    r.path("actor").asText(), r.path("organisation").asText(), r.path("detail"));
            byte[] previous = Chain.unhex(record(t, 14).path("hash").asText());
            r.put("digest", Chain.hex(digest)).put("hash", Chain.hex(Chain.hash(previous, digest)));
        }, 16, "record 16 was inserted or altered (its hash does not follow from record 15)");
    }

    @Test
    void anAlteredTailOrAnchorBreaksTheProof() throws IOException {
        assertTampered(t -> ((ObjectNode) t.path("tail").get(2)).put("digest", "00".repeat(32)),
                11, "records 11 to 25 were rewritten");
        assertTampered(t -> ((ObjectNode) t).put("previous_hash", "11".repeat(32)),
                11, "record 11 was inserted or altered (its hash does not follow from record 10)");
    }

    @Test
    void anAlteredSignatureIsForged() throws IOException {
        assertTampered(t -> {
            ObjectNode k = (ObjectNode) t.path("checkpoint");
            String sig = k.path("signature").asText();
            k.put("signature", (sig.charAt(0) == '0' ? "1" : "0") + sig.substring(1));
        }, 25, "the checkpoint at seq 25 is forged (its signature does not verify with the node's public key)");
    }

    @Test
    void anotherNodesKeyDoesNotVerifyTheExport() {
        Path file = dir.resolve("audit.json");
        new AuditExport(log).write(from, until, file);
        try (Database other = Database.open(TestPostgres.freshDatabase())) {
            AuditVerification v = AuditExport.verify(file, new AuditLog(other).publicKey());
            assertThat(v.intact()).isFalse();
            assertThat(v.message()).contains("is forged").endsWith("the export names a different public key than the one given");
        }
    }

    @Test
    void filesThatAreNoExportSayWhy() throws IOException {
        Path notJson = Files.writeString(dir.resolve("a.json"), "{\"format\": \"entente-audit-export\", ");
        assertThat(AuditExport.verify(notJson, log.publicKey()).message()).startsWith("not a readable audit export");
        Path other = Files.writeString(dir.resolve("b.json"), "{\"type\": \"bundle\"}");
        assertThat(AuditExport.verify(other, log.publicKey()).message()).startsWith("not an Entente audit export");
        assertThatThrownBy(() -> AuditExport.verify(dir.resolve("missing.json"), log.publicKey()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such file");
    }

    private void assertTampered(Consumer<ObjectNode> change, long seq, String message) throws IOException {
        Path file = dir.resolve("audit-" + System.nanoTime() + ".json");
        new AuditExport(log).write(from, until, file);
        ObjectNode tree = (ObjectNode) StixJson.mapper().readTree(file.toFile());
        change.accept(tree);
        StixJson.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), tree);
        AuditVerification v = AuditExport.verify(file, log.publicKey());
        assertThat(v.intact()).as(v.message()).isFalse();
        assertThat(v.message()).startsWith(message);
        assertThat(v.firstBadSeq()).isEqualTo(seq);
    }

    private static ObjectNode record(JsonNode tree, long seq) {
        for (JsonNode r : tree.path("records")) {
            if (r.path("seq").asLong() == seq) return (ObjectNode) r;
        }
        throw new AssertionError("no record " + seq);
    }

    private void append(int first, int last, String label) {
        for (int i = first; i <= last; i++) {
            assertThat(log.append(new AuditEvent(AuditEvent.RELEASE, "analyst", "NCA",
                    Map.of("object", label + "-" + i, "tlp", "amber", "score", 0.75)))).isEqualTo(i);
        }
    }

    /** A boundary strictly between the records before and after it. */
    private static Instant pause() throws InterruptedException {
        Thread.sleep(3);
        Instant t = Chain.micros(Instant.now());
        Thread.sleep(3);
        return t;
    }
}
