package dev.bilevel.hypergrad;

import java.util.Objects;

/**
 * A bilevel problem, declared once for every estimator:
 *
 * <pre>
 *   min over λ  F(λ, θ*(λ))   subject to   θ*(λ) = argmin over θ  f(λ, θ)   (or G(λ, θ*) = 0)
 * </pre>
 *
 * (Franceschi et al., "Bilevel programming for hyperparameter optimization and meta-learning",
 * ICML 2018). Both objectives take λ as an explicit argument.
 *
 * <pre>{@code
 * BilevelProblem p = new BilevelProblem(InnerProblem.minimize(trainLoss), validationLoss,
 *         InnerSolver.steps(Optimizers.sgd(0.1), 100));
 * Hypergradient h = HypergradientMethod.implicit(LinearSolver.cg()).compute(p, lambda, theta0);
 * }</pre>
 *
 * @param inner  the inner problem f and its optimality condition
 * @param outer  the outer objective F(λ, θ)
 * @param solver how θ̂ ≈ θ*(λ) is computed
 */
public record BilevelProblem(InnerProblem inner, Objective outer, InnerSolver solver) {

    /** @throws NullPointerException on a missing part */
    public BilevelProblem {
        Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(outer, "outer");
        Objects.requireNonNull(solver, "solver");
    }

    /** The same problem with another inner solver (e.g. a tighter tolerance). */
    public BilevelProblem withSolver(InnerSolver newSolver) {
        return new BilevelProblem(inner, outer, newSolver);
    }
}
