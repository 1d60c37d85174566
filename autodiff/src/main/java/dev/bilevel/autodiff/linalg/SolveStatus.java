package dev.bilevel.autodiff.linalg;

/** Why an iterative solver stopped; only {@link #CONVERGED} means the tolerance was met. */
public enum SolveStatus {
    /** The residual met the tolerance of the {@link SolverOptions}. */
    CONVERGED,
    /** The iteration limit was reached with the residual above the tolerance. */
    MAX_ITERATIONS,
    /**
     * Conjugate gradients met a direction p with pᵀAp ≤ 0: the operator is not positive definite
     * (indefinite, negative or singular along p), so CG's step is undefined. The solution is the
     * last iterate before that direction.
     */
    NON_POSITIVE_CURVATURE,
    /**
     * The residual became non-finite or grew beyond {@link NeumannSeries#DIVERGENCE_FACTOR} times
     * its initial value: the series does not converge (spectral radius of I − αA at least 1).
     */
    DIVERGED
}
