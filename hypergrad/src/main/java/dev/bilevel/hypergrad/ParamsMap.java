package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Params;

/**
 * A map (λ, θ) ↦ Params shaped like θ: an optimality residual G(λ, θ), whose root is θ*(λ), or a
 * fixed-point map T(λ, θ), whose fixed point is θ*(λ) (Blondel et al., "Efficient and modular
 * implicit differentiation", NeurIPS 2022, §2.1). Written in {@code Variable} operations so that
 * its Jacobians can be taken by reverse mode.
 */
@FunctionalInterface
public interface ParamsMap {

    /**
     * The map at (λ, θ).
     *
     * @param lambda the hyperparameters
     * @param theta  the inner variables
     * @return parameters with θ's names and shapes
     */
    Params apply(Params lambda, Params theta);
}
