package org.entente.node;

import org.entente.node.cli.EntenteCommand;

public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(EntenteCommand.commandLine().execute(args));
    }
}
