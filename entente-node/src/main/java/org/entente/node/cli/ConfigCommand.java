package org.entente.node.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.entente.node.common.InvalidInput;
import org.entente.node.config.Configuration;
import org.entente.node.config.Key;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "The node's settings: each key, its value and where it came from.",
        subcommands = {ConfigCommand.Show.class})
final class ConfigCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Prints every setting as the node would use it, read from (weakest first) the defaults,"
                    + " the configuration file, the environment (ENTENTE_…) and the command line; secrets are masked.",
                    "Exit 2 naming each wrong key when the settings are not valid."})
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Option(names = "--json", description = "One JSON object: key to value and source.") boolean json;

        @Override
        public Integer call() {
            Configuration c;
            try {
                c = node.settings(Map.of());
            } catch (InvalidInput e) {
                spec.commandLine().getErr().println("entente config show: " + e.title());
                for (InvalidInput.Problem p : e.problems()) spec.commandLine().getErr().println("  " + p);
                return Commands.USAGE;
            }
            Map<Key, Configuration.Value> shown = c.shown();
            if (json) {
                ObjectNode out = Commands.JSON.createObjectNode();
                c.file().ifPresent(f -> out.put("file", f.toString()));
                ObjectNode settings = out.putObject("settings");
                shown.forEach((k, v) -> settings.putObject(k.fileName()).put("value", v.text())
                        .put("source", v.source().name().toLowerCase(java.util.Locale.ROOT))
                        .put("environment", k.environmentVariable()));
                spec.commandLine().getOut().println(Commands.pretty(out));
                return Commands.OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"KEY", "VALUE", "SOURCE", "ENVIRONMENT"});
            shown.forEach((k, v) -> rows.add(new String[] {k.fileName(), v.text(),
                    v.source().name().toLowerCase(java.util.Locale.ROOT), k.environmentVariable()}));
            spec.commandLine().getOut().println("configuration file: " + c.file().map(Object::toString).orElse("(none)"));
            spec.commandLine().getOut().print(Commands.table(rows));
            return Commands.OK;
        }
    }
}
