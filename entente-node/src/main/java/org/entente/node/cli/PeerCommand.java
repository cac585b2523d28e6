package org.entente.node.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.entente.node.federation.Federation;
import org.entente.node.federation.PeerStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "peer", mixinStandardHelpOptions = true,
        description = {"Partners' nodes this node syncs with over mutual TLS (docs/FEDERATION.md).",
                "A peer is named by its organisation's name or id."},
        subcommands = {PeerCommand.Add.class, PeerCommand.Offer.class, PeerCommand.Withdraw.class, PeerCommand.ListPeers.class,
                PeerCommand.Remove.class, PeerCommand.Status.class, PeerCommand.Sync.class})
final class PeerCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Makes a partner's node a peer on its identity document (from `entente node identity`), pinning"
                    + " its certificate and keys; creates its organisation when this node does not know it yet.",
                    "Nothing is offered to it until `entente peer offer`."})
    static final class Add implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Option(names = "--identity", required = true, paramLabel = "FILE", description = "The partner's identity document ('-' for standard input).")
        String file;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "peer add", (d, out) -> {
                PeerStatus s = d.federation().addPeer(Commands.readJsonObject(file, "--identity"), Commands.actor());
                out.println("peer " + s.name() + " (" + s.nation() + ", " + s.organisationId() + ") at " + s.url());
                out.println("  certificate " + s.fingerprint() + ", signing key " + s.signingKey());
                return Commands.OK;
            });
        }
    }

    @Command(name = "offer", mixinStandardHelpOptions = true,
            description = {"Offers a collection to a peer. Every object still passes the policy with the peer's"
                    + " organisation as recipient, under the agreement named (or the one agreement binding both)."})
    static final class Offer implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(index = "0", paramLabel = "PEER") String peer;
        @Parameters(index = "1", paramLabel = "COLLECTION", description = "Collection id or alias.") String collection;
        @Option(names = "--agreement", paramLabel = "ID", description = "The agreement it is offered under.") String agreement;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "peer offer", (d, out) -> {
                PeerStatus s = d.federation().offer(peer, collection, agreement, Commands.actor());
                PeerStatus.Offered o = s.offered().stream().filter(x -> x.collectionId().equals(
                        d.store().collection(collection).orElseThrow().id())).findFirst().orElseThrow();
                out.println("offered " + o.collectionTitle() + " (" + o.collectionId() + ") to " + s.name()
                        + " under agreement " + o.agreementId());
                return Commands.OK;
            });
        }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Stops offering a collection to a peer.")
    static final class Withdraw implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(index = "0", paramLabel = "PEER") String peer;
        @Parameters(index = "1", paramLabel = "COLLECTION") String collection;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "peer withdraw", (d, out) -> {
                PeerStatus s = d.federation().withdraw(peer, collection, Commands.actor());
                out.println("no longer offering " + collection + " to " + s.name());
                return Commands.OK;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the peers.")
    static final class ListPeers implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "peer list", (d, out) -> {
                List<PeerStatus> all = d.federation().statuses();
                if (all.isEmpty()) {
                    out.println("no peers yet; add one with `entente peer add --identity FILE`");
                    return Commands.OK;
                }
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"NAME", "NATION", "ORGANISATION", "URL", "OFFERED", "PULLED", "LAST SYNC"});
                for (PeerStatus s : all) {
                    rows.add(new String[] {s.name(), s.nation(), s.organisationId(), s.url(),
                            Integer.toString(s.offered().size()), Integer.toString(s.collections().size()),
                            s.lastSuccess() == null ? "never" : s.lastSuccess().toString()});
                }
                out.print(Commands.table(rows));
                return Commands.OK;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes a peer: its certificates are revoked at once (refused in the handshake); what it sent stays.")
    static final class Remove implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "PEER") String peer;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "peer remove", (d, out) -> {
                d.federation().removePeer(peer, Commands.actor());
                out.println("removed peer " + peer);
                return Commands.OK;
            });
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Per peer and collection: last successful sync, cursor, objects received, rejected and retracted,"
                    + " last error.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(arity = "0..1", paramLabel = "PEER") String peer;
        @Option(names = "--json", description = "JSON, as GET /api/peers answers.") boolean json;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "peer status", (d, out) -> {
                List<PeerStatus> list = peer == null ? d.federation().statuses() : List.of(d.federation().status(peer));
                if (json) {
                    ArrayNode a = Commands.JSON.createArrayNode();
                    list.forEach(s -> a.add(s.toJson()));
                    out.println(Commands.pretty(Commands.JSON.createObjectNode().set("peers", a)));
                    return Commands.OK;
                }
                if (list.isEmpty()) out.println("no peers");
                for (PeerStatus s : list) print(s, out);
                return Commands.OK;
            });
        }

        private static void print(PeerStatus s, PrintWriter out) {
            out.println(s.name() + " (" + s.nation() + ") " + s.url());
            out.println("  certificate " + s.fingerprint() + ", signing key " + s.signingKey()
                    + (s.pendingMessages() > 0 ? ", " + s.pendingMessages() + " message(s) waiting" : ""));
            out.println("  last sync: " + (s.lastSuccess() == null ? "never" : s.lastSuccess())
                    + (s.lastError() == null ? "" : "; last error (" + s.lastErrorAt() + "): " + s.lastError()));
            for (PeerStatus.Offered o : s.offered()) {
                out.println("  offered to it: " + o.collectionTitle() + " (" + o.collectionId() + ") under " + o.agreementId());
            }
            for (PeerStatus.Pulled p : s.collections()) {
                out.println("  pulled: " + p.title() + " [" + p.remoteCollection() + " -> " + p.localCollection() + "]"
                        + (p.offered() ? "" : " (no longer offered)") + " under " + p.agreementId());
                out.println("    received " + p.received() + ", rejected " + p.rejected() + ", retracted " + p.retracted()
                        + "; last success " + (p.lastSuccess() == null ? "never" : p.lastSuccess()));
                out.println("    cursor: added_after " + (p.addedAfter() == null ? "-" : p.addedAfter())
                        + (p.next() == null ? "" : ", next " + p.next()) + ", tombstones after " + p.tombstonesAfter());
                if (p.lastError() != null) out.println("    last error (" + p.lastErrorAt() + "): " + p.lastError());
            }
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {"One sync cycle now with a peer (or every peer): in the serving process when one runs on this"
                    + " database, otherwise in this one.",
                    "--wait returns when the cycle has ended; the exit code is 0 only if it succeeded."})
    static final class Sync implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(arity = "0..1", paramLabel = "PEER") String peer;
        @Option(names = "--wait", description = "Wait for the cycle to end (exit 0 only if it succeeded).") boolean waitFor;
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
                description = "How long --wait waits for the serving process (default: 600).") int timeout;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "peer sync", (d, out) -> {
                Federation f = d.federation();
                List<String> names = peer == null ? f.statuses().stream().map(PeerStatus::name).toList() : List.of(peer);
                if (names.isEmpty()) {
                    out.println("no peers");
                    return Commands.OK;
                }
                boolean ok = true;
                boolean serving = f.servingProcessRuns();
                for (String name : names) ok &= one(f, name, serving, out);
                return ok ? Commands.OK : 1;
            });
        }

        private boolean one(Federation f, String name, boolean serving, PrintWriter out) {
            if (serving) {
                try {
                    Optional<Boolean> r = f.requestSync(name, waitFor ? Duration.ofSeconds(timeout) : Duration.ZERO);
                    if (!waitFor) {
                        out.println(name + ": cycle requested from the serving process");
                        return true;
                    }
                    if (r.isEmpty()) {
                        out.println(name + ": no cycle ended within " + timeout + " s");
                        return false;
                    }
                    report(f, name, r.get(), out);
                    return r.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            Federation.SyncResult r = f.syncNow(name);
            report(f, name, r == Federation.SyncResult.DONE, out);
            return r == Federation.SyncResult.DONE;
        }

        private static void report(Federation f, String name, boolean ok, PrintWriter out) {
            PeerStatus s = f.status(name);
            long received = s.collections().stream().mapToLong(PeerStatus.Pulled::received).sum();
            long rejected = s.collections().stream().mapToLong(PeerStatus.Pulled::rejected).sum();
            out.println(name + ": " + (ok ? "synced" : "sync failed") + " (" + s.collections().size()
                    + " collection(s); received " + received + ", rejected " + rejected + " in all)");
            if (!ok) {
                if (s.lastError() != null) out.println("  " + s.lastError());
                for (PeerStatus.Pulled p : s.collections()) {
                    if (p.lastError() != null) out.println("  " + p.title() + ": " + p.lastError());
                }
            }
        }
    }

}
