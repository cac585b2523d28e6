package org.entente.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.entente.screening.BirthDate;
import org.entente.screening.Entry;
import org.entente.screening.Gender;
import org.entente.screening.Hit;
import org.entente.screening.Kind;
import org.entente.screening.Query;
import org.entente.screening.ScreeningIndex;
import org.entente.screening.Thresholds;
import org.entente.screening.documents.Mrz;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "screen", mixinStandardHelpOptions = true,
        subcommands = {ScreenCompareCommand.class, ScreenEvaluateCommand.class},
        description = {
                "Screens a person, entity, travel document or vehicle against watchlists, with a score and an explanation per hit.",
                "Watchlists: the UN consolidated list XML, the OFAC SDN legacy CSV (its folder or sdn.csv) or JSON Lines"
                        + " (see entente-screening/README.md); the format is detected from the file.",
                "One query: --query NAME [--birth-date D] [--nationality CC] [--document N] [--mrz LINES]. A manifest:"
                        + " --queries FILE.jsonl --output FILE.jsonl.",
                "Exit codes: 0 done, 1 some queries of a manifest were bad, 2 bad usage or unreadable watchlist."})
final class ScreenCommand implements Callable<Integer> {

    static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--watchlist", arity = "1..*", paramLabel = "FILE", description = "Watchlist files or OFAC folders.")
    List<Path> watchlists = new ArrayList<>();

    @Option(names = "--query", paramLabel = "NAME", description = "Name of the person or entity to screen.")
    String name;

    @Option(names = "--kind", paramLabel = "person|entity", description = "Screen only persons or only entities.")
    String kind;

    @Option(names = "--birth-date", paramLabel = "DATE", description = "YYYY-MM-DD, YYYY or YYYY..YYYY.")
    String birthDate;

    @Option(names = "--nationality", paramLabel = "CC", description = "ISO 3166 alpha-2.")
    String nationality;

    @Option(names = "--gender", paramLabel = "male|female")
    String gender;

    @Option(names = "--document", paramLabel = "NUMBER", description = "Travel document or identity number.")
    String document;

    @Option(names = "--mrz", paramLabel = "LINES", description = "Machine-readable zone; lines separated by newlines, spaces or \\n.")
    String mrz;

    @Option(names = "--vehicle", paramLabel = "PLATE|VIN", description = "Number plate or vehicle identification number.")
    String vehicle;

    @Option(names = "--limit", defaultValue = "10", description = "Most hits shown per query (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--all", description = "Also show candidates below their list's threshold.")
    boolean all;

    @Option(names = "--threshold", paramLabel = "LIST=SCORE", description = "Threshold of one list (default: person "
            + Thresholds.PERSON + ", entity " + Thresholds.ENTITY + ", documents and vehicles " + Thresholds.IDENTIFIER + ").")
    Map<String, Double> listThresholds = Map.of();

    @Option(names = "--queries", paramLabel = "FILE.jsonl", description = "Manifest: one query per line,"
            + " {\"id\", \"name\", \"birth_date\", \"nationality\", \"gender\", \"document\", \"mrz\"}.")
    Path queries;

    @Option(names = "--output", paramLabel = "FILE.jsonl", description = "Results of a manifest, one line per query ('-' for standard output).")
    String output;

    @picocli.CommandLine.Mixin
    ScreenOnNode onNode;

    @Override
    public Integer call() {
        if (onNode.node) {
            return onNode.run(this);
        }
        PrintWriter err = spec.commandLine().getErr();
        if (watchlists.isEmpty()) {
            err.println("entente screen: give at least one --watchlist");
            return 2;
        }
        if ((queries == null) == (name == null && document == null && mrz == null && vehicle == null)) {
            err.println("entente screen: give either --query/--document/--mrz/--vehicle or --queries FILE.jsonl");
            return 2;
        }
        if (queries != null && output == null) {
            err.println("entente screen: --queries needs --output FILE.jsonl (or --output -)");
            return 2;
        }
        if (limit < 1) {
            err.println("entente screen: --limit must be at least 1");
            return 2;
        }
        Thresholds thresholds = Thresholds.defaults();
        try {
            listThresholds.forEach(thresholds::set);
        } catch (IllegalArgumentException e) {
            err.println("entente screen: --threshold: " + e.getMessage());
            return 2;
        }
        Query single = null;
        if (queries == null) {
            try {
                single = query(name, kind, birthDate, nationality, gender, document, mrz, vehicle);
            } catch (IllegalArgumentException e) {
                err.println("entente screen: " + e.getMessage());
                return 2;
            }
        }
        ScreeningIndex index = ScreenWatchlists.load(watchlists, thresholds, err);
        if (index == null) {
            return 2;
        }
        return single != null ? one(index, single) : manifest(index);
    }

    static Query query(String name, String kind, String birthDate, String nationality, String gender, String document,
                       String mrz, String vehicle) {
        Query q = Query.name(name);
        if (kind != null && !kind.isBlank()) {
            Kind k = Kind.parse(kind);
            if (k != Kind.PERSON && k != Kind.ENTITY) {
                throw new IllegalArgumentException("--kind must be person or entity");
            }
            q = q.withKind(k);
        }
        if (birthDate != null && !birthDate.isBlank()) {
            q = q.withBirthDate(BirthDate.parse(birthDate));
        }
        if (nationality != null && !nationality.isBlank()) {
            q = q.withNationality(nationality);
        }
        if (gender != null && !gender.isBlank()) {
            q = q.withGender(Gender.parse(gender));
        }
        if (document != null && !document.isBlank()) {
            q = q.withDocument(document);
        }
        if (vehicle != null && !vehicle.isBlank()) {
            q = q.withVehicle(vehicle);
        }
        if (mrz != null && !mrz.isBlank()) {
            q = q.withMrz(Mrz.parse(mrz));
        }
        if ((q.name() == null || q.name().isBlank()) && q.document() == null && q.vehicle() == null) {
            throw new IllegalArgumentException("the query has no name, document or vehicle");
        }
        return q;
    }

