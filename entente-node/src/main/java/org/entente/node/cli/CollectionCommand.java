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
        @Mixin DatabaseOptions db;

        @Override
        public Integer call() {
            return UserCommand.run(spec, db, "collection list", d -> {
                Commands.Partners p = new Commands.Partners(d);
                java.util.List<String[]> rows = new java.util.ArrayList<>();
                rows.add(new String[] {"ID", "ALIAS", "TITLE", "PROVENANCE"});
                for (CollectionInfo c : new ObjectStore(d.dataSource()).collections()) {
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
        @Mixin DatabaseOptions db;
        @Parameters(paramLabel = "TITLE") String title;
        @Option(names = "--alias", description = "Short name, e.g. for 'entente import --collection'.") String alias;
        @Option(names = "--description") String description;

        @Override
        public Integer call() {
            if (alias != null && !alias.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                spec.commandLine().getErr().println("entente collection add: an alias is 1 to 63 lower-case letters, digits and '-'");
                return 2;
            }
            return UserCommand.run(spec, db, "collection add", d -> {
                ObjectStore store = new ObjectStore(d.dataSource());
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
        @Mixin DatabaseOptions db;
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
            return UserCommand.run(spec, db, what, d -> {
                Commands.Partners p = new Commands.Partners(d);
                ObjectStore store = new ObjectStore(d.dataSource());
                CollectionInfo c = store.collection(collection).orElseThrow(() -> new IllegalArgumentException(
                        "COLLECTION: no collection '" + collection + "' (see `entente collection list`)"));
                if (own) {
                    store.setProvenance(c.id(), null, null);
                    audited(p, c, null, null);
                    return "collection " + name(c) + " holds the node's own intelligence";
                }
                org.entente.node.partners.Organisation o = p.organisation(provider, "--provider");
                if (o.own()) {
                    throw new IllegalArgumentException("--provider: " + o.name() + " is this node's own organisation;"
                            + " for own intelligence give --own");
                }
                org.entente.node.policy.Agreements agreements =
                        new org.entente.node.policy.Agreements(d.dataSource(), p.audit, x -> true, x -> true);
                org.entente.node.policy.Agreement a = agreements.find(agreement).orElseThrow(() ->
                        new IllegalArgumentException("--agreement: no agreement '" + agreement + "' (see `entente agreement list`)"));
                // The agreement's terms bind the data only if the provider signed it.
                if (!a.hasParty(o.id(), o.nation())) {
                    throw new IllegalArgumentException("--agreement: " + o.name() + " is not a party to " + a.id() + " ("
                            + a.title() + "); its parties are " + AgreementCommand.parties(a, p));
                }
                store.setProvenance(c.id(), o.id(), a.id());
                audited(p, c, o.id(), a.id());
                return "collection " + name(c) + " holds what " + o.name() + " shared under " + a.id() + " (" + a.title() + ")";
            });
        }

        private static String name(CollectionInfo c) {
            return (c.alias() == null ? c.title() : c.alias()) + " (" + c.id() + ")";
        }

        /** Provenance decides onward sharing, purposes and retention of everything in the collection: answer for it. */
        private static void audited(Commands.Partners p, CollectionInfo c, String provider, String agreement) {
            p.audit.append(new org.entente.node.audit.AuditEvent("collection-change", Commands.actor(), null,
                    org.entente.node.audit.AuditEvent.detail("change", "provenance", "collection", c.id(),
                            "provider", provider, "agreement", agreement,
                            "was_provider", c.providerId(), "was_agreement", c.agreementId())));
        }
    }
}
