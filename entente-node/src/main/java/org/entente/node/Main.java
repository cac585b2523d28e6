package org.entente.node;

import org.entente.node.cli.EntenteCommand;

public final class Main {
    private Main() {}

    public static void main(String[] args) {
        picocli.CommandLine cli = EntenteCommand.commandLine();
        int exit = cli.execute(args);
        // Commands that print without a final newline would otherwise lose their output at exit.
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(exit);
    }
}
