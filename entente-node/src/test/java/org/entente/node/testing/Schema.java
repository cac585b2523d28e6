package org.entente.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The schema versions this build's migrations reach, so that tests need no change when a migration is added. */
public final class Schema {
    private Schema() {}

    /** Every migration version, in order ("1", "2", …). */
    public static List<String> versions() {
        try {
            Path dir = Path.of(Schema.class.getResource("/db/migration").toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                        .map(n -> n.substring(1, n.indexOf("__"))).sorted(Comparator.comparingInt(Integer::parseInt))
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String latest() {
        return versions().getLast();
    }
}
