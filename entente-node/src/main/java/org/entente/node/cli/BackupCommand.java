package org.entente.node.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.entente.node.ops.Backups;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Writes the node's whole database (objects, users, partners, agreements, the audit log) to one file,",
                "from one consistent snapshot: the node may keep running and writing meanwhile.",
                "With a pg_dump at least as new as the server (on the PATH or in --pg-bin), the file holds its archive;",
                "otherwise every table's rows in PostgreSQL's binary COPY format. Restore with 'entente restore FILE'.",
                "Exit codes: 0 written, 2 refused or failed (no file is left behind)."})
final class BackupCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeOptions node;

    @Parameters(paramLabel = "FILE", description = "The backup file to write.")
    Path file;

    @Option(names = "--method", paramLabel = "auto|pg_dump|builtin", defaultValue = "auto",
            description = "auto (default): pg_dump when a suitable one is found, else the built-in backup;"
                    + " pg_dump: refuse without one; builtin: never use pg_dump.")
    Backups.Method method;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "Folder of pg_dump (default: the PATH).")
    Path pgBin;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "No progress on standard error.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (pgBin != null && !Files.isDirectory(pgBin)) return Commands.usage(spec, "backup", "--pg-bin " + pgBin + " is not a folder");
        Backups.Options options = new Backups.Options(method, pgBin, force, progress(err, quiet));
        return Commands.execute(spec, node, "backup", (services, out) -> {
            Backups.Written w = Backups.backup(services.database(), services.config().database(), file, options);
            out.printf("backup written to %s: %d tables, %,d rows, %s, schema version %s, audit log up to seq %d (%s, %.1f s)%n",
                    w.file(), w.tables(), w.rows(), size(w.bytes()), w.schemaVersion(), w.auditSeq(), w.method(),
                    w.took().toMillis() / 1000.0);
            return Commands.OK;
        });
    }

    static Backups.Progress progress(PrintWriter err, boolean quiet) {
        return quiet ? line -> { } : line -> {
            err.println(line);
            err.flush();
        };
    }

    static String size(long bytes) {
        return bytes < 1024 * 1024 ? String.format("%,d bytes", bytes) : String.format("%.1f MB", bytes / 1048576.0);
    }
}
