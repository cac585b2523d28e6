package org.entente.node.ops;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's scheduled work, registered in one place: every process runs every job, and jobs that
 * must run once per database take an advisory lock (see db.Locks).
 */
public final class Jobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2,
            r -> Thread.ofPlatform().name("entente-jobs").daemon().unstarted(r));

    /** Runs {@code job} every {@code period}, first after {@code initialDelay}; a failure is logged, not fatal. */
    public void every(String name, Duration initialDelay, Duration period, Runnable job) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                LOG.warn("scheduled job {} failed: {}", name, e.getMessage(), e);
            }
        }, Math.max(0, initialDelay.toMillis()), Math.max(1, period.toMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
