package org.entente.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root of the command line. Each feature contributes its own subcommand class in this
 * package; register it in {@code subcommands} below.
 */
@Command(name = "entente",
        mixinStandardHelpOptions = true,
        versionProvider = EntenteCommand.Version.class,
        description = "Entente node: STIX 2.1 intelligence store, TAXII 2.1 server, detection and screening.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ServeCommand.class,
                ImportCommand.class,
                ExportCommand.class,
                ConsentCommand.class,
                UserCommand.class,
                CollectionCommand.class,
                ScreenCommand.class,
                WatchlistCommand.class,
                HitsCommand.class,
                ValidateCommand.class,
                PatternCommand.class,
                MatchCommand.class,
                AuditCommand.class,
                OrgCommand.class,
                AgreementCommand.class,
                NodeCommand.class,
                PeerCommand.class,
                RequestCommand.class,
                DemoCommand.class,
                PolicyCommand.class,
                RetentionCommand.class,
                ConfigCommand.class,
                BackupCommand.class,
                RestoreCommand.class,
        })
public final class EntenteCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        return commandLine(org.entente.node.config.Configuration.processEnvironment());
    }

    /**
     * The command line reading its settings from this environment instead of the process's, so
     * that a test runs a command with the settings it gives and nothing of the developer's shell.
     */
    public static CommandLine commandLine(java.util.Map<String, String> environment) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                return type == NodeOptions.class ? (K) new NodeOptions(environment) : defaults.create(type);
            }
        };
        return new CommandLine(new EntenteCommand(), factory)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(EntenteCommand::failed);
    }

    /**
     * What no command caught: bad input (a wrong setting, an unknown name) is exit 2 with every
     * problem named; anything else is exit 1 with its message, the stack trace only in the log.
     */
    private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        java.io.PrintWriter err = cmd.getErr();
        String what = "entente " + cmd.getCommandSpec().qualifiedName(" ").replaceFirst("^entente ", "");
        if (e instanceof org.entente.node.common.InvalidInput invalid) {
            err.println(what + ": " + invalid.title());
            for (var p : invalid.problems()) err.println("  " + p);
            return Commands.USAGE;
        }
        if (e instanceof IllegalArgumentException) {
            err.println(what + ": " + e.getMessage());
            return Commands.USAGE;
        }
        org.slf4j.LoggerFactory.getLogger(EntenteCommand.class).debug("{} failed", what, e);
        err.println(what + ": failed: " + e.getMessage());
        return 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = EntenteCommand.class.getPackage().getImplementationVersion();
            return new String[] {"entente " + (v == null ? "development build" : v)};
        }
    }
}
