package org.entente.node.cli;

import java.util.concurrent.Callable;
import org.entente.node.policy.Consent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "consent", mixinStandardHelpOptions = true,
        description = "Records a provider's permission for what its handling codes or agreement otherwise forbid:"
                + " passing data on to a recipient (H2, H3, onward sharing 'with-consent') or judicial use (H1).",
        subcommands = {ConsentCommand.Add.class, ConsentCommand.ListConsents.class, ConsentCommand.Revoke.class})
final class ConsentCommand implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    static String describe(Consent c) {
        return String.format("%-6d %-14s %s -> %s  %s  (%s, recorded by %s %s)", c.id(), c.covers().wire(), c.providerId(),
                c.recipientId(), c.objectId() == null ? "everything it sent" : c.objectId(), c.reference(), c.recordedBy(),
                c.recordedAt());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Records a consent (it takes effect at once).")
    static final class Add implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Option(names = "--provider", required = true, paramLabel = "ORG", description = "Who gave it (id or name).") String provider;
        @Option(names = "--recipient", required = true, paramLabel = "ORG", description = "Who it allows (id or name).") String recipient;
        @Option(names = "--covers", required = true, paramLabel = "WHAT", description = "onward-sharing or judicial-use.") String covers;
        @Option(names = "--object", paramLabel = "ID", description = "One object only (default: everything the provider sent).") String object;
        @Option(names = "--reference", required = true, paramLabel = "TEXT",
                description = "Where the provider gave it: message, letter, case number.") String reference;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "consent add", (d, out) -> {
                Commands.Partners p = new Commands.Partners(d);
                out.println("recorded " + describe(p.consents().record(p.organisation(provider, "--provider").id(),
                        p.organisation(recipient, "--recipient").id(), covers, object, reference, Commands.actor())));
                return Commands.OK;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the consents in force.")
    static final class ListConsents implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "consent list", (d, out) -> {
                var all = new Commands.Partners(d).consents().active();
                out.println(all.isEmpty() ? "no consent in force"
                        : String.join(System.lineSeparator(), all.stream().map(ConsentCommand::describe).toList()));
                return Commands.OK;
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Withdraws a consent (it stays on record).")
    static final class Revoke implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "ID") long id;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "consent revoke", (d, out) -> {
                new Commands.Partners(d).consents().revoke(id, Commands.actor());
                out.println("revoked consent " + id);
                return Commands.OK;
            });
        }
    }
}
