package org.entente.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.entente.node.NodeServices;
import org.entente.node.common.InvalidInput;
import org.entente.node.common.Refusal;
import org.entente.node.requests.Requests;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "request", mixinStandardHelpOptions = true,
        description = {"Requests for mutual assistance to and from partners' organisations, node to node"
                + " (docs/REQUESTS.md): preservation, expedited disclosure, production of data, information.",
                "A request leaves when the serving node delivers it (at once, or within a second when the command"
                        + " runs beside it); a partner's answer arrives the same way."},
        subcommands = {RequestCommand.New.class, RequestCommand.ListRequests.class, RequestCommand.Show.class,
                RequestCommand.Send.class, RequestCommand.Ack.class, RequestCommand.Start.class, RequestCommand.Answer.class,
                RequestCommand.Refuse.class, RequestCommand.Withdraw.class, RequestCommand.Clarify.class})
final class RequestCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** As {@link Commands#execute}, and a refused transition (or an unknown request) is bad input too: exit 2. */
    static int execute(CommandLine.Model.CommandSpec spec, NodeOptions node, String what,
            BiFunction<Requests, PrintWriter, Integer> action) {
        return Commands.execute(spec, node, what, (NodeServices d, PrintWriter out) -> {
            try {
                return action.apply(d.requests(), out);
            } catch (Refusal e) {
                spec.commandLine().getErr().println("entente " + what + ": " + e.title + ": " + e.getMessage());
                return Commands.USAGE;
            }
        });
    }

    static Requests.Actor actor() {
        return new Requests.Actor(Commands.actor());
    }

