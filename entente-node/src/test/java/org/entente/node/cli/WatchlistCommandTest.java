package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.entente.node.testing.Cli.Run;
import org.junit.jupiter.api.Test;

/**
 * The operator's watchlist commands on a node's database: import editions (the list created on
 * its first import), list, show, remove; screen against the stored lists; read the hits.
 */
class WatchlistCommandTest {
    static final String UN = Path.of("../entente-screening/src/test/resources/watchlists/un/consolidated.xml").toString();

    @Test
    void listsAreImportedShownScreenedAndRemovedFromTheCommandLine() throws Exception {
        CliDatabase db = CliDatabase.withPartners();
        db.ok("org", "update", CliDatabase.OWN, "--contact", "24/7 desk +372 600 0000");
        Run created = db.ok("watchlist", "import", UN, "--list", "UN", "--kind", "sanctions", "--tlp", "green",
                "--edition", "2026-11-30");
        assertThat(created.err()).contains("created watchlist UN");
        assertThat(created.out()).containsPattern("UN: UN .*, [\\d,]+ entries: [\\d,]+ added, 0 changed, 0 removed, 0 unchanged");
        Run again = db.ok("watchlist", "import", UN, "--list", "UN");
        assertThat(again.out()).contains(" 0 added, 0 changed, 0 removed,");
        assertThat(db.ok("watchlist", "list").out()).containsPattern("UN\\s+sanctions\\s+persons-of-interest\\s+TLP:GREEN")
                .contains("2026-11-30").contains(CliDatabase.OWN);

        Path national = Files.createTempFile("national", ".jsonl");
        Files.writeString(national, String.join("\n",
                "{\"id\":\"n1\",\"names\":[\"Ramon Esteban QUINTERO\"],\"reference\":\"KAPO-17\"}",
                "{\"id\":\"n2\",\"names\":[\"broken\"",
                "{\"id\":\"n3\",\"kind\":\"document\",\"number\":\"L898902C3\",\"country\":\"FR\",\"status\":\"stolen\"}") + "\n");
        Run partial = db.run("watchlist", "import", national.toString(), "--list", "National", "--kind", "wanted-persons",
                "--tlp", "amber", "--handling", "H0");
        assertThat(partial.exit()).as(partial.err()).isEqualTo(1);
        assertThat(partial.err()).contains(":2").contains("line skipped");
        assertThat(partial.out()).contains("2 added");
        assertThat(db.ok("watchlist", "show", "National").out()).contains("TLP:AMBER H0").containsPattern("entries\\s+2");
        assertThat(db.ok("watchlist", "show", "National", "--entry", "n1").out()).contains("v1 added").contains("KAPO-17");

        Run one = db.ok("screen", "--node", "--query", "Ayman al-Zawahiri", "--birth-date", "1951");
        assertThat(one.out()).contains("HIT").containsIgnoringCase("ZAWAHIRI").contains("[UN ")
                .contains("follow-up: " + CliDatabase.OWN + ", 24/7 desk +372 600 0000");
        Path manifest = Files.createTempFile("manifest", ".jsonl");
        Files.writeString(manifest, "{\"id\":\"p1\",\"name\":\"Ramon Quintero\"}\n{\"document\":\"L898902C3\"}\n"
                + "{\"name\":\"Ayman al-Zawahiri\",\"birth_date\":\"1951-99-99\"}\n");
        Path out = Files.createTempFile("answers", ".jsonl");
        Run batch = db.run("screen", "--node", "--queries", manifest.toString(), "--output", out.toString());
        assertThat(batch.exit()).as(batch.err()).isEqualTo(1);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("\"query\":\"p1\"").contains("KAPO-17");
        assertThat(lines.get(1)).contains("\"query\":2").contains("L898902C3");
        assertThat(lines.get(2)).contains("\"error\"").contains("birth");

        Run hits = db.ok("hits", "--since", "1h");
        assertThat(hits.out()).contains("asked by cli:").contains("for border-control").contains("Ramon Quintero");
        assertThat(db.ok("hits", "--list", "National", "--json").out().lines()).allSatisfy(l ->
                assertThat(l).startsWith("{").contains("\"list\""));
        assertThat(db.auditKinds()).contains("watchlist-change", "screening-check", "screening-batch");

        assertThat(db.ok("watchlist", "remove", "National").out()).contains("removed watchlist National");
        assertThat(db.ok("watchlist", "list").out()).doesNotContain("wanted-persons");
        assertThat(db.ok("hits", "--since", "1h").out()).as("hits stay recorded").contains("Ramon Quintero");
    }

    @Test
    void badUsageIsRefusedAndNothingIsCreated() {
        CliDatabase db = CliDatabase.withPartners();
        assertThat(db.refused("watchlist", "import", UN, "--list", "New").err()).contains("--kind");
        assertThat(db.refused("watchlist", "import", UN, "--list", "New", "--kind", "sanctions", "--tlp", "purple").err())
                .contains("--tlp").contains("purple");
        assertThat(db.refused("watchlist", "import", UN, "--list", "New", "--kind", "gossip").err()).contains("--kind");
        assertThat(db.refused("watchlist", "import", "/no/such/file.xml", "--list", "New", "--kind", "sanctions").err())
                .contains("no such file");
        assertThat(db.refused("watchlist", "show", "Nothing").err()).contains("no watchlist 'Nothing'");
        assertThat(db.refused("screen", "--node", "--query", "X", "--watchlist", UN).err()).contains("not both");
        assertThat(db.refused("screen", "--node", "--query", "X", "--purpose", "curiosity").err()).contains("--purpose");
        assertThat(db.ok("watchlist", "list").out()).contains("no watchlists yet");
    }
}
