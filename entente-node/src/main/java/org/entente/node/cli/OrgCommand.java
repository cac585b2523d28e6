package org.entente.node.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "org", mixinStandardHelpOptions = true,
        description = "Lists, adds and changes the organisations this node knows: its own and its partners."
                + " Agreements name them as parties, users belong to one. See docs/POLICY.md.",
        subcommands = {OrgCommand.ListOrgs.class, OrgCommand.Add.class, OrgCommand.Update.class})
final class OrgCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    static String describe(Organisation o) {
        return o.name() + " (" + o.nation() + ", " + o.sector().wire() + (o.own() ? ", own" : "") + ", " + o.id() + ")";
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the organisations, the own one first.")
    static final class ListOrgs implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "org list", (d, out) -> {
                List<Organisation> all = new Commands.Partners(d).organisations.all();
                if (all.isEmpty()) {
                    out.println(Commands.NO_OWN_ORGANISATION.replace("no own organisation", "no organisations"));
                    return Commands.OK;
                }
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"ID", "NAME", "NATION", "SECTOR", "OWN", "CONTACT"});
                for (Organisation o : all) {
                    rows.add(new String[] {o.id(), o.name(), o.nation(), o.sector().wire(), o.own() ? "yes" : "",
                            o.contactPoint() == null ? "" : o.contactPoint()});
                }
                out.print(Commands.table(rows));
                return Commands.OK;
            });
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Adds a partner organisation, or with --own the node's own one (when a node has never"
                    + " started, so that agreements and users can be set up before the first `entente serve`).")
    static final class Add implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "NAME", description = "The agency's name, unique on this node.") String name;
        @Option(names = "--nation", required = true, paramLabel = "CC",
                description = "ISO 3166-1 alpha-2 country code, e.g. DE, JO, EE.") String nation;
        @Option(names = "--sector", required = true, paramLabel = "SECTOR",
                description = "One of: cybercrime, cert, counter-terrorism, police, border, customs,"
                        + " financial-intelligence, judicial, intelligence, ministry, other.") String sector;
        @Option(names = "--contact", paramLabel = "TEXT",
                description = "Contact point, e.g. the 24/7 desk and its number.") String contact;
        @Option(names = "--own", description = "This is the node's own organisation (only when it has none yet).")
        boolean own;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "org add", (d, out) -> {
                Commands.Partners p = new Commands.Partners(d);
                if (own) {
                    // Checked first for a message that names the existing one; the unique index still guards a race.
                    p.organisations.own().ifPresent(o -> {
                        throw new IllegalArgumentException("--own: this node already has its own organisation, "
                                + describe(o) + "; change it with `entente org update`");
                    });
                }
                Organisation o = p.organisations.create(new Organisations.Draft(name, nation, sector, contact), own,
                        Commands.actor());
                out.println("created organisation " + describe(o));
                if (own) {
                    // Accounts made before there was an own organisation belong to it (the node does the same at start).
                    int adopted = d.accounts().adoptOrphans(o.id());
                    if (adopted > 0) out.println(adopted + " existing user(s) now belong to " + o.name());
                }
                return Commands.OK;
            });
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Changes an organisation's name, nation, sector or contact point; what is not given stays.")
    static final class Update implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "ORG", description = "The organisation's id or name.") String org;
        @Option(names = "--name", paramLabel = "NAME") String name;
        @Option(names = "--nation", paramLabel = "CC", description = "ISO 3166-1 alpha-2 country code.") String nation;
        @Option(names = "--sector", paramLabel = "SECTOR", description = "See `entente org add --help`.") String sector;
        @Option(names = "--contact", paramLabel = "TEXT") String contact;

        @Override
        public Integer call() {
            if (name == null && nation == null && sector == null && contact == null) {
                return Commands.usage(spec, "org update", "nothing to change: give --name, --nation, --sector or --contact");
            }
            return Commands.execute(spec, node, "org update", (d, out) -> {
                Commands.Partners p = new Commands.Partners(d);
                Organisation old = p.organisation(org, "ORG");
                Organisation o = p.organisations.update(old.id(), new Organisations.Draft(name, nation, sector, contact),
                        Commands.actor());
                out.println("updated organisation " + describe(o));
                return Commands.OK;
            });
        }
    }
}
