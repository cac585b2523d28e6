package org.entente.node.screening;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.entente.node.db.Database;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process in step with the others: LISTENs on {@link WatchlistStore#CHANNEL} and, on a
 * notice or at the latest every {@link #POLL_MILLIS}, reads the two counters. When the 'watchlist'
 * counter moved, the index applies the changes after the last one it applied; when the 'event'
 * counter moved, the event hub tells its subscribers of the new hits and sweeps. A notice is only a
 * wake-up call: one missed (a lost connection, a restart of PostgreSQL) is caught up by the counter.
 */
final class Follower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);
    static final int POLL_MILLIS = 250;

    /** What to do when a counter moved. */
    interface Moved {
        void watchlists(long counter);

        void events(long counter);

        /** Called once per turn, notice or not (heartbeats, expiries). */
        default void tick() {}
    }

    private final Database db;
    private final Moved moved;
    private volatile boolean running = true;
    private volatile Connection connection;
    private Thread thread;

    Follower(Database db, Moved moved) {
        this.db = db;
        this.moved = moved;
    }

    void start() {
        thread = Thread.ofPlatform().name("entente-screening-follower").daemon().start(this::run);
    }

    private void run() {
        long watchlists = -1;
        long events = -1;
        while (running) {
            try (Connection c = db.dedicatedConnection()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + WatchlistStore.CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    long[] counters = counters(c);
                    if (counters[0] != watchlists) {
                        moved.watchlists(counters[0]);
                        watchlists = counters[0];
                    }
                    if (counters[1] != events) {
                        moved.events(counters[1]);
                        events = counters[1];
                    }
                    moved.tick();
                    pg.getNotifications(POLL_MILLIS);
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) break;
                LOG.warn("screening follower: {}; reconnecting in 1 s", e.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } finally {
                connection = null;
            }
        }
    }

    private static long[] counters(Connection c) throws SQLException {
        long[] out = new long[2];
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name, value FROM screening_counter")) {
            while (rs.next()) out[rs.getString(1).equals("watchlist") ? 0 : 1] = rs.getLong(2);
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the follower's connection: {}", e.getMessage());
            }
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
