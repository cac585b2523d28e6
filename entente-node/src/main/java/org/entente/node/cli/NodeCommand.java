package org.entente.node.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "node", mixinStandardHelpOptions = true,
        description = "The node's own federation identity: what a partner needs to trust it, and its keys (docs/FEDERATION.md).",
        subcommands = {NodeCommand.IdentityCmd.class, NodeCommand.RotateKeys.class})
final class NodeCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "identity", mixinStandardHelpOptions = true,
            description = {"Writes the node's identity document: its federation URL, organisation, TLS certificate and"
                    + " fingerprint, public signing key, signed by that key. Nothing in it is secret.",
                    "Give it to a partner's operator, who adds it with `entente peer add --identity FILE`."})
    static final class IdentityCmd implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write it to FILE instead of standard output.")
        Path output;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "node identity", (d, out) -> {
                String doc = Commands.pretty(d.federation().identityDocument());
                if (output == null) {
                    out.println(doc);
                } else {
                    try {
                        Files.writeString(output, doc + "\n", StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new IllegalArgumentException("cannot write " + output + ": " + e.getMessage(), e);
                    }
                    out.println("identity of " + d.organisations().own().orElseThrow().name() + " written to " + output);
                }
                return Commands.OK;
            });
        }
    }

    @Command(name = "rotate-keys", mixinStandardHelpOptions = true,
            description = {"Issues a new signing key and, unless the certificate is the agency's own (federation.cert),"
                    + " a new TLS certificate; the old ones are retired but kept.",
                    "The new identity, signed by the old key too, is sent to every peer, which accepts it on that signature."})
    static final class RotateKeys implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "node rotate-keys", (d, out) -> {
                ObjectNode next = d.federation().rotateKeys(Commands.actor());
                out.println("new signing key " + next.path("signing_key").path("id").asText() + ", certificate "
                        + next.path("fingerprint").asText());
                out.println("the new identity is being sent to " + d.federation().statuses().size() + " peer(s)");
                return Commands.OK;
            });
        }
    }
}
