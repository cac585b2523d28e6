package org.entente.node.cli;

import org.entente.node.intake.Admission;
import org.entente.node.config.NodeConfig;
import org.entente.node.policy.store.Agreements;
import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.node.testing.Cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.entente.node.Node;
import org.entente.node.audit.AuditLog;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.PreparedObject;
import org.entente.node.testing.Cli.Run;
import org.entente.node.testing.Stix;
import org.entente.node.testing.TestPostgres;
import org.entente.stix.Tlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
    static final ObjectMapper M = new ObjectMapper();
    @TempDir
    Path dir;

    @Test
    void exportsWhatTheRecipientMayReceiveAndAuditsIt() throws Exception {
        var db = TestPostgres.freshDatabase();
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=postgres&password=postgres";
        String green = Stix.indicatorId();
        String strict = Stix.indicatorId();
        // A node start creates the own organisation, as on a real node.
        try (Node node = Node.start(new NodeConfig("127.0.0.1", 0, db, false, null, null, 1 << 20, "export"))) {
            Organisations orgs = node.services().organisations();
            Organisation own = orgs.own().orElseThrow();
            Organisation de = orgs.create(new Organisations.Draft("Export partner", "DE", "cert", null), false, "test");
            ObjectNode a = M.createObjectNode().put("title", "MOU").put("kind", "bilateral").put("valid_from", "2026-01-01")
                    .put("status", "active");
            a.putArray("parties").add(own.id()).add(de.id());
            a.putObject("legal_basis").put("text", "MOU");
            ObjectNode r = a.putObject("rules");
            r.putArray("categories").add("cyber-indicators");
            r.putArray("purposes").add("detection");
            r.put("max_tlp", "amber+strict");
            node.services().agreements().create(a, "test");
            ObjectStore store = node.services().store();
            CollectionInfo intel = store.collection("intel").orElseThrow();
            List<PreparedObject> objects = new ArrayList<>();
            for (String[] o : new String[][] {{green, Tlp.GREEN}, {strict, Tlp.AMBER_STRICT}}) {
                String base = Stix.indicator(o[0], "2024-01-01T00:00:00.000Z", "[ipv4-addr:value = '192.0.2.5']");
                String json = base.substring(0, base.length() - 1) + ",\"object_marking_refs\":[\"" + o[1] + "\"]}";
                objects.add(Admission.prepare(M.readTree(json), json));
            }
            try (ObjectStore.Writer w = store.writer(intel.id())) {
                w.add(objects);
                w.commit();
            }
        }
        Path out = dir.resolve("for-de.json");
        Run ok = run("export", "--database-url", url, "--collection", "intel", "--recipient", "Export partner",
                "--purpose", "detection", "--output", out.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.err()).contains("1 of 2 objects", "tlp-amber-strict=1");
        JsonNode bundle = M.readTree(Files.readString(out));
        assertThat(bundle.path("type").asText()).isEqualTo("bundle");
        assertThat(bundle.path("objects")).singleElement().satisfies(o -> assertThat(o.path("id").asText()).isEqualTo(green));
        try (var d = org.entente.node.db.Database.open(db); Connection c = d.dataSource().getConnection();
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                     "SELECT kind, detail->>'action' FROM audit_record WHERE detail->>'endpoint' = 'export' ORDER BY seq")) {
            List<String> kinds = new ArrayList<>();
            while (rs.next()) {
                kinds.add(rs.getString(1));
                assertThat(rs.getString(2)).isEqualTo("export");
            }
            assertThat(kinds).containsExactly("release", "deny");
        }

        Run badPurpose = run("export", "--database-url", url, "--collection", "intel", "--recipient", "Export partner",
                "--purpose", "gossip", "--output", dir.resolve("x.json").toString());
        assertThat(badPurpose.exit()).isEqualTo(2);
        assertThat(badPurpose.err()).contains("unknown purpose 'gossip'");
        Run badOrg = run("export", "--database-url", url, "--collection", "intel", "--recipient", "Nobody",
                "--purpose", "detection", "--output", dir.resolve("y.json").toString());
        assertThat(badOrg.exit()).isEqualTo(2);
        assertThat(badOrg.err()).contains("no organisation 'Nobody'");
        assertThat(dir.resolve("x.json")).doesNotExist();
        assertThat(dir.resolve("y.json")).doesNotExist();
    }
}
