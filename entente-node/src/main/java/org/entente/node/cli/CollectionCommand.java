package org.entente.node.cli;

import java.util.UUID;
import java.util.concurrent.Callable;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "collection", mixinStandardHelpOptions = true,
        description = "Lists and creates TAXII collections and records where their content came from.",
        subcommands = {CollectionCommand.ListCollections.class, CollectionCommand.Add.class, CollectionCommand.Provenance.class})
final class CollectionCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the collections.")
    static final class ListCollections implements Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;

        @Override
        public Integer call() {
            return UserCommand.run(spec, node, "collection list", d -> {
                Commands.Partners p = new Commands.Partners(d);
                java.util.List<String[]> rows = new java.util.ArrayList<>();
                rows.add(new String[] {"ID", "ALIAS", "TITLE", "PROVENANCE"});
                for (CollectionInfo c : d.store().collections()) {
                    rows.add(new String[] {c.id(), c.alias() == null ? "" : c.alias(), c.title(), c.providerId() == null
                            ? "own" : p.nameOf(c.providerId()) + " under " + c.agreementId()});
                }
                return Commands.table(rows).stripTrailing();
            });
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Creates a collection.")
    static final class Add implements Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "TITLE") String title;
        @Option(names = "--alias", description = "Short name, e.g. for 'entente import --collection'.") String alias;
        @Option(names = "--description") String description;

        @Override
        public Integer call() {
            if (alias != null && !alias.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                spec.commandLine().getErr().println("entente collection add: an alias is 1 to 63 lower-case letters, digits and '-'");
                return 2;
            }
            return UserCommand.run(spec, node, "collection add", d -> {
                ObjectStore store = d.store();
                if (alias != null && store.collection(alias).isPresent()) {
                    throw new IllegalArgumentException("a collection with alias '" + alias + "' exists already");
                }
                CollectionInfo c = store.createCollection(UUID.randomUUID().toString(), alias, title, description);
                return "created collection " + c.id() + (alias == null ? "" : " (" + alias + ")");
            });
        }
    }

    @Command(name = "provenance", mixinStandardHelpOptions = true,
            description = "Records where a collection's content came from: what one provider organisation shared under"
                    + " one agreement (whose purposes, onward-sharing rule and retention then bind it), or with --own the"
                    + " node's own intelligence. See docs/POLICY.md, Provenance.")
    static final class Provenance implements Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "COLLECTION", description = "Collection id or alias.") String collection;
        @Option(names = "--provider", paramLabel = "ORG", description = "The providing organisation, by id or name.")
        String provider;
        @Option(names = "--agreement", paramLabel = "ID", description = "The agreement it was shared under; the provider"
                + " must be one of its parties.") String agreement;
        @Option(names = "--own", description = "The collection holds the node's own intelligence.") boolean own;

        @Override
        public Integer call() {
            String what = "collection provenance";
            if (own && (provider != null || agreement != null)) {
                return Commands.usage(spec, what, "--own: own intelligence has no provider or agreement; give either --own"
                        + " or --provider and --agreement");
            }
            if (!own && (provider == null || agreement == null)) {
                return Commands.usage(spec, what, (provider == null ? "--provider" : "--agreement")
                        + ": give --provider ORG and --agreement ID, or --own");
            }
            return UserCommand.run(spec, node, what, d -> {
                if (own) {
                    CollectionInfo c = d.provenance().own(collection, Commands.actor());
                    return "collection " + name(c) + " holds the node's own intelligence";
                }
                CollectionInfo c = d.provenance().received(collection, provider, agreement, Commands.actor());
                String providerName = d.organisations().find(c.providerId()).map(o -> o.name()).orElse(c.providerId());
                String title = d.agreements().find(c.agreementId()).map(a -> a.title()).orElse("");
                return "collection " + name(c) + " holds what " + providerName + " shared under " + c.agreementId()
                        + " (" + title + ")";
            });
        }

        private static String name(CollectionInfo c) {
            return (c.alias() == null ? c.title() : c.alias()) + " (" + c.id() + ")";
        }
    }
}