    /** Files attached as the API takes them: name, media type, content in base64. */
    static ArrayNode attachments(List<String> files, String option) {
        ArrayNode out = Commands.JSON.createArrayNode();
        for (String f : files) {
            Path p = Path.of(f);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(p);
            } catch (NoSuchFileException e) {
                throw InvalidInput.of("Missing file", option, "no such file: " + f);
            } catch (IOException e) {
                throw InvalidInput.of("Unreadable file", option, "cannot read " + f + ": " + e.getMessage());
            }
            String type;
            try {
                type = Files.probeContentType(p);
            } catch (IOException e) {
                type = null;
            }
            ObjectNode a = out.addObject().put("name", p.getFileName().toString())
                    .put("content", Base64.getEncoder().encodeToString(bytes));
            if (type != null) a.put("media_type", type);
        }
        return out;
    }

    static void printShort(PrintWriter out, Requests.Request r) {
        out.println(r.id() + "  " + r.state().wire() + (r.deadline() == null ? "" : "  deadline " + r.deadline())
                + (r.preservedUntil() == null ? "" : "  preserved until " + r.preservedUntil()));
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = {"Writes a request to a partner and sends it (unless --draft). Give the request as JSON"
                    + " (--file, the body of POST /api/requests) or with the options; either way it is checked against"
                    + " the agreement before anything leaves."})
    static final class New implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Option(names = "--file", paramLabel = "FILE", description = "The request as JSON ('-' for standard input).") String file;
        @Option(names = "--partner", paramLabel = "ORG", description = "The requested organisation (name or id).") String partner;
        @Option(names = "--type", description = "preservation, expedited-disclosure, subscriber-data, traffic-data,"
                + " content-data, information, screening-follow-up or spontaneous-information.") String type;
        @Option(names = "--urgency", description = "routine (default), urgent or threat-to-life.") String urgency;
        @Option(names = "--agreement", paramLabel = "ID", description = "The agreement the request rests on.") String agreement;
        @Option(names = "--article", description = "The article, when not the one the agreement gives for the type.") String article;
        @Option(names = "--deadline", paramLabel = "TIME", description = "A later deadline than the agreement's (RFC 3339).") String deadline;
        @Option(names = "--account", paramLabel = "SERVICE=ID", description = "An account (repeatable).") List<String> accounts = new ArrayList<>();
        @Option(names = "--ip", paramLabel = "ADDRESS@TIME@ZONE", description = "An IP address with the time it was used"
                + " and its time zone, e.g. 198.51.100.7@2026-03-01T02:13:00+01:00@Europe/Berlin (repeatable).")
        List<String> ips = new ArrayList<>();
        @Option(names = "--domain", description = "A domain (repeatable).") List<String> domains = new ArrayList<>();
        @Option(names = "--document", paramLabel = "KIND:NUMBER[:COUNTRY]", description = "A document (repeatable).")
        List<String> documents = new ArrayList<>();
        @Option(names = "--stix", paramLabel = "ID", description = "A linked STIX object (repeatable).") List<String> stix = new ArrayList<>();
        @Option(names = "--measure", description = "A measure asked for (repeatable).") List<String> measures = new ArrayList<>();
        @Option(names = "--language", description = "BCP 47 tag of the request's language, e.g. en.") String language;
        @Option(names = "--summary", description = "What the case is and why the data is needed.") String summary;
        @Option(names = "--attach", paramLabel = "FILE", description = "A file to attach (repeatable).") List<String> attach = new ArrayList<>();
        @Option(names = "--extends", paramLabel = "REQUEST", description = "The preservation this one extends.") String extendsId;
        @Option(names = "--draft", description = "Keep it as a draft; send it later with `entente request send`.") boolean draft;

        @Override
        public Integer call() {
            return execute(spec, node, "request new", (r, out) -> {
                Requests.Request made = r.create(body(), actor());
                printShort(out, made);
                return Commands.OK;
            });
        }

        private JsonNode body() {
            ObjectNode b = file != null ? (ObjectNode) Commands.readJsonObject(file, "--file") : Commands.JSON.createObjectNode();
            if (partner != null) b.put("partner", partner);
            if (type != null) b.put("type", type);
            if (urgency != null) b.put("urgency", urgency);
            if (agreement != null || article != null) {
                ObjectNode lb = b.with("legal_basis");
                if (agreement != null) lb.put("agreement", agreement);
                if (article != null) lb.put("article", article);
            }
            if (deadline != null) b.put("deadline", deadline);
            ObjectNode s = b.has("subject") ? (ObjectNode) b.get("subject") : Commands.JSON.createObjectNode();
            for (String a : accounts) {
                int i = a.indexOf('=');
                s.withArray("accounts").addObject().put("service", i < 0 ? "" : a.substring(0, i))
                        .put("identifier", a.substring(i + 1));
            }
            for (String ip : ips) {
                String[] p = ip.split("@", 3);
                ObjectNode o = s.withArray("ip_addresses").addObject().put("address", p[0]);
                if (p.length > 1) o.put("timestamp", p[1]);
                if (p.length > 2) o.put("time_zone", p[2]);
            }
            domains.forEach(d -> s.withArray("domains").add(d));
            for (String d : documents) {
                String[] p = d.split(":", 3);
                ObjectNode o = s.withArray("documents").addObject().put("kind", p[0]);
                if (p.length > 1) o.put("number", p[1]);
                if (p.length > 2) o.put("issuing_country", p[2]);
            }
            stix.forEach(x -> s.withArray("stix_objects").add(x));
            if (!s.isEmpty()) b.set("subject", s);
            if (!measures.isEmpty()) {
                ArrayNode m = b.putArray("measures");
                measures.forEach(m::add);
            }
            if (language != null) b.put("language", language);
            if (summary != null) b.put("summary", summary);
            if (!attach.isEmpty()) b.set("attachments", attachments(attach, "--attach"));
            if (extendsId != null) b.put("extends", extendsId);
            if (draft) b.put("send", false);
            return b;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The desk: requests to this organisation (or --outbox: from it), the open ones by urgency then deadline.")
    static final class ListRequests implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Option(names = "--outbox", description = "Requests this organisation sent.") boolean outbox;
        @Option(names = "--state", description = "open (default), all, or a state.") String state;
        @Option(names = "--partner", paramLabel = "ORG") String partner;
        @Option(names = "--limit", defaultValue = "50") int limit;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 10_000) return Commands.usage(spec, "request list", "--limit is from 1 to 10000");
            return execute(spec, node, "request list", (r, out) -> {
                Requests.Page page = r.list(outbox, state, partner, null, limit);
                if (page.requests().isEmpty()) {
                    out.println(outbox ? "no requests sent" : "no requests received");
                    return Commands.OK;
                }
                Instant now = r.clock().instant();
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"ID", "URGENCY", "TYPE", "STATE", outbox ? "TO" : "FROM", "DEADLINE", "LEFT"});
                for (Requests.Request q : page.requests()) {
                    rows.add(new String[] {q.id(), q.urgency().wire(), q.type().wire(), q.state().wire(), q.partner(),
                            q.deadline() == null ? "-" : q.deadline().toString(), left(q, now)});
                }
                out.print(Commands.table(rows));
                return Commands.OK;
            });
        }

        private static String left(Requests.Request q, Instant now) {
            if (q.deadline() == null || !q.state().open()) return "-";
            Duration d = Duration.between(now, q.deadline());
            if (d.isNegative()) return "overdue " + d.negated().toHours() + " h";
            return d.toDays() > 0 ? d.toDays() + " d " + d.toHoursPart() + " h" : d.toHours() + " h " + d.toMinutesPart() + " min";
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A request with its events and notices, as JSON.")
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(index = "0", paramLabel = "REQUEST") String id;

        @Override
        public Integer call() {
            return execute(spec, node, "request show", (r, out) -> {
                Requests.Request q = r.find(id).orElseThrow(() -> InvalidInput.of("Unknown request", "REQUEST",
                        "no request '" + id + "' on this node (see `entente request list`)"));
                out.println(Commands.pretty(r.describe(q)));
                return Commands.OK;
            });
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true, description = "Sends a draft.")
    static final class Send implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(index = "0", paramLabel = "REQUEST") String id;

        @Override
        public Integer call() {
            return execute(spec, node, "request send", (r, out) -> {
                printShort(out, r.send(id, actor()));
                return Commands.OK;
            });
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledges a request received.")
    static final class Ack implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(index = "0", paramLabel = "REQUEST") String id;
        @Option(names = "--note") String note;

        @Override
        public Integer call() {
            return execute(spec, node, "request ack", (r, out) -> {
                printShort(out, r.acknowledge(id, actor(), note));
                return Commands.OK;
            });
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Marks an acknowledged request in progress.")
    static final class Start implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(index = "0", paramLabel = "REQUEST") String id;
        @Option(names = "--note") String note;

        @Override
        public Integer call() {
            return execute(spec, node, "request start", (r, out) -> {
                printShort(out, r.start(id, actor(), note));
                return Commands.OK;
            });
        }
    }

    @Command(name = "answer", mixinStandardHelpOptions = true,
            description = "Answers a request: a text, files, and STIX objects that leave only as the agreement lets them.")
    static final class Answer implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(index = "0", paramLabel = "REQUEST") String id;
        @Option(names = "--text", required = true) String text;
        @Option(names = "--partial", description = "More will follow.") boolean partial;
        @Option(names = "--objects", paramLabel = "FILE", description = "A STIX bundle whose objects go with the answer.")
        String objects;
        @Option(names = "--attach", paramLabel = "FILE") List<String> attach = new ArrayList<>();

        @Override
        public Integer call() {
            return execute(spec, node, "request answer", (r, out) -> {
                ObjectNode b = Commands.JSON.createObjectNode().put("text", text).put("partial", partial);
                if (objects != null) b.set("objects", Commands.readJsonObject(objects, "--objects").path("objects"));
                if (!attach.isEmpty()) b.set("attachments", attachments(attach, "--attach"));
                printShort(out, r.answer(id, actor(), b));
                return Commands.OK;
            });
        }
    }

    @Command(name = "refuse", mixinStandardHelpOptions = true, description = "Refuses a request, with the grounds.")
    static final class Refuse implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(index = "0", paramLabel = "REQUEST") String id;
        @Option(names = "--grounds", required = true) String grounds;

        @Override
        public Integer call() {
            return execute(spec, node, "request refuse", (r, out) -> {
                printShort(out, r.refuse(id, actor(), grounds));
                return Commands.OK;
            });
        }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Withdraws a request this organisation sent.")
    static final class Withdraw implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(index = "0", paramLabel = "REQUEST") String id;
        @Option(names = "--reason") String reason;

        @Override
        public Integer call() {
            return execute(spec, node, "request withdraw", (r, out) -> {
                printShort(out, r.withdraw(id, actor(), reason));
                return Commands.OK;
            });
        }
    }

    @Command(name = "clarify", mixinStandardHelpOptions = true,
            description = "Asks the other side a question about a request, or answers one of its questions.")
    static final class Clarify implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(index = "0", paramLabel = "REQUEST") String id;
        @Option(names = "--text", required = true) String text;
        @Option(names = "--in-reply-to", paramLabel = "EVENT") String replyTo;
        @Option(names = "--attach", paramLabel = "FILE") List<String> attach = new ArrayList<>();

        @Override
        public Integer call() {
            return execute(spec, node, "request clarify", (r, out) -> {
                ObjectNode b = Commands.JSON.createObjectNode().put("text", text);
                if (replyTo != null) b.put("in_reply_to", replyTo);
                if (!attach.isEmpty()) b.set("attachments", attachments(attach, "--attach"));
                printShort(out, r.clarify(id, actor(), b));
                return Commands.OK;
            });
        }
    }
}
