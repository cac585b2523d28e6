package org.entente.node.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.entente.node.NodeServices;
import org.entente.node.common.InvalidInput;
import org.entente.node.screening.ListImport;
import org.entente.node.screening.ScreeningService;
import org.entente.node.screening.Watchlist;
import org.entente.node.screening.WatchlistDraft;
import org.entente.node.screening.WatchlistStore;
import org.entente.screening.io.ImportProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watchlist", mixinStandardHelpOptions = true,
        description = {"The node's watchlists: list them, import an edition (created on first import), show one, remove one,"
                + " set an agreement's screening limits.",
                "Running nodes follow every change within a second. Exit codes: 0 done, 1 an import had records it could"
                        + " not read (the others were imported), 2 bad usage."},
        subcommands = {WatchlistCommand.ListLists.class, WatchlistCommand.Import.class, WatchlistCommand.Show.class,
                WatchlistCommand.Remove.class, WatchlistCommand.Limit.class})
final class WatchlistCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** The operator at the command line manages the own organisation's lists. */
    static ScreeningService.Caller operator(NodeServices d) {
        return d.screening().operator(Commands.actor(), null);
    }

    static Watchlist find(NodeServices d, String list) {
        return d.screening().store().find(list).filter(Watchlist::live).orElseThrow(() -> InvalidInput.of(
                "Unknown watchlist", "LIST", "no watchlist '" + list + "' (see `entente watchlist list`)"));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the watchlists with their markings and sizes.")
    static final class ListLists implements Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Option(names = "--removed", description = "Also lists removed ones.") boolean removed;

        @Override
        public Integer call() {
            return UserCommand.run(spec, node, "watchlist list", d -> {
                Map<String, Long> sizes = d.screening().store().sizes();
                Commands.Partners p = new Commands.Partners(d);
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"ID", "NAME", "KIND", "CATEGORY", "MARKINGS", "ENTRIES", "OWNER", "EDITION"});
                for (Watchlist w : d.screening().store().all(removed)) {
                    rows.add(new String[] {w.id(), w.name(), w.kind().wire(), w.category().wire(), markings(w),
                            w.live() ? String.format(Locale.ROOT, "%,d", sizes.getOrDefault(w.id(), 0L)) : "removed",
                            p.nameOf(w.ownerId()) + (w.received() ? " under " + w.agreementId() : ""),
                            w.edition() == null ? "" : w.edition()});
                }
                return rows.size() == 1 ? "no watchlists yet (entente watchlist import FILE --list NAME --kind KIND)"
                        : Commands.table(rows).stripTrailing();
            });
        }
    }

    static String markings(Watchlist w) {
        StringBuilder sb = new StringBuilder(w.tlp().label());
        w.handlingCodes().stream().map(Enum::name).sorted().forEach(h -> sb.append(' ').append(h));
        return sb.toString();
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Imports an edition of a list: UN consolidated XML, the OFAC SDN CSV (its folder or sdn.csv) or"
                    + " JSON Lines (entente-screening/README.md). Only the difference with the stored list becomes new"
                    + " versions: entries added, changed and (unless --keep-missing) removed.",
                    "A record that cannot be read is reported with its position; the others are imported.",
                    "The list is created on its first import: give --kind (and markings) then."})
    static final class Import implements Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "FILE", description = "The edition: a file, or an OFAC folder.") Path file;
        @Option(names = "--list", required = true, paramLabel = "NAME|ID", description = "The list to import into.") String list;
        @Option(names = "--kind", description = "For a new list: sanctions, wanted-persons, travel-documents, vehicles or"
                + " entities.") String kind;
        @Option(names = "--category", description = "For a new list: the policy category (default: the kind's).") String category;
        @Option(names = "--tlp", description = "For a new list: clear, green, amber, amber+strict or red (default: none,"
                + " shared as amber).") String tlp;
        @Option(names = "--handling", split = ",", paramLabel = "H0,H1", description = "For a new list: handling codes.")
        List<String> handling = List.of();
        @Option(names = "--description", description = "For a new list.") String description;
        @Option(names = "--threshold", description = "For a new list: its own hit threshold in (0, 1].") Double threshold;
        @Option(names = "--edition", description = "What the edition is called (its date, its number).") String edition;
        @Option(names = "--keep-missing", description = "A supplement: entries it does not hold are kept, not removed.")
        boolean keepMissing;

        @Override
        public Integer call() {
            if (!Files.exists(file)) return Commands.usage(spec, "watchlist import", "no such file: " + file);
            return Commands.execute(spec, node, "watchlist import", (d, out) -> {
                PrintWriter err = spec.commandLine().getErr();
                ScreeningService.Caller op = operator(d);
                Watchlist w = d.screening().store().find(list).filter(Watchlist::live).orElse(null);
                if (w == null) {
                    if (kind == null) {
                        throw InvalidInput.of("Unknown watchlist", "--list", "no watchlist '" + list
                                + "': give --kind (and --tlp, --handling) to create it");
                    }
                    w = d.screening().create(op, draft());
                    err.println("created watchlist " + w.name() + " (" + w.id() + ")");
                }
                ListImport.Report r;
                try {
                    r = d.screening().importFile(op, w.id(), file, !keepMissing, edition, new ScreenWatchlists.Percent(file.toString(), err));
                } catch (java.io.IOException e) {
                    throw InvalidInput.of("Unreadable watchlist", "FILE", e.getMessage());
                }
                int shown = 0;
                for (ImportProblem p : r.problems()) {
                    if (p.severity() == ImportProblem.Severity.ERROR || shown < 20) {
                        err.println("  " + p);
                        shown++;
                    }
                }
                if (shown < r.problems().size()) err.println("  ... and " + (r.problems().size() - shown) + " more warnings");
                err.flush();
                out.printf(Locale.ROOT, "%s: %s, %,d entries: %,d added, %,d changed, %,d removed, %,d unchanged;"
                                + " %d records skipped, %d warnings (%.1f s)%n", w.name(), r.format(), r.entries(),
                        r.applied().added(), r.applied().changed(), r.applied().removed(), r.applied().unchanged(),
                        r.errors(), r.warnings(), r.millis() / 1000.0);
                return r.errors() > 0 ? 1 : Commands.OK;
            });
        }

        private WatchlistDraft draft() {
            ObjectNode o = Commands.JSON.createObjectNode().put("name", list).put("kind", kind);
            if (category != null) o.put("category", category);
            if (tlp != null) o.put("tlp", tlp);
            var h = o.putArray("handling_codes");
            handling.forEach(h::add);
            if (description != null) o.put("description", description);
            if (threshold != null) o.put("threshold", threshold);
            try {
                return WatchlistDraft.parse(o);
            } catch (InvalidInput e) {
                throw new InvalidInput(e.title(), e.problems().stream().map(p -> new InvalidInput.Problem(option(p.field()),
                        p.message())).toList());
            }
        }

        /** The option a draft's JSON pointer stands for. */
        private static String option(String pointer) {
            String f = pointer.replaceFirst("^/", "").replaceFirst("/.*$", "");
            return switch (f) {
                case "name" -> "--list";
                case "handling_codes" -> "--handling";
                default -> "--" + f;
            };
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a watchlist, or one entry's history.")
    static final class Show implements Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "LIST") String list;
        @Option(names = "--entry", paramLabel = "ID", description = "One entry: its current form and every version.") String entry;

        @Override
        public Integer call() {
            return UserCommand.run(spec, node, "watchlist show", d -> {
                Watchlist w = find(d, list);
                WatchlistStore store = d.screening().store();
                if (entry != null) {
                    List<WatchlistStore.EntryVersion> history = store.history(w.id(), entry);
                    if (history.isEmpty()) throw InvalidInput.of("Unknown entry", "--entry", "no entry '" + entry + "' in " + w.name());
                    StringBuilder sb = new StringBuilder(w.name() + " / " + entry + System.lineSeparator());
                    for (WatchlistStore.EntryVersion v : history) {
                        sb.append(String.format(Locale.ROOT, "  v%d %s %s by %s (%s)%n", v.version(), v.change(), v.at(),
                                v.actor(), v.source()));
                        if (v.data() != null) sb.append("     ").append(v.data()).append(System.lineSeparator());
                    }
                    return sb.toString().stripTrailing();
                }
                Commands.Partners p = new Commands.Partners(d);
                long entries = store.sizes().getOrDefault(w.id(), 0L);
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"id", w.id()});
                rows.add(new String[] {"name", w.name()});
                rows.add(new String[] {"kind", w.kind().wire()});
                rows.add(new String[] {"category", w.category().wire() + (w.personalData() ? " (personal data)" : "")});
                rows.add(new String[] {"markings", markings(w) + (w.redRecipients().isEmpty() ? ""
                        : " for " + String.join(", ", w.redRecipients()))});
                rows.add(new String[] {"owner", p.nameOf(w.ownerId())});
                if (w.received()) rows.add(new String[] {"received", "from " + p.nameOf(w.providerId()) + " under " + w.agreementId()});
                rows.add(new String[] {"entries", String.format(Locale.ROOT, "%,d", entries)});
                if (w.threshold() != null) rows.add(new String[] {"threshold", w.threshold().toString()});
                if (w.edition() != null) rows.add(new String[] {"edition", w.edition()});
                if (w.description() != null) rows.add(new String[] {"description", w.description()});
                rows.add(new String[] {"created", w.created().toString()});
                rows.add(new String[] {"modified", w.modified().toString()});
                for (WatchlistStore.StoredEntry e : store.entries(w.id(), null, 5)) {
                    rows.add(new String[] {"entry " + e.entryId(), "v" + e.version() + " " + e.data()});
                }
                return Commands.table(rows).stripTrailing();
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes a watchlist with its entries and their history (hits already recorded stay).")
    static final class Remove implements Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "LIST") String list;

        @Override
        public Integer call() {
            return UserCommand.run(spec, node, "watchlist remove", d -> {
                Watchlist w = d.screening().remove(operator(d), find(d, list).id());
                return "removed watchlist " + w.name() + " (" + w.id() + ")";
            });
        }
    }

    @Command(name = "limit", mixinStandardHelpOptions = true,
            description = {"Sets the screening limits an agreement puts on its partners' people (checks per minute);"
                    + " without --per-user and --per-organisation, lifts them.",
                    "The node's own limits are the settings screening.limit.user and screening.limit.organisation."})
    static final class Limit implements Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin NodeOptions node;
        @Parameters(paramLabel = "AGREEMENT") String agreement;
        @Option(names = "--per-user", paramLabel = "N") Integer perUser;
        @Option(names = "--per-organisation", paramLabel = "N") Integer perOrganisation;

        @Override
        public Integer call() {
            return UserCommand.run(spec, node, "watchlist limit", d -> {
                try {
                    var l = d.screening().setAgreementLimit(operator(d), agreement, perUser, perOrganisation);
                    return l.perUser() == null && l.perOrganisation() == null ? "agreement " + agreement + ": no screening limit"
                            : "agreement " + agreement + ": at most " + (l.perUser() == null ? "-" : l.perUser())
                            + " checks per minute per user, " + (l.perOrganisation() == null ? "-" : l.perOrganisation())
                            + " per organisation";
                } catch (org.entente.node.common.Refusal r) {
                    throw new IllegalArgumentException(r.getMessage());
                }
            });
        }
    }
}
