package dev.bilevel.hypergrad;

/**
 * The decreasing tolerances εₖ of HOAG (Pedregosa, "Hyperparameter optimization with approximate
 * gradient", ICML 2016, Alg. 1 and Thm. 2): at outer step k the inner problem is solved only to
 * ‖∇θ f‖ ≤ εₖ and the adjoint system to ‖b − Au‖ ≤ εₖ, warm-started from the previous step; the
 * iterates converge to a stationary point when Σεₖ &lt; ∞, and early steps are cheap.
 *
 * <pre>
 *   εₖ = max(ε₀ · ρᵏ, ε_min)
 * </pre>
 *
 * (the paper's experiments use geometric decrease, e.g. ρ = 0.9).
 *
 * @param initial ε₀ &gt; 0
 * @param rate    ρ ∈ (0, 1]
 * @param floor   ε_min ≥ 0, the tolerance never goes below
 */
public record HoagSchedule(double initial, double rate, double floor) {

    /** @throws IllegalArgumentException on ε₀ ≤ 0, ρ outside (0, 1] or ε_min &lt; 0 */
    public HoagSchedule {
        if (!(initial > 0) || !(rate > 0 && rate <= 1) || !(floor >= 0)) {
            throw new IllegalArgumentException("HoagSchedule: need initial > 0, rate in (0, 1], floor >= 0, got "
                    + initial + ", " + rate + ", " + floor);
        }
    }

    /** εₖ for outer step k ≥ 0. */
    public double tolerance(int k) {
        return Math.max(initial * Math.pow(rate, k), floor);
    }
}
