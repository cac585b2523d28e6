package org.entente.node.screening;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.entente.screening.Kind;
import org.entente.screening.documents.DocumentNumbers;
import org.entente.screening.names.AnalysedName;
import org.entente.screening.names.NameAnalyser;
import org.entente.screening.names.Token;

/**
 * Notices a user sweeping a list instead of screening travellers: many document numbers of one
 * series close together (a run through a block of stolen passports), or many spellings of the same
 * name (probing which variant is listed). Each process remembers the recent queries of the users it
 * serves for a window (the refusal that follows is shared through PostgreSQL; a sweep spread over
 * several processes is seen by each with its share).
 */
final class Sweeps {
    /** Queries remembered per user; older ones are forgotten first. */
    static final int REMEMBERED = 5_000;

    /** A sweep found: the pattern, and what made it. */
    record Sweep(String pattern, String key, List<String> values) {}

    private record Seen(long at, String series, long number, String document, String nameKey, String spelling) {}

    /** One user's recent queries, in order (to forget them) and counted by series and by name. */
    private static final class Recent {
        final ArrayDeque<Seen> order = new ArrayDeque<>();
        /** Per document series, each number seen: how often, and as written. */
        final Map<String, TreeMap<Long, Counted>> numbers = new HashMap<>();
        /** Per name key, each spelling seen and how often. */
        final Map<String, Map<String, Integer>> spellings = new HashMap<>();

        void add(Seen s) {
            order.addLast(s);
            if (s.series() != null) {
                numbers.computeIfAbsent(s.series(), k -> new TreeMap<>())
                        .merge(s.number(), new Counted(s.document(), 1), (a, b) -> new Counted(a.text(), a.count() + 1));
            }
            if (s.nameKey() != null) spellings.computeIfAbsent(s.nameKey(), k -> new HashMap<>()).merge(s.spelling(), 1, Integer::sum);
        }

        void forgetOldest() {
            Seen s = order.pollFirst();
            if (s.series() != null) {
                TreeMap<Long, Counted> m = numbers.get(s.series());
                m.computeIfPresent(s.number(), (k, c) -> c.count() == 1 ? null : new Counted(c.text(), c.count() - 1));
                if (m.isEmpty()) numbers.remove(s.series());
            }
            if (s.nameKey() != null) {
                Map<String, Integer> m = spellings.get(s.nameKey());
                m.computeIfPresent(s.spelling(), (k, c) -> c == 1 ? null : c - 1);
                if (m.isEmpty()) spellings.remove(s.nameKey());
            }
        }
    }

    private record Counted(String text, int count) {}

    private final Duration window;
    private final int documents;
    private final int names;
    private final Map<String, Recent> byUser = new HashMap<>();

    /** @param documents numbers of one series close together that make a sweep, 0 for no check; names likewise */
    Sweeps(Duration window, int documents, int names) {
        this.window = window;
        this.documents = documents;
        this.names = names;
    }

    boolean enabled() {
        return documents > 0 || names > 0;
    }

    /** What a query contributes: its document's series and number, its name's key and spelling. */
    record Features(String series, long number, String document, String nameKey, String spelling) {}

    static Features features(String name, String document) {
        String series = null;
        long number = -1;
        String normal = null;
        if (document != null && !document.isBlank()) {
            normal = DocumentNumbers.normalise(document);
            int digits = normal.length();
            while (digits > 0 && Character.isDigit(normal.charAt(digits - 1))) digits--;
            int run = normal.length() - digits;
            if (run >= 3 && run <= 18) {
                series = normal.substring(0, digits) + "#" + run;
                number = Long.parseLong(normal.substring(digits));
            }
        }
        String key = null;
        String spelling = null;
        if (name != null && !name.isBlank()) {
            AnalysedName a = NameAnalyser.analyse(name, Kind.PERSON);
            List<String> skeletons = new ArrayList<>();
            for (Token t : a.scored()) skeletons.add(t.skeleton());
            if (!skeletons.isEmpty()) {
                skeletons.sort(null);
                key = String.join(" ", skeletons);
                spelling = a.normalised().toLowerCase(Locale.ROOT);
            }
        }
        return new Features(series, number, normal, key, spelling);
    }

    /**
     * Remembers the queries of one request and tells whether, with what the user asked before in
     * the window, they sweep a list.
     */
    Optional<Sweep> observe(String user, List<Features> queries, Instant now) {
        if (!enabled()) return Optional.empty();
        long t = now.toEpochMilli();
        long oldest = t - window.toMillis();
        synchronized (byUser) {
            Recent recent = byUser.computeIfAbsent(user, k -> new Recent());
            while (!recent.order.isEmpty() && recent.order.peekFirst().at() < oldest) recent.forgetOldest();
            for (Features f : queries) {
                recent.add(new Seen(t, f.series(), f.number(), f.document(), f.nameKey(), f.spelling()));
                if (recent.order.size() > REMEMBERED) recent.forgetOldest();
            }
            Optional<Sweep> found = Optional.empty();
            for (Features f : queries) {
                found = documents(recent, f).or(() -> names(recent, f));
                if (found.isPresent()) break;
            }
            if (byUser.size() > 100_000) byUser.entrySet().removeIf(e -> e.getValue().order.isEmpty()
                    || e.getValue().order.peekLast().at() < oldest);
            return found;
        }
    }

    /** Distinct numbers of the query's series within a span twice the threshold around it. */
    private Optional<Sweep> documents(Recent recent, Features f) {
        if (documents <= 0 || f.series() == null) return Optional.empty();
        long span = 2L * documents;
        TreeMap<Long, Counted> series = recent.numbers.get(f.series());
        if (series == null) return Optional.empty();
        var near = series.subMap(f.number() - span, true, f.number() + span, true);
        if (near.size() < documents) return Optional.empty();
        return Optional.of(new Sweep("documents-in-sequence", f.series(), near.values().stream().map(Counted::text).toList()));
    }

    /** Distinct spellings of names with the same consonant skeletons. */
    private Optional<Sweep> names(Recent recent, Features f) {
        if (names <= 0 || f.nameKey() == null) return Optional.empty();
        Map<String, Integer> spellings = recent.spellings.get(f.nameKey());
        if (spellings == null || spellings.size() < names) return Optional.empty();
        return Optional.of(new Sweep("near-identical-names", f.nameKey(), spellings.keySet().stream().sorted().toList()));
    }

    /** Forgets a user's queries (after a sweep was reported, so the next one is counted afresh). */
    void forget(String user) {
        synchronized (byUser) {
            byUser.remove(user);
        }
    }
}
