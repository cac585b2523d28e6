package org.entente.node.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.entente.node.cli.EntenteCommand;
import picocli.CommandLine;

/** Runs `entente ARGS…` in-process as the launcher would, capturing what it prints. */
public final class Cli {
    private Cli() {}

    public record Run(int exit, String out, String err) {}

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = EntenteCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
