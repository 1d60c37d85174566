package dev.bilevel.autodiff.nn;

/**
 * Independent scalar references for the layer tests, computed with plain doubles and written
 * without the library's kernels.
 */
final class Reference {
    private Reference() {}

    /**
     * Φ(x), the standard normal distribution function, as ½ + ∫₀ˣ φ(t) dt by composite Simpson's
     * rule on 4,000 intervals (error ≲ (x/4000)⁴·max|φ⁽⁴⁾|·x/180, below 1e-15 for |x| ≤ 10).
     */
    static double normalCdf(double x) {
        int n = 4000;
        double h = x / n;
        double s = density(0) + density(x);
        for (int i = 1; i < n; i++) {
            s += (i % 2 == 1 ? 4 : 2) * density(i * h);
        }
        return 0.5 + s * h / 3;
    }

    static double density(double t) {
        return Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
    }

    /** log Σ exp(vᵢ) with the maximum factored out. */
    static double logSumExp(double[] v, int from, int to) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            m = Math.max(m, v[i]);
        }
        double s = 0;
        for (int i = from; i < to; i++) {
            s += Math.exp(v[i] - m);
        }
        return m + Math.log(s);
    }
}
