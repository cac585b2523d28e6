package org.entente.node.screening;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    private final Duration window;
    private final int documents;
    private final int names;
    private final Map<String, Deque<Seen>> byUser = new HashMap<>();

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
            Deque<Seen> seen = byUser.computeIfAbsent(user, k -> new ArrayDeque<>());
            while (!seen.isEmpty() && seen.peekFirst().at() < oldest) seen.pollFirst();
            for (Features f : queries) {
                seen.addLast(new Seen(t, f.series(), f.number(), f.document(), f.nameKey(), f.spelling()));
                if (seen.size() > REMEMBERED) seen.pollFirst();
            }
            Optional<Sweep> found = Optional.empty();
            for (Features f : queries) {
                found = documents(seen, f).or(() -> names(seen, f));
                if (found.isPresent()) break;
            }
            if (byUser.size() > 100_000) byUser.entrySet().removeIf(e -> e.getValue().isEmpty()
                    || e.getValue().peekLast().at() < oldest);
            return found;
        }
    }

    /** Distinct numbers of the query's series within a span twice the threshold around it. */
    private Optional<Sweep> documents(Deque<Seen> seen, Features f) {
        if (documents <= 0 || f.series() == null) return Optional.empty();
        long span = 2L * documents;
        Map<Long, String> numbers = new LinkedHashMap<>();
        for (Seen s : seen) {
            if (f.series().equals(s.series()) && Math.abs(s.number() - f.number()) <= span) numbers.put(s.number(), s.document());
        }
        if (numbers.size() < documents) return Optional.empty();
        return Optional.of(new Sweep("documents-in-sequence", f.series(), List.copyOf(numbers.values())));
    }

    /** Distinct spellings of names with the same consonant skeletons. */
    private Optional<Sweep> names(Deque<Seen> seen, Features f) {
        if (names <= 0 || f.nameKey() == null) return Optional.empty();
        Set<String> spellings = new HashSet<>();
        for (Seen s : seen) {
            if (f.nameKey().equals(s.nameKey())) spellings.add(s.spelling());
        }
        if (spellings.size() < names) return Optional.empty();
        return Optional.of(new Sweep("near-identical-names", f.nameKey(), spellings.stream().sorted().toList()));
    }

    /** Forgets a user's queries (after a sweep was reported, so the next one is counted afresh). */
    void forget(String user) {
        synchronized (byUser) {
            byUser.remove(user);
        }
    }
}
