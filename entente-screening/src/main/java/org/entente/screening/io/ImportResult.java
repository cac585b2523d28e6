package org.entente.screening.io;

import java.util.List;
import org.entente.screening.Entry;

/** The entries read from a watchlist and what could not be read. */
public record ImportResult(String format, List<Entry> entries, List<ImportProblem> problems) {
    public ImportResult {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }

    public long errors() {
        return problems.stream().filter(p -> p.severity() == ImportProblem.Severity.ERROR).count();
    }
}
