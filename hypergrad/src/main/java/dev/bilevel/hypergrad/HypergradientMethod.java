package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.linalg.SolverOptions;

/**
 * The estimator of dF/dλ = ∂F/∂λ + (dθ̂/dλ)ᵀ ∂F/∂θ, chosen by one setting on the same
 * {@link BilevelProblem}:
 *
 * <table>
 *   <caption>estimators</caption>
 *   <tr><th>method</th><th>what it differentiates</th><th>memory</th><th>reference</th></tr>
 *   <tr><td>{@link Unrolled}</td><td>the T inner steps, exactly</td><td>O(T) graphs</td>
 *       <td>Maclaurin et al. 2015</td></tr>
 *   <tr><td>{@link Truncated}</td><td>the last K steps</td><td>O(K)</td><td>Shaban et al. 2019</td></tr>
 *   <tr><td>{@link Checkpointed}</td><td>the T steps, as {@link Unrolled}</td><td>O(√T) states + one segment</td>
 *       <td>Griewank &amp; Walther 2008</td></tr>
 *   <tr><td>{@link ForwardMode}</td><td>the T steps, forward (RTHO)</td><td>O(dim θ · dim λ)</td>
 *       <td>Franceschi et al. 2017</td></tr>
 *   <tr><td>{@link Implicit}</td><td>the optimality condition at θ̂</td><td>one step's graph</td>
 *       <td>Pedregosa 2016; Lorraine et al. 2020; Blondel et al. 2022</td></tr>
 *   <tr><td>{@link FiniteDifference}</td><td>values of F, central differences</td><td>none</td><td>—</td></tr>
 *   <tr><td>{@link ZeroOrder}</td><td>values of F, Gaussian smoothing</td><td>none</td>
 *       <td>Nesterov &amp; Spokoiny 2017</td></tr>
 *   <tr><td>{@link Auto}</td><td>whatever {@link Planner} picks</td><td>within a budget</td><td>—</td></tr>
 * </table>
 *
 * <pre>{@code
 * Hypergradient h = HypergradientMethod.truncated(10).compute(problem, lambda, theta0);
 * if (!h.diagnostics().reliable()) { ... h.diagnostics().warnings() ... }
 * }</pre>
 */
public sealed interface HypergradientMethod {

    /**
     * The hypergradient at λ, the inner solve starting from θ₀.
     *
     * @param problem the bilevel problem
     * @param lambda  λ (values read)
     * @param theta0  the inner start: a fixed θ₀ (cold) or the previous θ̂ (warm)
     * @return dF/dλ with diagnostics
     * @throws NonFiniteHypergradientException when a NaN or infinity appears
     * @throws IllegalArgumentException when the estimator does not fit the problem (e.g. unrolling a
     *                                  custom inner solver)
     */
    Hypergradient compute(BilevelProblem problem, Params lambda, Params theta0);

    /** The name recorded in {@link Diagnostics#estimator()}. */
    String name();

    /** Reverse mode through the full unrolled inner solve. */
    static HypergradientMethod unrolled() {
        return new Unrolled();
    }

    /** Reverse mode through the last K inner steps. */
    static HypergradientMethod truncated(int lastSteps) {
        return new Truncated(lastSteps);
    }

    /** Checkpointed unrolling with segments of ⌈√T⌉ steps. */
    static HypergradientMethod checkpointed() {
        return new Checkpointed(0);
    }

    /** Forward mode (RTHO). */
    static HypergradientMethod forwardMode() {
        return new ForwardMode();
    }

    /** Implicit differentiation with this adjoint solver and inner tolerance 1e-6. */
    static HypergradientMethod implicit(LinearSolver solver) {
        return new Implicit(solver, ImplicitDiff.DEFAULT_INNER_TOLERANCE);
    }

    /** Implicit differentiation with CG (rtol 1e-10, at most 1000 iterations). */
    static HypergradientMethod implicitCg() {
        return implicit(LinearSolver.cg(SolverOptions.defaults()));
    }

    /** Reverse mode through all T inner steps. */
    record Unrolled() implements HypergradientMethod {
        /** See {@link Unrolling}. */
        @Override
        public Hypergradient compute(BilevelProblem problem, Params lambda, Params theta0) {
            return Unrolling.reverse(problem, lambda, theta0, Integer.MAX_VALUE, name());
        }

        /** {@code "unrolled"}. */
        @Override
        public String name() {
            return "unrolled";
        }
    }

    /**
     * Reverse mode through the last K of T inner steps; biased unless the dynamics forget their
     * start (Shaban et al., "Truncated back-propagation for bilevel optimization", AISTATS 2019).
     *
     * @param lastSteps K &gt; 0
     */
    record Truncated(int lastSteps) implements HypergradientMethod {
        /** @throws IllegalArgumentException unless K &gt; 0 */
        public Truncated {
            if (lastSteps <= 0) {
                throw new IllegalArgumentException("truncated: need lastSteps > 0, got " + lastSteps);
            }
        }

        /** See {@link Unrolling}. */
        @Override
        public Hypergradient compute(BilevelProblem problem, Params lambda, Params theta0) {
            return Unrolling.reverse(problem, lambda, theta0, lastSteps, name());
        }

