package dev.bilevel.hypergrad;

import java.util.Objects;

/**
 * The inner problem θ*(λ) = argmin over θ of f(λ, θ), or more generally the θ with
 * G(λ, θ) = 0 for an {@link Optimality} condition G.
 *
 * <pre>{@code
 * InnerProblem ridge = InnerProblem.minimize((lam, th) -> trainLoss(th).add(penalty(lam, th)));
 * InnerProblem fp = InnerProblem.fixedPoint((lam, th) -> prox(th, lam));
 * }</pre>
 *
 * @param objective  f(λ, θ), or null for a problem given only by a fixed-point map or a residual
 *                   (then only implicit, finite-difference and zero-order estimators and a
 *                   fixed-point or custom inner solver apply)
 * @param optimality the condition G(λ, θ*) = 0 that implicit differentiation differentiates
 */
public record InnerProblem(Objective objective, Optimality optimality) {

    /** @throws NullPointerException without an optimality condition; IllegalArgumentException when stationarity has no f */
    public InnerProblem {
        Objects.requireNonNull(optimality, "optimality");
        if (objective == null && optimality instanceof Optimality.Stationarity) {
            throw new IllegalArgumentException("InnerProblem: stationarity needs an objective f");
        }
    }

    /** min over θ of f(λ, θ), with the stationarity condition ∂f/∂θ = 0. */
    public static InnerProblem minimize(Objective f) {
        return new InnerProblem(f, new Optimality.Stationarity());
    }

    /** min over θ of f(λ, θ), differentiated through the user's residual G (symmetric or not). */
    public static InnerProblem minimize(Objective f, ParamsMap residual, boolean symmetricJacobian) {
        return new InnerProblem(f, new Optimality.Root(residual, symmetricJacobian));
    }

    /** The fixed point θ* = T(λ, θ*). */
    public static InnerProblem fixedPoint(ParamsMap t) {
        return new InnerProblem(null, new Optimality.FixedPoint(t));
    }
}
