package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;

/**
 * The optimality condition G(λ, θ) = 0 that characterizes the inner solution θ*(λ); implicit
 * differentiation differentiates through it (Blondel et al., "Efficient and modular implicit
 * differentiation", NeurIPS 2022, §2.1: every condition is reduced to a root of G).
 *
 * <ul>
 *   <li>{@link Stationarity}: G = ∂f/∂θ, the default for an inner minimization (∂G/∂θ is the
 *       Hessian, symmetric, so conjugate gradients apply);</li>
 *   <li>{@link Root}: a user-given residual G (e.g. a KKT system, a proximal-gradient residual);</li>
 *   <li>{@link FixedPoint}: θ* = T(λ, θ*), reduced to the root of G = θ − T(λ, θ).</li>
 * </ul>
 */
public sealed interface Optimality {

    /**
     * G(λ, θ) for the inner objective {@code f}, flattened in θ's layout.
     *
     * @param f     the inner objective (read only by {@link Stationarity})
     * @param lam   λ with its declared names
     * @param theta θ with its declared names
     * @return a vector of θ.numel() elements, recorded whenever its inputs record
     */
    Variable residual(Objective f, Params lam, Params theta);

    /** True when ∂G/∂θ is symmetric (so conjugate gradients apply). */
    boolean symmetric();

    /** G = ∂f/∂θ: first-order stationarity of the inner minimization. */
    record Stationarity() implements Optimality {
        /** ∇θ f(λ, θ), recorded so that it can be differentiated again. */
        @Override
        public Variable residual(Objective f, Params lam, Params theta) {
            if (f == null) {
                throw new IllegalStateException("stationarity needs an inner objective f");
            }
            return Autodiff.grad(f.value(lam, theta), theta, true, true).flatten();
        }

        /** The Hessian is symmetric. */
        @Override
        public boolean symmetric() {
            return true;
        }
    }

    /**
     * A user-given residual G(λ, θ).
     *
     * @param residual G
     * @param symmetric whether ∂G/∂θ is symmetric (claimed by the user; enables CG)
     */
    record Root(ParamsMap residual, boolean symmetric) implements Optimality {
        /** G(λ, θ), flattened. */
        @Override
        public Variable residual(Objective f, Params lam, Params theta) {
            return residual.apply(lam, theta).flatten();
        }
    }

    /**
     * A fixed-point map T, with θ* = T(λ, θ*), reduced to the root of G = θ − T(λ, θ).
     *
     * @param map T
     */
    record FixedPoint(ParamsMap map) implements Optimality {
        /** θ − T(λ, θ), flattened. */
        @Override
        public Variable residual(Objective f, Params lam, Params theta) {
            return theta.flatten().sub(map.apply(lam, theta).flatten());
        }

        /** I − ∂T/∂θ is in general not symmetric. */
        @Override
        public boolean symmetric() {
            return false;
        }
    }
}
