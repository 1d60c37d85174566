package dev.bilevel.meta;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The tasks 0..B−1 of one meta-batch, handed out to T threads in contiguous runs as they ask: the
 * calling thread takes runs from the front, the workers from the back, until the two ends meet.
 * With one thread the single run is the whole batch; otherwise a run is a share 1/(2T) of what is
 * left (guided scheduling: long runs first, single tasks at the end), so that a thread that is
 * slowed down, for instance by another process on its processor, takes fewer tasks and the
 * threads finish together. The tasks the calling thread took are always a prefix 0..{@link
 * #frontEnd()}−1, which lets it add their gradients into the sum in task order as it goes.
 *
 * <p>A run is encoded as one {@code long} (first task in the high half, end in the low half),
 * decoded by {@link #from} and {@link #to}; thread-safe (one compare-and-set per run).
 */
final class TaskRuns {
    private final AtomicLong ends;
    private final int threads;

    /** Tasks 0..batch−1 for {@code threads} ≥ 1 threads. */
    TaskRuns(int batch, int threads) {
        if (batch < 1 || threads < 1) {
            throw new IllegalArgumentException("TaskRuns: batch and threads must be ≥ 1, got " + batch + ", " + threads);
        }
        this.ends = new AtomicLong(pack(0, batch));
        this.threads = threads;
    }

    /** The next run from the front (the calling thread) or the back (a worker), or −1 when none is left. */
    long next(boolean front) {
        while (true) {
            long e = ends.get();
            int f = from(e);
            int b = to(e);
            if (f >= b) {
                return -1;
            }
            int n = threads == 1 ? b - f : Math.max(1, (b - f) / (2 * threads));
            long taken = front ? pack(f + n, b) : pack(f, b - n);
            if (ends.compareAndSet(e, taken)) {
                return front ? pack(f, f + n) : pack(b - n, b);
            }
        }
    }

    /** The end of the prefix the front has taken: once all runs are out, the first task a worker took. */
    int frontEnd() {
        return from(ends.get());
    }

    /** The first task of a run. */
    static int from(long run) {
        return (int) (run >>> 32);
    }

    /** One past the last task of a run. */
    static int to(long run) {
        return (int) run;
    }

    private static long pack(int from, int to) {
        return ((long) from << 32) | to;
    }
}
