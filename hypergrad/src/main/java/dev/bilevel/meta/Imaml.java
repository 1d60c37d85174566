package dev.bilevel.meta;

import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.linalg.SolverOptions;
import dev.bilevel.hypergrad.Hypergradient;
import dev.bilevel.hypergrad.ImplicitDiff;
import dev.bilevel.hypergrad.InnerProblem;
import dev.bilevel.hypergrad.LinearSolver;
import dev.bilevel.hypergrad.Objective;
import dev.bilevel.tensor.Rng;
import java.util.List;

/**
 * Implicit MAML (Rajeswaran, Finn, Kakade &amp; Levine, "Meta-Learning with Implicit Gradients",
 * NeurIPS 2019): the adapted parameters solve a proximal inner problem, and the meta-gradient
 * comes from the implicit function theorem instead of differentiating through the solver:
 *
 * <pre>
 *   φ*(θ) = argmin_φ  L_S(φ) + (λ/2)·‖φ − θ‖²
 *   dL_Q(φ*)/dθ = (I + ∇²L_S(φ*)/λ)⁻¹ ∇L_Q(φ*)
 * </pre>
 *
 * <p>The inner problem is solved approximately by {@link Config#innerSteps} gradient steps from
 * φ = θ, without a graph (memory independent of the number of steps). The meta-gradient is
 * {@link ImplicitDiff#hypergradient} with the stationarity condition of that inner objective and
 * conjugate gradients over Hessian-vector products ({@link Config#cgIterations} iterations, the
 * paper uses 5): the hypergradient kernel shared with {@code dev.bilevel.hypergrad}.
 */
public final class Imaml implements MetaLearner {
    private final FunctionalModel model;
    private final Config config;

    /**
     * @param lambda       λ &gt; 0, the proximal regularization strength
     * @param innerLr      step size of the inner gradient descent, &gt; 0
     * @param innerSteps   inner gradient steps, ≥ 0
     * @param cgIterations maximum CG iterations for the adjoint system, ≥ 1
     */
    public record Config(double lambda, double innerLr, int innerSteps, int cgIterations) {
        /** Validates the fields. */
        public Config {
            if (!(lambda > 0) || !(innerLr > 0) || innerSteps < 0 || cgIterations < 1) {
                throw new IllegalArgumentException("Imaml.Config: need λ > 0, innerLr > 0, innerSteps ≥ 0, cgIterations"
                        + " ≥ 1, got " + lambda + ", " + innerLr + ", " + innerSteps + ", " + cgIterations);
            }
        }
    }

    /** iMAML of {@code model}. */
    public Imaml(FunctionalModel model, Config config) {
        this.model = model;
        this.config = config;
    }

    /** The model's fresh parameters. */
    @Override
    public Params init(Rng rng) {
        return model.init(rng);
    }

    /** The proximal inner objective f(θ, φ) = L_S(φ) + (λ/2)‖φ − θ‖². */
    private Objective inner(Task task) {
        Variable xs = Variable.constant(task.supportX());
        double half = config.lambda / 2;
        return (theta, phi) -> {
            Variable loss = task.supportLoss(model.apply(phi, xs));
            for (String n : phi.names()) {
                loss = loss.add(phi.get(n).sub(theta.get(n)).square().sum().mul(half));
            }
            return loss;
        };
    }

    /** φ̂ ≈ φ*(θ) by gradient descent on the proximal objective, from θ, without a graph. */
    Params solveInner(Params meta, Task task, int steps) {
        Objective f = inner(task);
        Params theta = meta.detach();
        Params phi = theta.leaves();
        for (int s = 0; s < steps; s++) {
            Params g = dev.bilevel.autodiff.Autodiff.grad(f.value(theta, phi), phi, false, true);
            try (ModeScope off = GradMode.disabled()) {
                phi = phi.zip(g, (p, gi) -> p.sub(gi.mul(config.innerLr))).detach().leaves();
            }
        }
        return phi;
    }

    /** Solves the inner problem, then the implicit meta-gradient by CG (see the class comment). */
    @Override
    public TaskGradient metaGradient(Params meta, Task task, Rng rng) {
        Params phi = solveInner(meta, task, config.innerSteps);
        Objective outer = (theta, p) -> InnerLoop.queryLoss(model, p, task);
        Hypergradient h = ImplicitDiff.hypergradient(InnerProblem.minimize(inner(task)), outer, meta.detach(), phi,
                LinearSolver.cg(SolverOptions.defaults().withMaxIterations(config.cgIterations)), null,
                Double.POSITIVE_INFINITY);
        return new TaskGradient(h.outerValue(), h.value().detach());
    }

    /** Query metrics after 0…N steps of gradient descent on the proximal objective. */
    @Override
    public List<TaskMetrics> evaluate(Params meta, Task task, int[] steps, Rng rng) {
        List<TaskMetrics> out = new java.util.ArrayList<>(steps.length);
        for (int s : steps) {
            out.add(InnerLoop.queryMetrics(model, solveInner(meta, task, s), task, s));
        }
        return out;
    }
}
