package org.entente.node.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.entente.node.Node;
import org.entente.node.NodeServices;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.store.CollectionInfo;
import org.entente.node.intake.Importer;
import org.entente.node.store.ObjectStore;
import org.entente.stix.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {
                "Imports STIX 2.1 bundles (or JSON Lines of objects) of any size into a collection,"
                        + " whether or not the node is running.",
                "Each file is one transaction: by default an invalid object rejects its whole file and nothing of it"
                        + " is stored; --skip-invalid stores the valid objects and reports the rest.",
                "Importing the same file again changes nothing.",
                "Exit codes: 0 all files imported, 1 a file was rejected or had invalid objects, 2 bad usage."})
final class ImportCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeOptions node;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Bundles to import ('-' for standard input).")
    List<String> files;

    @Option(names = "--collection", paramLabel = "ID|ALIAS", defaultValue = Node.DEFAULT_COLLECTION,
            description = "Target collection (default: ${DEFAULT-VALUE}).")
    String collection;

    @Option(names = "--skip-invalid", description = "Store the valid objects of a file and report the invalid ones.")
    boolean skipInvalid;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no warnings.")
    boolean quiet;

    @Override
    public Integer call() {
        java.io.PrintWriter err = spec.commandLine().getErr();
        for (String f : files) {
            if (!f.equals("-") && !Files.isReadable(Path.of(f))) {
                err.println("entente import: cannot read " + f);
                return 2;
            }
        }
        try (NodeServices services = node.open()) {
            ObjectStore store = services.store();
            if (collection.equals(Node.DEFAULT_COLLECTION)) {
                store.ensureCollection(Node.DEFAULT_COLLECTION, "Intelligence", "The node's own STIX 2.1 intelligence.");
            }
            CollectionInfo target = store.collection(collection).orElse(null);
            if (target == null) {
                err.println("entente import: no collection '" + collection
                        + "'; list them with 'entente collection list' or create one with 'entente collection add'");
                return 2;
            }
            Importer importer = services.importer();
            int exit = 0;
            for (String f : files) {
                exit = Math.max(exit, importOne(importer, services.audit(), target, f));
            }
            return exit;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("entente import: " + e.getMessage());
            return 2;
        }
    }

    private int importOne(Importer importer, AuditLog audit, CollectionInfo target, String f) {
        java.io.PrintWriter err = spec.commandLine().getErr();
        long size = f.equals("-") ? -1 : sizeOf(Path.of(f));
        Progress progress = new Progress(f, size, quiet, err);
        Importer.Report r;
        try (InputStream in = f.equals("-") ? System.in : Files.newInputStream(Path.of(f))) {
            r = importer.importStream(in, target.id(), skipInvalid ? Importer.Mode.SKIP_INVALID : Importer.Mode.REJECT_FILE,
                    progress);
        } catch (IOException e) {
            err.println("entente import: " + f + ": " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            progress.finish();
            err.println("entente import: " + f + ": could not be stored, nothing of it was kept: " + e.getMessage());
            return 1;
        }
        progress.finish();
        // The import itself may commit without waiting for the disk (it can be run again); its record
        // in the audit log is written in a transaction of its own that does wait.
        audit.append(new AuditEvent("import", Commands.actor(), null, AuditEvent.detail("file", f,
                "collection", target.id(), "read", r.read(), "added", r.added(), "invalid", r.invalid(),
                "rejected", r.rejected(), "rejection", r.rejection())));
        if (r.rejected()) {
            err.printf("%s: REJECTED after %,d objects: %s%n", f, r.read(), r.rejection());
            return 1;
        }
        err.printf("%s: %,d objects read, %,d new versions added to '%s', %,d invalid skipped,"
                        + " %,d warnings, %.1f s (%,.0f objects/s)%n",
                f, r.read(), r.added(), target.alias() != null ? target.alias() : target.id(),
                r.invalid(), r.warnings(), r.took().toMillis() / 1000.0, r.objectsPerSecond());
        return r.invalid() > 0 ? 1 : 0;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    /** A progress bar on standard error, redrawn at most a few times per second. */
    private static final class Progress implements Importer.Listener {
        private final String name;
        private final long size;
        private final boolean quiet;
        private final boolean tty = System.console() != null;
        private final java.io.PrintWriter err;
        private long lastDraw;
        private long objects;
        private long bytes;

        Progress(String name, long size, boolean quiet, java.io.PrintWriter err) {
            this.err = err;
            this.name = name;
            this.size = size;
            this.quiet = quiet;
        }

        @Override
        public synchronized void progress(long objects, long bytesRead) {
            this.objects = objects;
            this.bytes = bytesRead;
            long now = System.nanoTime();
            if (quiet || now - lastDraw < (tty ? 200_000_000L : 5_000_000_000L)) return;
            lastDraw = now;
            draw();
        }

        private void draw() {
            String bar = "";
            if (size > 0) {
                int pct = (int) Math.min(100, bytes * 100 / size);
                bar = "[" + "#".repeat(pct / 5) + " ".repeat(20 - pct / 5) + "] " + pct + "% ";
            }
            err.print((tty ? "\r" : "") + name + " " + bar + String.format("%,d objects", objects) + (tty ? "" : "\n"));
            err.flush();
        }

        void finish() {
            if (!quiet && tty && lastDraw != 0) err.println();
        }

        @Override
        public synchronized void problem(long index, String objectId, Problem problem) {
            if (quiet && !problem.isError()) return;
            if (tty && lastDraw != 0) err.print("\r");
            err.printf("%s: object %d %s %s: %s %s%n", name, index, objectId.isEmpty() ? "(no id)" : objectId,
                    problem.pointer().isEmpty() ? "/" : problem.pointer(), problem.isError() ? "ERROR" : "WARNING",
                    problem.message());
        }
    }
}
