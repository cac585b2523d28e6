package org.entente.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.entente.node.common.InvalidInput;
import org.entente.node.policy.Purpose;
import org.entente.node.screening.ScreeningService;
import org.entente.node.screening.Traveller;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code entente screen --node}: the same query or manifest, screened against the watchlists the
 * node stores (those the own organisation may query for the purpose), with every hit recorded,
 * told to the list's owner and audited as the API's checks are.
 */
final class ScreenOnNode {

    @Option(names = "--node", description = "Screen against the node's stored watchlists (entente watchlist) instead of"
            + " --watchlist files; hits are recorded and audited. With --config/--data/--database-url.")
    boolean node;

    @Option(names = "--purpose", paramLabel = "PURPOSE", defaultValue = "border-control",
            description = "With --node: the purpose of the check (default ${DEFAULT-VALUE}).")
    String purpose;

    @Option(names = "--list", split = ",", paramLabel = "LIST", description = "With --node: only these stored lists.")
    List<String> lists;

    @Mixin
    NodeOptions nodeOptions;

    int run(ScreenCommand s) {
        PrintWriter err = s.spec.commandLine().getErr();
        String what = "screen --node";
        if (!s.watchlists.isEmpty()) return Commands.usage(s.spec, what, "give either --node or --watchlist, not both");
        if ((s.queries == null) == (s.name == null && s.document == null && s.mrz == null && s.vehicle == null)) {
            return Commands.usage(s.spec, what, "give either --query/--document/--mrz/--vehicle or --queries FILE.jsonl");
        }
        if (s.queries != null && s.output == null) return Commands.usage(s.spec, what, "--queries needs --output FILE.jsonl (or -)");
        if (s.limit < 1 || s.limit > ScreeningService.MAX_LIMIT) {
            return Commands.usage(s.spec, what, "--limit must be from 1 to " + ScreeningService.MAX_LIMIT);
        }
        if (!s.listThresholds.isEmpty()) {
            return Commands.usage(s.spec, what, "--threshold: a stored list has its own threshold (entente watchlist)");
        }
        Purpose p = Purpose.parse(purpose).orElse(null);
        if (p == null) return Commands.usage(s.spec, what, "--purpose: one of " + Purpose.choices());
        Traveller single = null;
        if (s.queries == null) {
            ObjectNode q = Commands.JSON.createObjectNode();
            put(q, "name", s.name);
            put(q, "kind", s.kind);
            put(q, "birth_date", s.birthDate);
            put(q, "nationality", s.nationality);
            put(q, "gender", s.gender);
            put(q, "document", s.document);
            put(q, "mrz", s.mrz);
            put(q, "vehicle", s.vehicle);
            try {
                single = Traveller.parse(q);
            } catch (InvalidInput e) {
                err.println("entente " + what + ": " + e.title());
                e.problems().forEach(x -> err.println("  --" + x.field().replaceFirst("^/", "").replace('_', '-') + ": "
                        + x.message()));
                return Commands.USAGE;
            }
        } else if (!Files.isReadable(s.queries)) {
            return Commands.usage(s.spec, what, "cannot read " + s.queries);
        }
        Traveller query = single;
        ScreeningService.Options options = new ScreeningService.Options(lists, s.limit, s.all);
        return Commands.execute(s.spec, nodeOptions, what, (d, out) -> {
            ScreeningService screening = d.screening();
            long t0 = System.nanoTime();
            long entries = screening.load();
            err.printf(Locale.ROOT, "%,d entries of the stored watchlists indexed (%.1f s)%n", entries,
                    (System.nanoTime() - t0) / 1e9);
            err.flush();
            ScreeningService.Caller op = screening.operator(Commands.actor(), p);
            try {
                return query != null ? one(screening, op, query, options, out) : manifest(s, screening, op, options, err);
            } catch (org.entente.node.common.Refusal r) {
                throw new IllegalArgumentException(r.getMessage());
            }
        });
    }

    private static void put(ObjectNode q, String field, String value) {
        if (value != null && !value.isBlank()) q.put(field, value);
    }

