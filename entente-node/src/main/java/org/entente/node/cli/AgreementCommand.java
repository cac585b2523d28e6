package org.entente.node.cli;

import org.entente.node.partners.Party;
import org.entente.node.policy.store.Agreements;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.entente.node.partners.Organisation;
import org.entente.node.policy.Agreement;
import org.entente.node.common.InvalidInput;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "agreement", mixinStandardHelpOptions = true,
        description = {"Lists, shows, adds and changes the agreements the node enforces (docs/POLICY.md).",
                "Every change is checked in full first, then stored as a new version and audited; a refused"
                        + " change stores nothing. A terminated agreement can no longer change."},
        subcommands = {AgreementCommand.ListAgreements.class, AgreementCommand.Show.class, AgreementCommand.Add.class,
                AgreementCommand.Update.class, AgreementCommand.SetStatus.class, AgreementCommand.Accept.class})
final class AgreementCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    static final String FILE_HELP = "The agreement as JSON, as in docs/POLICY.md ('-' for standard input)."
            + " Parties may be organisation ids, organisation names or nation:CC; // comments are allowed.";

    /**
     * Operators know partners by name, agreements store ids: a party written as a name is replaced
     * by the id of the organisation of that name. What is neither an id, a nation nor a known name is
     * left as written, so that the agreement's own check reports it with every other problem at once.
     */
    static ObjectNode resolveParties(JsonNode document, Commands.Partners p) {
        ObjectNode doc = (ObjectNode) document.deepCopy();
        resolve(doc.get("parties"), p);
        JsonNode onward = doc.path("rules").path("onward_sharing");
        if (onward.isObject()) resolve(onward.get("parties"), p);
        return doc;
    }

    private static void resolve(JsonNode list, Commands.Partners p) {
        if (list == null || !list.isArray()) return;
        ArrayNode a = (ArrayNode) list;
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).isTextual()) continue;
            String s = a.get(i).asText().strip();
            if (s.regionMatches(true, 0, Party.NATION_PREFIX, 0, Party.NATION_PREFIX.length())) {
                a.set(i, Party.NATION_PREFIX + s.substring(Party.NATION_PREFIX.length()).toUpperCase(Locale.ROOT));
            } else if (!s.startsWith("identity--")) {
                Optional<Organisation> o = p.organisations.find(s);
                if (o.isPresent()) a.set(i, o.get().id());
            }
        }
    }

    static String parties(Agreement a, Commands.Partners p) {
        return a.parties().stream().map(p::nameOf).collect(Collectors.joining(", "));
    }

    static String validity(Agreement a) {
        return day(a.validFrom()) + " .. " + (a.validUntil() == null ? "" : day(a.validUntil()));
    }

    private static String day(Instant t) {
        String s = t.toString();
        return s.endsWith("T00:00:00Z") ? s.substring(0, 10) : s;
    }

    static String summary(Agreement a) {
        return a.id() + " version " + a.version() + ", " + a.status().name().toLowerCase(Locale.ROOT) + ": " + a.title();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the agreements, most recently changed first.")
    static final class ListAgreements implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "agreement list", (d, out) -> {
                Commands.Partners p = new Commands.Partners(d);
                // Reading needs no own organisation: the predicates only guard changes.
                Agreements agreements = d.agreements();
                List<Agreement> all = agreements.all();
                if (all.isEmpty()) {
                    out.println("no agreements yet; add one with `entente agreement add --file FILE.json`");
                    return Commands.OK;
                }
                Instant now = Instant.now();
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"ID", "VERSION", "STATUS", "IN FORCE", "VALID", "PARTIES", "TITLE"});
                for (Agreement a : all) {
                    rows.add(new String[] {a.id(), Integer.toString(a.version()), a.status().name().toLowerCase(Locale.ROOT),
                            a.inForce(now) ? "yes" : "no", validity(a), parties(a, p), a.title()});
                }
                out.print(Commands.table(rows));
                return Commands.OK;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints an agreement as JSON. The output can be edited and given back to"
                    + " `entente agreement update ID --file`.")
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "AGREEMENT", description = "The agreement id (agreement--…).") String id;
        @Option(names = "--history", description = "Every version, oldest first, with who changed it and when.")
        boolean history;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "agreement show", (d, out) -> {
                Commands.Partners p = new Commands.Partners(d);
                Agreements agreements = d.agreements();
                Agreement a = p.agreement(agreements, id);
                if (!history) {
                    out.println(Commands.pretty(a.toJson(Commands.JSON)));
                    return Commands.OK;
                }
                ObjectNode h = Commands.JSON.createObjectNode();
                h.put("agreement", a.id());
                ArrayNode versions = h.putArray("versions");
                for (Agreements.Version v : agreements.history(a.id())) {
                    ObjectNode n = versions.addObject();
                    n.put("version", v.version());
                    n.put("changed_by", v.changedBy());
                    n.put("changed_at", v.changedAt().toString());
                    n.set("document", v.document());
                }
                out.println(Commands.pretty(h));
                return Commands.OK;
            });
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Adds an agreement and prints its new id (alone, for scripts).",
                    "The node's own organisation must be a party, directly or through its nation."})
    static final class Add implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Option(names = "--file", required = true, paramLabel = "FILE", description = FILE_HELP) String file;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "agreement add", (d, out) -> {
                JsonNode doc = Commands.readJsonObject(file, "--file");
                Commands.Partners p = new Commands.Partners(d);
                Agreement a = p.agreements().create(resolveParties(doc, p), Commands.actor());
                out.println(a.id());
                return Commands.OK;
            });
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Replaces the terms of an agreement with those in FILE, as a new version.",
                    "When the file carries the id and version `entente agreement show` printed, they must still be"
                            + " current: a change made meanwhile by someone else is not overwritten unseen."})
    static final class Update implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "AGREEMENT", description = "The agreement id.") String id;
        @Option(names = "--file", required = true, paramLabel = "FILE", description = FILE_HELP) String file;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "agreement update", (d, out) -> {
                JsonNode doc = Commands.readJsonObject(file, "--file");
                Commands.Partners p = new Commands.Partners(d);
                Agreements agreements = p.agreements();
                Agreement current = p.agreement(agreements, id);
                List<InvalidInput.Problem> problems = new ArrayList<>();
                if (doc.hasNonNull("id") && !doc.get("id").asText().equals(current.id())) {
                    problems.add(new InvalidInput.Problem("/id", "the file is agreement " + doc.get("id").asText()
                            + ", not " + current.id()));
                }
                if (doc.hasNonNull("version") && doc.get("version").asInt(-1) != current.version()) {
                    problems.add(new InvalidInput.Problem("/version", "the file was taken from version "
                            + doc.get("version").asText() + ", but the agreement is at version " + current.version()
                            + " now; show it again and repeat the change"));
                }
                if (!problems.isEmpty()) throw new InvalidInput("Not this agreement's current version", problems);
                Agreement a = agreements.update(current.id(), resolveParties(doc, p), Commands.actor());
                out.println("updated agreement " + summary(a));
                return Commands.OK;
            });
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Activates, suspends or terminates an agreement (a new version; the other terms stay).",
                    "Suspending or terminating stops what flows under it at once, in every node process."
                            + " Terminating is final."})
    static final class SetStatus implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(index = "0", paramLabel = "AGREEMENT", description = "The agreement id.") String id;
        @Parameters(index = "1", paramLabel = "STATUS", description = "draft, active, suspended or terminated.")
        String status;

        @Override
        public Integer call() {
            Agreement.Status s;
            try {
                s = Agreement.Status.valueOf(status.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return Commands.usage(spec, "agreement status", "STATUS: '" + status
                        + "' is not one of draft, active, suspended, terminated");
            }
            return Commands.execute(spec, node, "agreement status", (d, out) -> {
                Commands.Partners p = new Commands.Partners(d);
                Agreements agreements = p.agreements();
                Agreement current = p.agreement(agreements, id);
                if (current.status() == s && s != Agreement.Status.TERMINATED) {
                    // A version that changes nothing would only blur the history.
                    out.println("agreement " + summary(current) + " (already; nothing changed)");
                    return Commands.OK;
                }
                Agreement a = agreements.setStatus(current.id(), s, Commands.actor());
                out.println("agreement " + summary(a));
                return Commands.OK;
            });
        }
    }

    @Command(name = "accept", mixinStandardHelpOptions = true,
            description = {"Accepts an agreement a partner's node proposed: this node signs the version; it becomes"
                    + " active at both nodes once every party's node has signed it (docs/FEDERATION.md)."})
    static final class Accept implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "AGREEMENT", description = "The agreement id.") String id;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "agreement accept", (d, out) -> {
                Agreement a = d.federation().acceptAgreement(id, Commands.actor());
                out.println("accepted agreement " + summary(a));
                if (a.status() == Agreement.Status.PROPOSED) {
                    out.println("  it takes effect when the other parties' nodes have signed it too");
                }
                return Commands.OK;
            });
        }
    }
}
