package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;

/**
 * A scalar function of the hyperparameters λ and the inner variables θ: the inner objective
 * f(λ, θ) or the outer objective F(λ, θ) of the bilevel problem
 *
 * <pre>
 *   min over λ  F(λ, θ*(λ))   subject to   θ*(λ) = argmin over θ  f(λ, θ).
 * </pre>
 *
 * <p>λ is an explicit argument: a hyperparameter that the objective reads from a closure instead
 * is a constant to every estimator, which is the silent-wrong-hypergradient bug reported against
 * closure-based libraries. The objective must be written in {@link Variable} operations on its
 * arguments so that it can be differentiated to second order.
 *
 * <pre>{@code
 * Objective ridge = (lam, th) -> x.matmul(th.get("w")).sub(y).square().sum().mul(0.5)
 *         .add(th.get("w").square().sum().mul(lam.get("l2")).mul(0.5));
 * }</pre>
 */
@FunctionalInterface
public interface Objective {

    /**
     * The value at (λ, θ).
     *
     * @param lambda the hyperparameters, with the names and shapes the caller declared
     * @param theta  the inner variables, with the names and shapes the caller declared
     * @return a one-element variable
     */
    Variable value(Params lambda, Params theta);
}
