package org.entente.bench.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.entente.node.Node;
import org.entente.node.db.Database;
import org.entente.node.config.DatabaseLocation;
import org.entente.node.ops.Backups;
import org.entente.node.store.CollectionInfo;
import org.entente.node.intake.Importer;
import org.entente.node.store.ObjectStore;

/**
 * `entente backup` and `entente restore` (built-in method) of an embedded node holding N objects:
 * import (the baseline, in the same process), backup, restore into a fresh data folder. Run it with
 * {@code bench/backup.sh [OBJECTS]}; the figures are in docs/BENCHMARKS.md.
 */
public final class BackupBenchmark {

    public static void main(String[] args) throws Exception {
        long count = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
        Path work = Path.of(args.length > 1 ? args[1] : "bench/out").toAbsolutePath();
        Path data = work.resolve("mixed-" + count + ".json");
        if (!Files.exists(data)) BenchData.write(data, count, 42);
        long stamp = System.currentTimeMillis();
        Path source = work.resolve("backup-source-" + stamp);
        Path target = work.resolve("backup-target-" + stamp);
        Path file = work.resolve("node-" + count + "-" + stamp + ".backup");
        Backups.Options options = new Backups.Options(Backups.Method.BUILTIN, null, false, line -> { });
        try {
            DatabaseLocation from = new DatabaseLocation.Embedded(source);
            double importSeconds;
            try (Database db = Database.open(from)) {
                var services = org.entente.node.NodeServices.on(
                        org.entente.node.config.NodeConfig.of(from, java.util.Map.of()), db);
                ObjectStore store = services.store();
                CollectionInfo c = store.ensureCollection(Node.DEFAULT_COLLECTION, "Intelligence", null);
                long t = System.nanoTime();
                try (InputStream in = Files.newInputStream(data)) {
                    services.importer().importStream(in, c.id(), Importer.Mode.REJECT_FILE, Importer.silent());
                }
                importSeconds = (System.nanoTime() - t) / 1e9;
                System.out.printf("BASE    import of %,d objects: %.1f s%n", count, importSeconds);
            }
            try (Database db = Database.open(from)) {
                long t = System.nanoTime();
                Backups.Written w = Backups.backup(db, from, file, options);
                double s = (System.nanoTime() - t) / 1e9;
                System.out.printf("BACKUP  %,d rows in %d tables: %.1f s (%.2f of the import), file %,d MB (database %,d MB)%n",
                        w.rows(), w.tables(), s, s / importSeconds, w.bytes() >> 20, size(source.resolve("pgdata")) >> 20);
            }
            DatabaseLocation to = new DatabaseLocation.Embedded(target);
            try (Database db = Database.open(to, Backups.RESTORE_SESSION)) {
                long t = System.nanoTime();
                Backups.Restored r = Backups.restore(db, to, file, options);
                double s = (System.nanoTime() - t) / 1e9;
                if (!r.audit().intact()) throw new IllegalStateException(r.audit().message());
                System.out.printf("RESTORE %,d rows: %.1f s (%.2f of the import), audit chain verified%n", r.rows(), s, s / importSeconds);
            }
        } finally {
            delete(source);
            delete(target);
            Files.deleteIfExists(file);
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
