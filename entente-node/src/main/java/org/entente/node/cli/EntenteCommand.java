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
                ValidateCommand.class,
                PatternCommand.class,
                MatchCommand.class,
                AuditCommand.class,
                OrgCommand.class,
                AgreementCommand.class,
                PolicyCommand.class,
                RetentionCommand.class,
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
        return new CommandLine(new EntenteCommand())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = EntenteCommand.class.getPackage().getImplementationVersion();
            return new String[] {"entente " + (v == null ? "development build" : v)};
        }
    }
}
