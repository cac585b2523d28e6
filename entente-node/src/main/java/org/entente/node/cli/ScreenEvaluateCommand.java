package org.entente.node.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.entente.screening.Evaluation;
import org.entente.screening.Kind;
import org.entente.screening.Thresholds;
import org.entente.screening.io.ImportResult;
import org.entente.screening.names.NameWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Accuracy on the lists' own alias sets: each alias is screened with itself left out, and recall@1,"
                + " recall@10 and recall above threshold of the right entry are reported per list, over all aliases and over"
                + " those that share a word with a name left in the entry; for names in Arabic script also Arabic -> Latin and"
                + " Latin -> Arabic; and the false hits above threshold on made-up names that recombine real given and family"
                + " names of the same nationality. --as-listed also screens each alias with itself left in.",
                "Each watchlist is evaluated on its own. --tune varies each name weight in turn and reports the effect.",
                "--namesakes N generates a list of N persons whose every name has dozens of namesakes and screens listed"
                        + " persons in other romanisations (one in ten in Arabic script) with their date of birth and nationality."})
final class ScreenEvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--watchlist", arity = "1..*", paramLabel = "FILE")
    List<Path> watchlists = List.of();

    @Option(names = "--namesakes", paramLabel = "N", defaultValue = "0",
            description = "Also evaluate on a generated namesake-dense list of N persons (e.g. 1000000; 0: not).")
    int namesakes;

    @Option(names = "--namesake-queries", paramLabel = "Q", defaultValue = "20000",
            description = "Queries screened against the namesake list (default ${DEFAULT-VALUE}).")
    int namesakeQueries;

    @Option(names = "--negatives", defaultValue = "20000", description = "Made-up names screened (default ${DEFAULT-VALUE}).")
    int negatives;

    @Option(names = "--every", defaultValue = "1", description = "Screen every n-th alias only (default ${DEFAULT-VALUE}: all).")
    int every;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--tune", description = "Also vary each name weight in turn (slow; use with --every).")
    boolean tune;

    @Option(names = "--as-listed", description = "Also screen each alias with its own name left in the list (the protocol"
            + " read literally: do namesakes crowd the right entry out of the ten best?); doubles the run time.")
    boolean asListed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (every < 1 || negatives < 0) {
            err.println("entente screen evaluate: --every must be >= 1 and --negatives >= 0");
            return 2;
        }
        if (namesakes < 0 || namesakeQueries < 1) {
            err.println("entente screen evaluate: --namesakes must be >= 0 and --namesake-queries >= 1");
            return 2;
        }
        if (watchlists.isEmpty() && namesakes == 0) {
            err.println("entente screen evaluate: give --watchlist FILE... and/or --namesakes N");
            return 2;
        }
        List<ImportResult> lists = ScreenWatchlists.read(watchlists, err);
        if (lists == null) {
            return 2;
        }
        for (int i = 0; i < lists.size(); i++) {
            ImportResult r = lists.get(i);
            out.printf("== %s (%,d entries)%n", watchlists.get(i), r.entries().size());
            Evaluation.Report report = new Evaluation(r.entries(), NameWeights.DEFAULT, Thresholds.defaults())
                    .run(every, negatives, seed, asListed);
            out.print(report);
            // read at run time: the constants would be compiled into this class and outlive a change of the library
            out.printf("(%,d ms; thresholds: person %.3f, entity %.3f)%n", report.millis(), Thresholds.defaultFor(Kind.PERSON),
                    Thresholds.defaultFor(Kind.ENTITY));
            out.flush();
            if (tune) {
                out.println("-- tuning: recall@10 and recall above the threshold that keeps false hits <= 1/1000, per weight value");
                for (String line : Evaluation.tune(r.entries(), every, negatives, seed)) {
                    out.println(line);
                    out.flush();
                }
            }
        }
        if (namesakes > 0) {
            out.printf("== generated namesake-dense list (%,d persons, %,d queries, seed %d)%n", namesakes, namesakeQueries, seed);
            out.flush();
            out.print(Evaluation.namesakes(namesakes, namesakeQueries, seed));
            out.flush();
        }
        return 0;
    }
}
