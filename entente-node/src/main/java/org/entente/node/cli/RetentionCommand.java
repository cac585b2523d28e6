package org.entente.node.cli;

import org.entente.node.policy.store.Retention;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.entente.node.store.ObjectStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "retention", mixinStandardHelpOptions = true,
        description = "Enforces the retention of what partners provided: every version of an object whose first"
                + " version arrived in a provider's collection more than the agreement's retention_days ago is purged,"
                + " recorded for propagation to partners and audited. A running node does this every hour.",
        subcommands = {RetentionCommand.Run.class})
final class RetentionCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Purges now what has expired and prints, per collection, what was purged."
                    + " With --dry-run nothing is deleted; it prints what would be.")
    static final class Run implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Option(names = "--dry-run", description = "Only count what would be purged.") boolean dryRun;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "retention run", (d, out) -> {
                var attempt = d.retention().attempt(Instant.now(), dryRun, Commands.actor());
                if (attempt.isEmpty()) {
                    out.println("another process (a running node) is applying retention right now; run again in a moment");
                    return Commands.OK;
                }
                List<Retention.Purge> purges = attempt.get();
                if (purges.isEmpty()) {
                    out.println(dryRun ? "nothing has expired: nothing would be purged" : "nothing has expired: nothing purged");
                    return Commands.OK;
                }
                ObjectStore store = d.store();
                for (Retention.Purge x : purges) {
                    String name = store.collection(x.collectionId())
                            .map(c -> (c.alias() == null ? c.title() : c.alias()) + " (" + c.id() + ")")
                            .orElse(x.collectionId());
                    out.println((dryRun ? "would purge " : "purged ") + x.objects() + " object" + (x.objects() == 1 ? "" : "s")
                            + " (" + x.versions() + " version" + (x.versions() == 1 ? "" : "s") + ") of collection " + name
                            + ": first received before " + x.cutoff() + ", kept " + x.retentionDays() + " days under "
                            + x.agreementId());
                }
                return Commands.OK;
            });
        }
    }
}
