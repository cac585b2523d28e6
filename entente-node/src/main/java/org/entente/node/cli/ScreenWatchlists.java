package org.entente.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.entente.screening.ScreeningIndex;
import org.entente.screening.Thresholds;
import org.entente.screening.io.ImportProblem;
import org.entente.screening.io.ImportResult;
import org.entente.screening.io.Watchlists;

/** Loading watchlists for the screen commands, with progress and problems on standard error. */
final class ScreenWatchlists {

    /** Problems shown per file; the rest are counted. */
    static final int SHOWN = 20;

    private ScreenWatchlists() {
    }

    /** Reads every file; null (after saying why) if one cannot be read at all. */
    static List<ImportResult> read(List<Path> files, PrintWriter err) {
        List<ImportResult> out = new java.util.ArrayList<>();
        for (Path f : files) {
            long t0 = System.nanoTime();
            ImportResult r;
            try {
                r = Watchlists.read(f, new Percent(f.toString(), err));
            } catch (IOException | IllegalArgumentException e) {
                err.println("entente screen: " + f + ": " + e.getMessage());
                err.flush();
                return null;
            }
            int shown = 0;
            for (ImportProblem p : r.problems()) {
                if (p.severity() == ImportProblem.Severity.ERROR || shown < SHOWN) {
                    err.println("  " + p);
                    shown++;
                }
            }
            if (shown < r.problems().size()) {
                err.println("  ... and " + (r.problems().size() - shown) + " more warnings");
            }
            err.printf("%s: %s, %,d entries, %d records skipped, %d warnings (%.1f s)%n", f, r.format(), r.entries().size(),
                    r.errors(), r.problems().size() - r.errors(), (System.nanoTime() - t0) / 1e9);
            err.flush();
            out.add(r);
        }
        return out;
    }

    /** Progress on standard error, at most every two seconds, so that small lists stay quiet. */
    static final class Percent implements org.entente.screening.io.Progress {
        private final String name;
        private final PrintWriter err;
        private final long start = System.nanoTime();
        private long last = System.nanoTime();

        Percent(String name, PrintWriter err) {
            this.name = name;
            this.err = err;
        }

        @Override
        public void advanced(long done, long total) {
            long now = System.nanoTime();
            if (now - last >= 2_000_000_000L && total > 0) {
                last = now;
                err.printf("%s: %d%% read (%.0f s)%n", name, done * 100 / total, (now - start) / 1e9);
                err.flush();
            }
        }
    }

    static ScreeningIndex load(List<Path> files, Thresholds thresholds, PrintWriter err) {
        List<ImportResult> results = read(files, err);
        if (results == null) {
            return null;
        }
        ScreeningIndex index = new ScreeningIndex(new org.entente.screening.names.NameMatcher(), thresholds);
        results.forEach(r -> index.addAll(r.entries()));
        index.compact();
        return index;
    }
}
