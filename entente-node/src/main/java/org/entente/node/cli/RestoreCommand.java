package org.entente.node.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.entente.node.db.Database;
import org.entente.node.ops.Backups;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Replaces the database's content with a backup written by 'entente backup', then verifies the audit chain.",
                "The whole file is checked first; the restore is one transaction, so a damaged file or a failure changes nothing.",
                "A backup of an older schema is migrated to this version's; one of a newer schema is refused.",
                "Stop the node first: a restore refuses a database other sessions use, or one that holds data, unless --force.",
                "Exit codes: 0 restored and the audit chain intact, 1 restored but the audit chain is broken,"
                        + " 2 refused or failed (nothing changed)."})
final class RestoreCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeOptions node;

    @Parameters(paramLabel = "FILE", description = "The backup file.")
    Path file;

    @Option(names = "--force", description = "Replace a database that holds data or that other sessions use (says what it replaces).")
    boolean force;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "Folder of pg_restore and psql, for a backup written by pg_dump (default: the PATH).")
    Path pgBin;

    @Option(names = {"-q", "--quiet"}, description = "No progress on standard error.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(file)) return Commands.usage(spec, "restore", "no such file: " + file);
        if (pgBin != null && !Files.isDirectory(pgBin)) return Commands.usage(spec, "restore", "--pg-bin " + pgBin + " is not a folder");
        Backups.Options options = new Backups.Options(Backups.Method.AUTO, pgBin, force, BackupCommand.progress(err, quiet));
        try (Database database = Database.open(node.nodeConfig(java.util.Map.of(), false).database(), Backups.RESTORE_SESSION)) {
            Backups.Restored r = Backups.restore(database, node.nodeConfig(java.util.Map.of(), false).database(), file, options);
            out.printf("restored %s: %d tables, %,d rows (%s backup of schema version %s%s, %.1f s)%n", file, r.tables(), r.rows(),
                    r.method(), r.schemaVersion(), r.migratedTo().equals(r.schemaVersion()) ? "" : ", migrated to " + r.migratedTo(),
                    r.took().toMillis() / 1000.0);
            if (!r.audit().intact()) {
                err.println("entente restore: the restored audit chain is broken: " + r.audit().message());
                return AuditCommand.TAMPERED;
            }
            out.println(r.audit().message());
            return Commands.OK;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("entente restore: " + e.getMessage());
            return Commands.USAGE;
        }
    }
}
