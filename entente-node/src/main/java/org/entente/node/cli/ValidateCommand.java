package org.entente.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.entente.node.intake.Validation;
import org.entente.stix.Problem;
import org.entente.stix.StixFormatException;
import org.entente.stix.StixReader;
import org.entente.stix.StixValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {
                "Checks STIX 2.1 files (a bundle, JSON Lines of objects or bundles, or a single object) without"
                        + " storing anything. Files of any size are streamed, object by object.",
                "Each problem is printed as 'FILE: OBJECT-ID POINTER: ERROR|WARNING reason', where POINTER is a JSON"
                        + " pointer into the object; then one summary line per file.",
                "ERROR: the object breaks a rule of STIX 2.1 (indicator patterns of type stix included)."
                        + " WARNING: allowed but questionable (a value outside an open vocabulary, a custom property"
                        + " without the x_ prefix, ...).",
                "Exit codes: 0 no errors (warnings allowed), 1 at least one error,"
                        + " 2 a file is unreadable or not well-formed JSON (the reason goes to standard error)."})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to check ('-' for standard input).")
    List<String> files;

    @Option(names = "--errors-only", description = "Do not print warnings (they are still counted).")
    boolean errorsOnly;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StixValidator validator = Validation.validator();
        int exit = 0;
        long objects = 0, errors = 0, warnings = 0;
        for (String file : files) {
            Tally t = new Tally();
            int code = check(file, validator, t, out, err);
            exit = Math.max(exit, code);
            objects += t.objects;
            errors += t.errors;
            warnings += t.warnings;
            out.println(file + ": " + t.objects + " objects, " + t.errors + " errors, " + t.warnings + " warnings"
                    + (code == 2 ? " (stopped: unreadable input)" : ""));
        }
        if (files.size() > 1) {
            out.println("total: " + files.size() + " files, " + objects + " objects, " + errors + " errors, " + warnings + " warnings");
        }
        out.flush();
        err.flush();
        return exit;
    }

    private static final class Tally {
        long objects, errors, warnings;
    }

    private int check(String file, StixValidator validator, Tally t, PrintWriter out, PrintWriter err) {
        // The bundle itself (its id, its form) is checked when the reader has finished it; its objects are not held.
        Consumer<ObjectNode> bundleCheck = header -> {
            if (header.has("type")) report(file, header, "(bundle)", validator.validate(header), t, out);
        };
        try (InputStream in = open(file); StixReader reader = StixReader.open(in, bundleCheck)) {
            while (reader.hasNext()) {
                StixReader.Item item = reader.next();
                t.objects++;
                report(file, item.json(), "(object " + item.index() + ")", validator.validate(item.json()), t, out);
            }
            return t.errors > 0 ? 1 : 0;
        } catch (StixFormatException e) {
            err.println("entente validate: " + file + ": " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            err.println("entente validate: " + file + ": no such file");
            return 2;
        } catch (IOException | UncheckedIOException e) {
            err.println("entente validate: " + file + ": cannot read: " + e.getMessage());
            return 2;
        }
    }

    private void report(String file, JsonNode object, String unnamed, List<Problem> problems, Tally t, PrintWriter out) {
        if (problems.isEmpty()) return;
        String id = object.path("id").isTextual() ? object.get("id").textValue() : unnamed;
        for (Problem p : problems) {
            if (p.isError()) t.errors++;
            else t.warnings++;
            if (p.isError() || !errorsOnly) {
                out.println(file + ": " + id + (p.pointer().isEmpty() ? "" : " " + p.pointer()) + ": "
                        + p.severity() + " " + p.message());
            }
        }
    }

    private InputStream open(String file) throws IOException {
        if (file.equals("-")) return new BufferedInputStream(System.in) {
            @Override
            public void close() {
                // standard input belongs to the process
            }
        };
        Path path = Path.of(file);
        if (Files.isDirectory(path)) throw new IOException("is a directory");
        return new BufferedInputStream(Files.newInputStream(path), 1 << 16);
    }
}
