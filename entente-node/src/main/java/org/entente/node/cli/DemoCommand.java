package org.entente.node.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.entente.node.FederationDemo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, description = "Showcases of what a node does.",
        subcommands = {DemoCommand.FederationCmd.class})
final class DemoCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "federation", mixinStandardHelpOptions = true,
            description = {"Starts three nodes on loopback — a national cybercrime unit (EE), a partner CERT (DE) and a"
                    + " border police (JO), each with its own embedded PostgreSQL and data folder — bound by two"
                    + " agreements; loads data, syncs, prints what went where and why, then revokes an object and shows"
                    + " it retracted at both receivers (docs/FEDERATION.md)."})
    static final class FederationCmd implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--data", paramLabel = "DIR", description = "Where the three nodes keep their data (default: a new"
                + " temporary folder, removed afterwards).") Path data;

        @Override
        public Integer call() throws IOException {
            org.entente.node.ops.Logs.configure(false);
            boolean temporary = data == null;
            Path dir = temporary ? Files.createTempDirectory("entente-federation-demo") : data;
            try {
                return new FederationDemo(dir, System.out, !temporary).run() ? Commands.OK : 1;
            } catch (IllegalStateException | IllegalArgumentException e) {
                spec.commandLine().getErr().println("entente demo federation: " + e.getMessage());
                return 1;
            } finally {
                if (temporary) delete(dir);
            }
        }

        private static void delete(Path dir) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind is harmless
            }
        }
    }
}
