package org.entente.node.cli;

import java.nio.file.Path;
import org.entente.node.db.Database;
import org.entente.node.db.DatabaseLocation;
import picocli.CommandLine.Option;

/** Where the node's database is: shared by every command that opens it. */
final class DatabaseOptions {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data folder of the embedded PostgreSQL (default: ~/.entente). Ignored with --database-url.")
    Path data;

    @Option(names = "--database-url", paramLabel = "URL",
            description = "External PostgreSQL instead of the embedded one: postgresql://user:password@host:5432/db"
                    + " or jdbc:postgresql://… (default: $ENTENTE_DATABASE_URL).")
    String databaseUrl;

    DatabaseLocation location() {
        String url = databaseUrl != null ? databaseUrl : System.getenv("ENTENTE_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return DatabaseLocation.parseUrl(url);
        }
        Path dir = data != null ? data : Path.of(System.getProperty("user.home"), ".entente");
        return new DatabaseLocation.Embedded(dir.toAbsolutePath());
    }

    Database open() {
        return Database.open(location());
    }
}
