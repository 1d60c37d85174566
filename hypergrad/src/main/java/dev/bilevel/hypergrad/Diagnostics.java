package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.linalg.SolveStatus;
import java.util.List;

/**
 * How far to trust a hypergradient: what was computed, how well the inner and the linear problems
 * were solved, and what it cost. A silent wrong number is the failure these fields exist to
 * prevent; any condition that makes the value unreliable (an inner residual above tolerance, a
 * linear solve that stopped without converging, CG meeting non-positive curvature, a truncation)
 * adds a sentence to {@link #warnings()}.
 *
 * @param estimator              the estimator's name, e.g. {@code "implicit-cg"}, {@code "truncated(10)"}
 * @param plannerReason          why the planner chose this estimator, or null when the user chose
 * @param innerResidualNorm      ‖G(λ, θ̂)‖ of the optimality condition at the inner solution used
 *                               (NaN when not computed)
 * @param innerSteps             the number of inner iterations run (or inner solves, for the
 *                               finite-difference and zero-order estimators)
 * @param linearSolveResidual    ‖b − A·u‖ of the adjoint solve (NaN without a linear solve)
 * @param linearSolveIterations  iterations (matvecs) of the adjoint solve (0 without one)
 * @param linearSolveStatus      the adjoint solver's status, or null without a linear solve
 * @param wallTimeNanos          elapsed wall time of the whole estimate, inner solve included
 * @param peakGraphNodes         the largest number of recorded graph nodes alive at once
 *                               (counted by walking the graph from its outputs)
 * @param warnings               reasons the value may be wrong; empty when none is known
 */
public record Diagnostics(String estimator, String plannerReason, double innerResidualNorm, int innerSteps,
        double linearSolveResidual, int linearSolveIterations, SolveStatus linearSolveStatus, long wallTimeNanos,
        long peakGraphNodes, List<String> warnings) {

    /** Copies the warning list. */
    public Diagnostics {
        warnings = List.copyOf(warnings);
    }

    /** True when no warning was raised. */
    public boolean reliable() {
        return warnings.isEmpty();
    }

    /** Wall time in seconds. */
    public double wallTimeSeconds() {
        return wallTimeNanos * 1e-9;
    }

    /** These diagnostics with the planner's reason recorded. */
    public Diagnostics withPlannerReason(String reason) {
        return new Diagnostics(estimator, reason, innerResidualNorm, innerSteps, linearSolveResidual,
                linearSolveIterations, linearSolveStatus, wallTimeNanos, peakGraphNodes, warnings);
    }

    /** These diagnostics with another wall time (when an enclosing step, e.g. the inner solve, is added). */
    public Diagnostics withWallTime(long nanos) {
        return new Diagnostics(estimator, plannerReason, innerResidualNorm, innerSteps, linearSolveResidual,
                linearSolveIterations, linearSolveStatus, nanos, peakGraphNodes, warnings);
    }
}
