package dev.bilevel.autodiff.linalg;

import dev.bilevel.autodiff.Variable;

/**
 * The outcome of an iterative linear solve.
 *
 * @param solution     the final iterate x (a vector; recorded when the operator or b records)
 * @param residualNorm ‖b − A·x‖ for that iterate: exact for {@link NeumannSeries} and on
 *                     convergence; otherwise the recursively updated residual of CG or CGLS,
 *                     which equals it up to rounding
 * @param iterations   the number of completed iterations
 * @param status       why the solver stopped
 */
public record SolveResult(Variable solution, double residualNorm, int iterations, SolveStatus status) {

    /** True when the tolerance was met ({@link SolveStatus#CONVERGED}). */
    public boolean converged() {
        return status == SolveStatus.CONVERGED;
    }
}
