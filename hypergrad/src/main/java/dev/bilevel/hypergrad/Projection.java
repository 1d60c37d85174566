package dev.bilevel.hypergrad;

import dev.bilevel.tensor.Tensor;
import java.util.Arrays;

/**
 * The Euclidean projection Π_C(λ) = argmin over x ∈ C of ‖x − λ‖ onto a constraint set for the
 * hyperparameters, applied after every outer step (projected hypergradient descent). Acts on λ
 * flattened.
 *
 * <ul>
 *   <li>{@link Unconstrained}: C = ℝⁿ;</li>
 *   <li>{@link Box}: lo ≤ λᵢ ≤ hi, by clipping (λ ≥ 0 is {@code Box(0, ∞)});</li>
 *   <li>{@link Simplex}: λᵢ ≥ 0, Σλᵢ = r, by the sort-based algorithm of Duchi, Shalev-Shwartz,
 *       Singer &amp; Chandra, "Efficient projections onto the ℓ1-ball for learning in high
 *       dimensions", ICML 2008, Fig. 1;</li>
 *   <li>{@link L1Ball}: Σ|λᵢ| ≤ r (an ℓ1 budget), by projecting |λ| onto the simplex when outside
 *       (ibid., §4).</li>
 * </ul>
 */
public sealed interface Projection {

    /**
     * Π_C(λ).
     *
     * @param lambda λ flattened
     * @return the nearest point of C, same shape
     */
    Tensor project(Tensor lambda);

    /** λ ≥ {@code min} elementwise. */
    static Projection atLeast(double min) {
        return new Box(min, Double.POSITIVE_INFINITY);
    }

    /** No constraint. */
    record Unconstrained() implements Projection {
        /** λ itself. */
        @Override
        public Tensor project(Tensor lambda) {
            return lambda;
        }
    }

    /**
     * The box [lo, hi]ⁿ.
     *
     * @param lo the lower bound (may be −∞)
     * @param hi the upper bound (may be +∞), ≥ lo
     */
    record Box(double lo, double hi) implements Projection {
        /** @throws IllegalArgumentException unless lo ≤ hi */
        public Box {
            if (!(lo <= hi)) {
                throw new IllegalArgumentException("Box: need lo <= hi, got " + lo + ", " + hi);
            }
        }

        /** Clipping to [lo, hi]. */
        @Override
        public Tensor project(Tensor lambda) {
            double[] v = lambda.toArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.min(hi, Math.max(lo, v[i]));
            }
            return Tensor.of(v, lambda.shape());
        }
    }

    /**
     * The scaled simplex {λ ≥ 0, Σλ = r}.
     *
     * @param radius r &gt; 0
     */
    record Simplex(double radius) implements Projection {
        /** @throws IllegalArgumentException unless r &gt; 0 */
        public Simplex {
            if (!(radius > 0)) {
                throw new IllegalArgumentException("Simplex: need radius > 0, got " + radius);
            }
        }

        /** max(λᵢ − τ, 0) with τ chosen so that the result sums to r. */
        @Override
        public Tensor project(Tensor lambda) {
            return Tensor.of(onSimplex(lambda.toArray(), radius), lambda.shape());
        }
    }

    /**
     * The ℓ1 ball {Σ|λᵢ| ≤ r}.
     *
     * @param radius r &gt; 0
     */
    record L1Ball(double radius) implements Projection {
        /** @throws IllegalArgumentException unless r &gt; 0 */
        public L1Ball {
            if (!(radius > 0)) {
                throw new IllegalArgumentException("L1Ball: need radius > 0, got " + radius);
            }
        }

        /** λ when inside; else sign(λ)·Π_simplex(|λ|). */
        @Override
        public Tensor project(Tensor lambda) {
            double[] v = lambda.toArray();
            double l1 = 0;
            for (double x : v) {
                l1 += Math.abs(x);
            }
            if (l1 <= radius) {
                return lambda;
            }
            double[] a = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                a[i] = Math.abs(v[i]);
            }
            double[] p = onSimplex(a, radius);
            for (int i = 0; i < v.length; i++) {
                p[i] = Math.copySign(p[i], v[i]);
            }
            return Tensor.of(p, lambda.shape());
        }
    }

    /** Duchi et al. 2008, Fig. 1: sort descending, find ρ, shift by τ = (Σ_{i≤ρ} μᵢ − r)/ρ. */
    private static double[] onSimplex(double[] v, double r) {
        double[] mu = v.clone();
        Arrays.sort(mu);
        double cumulative = 0;
        double tau = 0;
        for (int j = 0; j < mu.length; j++) {
            double m = mu[mu.length - 1 - j];
            cumulative += m;
            double t = (cumulative - r) / (j + 1);
            if (m - t > 0) {
                tau = t;
            }
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.max(v[i] - tau, 0);
        }
        return out;
    }
}
