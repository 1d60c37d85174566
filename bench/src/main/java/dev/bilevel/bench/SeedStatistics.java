package dev.bilevel.bench;

import dev.bilevel.meta.MetaEvaluation;
import java.util.Locale;

/**
 * What the benchmarks that train several seeds share: integer lists such as {@code --seeds}, the
 * sample standard deviation over seeds, Welch's standard error of a difference of two means, and
 * JSON numbers that are {@code null} when undefined.
 */
final class SeedStatistics {
    private SeedStatistics() {
    }

    /** Integers (seeds, iteration counts) from a comma-separated list such as {@code 0,1,2}. */
    static long[] parseLongs(String text) {
        String[] parts = text.split(",");
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Long.parseLong(parts[i].trim());
        }
        return values;
    }

    /**
     * The sample (n − 1) standard deviation, from the 95% half-width 1.96·σ/√n; NaN for fewer
     * than two values.
     */
    static double sd(double[] v) {
        return v.length < 2 ? Double.NaN : MetaEvaluation.ci95(v) * Math.sqrt(v.length) / 1.96;
    }

    /**
     * Welch's standard error √(sd²/n + sd'²/n') of the difference of two means, from each side's
     * standard deviation and count; NaN when either side has an undefined one (fewer than two seeds).
     */
    static double differenceSe(double sd, int n, double sdOther, int nOther) {
        return Math.sqrt(sd * sd / n + sdOther * sdOther / nOther);
    }

    /** {@code v} with four decimals, or {@code null} for NaN. */
    static String orNull(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.4f", v);
    }
}