    private int one(ScreeningIndex index, Query q) {
        PrintWriter out = spec.commandLine().getOut();
        if (q.mrz() != null) {
            Mrz m = q.mrz();
            out.printf("MRZ %s: %s, document %s, nationality %s, born %s, sex %s%n", m.format(), m.fullName(),
                    m.documentNumber(), m.nationality(), m.birthDate(), m.sex().name().toLowerCase(Locale.ROOT));
            m.problems().forEach(p -> out.println("  WARNING: " + p + " (the document is screened all the same)"));
        }
        long t0 = System.nanoTime();
        List<Hit> hits = index.screen(q, limit);
        long micros = (System.nanoTime() - t0) / 1000;
        List<Hit> shown = all ? hits : hits.stream().filter(Hit::match).toList();
        String what = q.name() != null && !q.name().isBlank() ? "\"" + q.name() + "\""
                : q.document() != null ? "document " + q.document() : "vehicle " + q.vehicle();
        out.printf("%s: %d hit%s among %,d entries (%.2f ms)%n", what, shown.size(), shown.size() == 1 ? "" : "s",
                index.size(), micros / 1000.0);
        int i = 1;
        for (Hit h : shown) {
            Entry e = h.entry();
            out.printf(Locale.ROOT, "%2d. %.3f %s %s %s [%s %s]%n", i++, h.score(), h.match() ? "HIT  " : "below", e.kind().label(),
                    e.label(), e.listing().list(), e.listing().id());
            for (String line : h.explanation()) {
                out.println("      " + line);
            }
        }
        out.flush();
        return 0;
    }

    private int manifest(ScreeningIndex index) {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isReadable(queries)) {
            err.println("entente screen: cannot read " + queries);
            return 2;
        }
        int lineNo = 0;
        int bad = 0;
        int withHits = 0;
        List<Long> micros = new ArrayList<>();
        long t0 = System.nanoTime();
        try (BufferedReader in = Files.newBufferedReader(queries, StandardCharsets.UTF_8);
             BufferedWriter out = output.equals("-") ? null : Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8)) {
            PrintWriter stdout = spec.commandLine().getOut();
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode result = JSON.createObjectNode();
                try {
                    JsonNode o = JSON.readTree(line);
                    if (!o.isObject()) {
                        throw new IllegalArgumentException("expected a JSON object");
                    }
                    result.set("query", o.has("id") ? o.get("id") : JSON.getNodeFactory().numberNode(lineNo));
                    Query q = query(text(o, "name"), text(o, "kind"), text(o, "birth_date"), text(o, "nationality"),
                            text(o, "gender"), text(o, "document"), text(o, "mrz"), text(o, "vehicle"));
                    long s = System.nanoTime();
                    List<Hit> hits = index.screen(q, limit);
                    long us = (System.nanoTime() - s) / 1000;
                    micros.add(us);
                    ArrayNode arr = result.putArray("hits");
                    for (Hit h : hits) {
                        if (h.match() || all) {
                            arr.add(hitJson(h));
                        }
                    }
                    if (!arr.isEmpty()) {
                        withHits++;
                    }
                    if (q.mrz() != null && !q.mrz().valid()) {
                        result.put("warning", String.join("; ", q.mrz().problems()));
                    }
                    result.put("micros", us);
                } catch (JsonProcessingException e) {
                    bad++;
                    result.put("query", lineNo);
                    result.put("error", "line " + lineNo + ": not JSON: " + e.getOriginalMessage());
                    err.println("entente screen: " + queries + ": line " + lineNo + ": not JSON: " + e.getOriginalMessage());
                } catch (IllegalArgumentException e) {
                    bad++;
                    result.put("error", "line " + lineNo + ": " + e.getMessage());
                    err.println("entente screen: " + queries + ": line " + lineNo + ": " + e.getMessage());
                }
                String json = JSON.writeValueAsString(result);
                if (out == null) {
                    stdout.println(json);
                } else {
                    out.write(json);
                    out.newLine();
                }
            }
            stdout.flush();
        } catch (IOException e) {
            err.println("entente screen: " + e.getMessage());
            return 2;
        }
        long total = (System.nanoTime() - t0) / 1_000_000;
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        err.printf(Locale.ROOT, "%d queries screened, %d with hits, %d bad lines; %d ms in all, per query median %d us, p99 %d us%n",
                micros.size(), withHits, bad, total, percentile(sorted, 50), percentile(sorted, 99));
        err.flush();
        return bad > 0 ? 1 : 0;
    }

    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static ObjectNode hitJson(Hit h) {
        ObjectNode o = JSON.createObjectNode();
        Entry e = h.entry();
        ObjectNode entry = o.putObject("entry");
        entry.put("id", e.listing().id());
        entry.put("list", e.listing().list());
        entry.put("kind", e.kind().label());
        entry.put("name", e.label());
        entry.put("owner", e.listing().owner());
        entry.put("reference", e.listing().reference());
        o.put("score", Math.round(h.score() * 1000) / 1000.0);
        o.put("match", h.match());
        o.put("explanation", h.explain());
        return o;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return v.asText();
    }
}
