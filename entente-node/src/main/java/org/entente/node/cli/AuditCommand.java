package org.entente.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.entente.node.audit.AuditExport;
import org.entente.node.audit.AuditLog;
import org.entente.node.audit.AuditVerification;
import org.entente.node.audit.Checkpoint;
import org.entente.node.audit.NodeKey;
import org.entente.node.NodeServices;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Checks and exports the node's tamper-evident audit log.",
                "Every record commits to the one before it by a SHA-256 hash chain, and the node signs the chain's",
                "head with its Ed25519 key from time to time (a checkpoint). See docs/AUDIT.md."},
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class, AuditCommand.VerifyExport.class,
                AuditCommand.ShowPublicKey.class, AuditCommand.MakeCheckpoint.class})
final class AuditCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Exit codes of the verifying commands. */
    static final int INTACT = 0;
    static final int TAMPERED = 1;
    static final int USAGE = 2;

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Recomputes the whole audit chain and checks every checkpoint's signature.",
                    "Exit 0 when the log is intact; exit 1 naming the first record that was altered, removed or inserted."})
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;

        @Override
        public Integer call() {
            try (NodeServices d = node.open()) {
                AuditVerification v = d.audit().verify();
                (v.intact() ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(v.message());
                return v.intact() ? INTACT : TAMPERED;
            } catch (IllegalArgumentException | IllegalStateException e) {
                spec.commandLine().getErr().println("entente audit verify: " + e.getMessage());
                return USAGE;
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Writes the records of a time range with the proof that a partner can check with the node's",
                    "public key alone ('entente audit verify-export'). Records in the range are given in full; later",
                    "records up to the next signed checkpoint only by their digests. Signs a checkpoint if none covers",
                    "the range yet."})
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;

        @Option(names = "--from", required = true, paramLabel = "TIME", converter = TimeConverter.class,
                description = "First instant of the range, included: an RFC 3339 timestamp (2025-03-01T08:00:00Z)"
                        + " or a date (2025-03-01, midnight UTC).")
        Instant from;

        @Option(names = "--until", required = true, paramLabel = "TIME", converter = TimeConverter.class,
                description = "End of the range, excluded: a timestamp or a date as for --from.")
        Instant until;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
        Path output;

        @Override
        public Integer call() {
            if (from.isAfter(until)) {
                spec.commandLine().getErr().println("entente audit export: --from " + from + " is after --until " + until);
                return USAGE;
            }
            try (NodeServices d = node.open()) {
                AuditExport export = new AuditExport(d.audit());
                AuditExport.Summary s;
                PrintWriter report;
                if (output == null) {
                    s = export.write(from, until, spec.commandLine().getOut());
                    report = spec.commandLine().getErr(); // standard output carries the export itself
                } else {
                    s = export.write(from, until, output);
                    report = spec.commandLine().getOut();
                }
                report.println("exported " + s.records() + " record" + (s.records() == 1 ? "" : "s")
                        + (s.records() == 0 ? "" : " (seq " + s.firstSeq() + " to " + s.lastSeq() + ")")
                        + (output == null ? "" : " to " + output)
                        + ", proven by the checkpoint at seq " + s.checkpoint().seq());
                return 0;
            } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
                spec.commandLine().getErr().println("entente audit export: " + e.getMessage());
                return USAGE;
            }
        }
    }

    @Command(name = "verify-export", mixinStandardHelpOptions = true,
            description = {"Checks an audit export offline, with the exporting node's public key and no database:",
                    "recomputes every digest and hash and checks the checkpoint's signature.",
                    "Exit 0 when the export is intact; exit 1 naming the first record that was altered, removed or inserted."})
    static final class VerifyExport implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The export, as written by 'entente audit export'.")
        Path file;

        @Option(names = "--public-key", required = true, paramLabel = "PEMFILE",
                description = "The exporting node's public key, as 'entente audit public-key' prints it on that node."
                        + " Take it from the node's operator, not from the export.")
        Path publicKey;

        @Override
        public Integer call() {
            try {
                PublicKey key = NodeKey.readPublicKeyPem(Files.readString(publicKey, StandardCharsets.US_ASCII));
                AuditVerification v = AuditExport.verify(file, key);
                (v.intact() ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(v.message());
                return v.intact() ? INTACT : TAMPERED;
            } catch (NoSuchFileException e) {
                spec.commandLine().getErr().println("entente audit verify-export: no such file: " + e.getFile());
                return USAGE;
            } catch (IOException | IllegalArgumentException e) {
                spec.commandLine().getErr().println("entente audit verify-export: " + e.getMessage());
                return USAGE;
            }
        }
    }

    @Command(name = "public-key", mixinStandardHelpOptions = true,
            description = "Prints the node's audit public key (PEM) for partners who verify its exports.")
    static final class ShowPublicKey implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;

        @Override
        public Integer call() {
            return UserCommand.run(spec, node, "audit public-key", d -> d.audit().publicKeyPem().strip());
        }
    }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true,
            description = "Signs the current head of the audit log now (nothing new when it is already signed).")
    static final class MakeCheckpoint implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;

        @Override
        public Integer call() {
            return UserCommand.run(spec, node, "audit checkpoint", d -> {
                Checkpoint k = d.audit().checkpoint();
                return "checkpoint at seq " + k.seq() + ", hash " + k.hash() + ", signed " + k.at();
            });
        }
    }

    /** RFC 3339 with an offset, or a bare date meaning its first instant in UTC. */
    static final class TimeConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            String v = value.trim();
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (RuntimeException notATimestamp) {
                try {
                    return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (RuntimeException notADate) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is neither an RFC 3339 timestamp"
                            + " with an offset (2025-03-01T08:00:00Z) nor a date (2025-03-01)");
                }
            }
        }
    }
}
