package org.entente.node.cli;

import java.util.concurrent.Callable;
import org.entente.node.audit.AuditLog;
import org.entente.node.db.Database;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.policy.Consent;
import org.entente.node.policy.Consents;
import org.entente.node.policy.InvalidInput;
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

    static Consents consents(Database d) {
        Organisations orgs = new Organisations(d.dataSource(), new AuditLog(d.dataSource()));
        return new Consents(d.dataSource(), new AuditLog(d.dataSource()),
                id -> orgs.find(id).map(o -> o.id().equals(id)).orElse(false));
    }

    static String org(Database d, String idOrName) {
        return new Organisations(d.dataSource(), new AuditLog(d.dataSource())).find(idOrName).map(Organisation::id)
                .orElse(idOrName);
    }

    static String describe(Consent c) {
        return String.format("%-6d %-14s %s -> %s  %s  (%s, recorded by %s %s)", c.id(), c.covers().wire(), c.providerId(),
                c.recipientId(), c.objectId() == null ? "everything it sent" : c.objectId(), c.reference(), c.recordedBy(),
                c.recordedAt());
    }

    static int run(picocli.CommandLine.Model.CommandSpec spec, DatabaseOptions db, String what,
            java.util.function.Function<Database, String> action) {
        try (Database d = db.open()) {
            spec.commandLine().getOut().println(action.apply(d));
            return 0;
        } catch (InvalidInput e) {
            for (InvalidInput.Problem p : e.problems()) spec.commandLine().getErr().println("entente " + what + ": " + p);
            return 2;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Records a consent (it takes effect at once).")
    static final class Add implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin DatabaseOptions db;
        @Option(names = "--provider", required = true, paramLabel = "ORG", description = "Who gave it (id or name).") String provider;
        @Option(names = "--recipient", required = true, paramLabel = "ORG", description = "Who it allows (id or name).") String recipient;
        @Option(names = "--covers", required = true, paramLabel = "WHAT", description = "onward-sharing or judicial-use.") String covers;
        @Option(names = "--object", paramLabel = "ID", description = "One object only (default: everything the provider sent).") String object;
        @Option(names = "--reference", required = true, paramLabel = "TEXT",
                description = "Where the provider gave it: message, letter, case number.") String reference;

        @Override
        public Integer call() {
            return run(spec, db, "consent add", d -> "recorded " + describe(consents(d).record(org(d, provider),
                    org(d, recipient), covers, object, reference, Commands.actor())));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the consents in force.")
    static final class ListConsents implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin DatabaseOptions db;

        @Override
        public Integer call() {
            return run(spec, db, "consent list", d -> {
                var all = consents(d).active();
                return all.isEmpty() ? "no consent in force"
                        : String.join(System.lineSeparator(), all.stream().map(ConsentCommand::describe).toList());
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Withdraws a consent (it stays on record).")
    static final class Revoke implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin DatabaseOptions db;
        @Parameters(paramLabel = "ID") long id;

        @Override
        public Integer call() {
            return run(spec, db, "consent revoke", d -> {
                consents(d).revoke(id, Commands.actor());
                return "revoked consent " + id;
            });
        }
    }
}
