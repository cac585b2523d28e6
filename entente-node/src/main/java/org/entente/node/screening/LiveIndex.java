package org.entente.node.screening;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.entente.screening.Entry;
import org.entente.screening.Listing;
import org.entente.screening.ScreeningIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory indexes of the lists this process serves, one {@link ScreeningIndex} per list (a
 * list is what the policy decides, so a query screens only the indexes of the lists the caller
 * may query). Built from a snapshot of the database, then brought up to date by applying the
 * changes after the snapshot's change number, in order; queries run meanwhile.
 */
final class LiveIndex {
    private static final Logger LOG = LoggerFactory.getLogger(LiveIndex.class);
    /** Entries added to an index together (names are analysed on all cores per batch). */
    private static final int BATCH = 20_000;

    /** A list served: its description and markings as last read, and its entries' index. */
    record Served(Watchlist list, ScreeningIndex index) {}

    private volatile Map<String, Served> lists = Map.of();
    private volatile long applied = -1;

    /** The lists served now, by id. */
    Map<String, Served> lists() {
        return lists;
    }

    /** The change number everything up to which is applied; -1 before the first build. */
    long applied() {
        return applied;
    }

    boolean built() {
        return applied >= 0;
    }

    /** Stored rows of one list on their way from the database to the index. */
    private record Rows(String listId, List<String[]> rows) {
        static final Rows END = new Rows(null, List.of());
    }

    /**
     * Reads every live list and its entries; returns the number of entries indexed. Pipelined: while
     * this thread reads rows from PostgreSQL, an indexing thread parses the previous batch on every
     * core and adds it to its list's index (which analyses names on every core in turn).
     */
    synchronized long build(WatchlistStore store) {
        Map<String, Served> fresh = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.BlockingQueue<Rows> queue = new java.util.concurrent.ArrayBlockingQueue<>(4);
        java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread indexer = Thread.ofPlatform().name("entente-index-build").start(() -> {
            try {
                while (true) {
                    Rows r = queue.take();
                    if (r == Rows.END) break;
                    List<Entry> entries = r.rows().parallelStream().map(x -> entry(r.listId(), x[0], x[1]))
                            .filter(java.util.Objects::nonNull).toList();
                    fresh.get(r.listId()).index().addAll(entries);
                    count.addAndGet(entries.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failed.set(e);
                queue.clear();
            }
        });
        Map<String, List<String[]>> pending = new HashMap<>();
        long seq;
        try {
            seq = store.snapshot(w -> fresh.put(w.id(), new Served(w, new ScreeningIndex())), e -> {
                List<String[]> batch = pending.computeIfAbsent(e.listId(), k -> new ArrayList<>(BATCH));
                batch.add(new String[] {e.entryId(), e.data()});
                if (batch.size() == BATCH) {
                    put(queue, new Rows(e.listId(), List.copyOf(batch)), failed);
                    batch.clear();
                }
            });
            pending.forEach((list, batch) -> {
                if (!batch.isEmpty()) put(queue, new Rows(list, batch), failed);
            });
        } finally {
            put(queue, Rows.END, failed);
            try {
                indexer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while building the index", e);
            }
        }
        if (failed.get() != null) throw failed.get();
        fresh.values().forEach(x -> x.index().compact());
        lists = Map.copyOf(fresh);
        applied = seq;
        return count.get();
    }

    private static void put(java.util.concurrent.BlockingQueue<Rows> queue, Rows rows,
            java.util.concurrent.atomic.AtomicReference<RuntimeException> failed) {
        try {
            // The indexer, if it failed, takes nothing more: give up rather than wait for it.
            while (failed.get() == null && !queue.offer(rows, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                Thread.onSpinWait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the index", e);
        }
    }

    /**
     * Applies every change committed after the last one applied. Runs on the follower thread, and
     * on a request thread right after that request changed a list, so that the process that made a
     * change answers with it at once.
     */
    synchronized int catchUp(WatchlistStore store) {
        if (!built()) return 0;
        Map<String, Served> next = new LinkedHashMap<>(lists);
        int[] changes = {0};
        // Consecutive additions to one list go in together, in order with the removals around them.
        List<Entry> adds = new ArrayList<>();
        String[] addsTo = {null};
        Runnable flush = () -> {
            if (!adds.isEmpty()) {
                Served s = next.get(addsTo[0]);
                if (s != null) s.index().addAll(adds);
                adds.clear();
            }
        };
        long seq = store.changesSince(applied, w -> {
            Served old = next.get(w.id());
            if (!w.live()) {
                next.remove(w.id());
            } else {
                next.put(w.id(), new Served(w, old == null ? new ScreeningIndex() : old.index()));
            }
            changes[0]++;
        }, c -> {
            Served s = next.get(c.listId());
            if (s == null) return;
            changes[0]++;
            if (c.change().equals("removed")) {
                flush.run();
                s.index().remove(c.listId(), c.entryId());
            } else {
                if (!c.listId().equals(addsTo[0]) || adds.size() >= BATCH) flush.run();
                addsTo[0] = c.listId();
                Entry e = entry(c.listId(), c.entryId(), c.data());
                if (e != null) adds.add(e);
            }
        });
        flush.run();
        lists = Map.copyOf(next);
        if (seq > applied) {
            LOG.debug("watchlists: applied {} changes up to {}", changes[0], seq);
            applied = seq;
        }
        return changes[0];
    }

    /**
     * A stored entry as the index holds it: listed under the node's list id and the entry's own id.
     * One that cannot be read is logged and left out, not allowed to stop the index following.
     */
    static Entry entry(String listId, String entryId, String data) {
        try {
            Entry e = EntryJson.readStored(data, listId);
            return EntryJson.relisted(e, new Listing(entryId, listId, e.listing().owner(), e.listing().reference()));
        } catch (RuntimeException x) {
            LOG.error("watchlist {}: entry {} cannot be read and is not screened: {}", listId, entryId, x.getMessage());
            return null;
        }
    }

    long size() {
        long n = 0;
        for (Served s : lists.values()) n += s.index().size();
        return n;
    }
}
