package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Params;
import dev.bilevel.tensor.Tensor;

/**
 * An estimate of the hypergradient dF/dλ = ∂F/∂λ + (dθ*(λ)/dλ)ᵀ ∂F/∂θ of the outer objective
 * through the inner solution, with what is needed to trust and reuse it.
 *
 * @param value         dF/dλ, with λ's names and shapes (constants)
 * @param outerValue    F(λ, θ̂) at the inner solution used
 * @param innerSolution θ̂, the approximate inner solution (constants); pass it back as the next
 *                      warm start
 * @param adjoint       the solution u of the adjoint system (∂G/∂θ)ᵀu = ∂F/∂θ for implicit
 *                      estimators (a warm start for the next solve), else null
 * @param diagnostics   residuals, iterations, cost and warnings
 */
public record Hypergradient(Params value, double outerValue, Params innerSolution, Tensor adjoint,
        Diagnostics diagnostics) {

    /** dF/dλ flattened in λ's layout. */
    public Tensor flat() {
        return value.flattenValues();
    }
}
