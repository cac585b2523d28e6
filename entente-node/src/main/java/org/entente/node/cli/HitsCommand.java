package org.entente.node.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.entente.node.common.InvalidInput;
import org.entente.node.config.Configuration;
import org.entente.node.screening.HitStore;
import org.entente.node.screening.Watchlist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "hits", mixinStandardHelpOptions = true,
        description = {"The hits recorded on the node's watchlists: who asked, for what purpose, what was asked, the entry"
                + " met and its score, oldest first; with --sweeps, the sweeps refused.",
                "--json writes one JSON object per line, as GET /api/screening/hits and the event stream do."})
final class HitsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeOptions node;

    @Option(names = "--since", paramLabel = "TIME|AGO", description = "An RFC 3339 time, or how long ago (90m, 2d).")
    String since;

    @Option(names = "--list", paramLabel = "NAME|ID", description = "Hits on one list only.")
    String list;

    @Option(names = "--limit", defaultValue = "100", description = "The newest N (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--sweeps", description = "The sweeps refused instead of the hits.")
    boolean sweeps;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 100_000) return Commands.usage(spec, "hits", "--limit must be from 1 to 100000");
        Instant from;
        try {
            from = since == null ? null : since(since);
        } catch (IllegalArgumentException e) {
            return Commands.usage(spec, "hits", "--since: " + e.getMessage());
        }
        return UserCommand.run(spec, node, "hits", d -> {
            StringBuilder out = new StringBuilder();
            if (sweeps) {
                for (HitStore.Sweep s : d.screening().hits().sweeps(from, limit)) {
                    out.append(json ? s.toJson() : String.format(Locale.ROOT, "#%d %s %s (%s) %s, refused until %s: %s",
                            s.seq(), s.at(), s.actor(), s.organisation(), s.pattern(), s.blockedUntil(),
                            s.detail().path("values"))).append(System.lineSeparator());
                }
                return out.isEmpty() ? "no sweeps" : out.toString().stripTrailing();
            }
            String listId = null;
            if (list != null) {
                listId = d.screening().store().find(list).map(Watchlist::id).orElseThrow(() -> InvalidInput.of(
                        "Unknown watchlist", "--list", "no watchlist '" + list + "' (see `entente watchlist list`)"));
            }
            List<HitStore.Hit> hits = d.screening().hits().hits(null, from, listId, 0, limit);
            for (HitStore.Hit h : hits) {
                out.append(json ? h.toJson() : String.format(Locale.ROOT, "#%d %s %.3f %s/%s (%s) asked by %s of %s for %s: %s",
                        h.seq(), h.at(), h.score(), h.listId(), h.entryId(), h.entry().path("names").path(0).path("name")
                                .asText(h.entry().path("number").asText(h.entry().path("plate").asText(""))),
                        h.actor(), h.organisation(), h.purpose(), h.query())).append(System.lineSeparator());
            }
            return out.isEmpty() ? "no hits" : out.toString().stripTrailing();
        });
    }

    static Instant since(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            Duration ago = Configuration.parseDuration(s);
            return Instant.now().minus(ago);
        }
    }
}
