package org.entente.node.cli;

import java.util.UUID;
import java.util.concurrent.Callable;
import org.entente.node.store.CollectionInfo;
import org.entente.node.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "collection", mixinStandardHelpOptions = true, description = "Lists and creates TAXII collections.",
        subcommands = {CollectionCommand.ListCollections.class, CollectionCommand.Add.class})
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
                StringBuilder out = new StringBuilder(String.format("%-36s  %-12s  %s", "ID", "ALIAS", "TITLE"));
                for (CollectionInfo c : new ObjectStore(d.dataSource()).collections()) {
                    out.append(String.format("%n%-36s  %-12s  %s", c.id(), c.alias() == null ? "" : c.alias(), c.title()));
                }
                return out.toString();
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
}
