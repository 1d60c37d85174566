package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;

/**
 * How the inner solution θ̂ ≈ θ*(λ) is computed from a start θ₀ (cold: a fixed θ₀; warm: the
 * previous outer step's θ̂).
 *
 * <ul>
 *   <li>{@link OptimizerSteps}: θₜ₊₁ = θₜ + update(∇θ f(λ, θₜ), sₜ) for any pure
 *       {@link Optimizer}, the dynamics that unrolled, truncated, checkpointed and forward-mode
 *       estimators differentiate (Maclaurin et al. 2015; Franceschi et al. 2017);</li>
 *   <li>{@link FixedPointSteps}: θₜ₊₁ = T(λ, θₜ) for a fixed-point inner problem;</li>
 *   <li>{@link Custom}: any user solver (λ, θ₀) ↦ θ̂, usable with implicit, finite-difference and
 *       zero-order estimators only.</li>
 * </ul>
 */
public sealed interface InnerSolver {

    /**
     * θ̂ without recording a graph.
     *
     * @param problem the inner problem
     * @param lambda  λ (values read)
     * @param theta0  the start (values read)
     * @return θ̂ as constants, and the number of iterations used
     */
    Solution solve(InnerProblem problem, Params lambda, Params theta0);

    /**
     * An inner solution.
     *
     * @param theta θ̂, constants
     * @param steps iterations used
     */
    record Solution(Params theta, int steps) {}

    /** K steps of {@code optimizer}. */
    static InnerSolver steps(Optimizer optimizer, int steps) {
        return new OptimizerSteps(optimizer, steps, 0.0);
    }

    /**
     * Steps of a pure optimizer on f(λ, ·): exactly {@code steps} of them, or fewer when
     * {@code gradTolerance} &gt; 0 and ‖∇θ f‖ falls to it (the inexact inner solve of HOAG;
     * unrolled estimators always run all steps).
     *
     * @param optimizer     the inner optimizer; its state starts at {@code init} in every solve
     * @param steps         the number (or the limit) of steps, &gt; 0
     * @param gradTolerance stop early when ‖∇θ f‖ ≤ this; 0 never stops early
     */
    record OptimizerSteps(Optimizer optimizer, int steps, double gradTolerance) implements InnerSolver {
        /** @throws IllegalArgumentException on a non-positive step count or negative tolerance */
        public OptimizerSteps {
            if (steps <= 0 || !(gradTolerance >= 0)) {
                throw new IllegalArgumentException("OptimizerSteps: need steps > 0 and gradTolerance >= 0, got "
                        + steps + ", " + gradTolerance);
            }
        }

        /** Runs the steps under {@link GradMode#disabled()}, gradients taken on fresh leaves. */
        @Override
        @SuppressWarnings("try")
        public Solution solve(InnerProblem problem, Params lambda, Params theta0) {
            Objective f = requireObjective(problem);
            Params lam = lambda.detach();
            Params theta = theta0.detach();
            Optimizer.State state = optimizer.init(theta);
            for (int t = 0; t < steps; t++) {
                Params g = gradient(f, lam, theta);
                if (gradTolerance > 0 && ImplicitDiff.norm(g.flattenValues()) <= gradTolerance) {
                    return new Solution(theta, t);
                }
                try (ModeScope off = GradMode.disabled()) {
                    Optimizer.Update u = optimizer.update(g, state, theta);
                    theta = Optimizers.applyUpdates(theta, u.updates());
                    state = u.state();
                }
            }
            return new Solution(theta, steps);
        }

        /** ∇θ f(λ, θ) as constants, from a fresh leaf copy of θ. */
        @SuppressWarnings("try")
        static Params gradient(Objective f, Params lam, Params theta) {
            try (ModeScope on = GradMode.enabled()) {
                Params leaves = theta.leaves();
                return Autodiff.grad(f.value(lam, leaves), leaves, false, true);
            }
        }
    }

    /**
     * θₜ₊₁ = T(λ, θₜ), {@code steps} times, for an inner problem given by a fixed-point map.
     *
     * @param steps the number of iterations, &gt; 0
     */
    record FixedPointSteps(int steps) implements InnerSolver {
        /** @throws IllegalArgumentException on a non-positive step count */
        public FixedPointSteps {
            if (steps <= 0) {
                throw new IllegalArgumentException("FixedPointSteps: need steps > 0, got " + steps);
            }
        }

        /** Iterates T, keeping no graph. */
        @Override
        @SuppressWarnings("try")
        public Solution solve(InnerProblem problem, Params lambda, Params theta0) {
            ParamsMap t = requireMap(problem);
            Params lam = lambda.detach();
            Params theta = theta0.detach();
            for (int k = 0; k < steps; k++) {
                theta = apply(t, lam, theta);
            }
            return new Solution(theta, steps);
        }

        /**
         * T(λ, θ) as constants. T is called with grad mode on and θ as fresh leaves, because a map
         * such as a gradient step θ − η∇θ f differentiates internally; its graph is dropped at once.
         */
        @SuppressWarnings("try")
        static Params apply(ParamsMap t, Params lam, Params theta) {
            try (ModeScope on = GradMode.enabled()) {
                return t.apply(lam.detach(), theta.leaves()).detach();
            }
        }
    }

    /**
     * A user solver (λ, θ₀) ↦ θ̂, called on constants; its result is detached.
     *
     * @param solver the solver
     */
    record Custom(ParamsMap solver) implements InnerSolver {
        /** Calls the user solver on constants (it may take gradients internally) and detaches its result. */
        @Override
        public Solution solve(InnerProblem problem, Params lambda, Params theta0) {
            return new Solution(solver.apply(lambda.detach(), theta0.detach()).detach(), 0);
        }
    }

    /** f, or an error naming the need. */
    private static Objective requireObjective(InnerProblem problem) {
        if (problem.objective() == null) {
            throw new IllegalArgumentException("OptimizerSteps needs an inner objective f; this inner problem has only "
                    + problem.optimality());
        }
        return problem.objective();
    }

    /** T, or an error naming the need. */
    private static ParamsMap requireMap(InnerProblem problem) {
        if (!(problem.optimality() instanceof Optimality.FixedPoint fp)) {
            throw new IllegalArgumentException("FixedPointSteps needs a fixed-point inner problem, got "
                    + problem.optimality());
        }
        return fp.map();
    }
}
