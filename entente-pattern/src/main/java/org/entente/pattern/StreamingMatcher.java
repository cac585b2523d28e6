package org.entente.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.entente.pattern.ObservationSet.Observed;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Matches a stream of observations against any number of STIX indicators and produces a
 * sighting for every match.
 *
 * <p>Indicators are compiled into indexes so that the work per observation does not grow with
 * the number of indicators: exact string values of any object path (one hash table over a byte
 * arena), address containment ({@code ISSUBSET}: one hash per prefix length in use), domain
 * suffixes ({@code LIKE '%.example.com'}) and, for other {@code LIKE}/{@code MATCHES}
 * tests, a trigram of a literal the value must contain; only the candidates found this way are
 * evaluated. The common one-comparison indicator is stored as a handful of primitives, not as
 * an object graph. Patterns over several observations ({@code AND}/{@code OR} between
 * observations, {@code FOLLOWEDBY}, {@code WITHIN}, {@code REPEATS}, {@code START/STOP}) keep a
 * bounded buffer of the observations that satisfied one of their parts, expired by time.
 *
 * <p>{@link #add}, {@link #remove} and {@link #observe} may be called from different threads,
 * so indicators change while observations flow. Removing an indicator takes effect at once but
 * leaves its entries in the indexes, dead; once removals (or replacements) have left as much
 * dead as live in a structure, the call that crossed that line rebuilds the indexes with the
 * live indicators only ({@link #compact}) and swaps them in. Observations keep matching against
 * the old indexes while the new ones are built and wait only for the swap; other changes wait
 * for the rebuild.
 */
public final class StreamingMatcher {

    /**
     * @param stateHorizon     how long a part-match of a multi-observation pattern without its own
     *                         WITHIN is kept waiting for the rest
     * @param maxPendingEvents the most part-matches kept per indicator (the oldest go first)
     */
    public record Options(Duration stateHorizon, int maxPendingEvents) {
        public static final Options DEFAULTS = new Options(Duration.ofHours(24), 256);
    }

    /** What {@link #add} did with an object. */
    public record Outcome(String id, Status status, String message) {
    }

    public enum Status { ADDED, REPLACED, SKIPPED, REJECTED }

    /**
     * What the matcher holds: the retained figures include the dead entries that removals left
     * until the next compaction.
     *
     * @param indicators     indicators currently matched
     * @param indicatorSlots indicators retained, live and dead
     * @param postings       index entries pointing at an indicator or a part of one, live and dead
     * @param deadPostings   of those, the ones of removed indicators
     * @param keys           distinct values, networks and substrings the indexes hold
     * @param leaves         parts of multi-comparison patterns retained, live and dead
     * @param deadLeaves     of those, the ones of removed indicators
     * @param compactions    rebuilds so far
     */
    public record Stats(int indicators, int indicatorSlots, long postings, long deadPostings, int keys, int leaves,
            int deadLeaves, int compactions) {
    }

    /** Guards the index: held by every observation and by every change while it touches the index. */
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Held by every change (and by a compaction for the whole rebuild), taken before {@link #lock}:
     * while it is held nothing else changes the index, so a rebuild may read it without {@link #lock}.
     */
    private final ReentrantLock changes = new ReentrantLock();
    private IndicatorIndex index;
    private int compactions;

    public StreamingMatcher() {
        this(Options.DEFAULTS);
    }

    public StreamingMatcher(Options options) {
        this.index = new IndicatorIndex(options);
    }

    /** The number of indicators currently matched. */
    public int size() {
        lock.lock();
        try {
            return index.size();
        } finally {
            lock.unlock();
        }
    }

    /** The figures of what the matcher holds, dead entries included. */
    public Stats stats() {
        lock.lock();
        try {
            return index.stats(compactions);
        } finally {
            lock.unlock();
        }
    }

    // ======================================================================== indicators

    /**
     * Adds (or replaces, by id) an indicator. Objects that are not indicators with a STIX
     * pattern, and revoked indicators (which also remove an earlier version), are skipped;
     * an indicator whose pattern is invalid is rejected with the reason.
     */
    public Outcome add(JsonNode indicator) {
        String id = indicator.path("id").asText(null);
        if (id == null || !indicator.path("type").asText("").equals("indicator")) {
            return new Outcome(id, Status.SKIPPED, "not an indicator");
        }
        if (indicator.path("revoked").asBoolean(false)) {
            boolean removed = remove(id);
            return new Outcome(id, Status.SKIPPED, removed ? "revoked (earlier version removed)" : "revoked");
        }
        String type = indicator.path("pattern_type").asText("stix");
        if (!type.equals("stix")) {
            return new Outcome(id, Status.SKIPPED, "pattern_type " + type + " is not matched");
        }
        JsonNode patternNode = indicator.get("pattern");
        if (patternNode == null || !patternNode.isTextual()) {
            return new Outcome(id, Status.REJECTED, "no pattern");
        }
        long from;
        long until;
        try {
            from = millis(indicator.get("valid_from"), Long.MIN_VALUE);
            until = millis(indicator.get("valid_until"), Long.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            return new Outcome(id, Status.REJECTED, e.getMessage());
        }
        Pattern pattern;
        try {
            pattern = Pattern.parse(patternNode.textValue(), indicator.path("pattern_version").asText("2.1"));
        } catch (PatternException e) {
            return new Outcome(id, Status.REJECTED, "invalid pattern: " + e.getMessage());
        }
        Outcome outcome;
        boolean compact;
        changes.lock();
        try {
            lock.lock();
            try {
                outcome = index.add(id, from, until, pattern);
            } finally {
                lock.unlock();
            }
            compact = outcome.status() == Status.REPLACED && index.worthCompacting();
        } finally {
            changes.unlock();
        }
        if (compact) {
            compactIfWorth();
        }
        return outcome;
    }

    /** Stops matching the indicator with this id; false if there was none. */
    public boolean remove(String id) {
        boolean removed;
        boolean compact;
        changes.lock();
        try {
            lock.lock();
            try {
                removed = index.remove(id);
            } finally {
                lock.unlock();
            }
            compact = removed && index.worthCompacting();
        } finally {
            changes.unlock();
        }
        if (compact) {
            compactIfWorth();
        }
        return removed;
    }

    /**
     * Rebuilds the indexes with the live indicators only and swaps them in, giving back the space
     * of removed and replaced ones. Runs by itself once removals leave as much dead as live;
     * callers that have just removed many indicators may call it at once. Observations go on
     * matching during the rebuild and wait only for the swap.
     */
    public void compact() {
        changes.lock();
        try {
            rebuildAndSwap();
        } finally {
            changes.unlock();
        }
    }

    /** Compacts unless another thread did meanwhile. */
    private void compactIfWorth() {
        changes.lock();
        try {
            if (index.worthCompacting()) {
                rebuildAndSwap();
            }
        } finally {
            changes.unlock();
        }
    }

    /** With {@link #changes} held: nothing changes the index while it is read without {@link #lock}. */
    private void rebuildAndSwap() {
        IndicatorIndex rebuilt = index.compacted();
        lock.lock();
        try {
            index = rebuilt;
            compactions++;
        } finally {
            lock.unlock();
        }
    }

    private static long millis(JsonNode t, long fallback) {
        if (t == null || t.isNull()) {
            return fallback;
        }
        Instant i = t.isTextual() ? Literals.timestamp(t.textValue()) : null;
        if (i == null) {
            throw new IllegalArgumentException("invalid timestamp " + t);
        }
        return i.toEpochMilli();
    }

    // ======================================================================== observe

    /** Matches one observation line: a bundle (its observed-data), an observed-data, or a bare SCO seen at {@code now}. */
    public List<ObjectNode> observe(JsonNode observation, Instant now) {
        List<Observed> observed;
        JsonNode typeNode = observation.get("type");
        String type = typeNode == null || !typeNode.isTextual() ? "" : typeNode.textValue();
        if (type.equals("bundle")) {
            ObservationSet.Builder b = new ObservationSet.Builder();
            b.add(observation);
            observed = b.build().observed();
        } else if (type.equals("observed-data")) {
            observed = List.of(ObservationSet.observedData(observation, Map.of()));
        } else if (!type.isEmpty()) {
            observed = List.of(ObservationSet.bare(observation, now));
        } else {
            throw new IllegalArgumentException("an observation needs a type (bundle, observed-data or an SCO type)");
        }
        List<ObjectNode> sightings = new ArrayList<>(0);
        lock.lock();
        try {
            for (Observed o : observed) {
                index.match(o, now, sightings);
            }
        } finally {
            lock.unlock();
        }
        return sightings;
    }

    public List<ObjectNode> observe(JsonNode observation) {
        return observe(observation, Instant.now());
    }

    /** Part-matches held for the indicator (0 for one-comparison indicators or unknown ids). */
    int pendingEvents(String id) {
        lock.lock();
        try {
            return index.pendingEvents(id);
        } finally {
            lock.unlock();
        }
    }
}
