package dev.bilevel.cli;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * A one-line terminal progress bar: {@code [#####.....]  50/100  best 0.123  ETA 0:12}.
 *
 * <p>On a terminal it redraws in place with a carriage return, at most ten times a second; when
 * the output is not a terminal (a log file, CI) it writes a full line at each quarter instead;
 * when {@code quiet}, it prints nothing. The CLI
 * renders library progress listeners with it; the library itself never prints.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String label;
    private final long total;
    private final boolean quiet;
    private final long startNanos = System.nanoTime();
    private final boolean interactive;
    private long lastDraw;
    private long lastQuarter;

    ProgressBar(PrintWriter out, String label, long total, boolean quiet) {
        this(out, label, total, quiet, System.console() != null);
    }

    ProgressBar(PrintWriter out, String label, long total, boolean quiet, boolean interactive) {
        this.interactive = interactive;
        this.out = out;
        this.label = label;
        this.total = total;
        this.quiet = quiet;
    }

    /** Shows {@code done} of the total with a free-form status, at most ten redraws a second. */
    void update(long done, String status) {
        long now = System.nanoTime();
        long quarter = 4 * done / Math.max(1, total);
        boolean due = done >= total
                || (interactive ? now - lastDraw >= 100_000_000L : quarter != lastQuarter);
        if (quiet || !due) {
            return;
        }
        lastQuarter = quarter;
        lastDraw = now;
        int filled = (int) (WIDTH * done / Math.max(1, total));
        double elapsed = (now - startNanos) / 1e9;
        double eta = done == 0 ? 0 : elapsed * (total - done) / done;
        out.printf("%s%s [%s%s] %d/%d  %s  %s %s", interactive ? "\r" : "", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total, status, done < total ? "ETA" : "in",
                format(done < total ? eta : elapsed));
        if (done >= total || !interactive) {
            out.println();
        }
        out.flush();
    }

    private static String format(double seconds) {
        Duration d = Duration.ofMillis((long) (seconds * 1000));
        return String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