        /** {@code "truncated(K)"}. */
        @Override
        public String name() {
            return "truncated(" + lastSteps + ")";
        }
    }

    /**
     * The full unrolled hypergradient by recomputing segments of c steps from stored states.
     *
     * @param segmentLength c, or ≤ 0 for ⌈√T⌉
     */
    record Checkpointed(int segmentLength) implements HypergradientMethod {
        /** See {@link Unrolling#checkpointed}. */
        @Override
        public Hypergradient compute(BilevelProblem problem, Params lambda, Params theta0) {
            return Unrolling.checkpointed(problem, lambda, theta0, segmentLength, name());
        }

        /** {@code "checkpointed"}. */
        @Override
        public String name() {
            return "checkpointed";
        }
    }

    /** Forward-mode tangent propagation through the inner steps (RTHO). */
    record ForwardMode() implements HypergradientMethod {
        /** See {@link dev.bilevel.hypergrad.ForwardMode}. */
        @Override
        public Hypergradient compute(BilevelProblem problem, Params lambda, Params theta0) {
            return dev.bilevel.hypergrad.ForwardMode.compute(problem, lambda, theta0, name());
        }

        /** {@code "forward"}. */
        @Override
        public String name() {
            return "forward";
        }
    }

    /**
     * Implicit differentiation at θ̂ = the inner solver's result; see {@link ImplicitDiff}.
     *
     * @param solver         the adjoint solver
     * @param innerTolerance ‖G(λ, θ̂)‖ above this raises a warning
     */
    record Implicit(LinearSolver solver, double innerTolerance) implements HypergradientMethod {
        /** Solves the inner problem, then runs the kernel; the wall time includes both. */
        @Override
        public Hypergradient compute(BilevelProblem problem, Params lambda, Params theta0) {
            long start = System.nanoTime();
            InnerSolver.Solution s = problem.solver().solve(problem.inner(), lambda, theta0);
            Hypergradient h = ImplicitDiff.hypergradient(problem.inner(), problem.outer(), lambda, s.theta(), solver,
                    null, innerTolerance);
            Diagnostics d = h.diagnostics();
            Diagnostics withSteps = new Diagnostics(d.estimator(), null, d.innerResidualNorm(), s.steps(),
                    d.linearSolveResidual(), d.linearSolveIterations(), d.linearSolveStatus(),
                    System.nanoTime() - start, d.peakGraphNodes(), d.warnings());
            return new Hypergradient(h.value(), h.outerValue(), h.innerSolution(), h.adjoint(), withSteps);
        }

        /** {@code "implicit-" + solver}. */
        @Override
        public String name() {
            return "implicit-" + solver.name();
        }
    }

    /**
     * Central finite differences, 2·dim λ inner solves.
     *
     * @param step h &gt; 0
     */
    record FiniteDifference(double step) implements HypergradientMethod {
        /** @throws IllegalArgumentException unless h &gt; 0 */
        public FiniteDifference {
            if (!(step > 0)) {
                throw new IllegalArgumentException("finite difference: need step > 0, got " + step);
            }
        }

        /** See {@link Perturbation}. */
        @Override
        public Hypergradient compute(BilevelProblem problem, Params lambda, Params theta0) {
            return Perturbation.finiteDifference(problem, lambda, theta0, step, name());
        }

        /** {@code "finite-difference"}. */
        @Override
        public String name() {
            return "finite-difference";
        }
    }

    /**
     * Antithetic Gaussian smoothing, 2·N inner solves.
     *
     * @param samples N &gt; 0
     * @param sigma   the smoothing radius σ &gt; 0
     * @param seed    the seed of the directions
     */
    record ZeroOrder(int samples, double sigma, long seed) implements HypergradientMethod {
        /** @throws IllegalArgumentException unless N &gt; 0 and σ &gt; 0 */
        public ZeroOrder {
            if (samples <= 0 || !(sigma > 0)) {
                throw new IllegalArgumentException("zero-order: need samples > 0 and sigma > 0, got " + samples
                        + ", " + sigma);
            }
        }

        /** See {@link Perturbation}. */
        @Override
        public Hypergradient compute(BilevelProblem problem, Params lambda, Params theta0) {
            return Perturbation.zeroOrder(problem, lambda, theta0, samples, sigma, seed, name());
        }

        /** {@code "zero-order"}. */
        @Override
        public String name() {
            return "zero-order";
        }
    }

    /**
     * The estimator {@link Planner} picks for the problem's size and a memory budget; the choice and
     * its reason are recorded in {@link Diagnostics#plannerReason()}.
     *
     * @param memoryBudgetBytes the memory the estimator's graphs and tangents may use
     */
    record Auto(long memoryBudgetBytes) implements HypergradientMethod {
        /** Plans, then computes with the chosen estimator. */
        @Override
        public Hypergradient compute(BilevelProblem problem, Params lambda, Params theta0) {
            Planner.Plan plan = Planner.plan(problem, lambda, theta0, memoryBudgetBytes);
            Hypergradient h = plan.method().compute(problem, lambda, theta0);
            return new Hypergradient(h.value(), h.outerValue(), h.innerSolution(), h.adjoint(),
                    h.diagnostics().withPlannerReason(plan.reason()));
        }

        /** {@code "auto"}. */
        @Override
        public String name() {
            return "auto";
        }
    }
}
