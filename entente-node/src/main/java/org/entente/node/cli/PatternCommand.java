package org.entente.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.entente.pattern.MatchResult;
import org.entente.pattern.ObservationSet;
import org.entente.pattern.Pattern;
import org.entente.pattern.PatternEvaluationException;
import org.entente.pattern.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "pattern", mixinStandardHelpOptions = true,
        description = "STIX 2.1 patterns: check one, or evaluate one against observations.",
        subcommands = {PatternCommand.Validate.class, PatternCommand.Match.class})
final class PatternCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The error with the pattern and a caret under the offending character. */
    static String describe(String pattern, PatternSyntaxException e) {
        int pos = Math.min(e.position(), pattern.length());
        if (pattern.length() > 200 || pattern.indexOf('\n') >= 0) {
            return "syntax error " + e.getMessage();
        }
        return "syntax error " + e.getMessage() + "\n  " + pattern + "\n  " + " ".repeat(pos) + "^";
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Checks a STIX 2.1 pattern.",
                    "Exit codes: 0 valid; 1 invalid (the error and its position on standard error)."})
    static final class Validate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "PATTERN", description = "The pattern, e.g. \"[ipv4-addr:value = '198.51.100.1']\".")
        String pattern;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                Pattern.parse(pattern);
                spec.commandLine().getOut().println("valid");
                return 0;
            } catch (PatternSyntaxException e) {
                err.println("entente pattern validate: " + describe(pattern, e));
                return 1;
            } catch (PatternEvaluationException e) {
                err.println("entente pattern validate: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "match", mixinStandardHelpOptions = true,
            description = {"Evaluates one pattern against all the observations of FILE taken together.",
                    "FILE is a STIX bundle or JSON Lines of bundles ('-' for standard input).",
                    "Prints {\"matched\": …, \"observed_data_refs\": […]}.",
                    "Exit codes: 0 match; 1 no match; 2 invalid pattern, unreadable input or evaluation error."})
    static final class Match implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--pattern", required = true, paramLabel = "PATTERN", description = "The STIX 2.1 pattern.")
        String pattern;

        @Option(names = "--observations", required = true, paramLabel = "FILE",
                description = "A bundle or JSON Lines of bundles; '-' reads standard input.")
        String observations;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Pattern p;
            try {
                p = Pattern.parse(pattern);
            } catch (PatternSyntaxException e) {
                err.println("entente pattern match: " + describe(pattern, e));
                return 2;
            } catch (PatternEvaluationException e) {
                err.println("entente pattern match: " + e.getMessage());
                return 2;
            }
            ObservationSet set;
            try {
                List<JsonNode> docs = PatternInputs.documents(observations);
                set = ObservationSet.ofBundles(docs);
            } catch (IOException | IllegalArgumentException e) {
                err.println("entente pattern match: cannot read observations from " + observations + ": "
                        + e.getMessage().lines().findFirst().orElse(""));
                return 2;
            }
            MatchResult r;
            try {
                r = p.match(set);
            } catch (PatternEvaluationException e) {
                err.println("entente pattern match: evaluation error: " + e.getMessage());
                return 2;
            }
            ObjectNode out = PatternInputs.JSON.createObjectNode();
            out.put("matched", r.matched());
            var refs = out.putArray("observed_data_refs");
            r.observedDataRefs().forEach(refs::add);
            spec.commandLine().getOut().println(out.toString());
            spec.commandLine().getOut().flush();
            return r.matched() ? 0 : 1;
        }
    }
}
