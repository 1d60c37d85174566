package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.linalg.SolverOptions;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The gradient-based outer loop: projected hypergradient descent with any pure optimizer
 * (Bengio, "Gradient-based optimization of hyperparameters", Neural Computation 12(8), 2000;
 * Pedregosa 2016; Franceschi et al. 2017):
 *
 * <pre>
 *   hₖ = dF/dλ at λₖ (any {@link HypergradientMethod}),   (uₖ, sₖ₊₁) = opt.update(hₖ, sₖ),
 *   λₖ₊₁ = Π_C(λₖ + uₖ)
 * </pre>
 *
 * With {@code warmStart} each inner solve starts from the previous θ̂ (and an implicit adjoint
 * solve from the previous u); with a {@link HoagSchedule} and an implicit method over optimizer
 * steps, step k solves the inner problem to ‖∇θ f‖ ≤ εₖ and the adjoint system to rtol εₖ (HOAG).
 *
 * <pre>{@code
 * HypergradientDescent.Result r = HypergradientDescent.run(problem, lambda0, theta0,
 *         new HypergradientDescent.Config(HypergradientMethod.truncated(10), Optimizers.momentum(1.0, 0.9),
 *                 Projection.atLeast(1e-8), 1000, false, null), HypergradientDescent.Listener.NONE);
 * }</pre>
 */
public final class HypergradientDescent {
    private HypergradientDescent() {}

    /**
     * Settings of the outer loop.
     *
     * @param method     the hypergradient estimator
     * @param optimizer  the outer optimizer (its updates are added to λ)
     * @param projection the constraint set of λ
     * @param steps      the number of outer steps, &gt; 0
     * @param warmStart  start each inner solve from the previous θ̂ instead of θ₀
     * @param hoag       HOAG's tolerance schedule, or null for fixed inner and adjoint settings
     */
    public record Config(HypergradientMethod method, Optimizer optimizer, Projection projection, int steps,
            boolean warmStart, HoagSchedule hoag) {
        /** @throws IllegalArgumentException on a non-positive step count; NullPointerException on a missing part */
        public Config {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(optimizer, "optimizer");
            Objects.requireNonNull(projection, "projection");
            if (steps <= 0) {
                throw new IllegalArgumentException("HypergradientDescent: need steps > 0, got " + steps);
            }
        }
    }

    /**
     * One outer step's record.
     *
     * @param step        k
     * @param lambda      λₖ, at which the hypergradient was taken
     * @param outerValue  F(λₖ, θ̂ₖ)
     * @param hypergradient the estimate at λₖ with its diagnostics
     */
    public record Step(int step, Params lambda, double outerValue, Hypergradient hypergradient) {}

    /**
     * The outcome.
     *
     * @param lambda  λ after the last step
     * @param theta   the last inner solution
     * @param history one record per step
     */
    public record Result(Params lambda, Params theta, List<Step> history) {}

    /** Receives each step as it completes (e.g. to log or to stop a run from outside). */
    @FunctionalInterface
    public interface Listener {
        /** Ignores every step. */
        Listener NONE = s -> { };

        /** Called after step {@code s} was taken. */
        void onStep(Step s);
    }

    /**
     * Runs the outer loop.
     *
     * @param problem the bilevel problem
     * @param lambda0 the initial hyperparameters (projected first)
     * @param theta0  the initial inner variables
     * @param config  the settings
     * @param listener receives every step
     * @return the final λ, θ̂ and the history
     */
    @SuppressWarnings("try")
    public static Result run(BilevelProblem problem, Params lambda0, Params theta0, Config config, Listener listener) {
        Params lambda = lambda0.unflatten(config.projection().project(lambda0.flattenValues()));
        Params theta = theta0.detach();
        Optimizer.State state = config.optimizer().init(lambda);
        Hypergradient previous = null;
        List<Step> history = new ArrayList<>(config.steps());
        for (int k = 0; k < config.steps(); k++) {
            Params start = config.warmStart() && previous != null ? previous.innerSolution() : theta0;
            Hypergradient h = estimate(problem, lambda, start, config, k, previous);
            Step s = new Step(k, lambda, h.outerValue(), h);
            history.add(s);
            listener.onStep(s);
            try (ModeScope off = GradMode.disabled()) {
                Optimizer.Update u = config.optimizer().update(h.value(), state, lambda);
                state = u.state();
                Params moved = Optimizers.applyUpdates(lambda, u.updates());
                lambda = lambda.unflatten(config.projection().project(moved.flattenValues()));
            }
            theta = h.innerSolution();
            previous = h;
        }
        return new Result(lambda, theta, history);
    }

    private static Hypergradient estimate(BilevelProblem problem, Params lambda, Params start, Config config, int k,
            Hypergradient previous) {
        HypergradientMethod method = config.method();
        if (method instanceof HypergradientMethod.Implicit imp) {
            BilevelProblem p = problem;
            LinearSolver solver = imp.solver();
            double innerTolerance = imp.innerTolerance();
            if (config.hoag() != null && problem.solver() instanceof InnerSolver.OptimizerSteps os) {
                double eps = config.hoag().tolerance(k);
                p = problem.withSolver(new InnerSolver.OptimizerSteps(os.optimizer(), os.steps(), eps));
                solver = withRtol(solver, eps);
                innerTolerance = Math.max(innerTolerance, eps);
            }
            long t0 = System.nanoTime();
            InnerSolver.Solution sol = p.solver().solve(p.inner(), lambda, start);
            Hypergradient h = ImplicitDiff.hypergradient(p.inner(), p.outer(), lambda, sol.theta(), solver,
                    config.warmStart() && previous != null ? previous.adjoint() : null, innerTolerance);
            Diagnostics d = h.diagnostics();
            Diagnostics full = new Diagnostics(d.estimator(), d.plannerReason(), d.innerResidualNorm(), sol.steps(),
                    d.linearSolveResidual(), d.linearSolveIterations(), d.linearSolveStatus(), System.nanoTime() - t0,
                    d.peakGraphNodes(), d.warnings());
            return new Hypergradient(h.value(), h.outerValue(), h.innerSolution(), h.adjoint(), full);
        }
        return method.compute(problem, lambda, start);
    }

    private static LinearSolver withRtol(LinearSolver s, double rtol) {
        if (s instanceof LinearSolver.Cg cg) {
            return new LinearSolver.Cg(relax(cg.options(), rtol));
        } else if (s instanceof LinearSolver.NormalCg n) {
            return new LinearSolver.NormalCg(relax(n.options(), rtol));
        } else if (s instanceof LinearSolver.Neumann n) {
            return new LinearSolver.Neumann(n.alpha(), relax(n.options(), rtol));
        } else if (s instanceof LinearSolver.FixedPointIteration f) {
            return new LinearSolver.FixedPointIteration(relax(f.options(), rtol));
        }
        return s;
    }

    private static SolverOptions relax(SolverOptions o, double rtol) {
        return o.withRtol(Math.max(o.rtol(), rtol));
    }
}
