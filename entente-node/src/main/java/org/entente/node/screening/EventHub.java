package org.entente.node.screening;

import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.entente.node.users.Principal;
import org.entente.node.users.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event stream of one process ({@code GET /api/events}): hits told to the users of the list's
 * owner, sweeps told to the administrators. Events are read from PostgreSQL when the 'event'
 * counter moves (any process may have recorded them), so every process tells its own subscribers
 * of every event. Each subscriber has a bounded queue and a thread of its own: a slow client cannot
 * hold up the others or the follower, and one too slow to keep up is disconnected.
 */
final class EventHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
    static final String HIT = "hit";
    static final String SWEEP = "sweep";
    static final Set<String> TYPES = Set.of(HIT, SWEEP);
    /** Events replayed to a subscriber that reconnects with Last-Event-ID. */
    static final int REPLAY = 1_000;
    static final int QUEUE = 10_000;
    static final long HEARTBEAT_MILLIS = 15_000;

    /** Roles whose holders are told of hits on their organisation's lists. */
    static final Set<Role> TOLD_OF_HITS = Set.of(Role.ANALYST, Role.SUPERVISOR, Role.LIAISON_OFFICER, Role.ADMINISTRATOR);

    /** One event as sent: type, id (the event number) and JSON text. */
    record Event(String type, long seq, String ownerOrganisation, String json) {}

    private final class Subscriber {
        final SseClient client;
        final Principal principal;
        final boolean ownOrganisation;
        final Set<String> types;
        final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
        volatile boolean closed;

        Subscriber(SseClient client, Principal principal, boolean ownOrganisation, Set<String> types) {
            this.client = client;
            this.principal = principal;
            this.ownOrganisation = ownOrganisation;
            this.types = types;
        }

        boolean wants(Event e) {
            if (!types.contains(e.type())) return false;
            return switch (e.type()) {
                case HIT -> e.ownerOrganisation().equals(principal.organisationId());
                case SWEEP -> ownOrganisation && principal.has(Role.ADMINISTRATOR);
                default -> false;
            };
        }

        void offer(Event e) {
            if (!queue.offer(e)) {
                LOG.warn("event stream of {} is {} events behind: disconnected", principal.username(), QUEUE);
                close();
            }
        }

        void send() {
            try {
                while (!closed && !client.terminated()) {
                    Event e = queue.poll(HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
                    if (e == null) client.sendComment("keep-alive");
                    else client.sendEvent(e.type(), e.json(), Long.toString(e.seq()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("event stream of {} ended: {}", principal.username(), e.getMessage());
            } finally {
                close();
            }
        }

        void close() {
            closed = true;
            subscribers.remove(this);
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.debug("closing an event stream: {}", e.getMessage());
            }
        }
    }

    private final HitStore hits;
    private final int maxSubscribers;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile long published = -1;
    private volatile boolean closed;

    EventHub(HitStore hits, int maxSubscribers) {
        this.hits = hits;
        this.maxSubscribers = maxSubscribers;
    }

    int subscribers() {
        return subscribers.size();
    }

    boolean full() {
        return subscribers.size() >= maxSubscribers;
    }

    /**
     * Keeps the client's connection open and sends it the events it may see: those after
     * {@code lastEventId} first (when it reconnects), then each new one.
     */
    void subscribe(SseClient client, Principal p, boolean ownOrganisation, Set<String> types, long lastEventId) {
        Subscriber s = new Subscriber(client, p, ownOrganisation, types);
        client.keepAlive();
        client.onClose(() -> {
            s.closed = true;
            subscribers.remove(s);
        });
        if (closed) {
            s.close();
            return;
        }
        subscribers.add(s);
        if (lastEventId >= 0) {
            for (Event e : read(lastEventId, REPLAY)) {
                if (s.wants(e)) s.offer(e);
            }
        }
        // Say at once that the stream is open, so that clients (and tests) know when they listen.
        client.sendComment("listening");
        Thread.ofVirtual().name("entente-events-" + p.username()).start(s::send);
    }

    /** Reads the events recorded since the last publication and queues each for the subscribers who may see it. */
    synchronized void publishNew(long lastEvent) {
        if (published < 0) {
            published = lastEvent;
            return;
        }
        // No one listening in this process: nothing to read (a subscriber who comes asks for its replay).
        while (published < lastEvent && !subscribers.isEmpty()) {
            List<Event> events = read(published, REPLAY);
            if (events.isEmpty()) break;
            for (Event e : events) {
                for (Subscriber s : subscribers) {
                    if (s.wants(e)) s.offer(e);
                }
                published = e.seq();
            }
        }
        published = Math.max(published, lastEvent);
    }

    /** Starts the publication after {@code seq} (at start: nothing before the node started is news). */
    void startAfter(long seq) {
        published = seq;
    }

    private List<Event> read(long after, int limit) {
        List<Event> out = new ArrayList<>();
        for (HitStore.Hit h : hits.hitsAfter(after, limit)) {
            out.add(new Event(HIT, h.seq(), h.notifyOrganisation(), h.json().toString()));
        }
        for (HitStore.Sweep s : hits.sweepsAfter(after, limit)) {
            out.add(new Event(SWEEP, s.seq(), "", s.json().toString()));
        }
        out.sort(Comparator.comparingLong(Event::seq));
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    @Override
    public void close() {
        closed = true;
        for (Subscriber s : List.copyOf(subscribers)) s.close();
    }
}
