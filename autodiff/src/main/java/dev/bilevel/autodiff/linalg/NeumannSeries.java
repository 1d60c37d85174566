package dev.bilevel.autodiff.linalg;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;

/**
 * A·x = b by the truncated Neumann series (Lorraine, Vicol &amp; Duvenaud, "Optimizing millions of
 * hyperparameters by implicit differentiation", AISTATS 2020, eq. 8):
 *
 * <pre>
 *   A⁻¹ = α·Σₖ₌₀^∞ (I − αA)ᵏ,      xₖ = α·Σⱼ₌₀ᵏ (I − αA)ʲ b
 * </pre>
 *
 * which converges exactly when the spectral radius ρ(I − αA) &lt; 1 (for symmetric positive
 * definite A: 0 &lt; α &lt; 2/λ_max), the error shrinking like ρᵏ. Only matvecs are needed, and
 * no inner products, so it suits Hessians that are only approximately symmetric.
 *
 * <p>The residual is free: b − A·xₖ = (I − αA)^(k+1) b, the next term of the series, so each
 * iteration costs exactly one matvec and reports the exact residual of the returned iterate.
 * Non-convergence is reported, never hidden: {@link SolveStatus#DIVERGED} as soon as the residual
 * is non-finite or exceeds {@link #DIVERGENCE_FACTOR}·‖b‖ (ρ ≥ 1), and
 * {@link SolveStatus#MAX_ITERATIONS} when it is still above the tolerance at the limit (ρ close to
 * or equal to 1). With a fixed small iteration count it is also the truncated approximation used
 * as a deliberate regularizer in the paper; read {@link SolveResult#residualNorm()} then.
 *
 * <pre>{@code
 * SolveResult r = NeumannSeries.solve(hessianVectorProduct, v, 0.01, SolverOptions.defaults().withMaxIterations(50));
 * }</pre>
 */
public final class NeumannSeries {
    /** The residual growth, relative to ‖b‖, beyond which the series is declared divergent. */
    public static final double DIVERGENCE_FACTOR = 1e6;

    private NeumannSeries() {}

    /**
     * Sums the series until the residual meets the tolerance.
     *
     * @param a       the matvec of a square A, mapping vectors shaped like b to vectors shaped like b
     * @param b       the right-hand side, a vector
     * @param alpha   the step α &gt; 0 (needs ρ(I − αA) &lt; 1 to converge)
     * @param options tolerance on ‖b − Ax‖ and the maximal number of matvecs
     * @return x = α·Σ of the terms summed, its exact residual norm, the number of matvecs and the status
     * @throws IllegalArgumentException when b is not a vector, α ≤ 0, or A·p is not shaped like b
     */
    public static SolveResult solve(LinearOperator a, Variable b, double alpha, SolverOptions options) {
        Vectors.requireVector("neumann", "b", b);
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("neumann: alpha must be positive and finite, got " + alpha);
        }
        double bNorm = Vectors.norm(b);
        double tol = options.threshold(bNorm);
        if (bNorm <= tol) {
            return new SolveResult(Variable.constant(Tensor.zeros(b.shape())), bNorm, 0, SolveStatus.CONVERGED);
        }
        Variable term = b;
        Variable sum = b;
        for (int k = 1; ; k++) {
            term = term.sub(Vectors.apply("neumann", a, term, b.shape()).mul(alpha));
            double rNorm = Vectors.norm(term);
            SolveStatus status = rNorm <= tol ? SolveStatus.CONVERGED
                    : !(rNorm <= DIVERGENCE_FACTOR * bNorm) ? SolveStatus.DIVERGED
                    : k == options.maxIterations() ? SolveStatus.MAX_ITERATIONS : null;
            if (status != null) {
                return new SolveResult(sum.mul(alpha), rNorm, k, status);
            }
            sum = sum.add(term);
        }
    }
}
