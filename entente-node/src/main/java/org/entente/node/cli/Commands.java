package org.entente.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import org.entente.node.NodeServices;
import org.entente.node.audit.AuditLog;
import org.entente.node.common.InvalidInput;
import org.entente.node.partners.Organisation;
import org.entente.node.partners.Organisations;
import org.entente.node.partners.Party;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.store.Agreements;
import org.entente.node.policy.store.Consents;
import org.entente.node.policy.store.PolicyService;
import picocli.CommandLine.Model.CommandSpec;

/** What the administrative commands share: how they report bad input, and the node's partners and policy. */
final class Commands {
    private Commands() {}

    static final int OK = 0;
    static final int USAGE = 2;

    /** Pretty output for people; the same field names and values as the HTTP API. */
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Agreement files are written by hand, often from the example in docs/POLICY.md, which carries
     * comments: accept them, but nothing after the object (a second object is a mistake, not a list).
     */
    private static final ObjectMapper FILE_JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static final String NO_OWN_ORGANISATION = "no own organisation yet: start the node once with `entente serve`,"
            + " or create it with `entente org add NAME --nation CC --sector SECTOR --own`";

    /**
     * Opens the database, runs {@code action} (which prints what it has to say and returns the exit
     * code) and turns bad input into its reasons on standard error and exit 2. Every change the
     * actions make is one transaction in the domain classes, so a refusal has written nothing.
     */
    static int execute(CommandSpec spec, NodeOptions node, String what, BiFunction<NodeServices, PrintWriter, Integer> action) {
        PrintWriter err = spec.commandLine().getErr();
        try (NodeServices services = node.open()) {
            return action.apply(services, spec.commandLine().getOut());
        } catch (InvalidInput e) {
            err.println("entente " + what + ": " + e.title());
            for (InvalidInput.Problem p : e.problems()) err.println("  " + p);
            return USAGE;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("entente " + what + ": " + e.getMessage());
            return USAGE;
        }
    }

    /** Bad input found before the database is opened (opening the embedded one takes seconds). */
    static int usage(CommandSpec spec, String what, String message) {
        spec.commandLine().getErr().println("entente " + what + ": " + message);
        return USAGE;
    }

    /**
     * Who made a change from the command line. The CLI has database access and no login, so the
     * operating-system account is the best account of who did it that the audit log can have.
     */
    static String actor() {
        String u = System.getProperty("user.name");
        return "cli:" + (u == null || u.isBlank() ? "unknown" : u);
    }

    /** What the partner and agreement commands look up, on the node's services. */
    static final class Partners {
        final NodeServices node;
        final AuditLog audit;
        final Organisations organisations;
        final PolicyService policies;

        Partners(NodeServices node) {
            this.node = node;
            this.audit = node.audit();
            this.organisations = node.organisations();
            this.policies = node.policies();
        }

        /** The own organisation; agreements and defaults need it, and a never-started node has none. */
        Organisation own() {
            return organisations.own().orElseThrow(() -> new IllegalStateException(NO_OWN_ORGANISATION));
        }

        Agreements agreements() {
            own();
            return node.agreements();
        }

        Consents consents() {
            return node.consents();
        }

        /** An organisation by id or name, for an option that names one. */
        Organisation organisation(String idOrName, String option) {
            return organisations.find(idOrName).orElseThrow(() -> InvalidInput.of("Unknown organisation", option,
                    "no organisation '" + idOrName + "' (see `entente org list`)"));
        }

        /** An organisation's name for people, its id when it is not (or no longer) known. */
        String nameOf(String party) {
            if (Party.isNation(party)) return party;
            return organisations.find(party).map(Organisation::name).orElse(party);
        }

        Agreement agreement(Agreements agreements, String id) {
            return agreements.find(id).orElseThrow(() -> InvalidInput.of("Unknown agreement", "AGREEMENT",
                    "no agreement '" + id + "' (see `entente agreement list`)"));
        }
    }

    /**
     * Reads a JSON object from a file, or standard input for {@code -}.
     *
     * @throws InvalidInput naming {@code option} when the file is missing, unreadable or not one JSON object
     */
    static JsonNode readJsonObject(String file, String option) {
        String text;
        try {
            text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw InvalidInput.of("Missing file", option, "no such file: " + file);
        } catch (IOException e) {
            throw InvalidInput.of("Unreadable file", option, "cannot read " + file + ": " + e.getMessage());
        }
        if (text.isBlank()) throw InvalidInput.of("Empty file", option, (file.equals("-") ? "standard input" : file) + " is empty");
        JsonNode n;
        try {
            n = FILE_JSON.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw InvalidInput.of("Invalid JSON", option, (file.equals("-") ? "standard input" : file)
                    + " is not valid JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + ": " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw InvalidInput.of("Invalid JSON", option, (file.equals("-") ? "standard input" : file)
                    + " must hold one JSON object (the agreement), not " + (n == null ? "nothing" : n.getNodeType().name().toLowerCase()));
        }
        return n;
    }

    static String pretty(JsonNode n) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pads the columns of a table to the widest cell of each. */
    static String table(List<String[]> rows) {
        if (rows.isEmpty()) return "";
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) line.append(" ".repeat(w[i] - r[i].length() + 2));
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
