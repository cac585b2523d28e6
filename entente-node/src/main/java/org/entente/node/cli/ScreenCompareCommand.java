package org.entente.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.entente.screening.Kind;
import org.entente.screening.Thresholds;
import org.entente.screening.names.NameMatch;
import org.entente.screening.names.NameMatcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"The similarity of two names alone: one JSON line per pair with score, match (at the default"
                + " threshold of the kind) and explanation.",
                "Pairs from a file: --pairs FILE.jsonl with {\"a\", \"b\", \"kind\"} per line (kind defaults to person).",
                "Exit codes: 0 done, 1 some lines of --pairs were bad, 2 bad usage."})
final class ScreenCompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--kind", defaultValue = "person", paramLabel = "person|entity")
    String kind;

    @Option(names = "--pairs", paramLabel = "FILE.jsonl")
    Path pairs;

    @Parameters(arity = "0..2", paramLabel = "NAME")
    List<String> names = List.of();

    private final NameMatcher matcher = new NameMatcher();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((pairs == null) == (names.size() != 2)) {
            err.println("entente screen compare: give two names, or --pairs FILE.jsonl");
            return 2;
        }
        Kind k;
        try {
            k = nameKind(kind);
        } catch (IllegalArgumentException e) {
            err.println("entente screen compare: " + e.getMessage());
            return 2;
        }
        if (pairs == null) {
            out.println(line(names.get(0), names.get(1), k));
            out.flush();
            return 0;
        }
        if (!Files.isReadable(pairs)) {
            err.println("entente screen compare: cannot read " + pairs);
            return 2;
        }
        int bad = 0;
        int n = 0;
        try (BufferedReader in = Files.newBufferedReader(pairs, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode o = ScreenCommand.JSON.readTree(line);
                    if (!o.path("a").isTextual() || !o.path("b").isTextual()) {
                        throw new IllegalArgumentException("needs \"a\" and \"b\" as strings");
                    }
                    Kind pk = o.has("kind") ? nameKind(o.get("kind").asText()) : Kind.PERSON;
                    out.println(line(o.get("a").asText(), o.get("b").asText(), pk));
                } catch (JsonProcessingException e) {
                    bad++;
                    err.println("entente screen compare: " + pairs + ": line " + n + ": not JSON: " + e.getOriginalMessage());
                } catch (IllegalArgumentException e) {
                    bad++;
                    err.println("entente screen compare: " + pairs + ": line " + n + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            err.println("entente screen compare: " + e.getMessage());
            return 2;
        }
        out.flush();
        err.flush();
        return bad > 0 ? 1 : 0;
    }

    private static Kind nameKind(String s) {
        Kind k = Kind.parse(s);
        if (k != Kind.PERSON && k != Kind.ENTITY) {
            throw new IllegalArgumentException("kind must be person or entity, not " + s);
        }
        return k;
    }

    private String line(String a, String b, Kind k) {
        NameMatch m = matcher.compare(a, b, k);
        ObjectNode o = ScreenCommand.JSON.createObjectNode();
        o.put("a", a);
        o.put("b", b);
        o.put("kind", k.label());
        o.put("score", Math.round(m.score() * 1000) / 1000.0);
        o.put("match", m.score() >= Thresholds.defaultFor(k));
        o.put("explanation", m.explain());
        try {
            return ScreenCommand.JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