    private static int one(ScreeningService screening, ScreeningService.Caller op, Traveller q,
            ScreeningService.Options options, PrintWriter out) {
        JsonNode a = screening.check(op, q, options).json();
        JsonNode hits = a.path("hits");
        out.printf(Locale.ROOT, "%s: %d hit%s (%.2f ms)%n", q.query().name() != null ? "\"" + q.query().name() + "\""
                : q.query().document() != null ? "document " + q.query().document() : "vehicle " + q.query().vehicle(),
                hits.size(), hits.size() == 1 ? "" : "s", a.path("micros").asLong() / 1000.0);
        if (a.has("warning")) out.println("  WARNING: " + a.path("warning").asText() + " (screened all the same)");
        int i = 1;
        for (JsonNode h : hits) {
            JsonNode e = h.path("entry");
            out.printf(Locale.ROOT, "%2d. %.3f %s %s %s [%s %s]%n", i++, h.path("score").asDouble(),
                    h.path("match").asBoolean() ? "HIT  " : "below", e.path("kind").asText(), e.path("name").asText(),
                    e.path("list").asText(), e.path("id").asText());
            for (String line : h.path("explanation").asText().split("; ")) out.println("      " + line);
            JsonNode f = h.path("follow_up");
            if (!f.isMissingNode()) {
                out.printf("      follow-up: %s%s, reference %s (hit #%d)%n", f.path("name").asText(f.path("organisation").asText()),
                        f.has("contact_point") ? ", " + f.path("contact_point").asText() : "", f.path("reference").asText(),
                        f.path("hit").asLong());
            }
        }
        out.flush();
        return Commands.OK;
    }

    /** A manifest screened in batches of the API's size; bad lines are answered with their error, as without --node. */
    private static int manifest(ScreenCommand s, ScreeningService screening, ScreeningService.Caller op,
            ScreeningService.Options options, PrintWriter err) {
        int bad = 0;
        int withHits = 0;
        int screened = 0;
        long t0 = System.nanoTime();
        try (BufferedReader in = Files.newBufferedReader(s.queries, StandardCharsets.UTF_8);
                BufferedWriter file = s.output.equals("-") ? null : Files.newBufferedWriter(Path.of(s.output), StandardCharsets.UTF_8)) {
            PrintWriter stdout = s.spec.commandLine().getOut();
            List<Object> pending = new ArrayList<>();
            List<Traveller> batch = new ArrayList<>();
            String line;
            int lineNo = 0;
            while (true) {
                line = in.readLine();
                if (line != null) {
                    lineNo++;
                    if (line.isBlank()) continue;
                    try {
                        JsonNode o = ScreenCommand.JSON.readTree(line);
                        ObjectNode withId = o != null && o.isObject() ? (ObjectNode) o : null;
                        if (withId != null && !withId.has("id")) withId.put("id", lineNo);
                        Traveller t = Traveller.parse(o);
                        pending.add(t);
                        batch.add(t);
                    } catch (JsonProcessingException | InvalidInput e) {
                        bad++;
                        String message = "line " + lineNo + ": " + (e instanceof JsonProcessingException j
                                ? "not JSON: " + j.getOriginalMessage() : e.getMessage());
                        err.println("entente screen: " + s.queries + ": " + message);
                        ObjectNode r = ScreenCommand.JSON.createObjectNode().put("query", lineNo).put("error", message);
                        pending.add(r);
                    }
                }
                if (batch.size() == ScreeningService.MAX_BATCH || (line == null && !pending.isEmpty())) {
                    List<ScreeningService.Answer> answers = batch.isEmpty() ? List.of() : screening.batch(op, batch, options);
                    int k = 0;
                    for (Object x : pending) {
                        JsonNode r = x instanceof ObjectNode error ? error : answers.get(k++).json();
                        if (r.path("hits").size() > 0) withHits++;
                        if (!(x instanceof ObjectNode)) screened++;
                        String json = ScreenCommand.JSON.writeValueAsString(r);
                        if (file == null) stdout.println(json);
                        else {
                            file.write(json);
                            file.newLine();
                        }
                    }
                    pending.clear();
                    batch.clear();
                }
                if (line == null) break;
            }
            stdout.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        err.printf(Locale.ROOT, "%d queries screened, %d with hits, %d bad lines; %d ms in all%n", screened, withHits, bad,
                (System.nanoTime() - t0) / 1_000_000);
        err.flush();
        return bad > 0 ? 1 : Commands.OK;
    }
}
