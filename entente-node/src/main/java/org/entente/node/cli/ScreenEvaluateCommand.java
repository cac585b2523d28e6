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
                + " recall@10 and recall above threshold of the right entry are reported per list; for names in Arabic script"
                + " also Arabic -> Latin and Latin -> Arabic; and the false hits above threshold on made-up names that recombine"
                + " real given and family names of the same nationality.",
                "Each watchlist is evaluated on its own. --tune varies each name weight in turn and reports the effect."})
final class ScreenEvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--watchlist", arity = "1..*", required = true, paramLabel = "FILE")
    List<Path> watchlists;

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
        return 0;
    }
}
