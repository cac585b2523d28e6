package org.entente.node.cli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.entente.node.NodeServices;
import org.entente.node.config.Configuration;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import picocli.CommandLine.Option;

/**
 * Which node a command works on: its configuration file, data folder or external database. Shared
 * by every command that opens the node; the settings are read once and checked before anything
 * is opened.
 */
final class NodeOptions {
    /** The environment the settings are read from: the process's, or the one a test gives. */
    private final Map<String, String> environment;

    NodeOptions(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (key = value lines; see `entente config show`). Default: $ENTENTE_CONFIG,"
                    + " else DATA/entente.conf when it exists.")
    Path config;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data folder of the embedded PostgreSQL (default: ~/.entente). Ignored with --database-url.")
    Path data;

    @Option(names = "--database-url", paramLabel = "URL",
            description = "External PostgreSQL instead of the embedded one: postgresql://user:password@host:5432/db"
                    + " or jdbc:postgresql://… (default: $ENTENTE_DATABASE_URL).")
    String databaseUrl;

    /** The settings from defaults, the file, the environment and these options, plus a command's own. */
    Configuration settings(Map<Key, String> more) {
        Map<Key, String> options = new EnumMap<>(Key.class);
        if (data != null) options.put(Key.DATA, data.toString());
        if (databaseUrl != null) options.put(Key.DATABASE_URL, databaseUrl);
        options.putAll(more);
        return Configuration.load(environment, config, options);
    }

    NodeConfig nodeConfig(Map<Key, String> more, boolean demo) {
        Configuration c = settings(more);
        return new NodeConfig(c, c.database(), demo);
    }

    /** Opens the node's database and wires its services. */
    NodeServices open() {
        return NodeServices.open(nodeConfig(Map.of(), false));
    }
}
