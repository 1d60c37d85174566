package dev.bilevel.cli;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * A one-line terminal progress bar: {@code [#####.....]  50/100  best 0.123  ETA 0:12}.
 *
 * <p>Redraws in place with a carriage return; when {@code quiet}, prints nothing. The CLI
 * renders library progress listeners with it; the library itself never prints.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String label;
    private final long total;
    private final boolean quiet;
    private final long startNanos = System.nanoTime();
    private long lastDraw;

    ProgressBar(PrintWriter out, String label, long total, boolean quiet) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.quiet = quiet;
    }

    /** Shows {@code done} of the total with a free-form status, at most ten redraws a second. */
    void update(long done, String status) {
        long now = System.nanoTime();
        if (quiet || (done < total && now - lastDraw < 100_000_000L)) {
            return;
        }
        lastDraw = now;
        int filled = (int) (WIDTH * done / Math.max(1, total));
        double elapsed = (now - startNanos) / 1e9;
        double eta = done == 0 ? 0 : elapsed * (total - done) / done;
        out.printf("\r%s [%s%s] %d/%d  %s  %s %s", label, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total,
                status, done < total ? "ETA" : "in", format(done < total ? eta : elapsed));
        if (done >= total) {
            out.println();
        }
        out.flush();
    }

    private static String format(double seconds) {
        Duration d = Duration.ofMillis((long) (seconds * 1000));
        return String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
