package org.entente.node;

import org.entente.node.config.NodeConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.store.ObjectQuery;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.VersionMatch;
import org.entente.node.testing.Cli;
import org.entente.node.testing.Stix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zero-setup default: an embedded PostgreSQL in a data folder, shared with `import`, kept across restarts. */
class EmbeddedDataDirTest {

    @Test
    void importBesideARunningNodeAndDataSurvivesARestart(@TempDir Path dir) throws Exception {
        Path bundle = Files.writeString(dir.resolve("b.json"), Stix.bundle(
                Stix.indicator("[ipv4-addr:value = '10.50.0.1']"), Stix.indicator("[ipv4-addr:value = '10.50.0.2']")));
        Path data = dir.resolve("data");
        DatabaseLocation location = new DatabaseLocation.Embedded(data);
        NodeConfig config = new NodeConfig("127.0.0.1", 0, location, false, null, null,
                NodeConfig.DEFAULT_MAX_CONTENT_LENGTH, "embedded");
        try (Node node = Node.start(config)) {
            assertThat(node.notices()).anyMatch(n -> n.startsWith("database: embedded PostgreSQL in " + data));
            // The node owns the server; the import connects to it instead of starting another.
            Cli.Run imported = Cli.run("import", "--data", data.toString(), bundle.toString());
            assertThat(imported.exit()).as(imported.err()).isZero();
            assertThat(imported.err()).contains("2 new versions added to 'intel'");
            assertThat(count(node)).isEqualTo(2);
        }
        try (Node again = Node.start(config)) {
            assertThat(count(again)).isEqualTo(2);
            assertThat(again.notices()).noneMatch(n -> n.startsWith("administrator created"));
        }
    }

    private static int count(Node node) {
        ObjectStore store = node.services().store();
        String id = store.collection(Node.DEFAULT_COLLECTION).orElseThrow().id();
        return store.list(id, new ObjectQuery(null, 100, List.of(), List.of(), VersionMatch.ALL, List.of()), false)
                .entries().size();
    }
}
