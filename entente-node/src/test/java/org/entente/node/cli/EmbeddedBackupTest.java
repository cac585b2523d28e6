package org.entente.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.entente.node.Node;
import org.entente.node.config.NodeConfig;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.store.ObjectQuery;
import org.entente.node.store.ObjectStore;
import org.entente.node.store.VersionMatch;
import org.entente.node.testing.Cli;
import org.entente.node.testing.Stix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zero-setup node: its data folder backed up and restored into another folder, where a node starts on it. */
class EmbeddedBackupTest {

    @Test
    void aDataFolderRestoredIntoAnotherServesTheSameObjects(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("source");
        Path bundle = Files.writeString(dir.resolve("b.json"), Stix.bundle(
                Stix.indicator("[ipv4-addr:value = '10.60.0.1']"), Stix.indicator("[ipv4-addr:value = '10.60.0.2']"),
                Stix.indicator("[domain-name:value = 'c2.example']")));
        List<String> notices;
        try (Node node = Node.start(config(source))) {
            notices = node.notices();
            Cli.Run imported = Cli.run("import", "--data", source.toString(), bundle.toString());
            assertThat(imported.exit()).as(imported.err()).isZero();
        }
        assertThat(notices).anyMatch(n -> n.startsWith("administrator created"));

        Path file = dir.resolve("node.backup");
        Cli.Run backup = Cli.run("backup", file.toString(), "--data", source.toString(), "--method", "builtin");
        assertThat(backup.exit()).as(backup.err()).isZero();
        Path target = dir.resolve("target");
        Cli.Run restore = Cli.run("restore", file.toString(), "--data", target.toString());
        assertThat(restore.exit()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("audit log intact:");

        try (Node node = Node.start(config(target))) {
            assertThat(node.notices()).as("the restored administrator").noneMatch(n -> n.startsWith("administrator created"));
            ObjectStore store = node.services().store();
            String id = store.collection(Node.DEFAULT_COLLECTION).orElseThrow().id();
            assertThat(store.list(id, new ObjectQuery(null, 100, List.of(), List.of(), VersionMatch.ALL, List.of()), false)
                    .entries()).hasSize(3);
        }
        Cli.Run verify = Cli.run("audit", "verify", "--data", target.toString());
        assertThat(verify.exit()).as(verify.err()).isZero();
    }

    private static NodeConfig config(Path data) {
        return new NodeConfig("127.0.0.1", 0, new DatabaseLocation.Embedded(data), false, null, null,
                NodeConfig.DEFAULT_MAX_CONTENT_LENGTH, "embedded");
    }
}
