package org.entente.node.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.entente.node.cli.EntenteCommand;
import picocli.CommandLine;

/**
 * Runs `entente ARGS…` in-process as the launcher would, capturing what it prints. The command
 * sees no environment of the developer's shell: only the settings the test gives, and a data
 * folder of its own (so that no ~/.entente/entente.conf is read).
 */
public final class Cli {
    private Cli() {}

    private static Path home;

    public record Run(int exit, String out, String err) {}

    public static Run run(String... args) {
        return run(Map.of(), args);
    }

    /** With these environment variables (ENTENTE_…) set for the command, and no others. */
    public static Run run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("ENTENTE_DATA", emptyHome().toString());
        env.putAll(environment);
        CommandLine cmd = EntenteCommand.commandLine(env);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A data folder that holds nothing, shared by the tests of one JVM. */
    static synchronized Path emptyHome() {
        if (home == null) {
            try {
                home = Files.createTempDirectory("entente-test-home");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return home;
    }
}
