package org.entente.node.ops;

/** Progress of a long copy for the operator: a line every few seconds, none for short ones. */
final class Meter {
    private static final long EVERY = 5_000_000_000L;

    private final Backups.Progress progress;
    private final String what;
    private final long total;
    private final long started = System.nanoTime();
    private long last = started;
    private long bytes;

    /** @param total the bytes expected, or -1 when unknown */
    Meter(Backups.Progress progress, String what, long total) {
        this.progress = progress;
        this.what = what;
        this.total = total;
    }

    void add(long n) {
        bytes += n;
        long now = System.nanoTime();
        if (now - last < EVERY) return;
        last = now;
        progress.report("  " + what + ": " + Backups.size(bytes) + (total > 0 ? " of " + Backups.size(total) : "")
                + " after " + (now - started) / 1_000_000_000L + " s");
    }

    long bytes() {
        return bytes;
    }
}
