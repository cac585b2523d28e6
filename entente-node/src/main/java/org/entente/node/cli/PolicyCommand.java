package org.entente.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.entente.node.partners.Organisation;
import org.entente.node.policy.Action;
import org.entente.node.policy.Agreement;
import org.entente.node.common.InvalidInput;
import org.entente.node.policy.Policy;

import org.entente.node.policy.Purpose;
import org.entente.node.store.ObjectStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Asks the sharing policy what it decides, with the same decision function every read path uses"
                + " (docs/POLICY.md): why an organisation may or may not receive an object, and what it may receive at all.",
        subcommands = {PolicyCommand.Explain.class, PolicyCommand.Report.class})
final class PolicyCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    static final int PERMITTED = 0;
    static final int DENIED = 1;

    static String alias(Commands.Partners p, String collectionId) {
        return p.node.store().collection(collectionId)
                .map(c -> c.alias() != null ? c.alias() : c.title()).orElse(collectionId);
    }

    static String collection(Commands.Partners p, String collectionId) {
        String a = alias(p, collectionId);
        return a.equals(collectionId) ? a : a + " (" + collectionId + ")";
    }

    /** The domain names the parameter; on the command line it is the option of the same name. */
    static InvalidInput asOptions(InvalidInput e) {
        return new InvalidInput(e.title(), e.problems().stream()
                .map(p -> p.field().isEmpty() || p.field().startsWith("/") || p.field().startsWith("-") ? p
                        : new InvalidInput.Problem("--" + p.field(), p.message()))
                .toList());
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = {"Explains the decision for the latest version of an object in each collection that holds it:"
                    + " permit or deny, the rule and agreement that decided, the reason and every check on the way.",
                    "Exit 0 when at least one collection would release it to the recipient, 1 when every one"
                            + " withholds it, 2 on bad input."})
    static final class Explain implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Option(names = "--object", required = true, paramLabel = "ID", description = "STIX id, e.g. indicator--….")
        String object;
        @Option(names = "--recipient", required = true, paramLabel = "ORG", description = "Organisation id or name.")
        String recipient;
        @Option(names = "--purpose", paramLabel = "PURPOSE", defaultValue = "intelligence-analysis",
                description = "prevention, detection, investigation, prosecution, border-control or"
                        + " intelligence-analysis (default: ${DEFAULT-VALUE}, what an analyst reads for).")
        String purpose;
        @Option(names = "--action", paramLabel = "ACTION", defaultValue = "read",
                description = "read, sync, export or query (default: ${DEFAULT-VALUE}).")
        String action;
        @Option(names = "--user", paramLabel = "NAME",
                description = "The person who reads, for TLP:RED objects that name their recipients (user:NAME).")
        String user;
        @Option(names = "--json", description = "The decision as JSON, as GET /api/policy/explain answers.")
        boolean json;

        @Override
        public Integer call() {
            // Checked before the database opens, each naming its option.
            Purpose p = Purpose.parse(purpose).orElse(null);
            if (p == null) {
                return Commands.usage(spec, "policy explain", "--purpose: '" + purpose + "' is not a purpose agreements know;"
                        + " known: " + Purpose.choices());
            }
            Action a = Action.parse(action).orElse(null);
            if (a == null) {
                return Commands.usage(spec, "policy explain", "--action: '" + action
                        + "' is not one of read, sync, export, query");
            }
            return Commands.execute(spec, node, "policy explain", (d, out) -> {
                Commands.Partners partners = new Commands.Partners(d);
                Organisation to = partners.organisation(recipient, "--recipient");
                if (user != null && d.accounts().find(user).isEmpty()) {
                    throw InvalidInput.of("Unknown user", "--user", "no user named '" + user + "' (see `entente user list`)");
                }
                ObjectNode r;
                try {
                    r = d.policyQueries().explain(object, to.id(), user, p, a);
                } catch (InvalidInput e) {
                    throw asOptions(e);
                }
                boolean permitted = false;
                for (JsonNode x : r.path("results")) permitted |= x.path("decision").asText().equals("permit");
                if (json) out.println(Commands.pretty(r));
                else print(r, to, partners, out);
                return permitted ? PERMITTED : DENIED;
            });
        }

        private static void print(ObjectNode r, Organisation to, Commands.Partners partners, PrintWriter out) {
            Policy policy = partners.policies.current();
            out.println("object     " + r.path("object").asText());
            out.println("recipient  " + to.name() + " (" + to.id() + ")" + (r.has("user") ? ", user " + r.path("user").asText() : ""));
            out.println("purpose    " + r.path("purpose").asText() + ", action " + r.path("action").asText()
                    + ", decided " + r.path("decided_at").asText());
            for (JsonNode x : r.path("results")) {
                out.println();
                out.println("collection " + collection(partners, x.path("collection").asText()) + ", version " + x.path("version").asText()
                        + (x.has("provider") ? ", provided by " + partners.nameOf(x.path("provider").asText()) : ", own intelligence"));
                out.println("  " + x.path("decision").asText().toUpperCase(Locale.ROOT) + "  rule " + x.path("rule").asText()
                        + (x.has("agreement") ? ", agreement " + x.path("agreement").asText()
                                + policy.agreement(x.path("agreement").asText()).map(ag -> " (" + ag.title() + ")").orElse("") : ""));
                out.println("  reason   " + x.path("reason").asText());
                out.println("  object   " + x.path("object_facts").asText());
                out.println("  checks");
                for (JsonNode c : x.path("checks")) out.println("    - " + c.asText());
            }
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "What an organisation may receive: the agreements that bind it and this node, and for each"
                    + " purpose how many stored objects (latest versions) would pass, by agreement, collection and"
                    + " category, and how many would be withheld, by rule.")
    static final class Report implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Option(names = "--recipient", required = true, paramLabel = "ORG", description = "Organisation id or name.")
        String recipient;
        @Option(names = "--json", description = "The report as JSON, as GET /api/policy/report answers.")
        boolean json;

        @Override
        public Integer call() {
            return Commands.execute(spec, node, "policy report", (d, out) -> {
                Commands.Partners partners = new Commands.Partners(d);
                Organisation to = partners.organisation(recipient, "--recipient");
                ObjectNode r;
                try {
                    r = d.policyQueries().report(to.id());
                } catch (InvalidInput e) {
                    throw asOptions(e);
                }
                if (json) {
                    out.println(Commands.pretty(r));
                    return Commands.OK;
                }
                Policy policy = partners.policies.current();
                out.println("What " + to.name() + " (" + to.id() + ") may receive, as of " + r.path("as_of").asText());
                out.println();
                out.println("Agreements binding it and this node:");
                if (r.path("agreements").isEmpty()) out.println("  none: it receives nothing but what it provided itself");
                for (JsonNode a : r.path("agreements")) {
                    out.println("  " + a.path("id").asText() + "  version " + a.path("version").asInt() + ", "
                            + a.path("status").asText() + ", " + (a.path("in_force").asBoolean() ? "in force"
                                    : "not in force (" + a.path("not_in_force").asText() + ")")
                            + ": " + a.path("title").asText());
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = r.path("receivable").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode pn = e.getValue();
                    out.println();
                    out.println("For " + e.getKey() + ":");
                    long permitted = 0;
                    for (Iterator<Map.Entry<String, JsonNode>> ag = pn.path("permitted_by_agreement").fields(); ag.hasNext(); ) {
                        Map.Entry<String, JsonNode> by = ag.next();
                        long n = 0;
                        for (JsonNode c : by.getValue()) n += c.asLong();
                        permitted += n;
                        String title = policy.agreement(by.getKey()).map(Agreement::title).map(t -> " (" + t + ")").orElse("");
                        out.println("  permitted under " + by.getKey() + title + ": " + n);
                        for (Iterator<Map.Entry<String, JsonNode>> c = by.getValue().fields(); c.hasNext(); ) {
                            Map.Entry<String, JsonNode> cc = c.next();
                            // Keyed "collection-id / category"; people know collections by alias.
                            String[] k = cc.getKey().split(" / ", 2);
                            out.println("    " + alias(partners, k[0]) + (k.length > 1 ? " / " + k[1] : "") + ": "
                                    + cc.getValue().asLong());
                        }
                    }
                    if (permitted == 0) out.println("  permitted: none");
                    for (Iterator<Map.Entry<String, JsonNode>> dn = pn.path("denied_by_rule").fields(); dn.hasNext(); ) {
                        Map.Entry<String, JsonNode> by = dn.next();
                        out.println("  withheld, " + by.getKey() + ": " + by.getValue().asLong());
                    }
                    if (pn.has("not_yet_classified")) {
                        out.println("  not yet classified (decided one by one when read): " + pn.path("not_yet_classified").asLong());
                    }
                }
                return Commands.OK;
            });
        }
    }
}
