package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;
import java.util.ArrayList;
import java.util.List;

/**
 * One step (θₜ, sₜ) ↦ (θₜ₊₁, sₜ₊₁) = Φ(λ, θₜ, sₜ) of an inner solver that has steps, written in
 * differentiable operations: the map that unrolled, truncated, checkpointed and forward-mode
 * estimators differentiate.
 */
@SuppressWarnings("try") // mode scopes are opened for their effect on the thread
final class Dynamics {
    private final Objective f;
    private final ParamsMap map;
    private final Optimizer optimizer;
    private final int steps;

    private Dynamics(Objective f, ParamsMap map, Optimizer optimizer, int steps) {
        this.f = f;
        this.map = map;
        this.optimizer = optimizer;
        this.steps = steps;
    }

    /**
     * The dynamics of the problem's solver.
     *
     * @throws IllegalArgumentException when the solver is a custom one (no steps to differentiate)
     */
    static Dynamics of(BilevelProblem p, String estimator) {
        if (p.solver() instanceof InnerSolver.OptimizerSteps s) {
            if (p.inner().objective() == null) {
                throw new IllegalArgumentException(estimator + ": optimizer steps need an inner objective f");
            }
            return new Dynamics(p.inner().objective(), null, s.optimizer(), s.steps());
        }
        if (p.solver() instanceof InnerSolver.FixedPointSteps s
                && p.inner().optimality() instanceof Optimality.FixedPoint fp) {
            return new Dynamics(null, fp.map(), null, s.steps());
        }
        throw new IllegalArgumentException(estimator + " differentiates through the inner iterations, but the inner "
                + "solver " + p.solver().getClass().getSimpleName()
                + " has none to differentiate; use an implicit, finite-difference or zero-order estimator");
    }

    /** T, the number of inner steps. */
    int steps() {
        return steps;
    }

    /** The optimizer state at the start (empty for fixed-point iteration). */
    Object init(Params theta) {
        return optimizer == null ? List.of() : optimizer.init(theta);
    }

    /** A state of the inner iteration. */
    record Point(Params theta, Object state) {
        /** θ and the state's variables, in order. */
        List<Variable> variables() {
            List<Variable> v = new ArrayList<>(theta.values());
            v.addAll(StateCodec.variables(state));
            return v;
        }

        /** The point with θ and the state's variables replaced by fresh leaves of the same values. */
        Point leaves() {
            List<Variable> s = new ArrayList<>();
            for (Variable x : StateCodec.variables(state)) {
                s.add(Variable.leaf(x.value()));
            }
            return new Point(theta.leaves(), StateCodec.replace(state, s));
        }

        /** The point with every variable detached. */
        Point detach() {
            List<Variable> s = new ArrayList<>();
            for (Variable x : StateCodec.variables(state)) {
                s.add(x.detach());
            }
            return new Point(theta.detach(), StateCodec.replace(state, s));
        }
    }

    /**
     * Φ(λ, θ, s). When {@code record}, the result is recorded (θ must then require grad, e.g. be
     * leaves); otherwise it is computed without a graph, gradients taken on fresh leaves.
     */
    Point step(Params lam, Point at, boolean record) {
        if (map != null) {
            if (!record) {
                return new Point(InnerSolver.FixedPointSteps.apply(map, lam, at.theta()), at.state());
            }
            try (ModeScope on = GradMode.enabled()) {
                return new Point(map.apply(lam, at.theta()), at.state());
            }
        }
        Params g;
        if (record) {
            try (ModeScope on = GradMode.enabled()) {
                g = Autodiff.grad(f.value(lam, at.theta()), at.theta(), true, true);
            }
        } else {
            g = InnerSolver.OptimizerSteps.gradient(f, lam, at.theta());
        }
        try (ModeScope m = record ? GradMode.enabled() : GradMode.disabled()) {
            Optimizer.Update u = optimizer.update(g, (Optimizer.State) at.state(), at.theta());
            return new Point(Optimizers.applyUpdates(at.theta(), u.updates()), u.state());
        }
    }

    /** ‖G(λ, θ)‖ of the stationarity (or fixed-point) residual, without a graph. */
    double residualNorm(Params lam, Params theta) {
        if (map != null) {
            return ImplicitDiff.norm(theta.flattenValues().sub(
                    InnerSolver.FixedPointSteps.apply(map, lam, theta).flattenValues()));
        }
        return ImplicitDiff.norm(InnerSolver.OptimizerSteps.gradient(f, lam.detach(), theta.detach()).flattenValues());
    }
}
