package dev.bilevel.autodiff;

/**
 * A function's value together with its gradient, as returned by
 * {@link Autodiff#valueAndGrad(java.util.function.Function, Variable)}.
 *
 * @param value the scalar value f(x)
 * @param grad  ∇f(x): a {@link Variable}, a list of them, or {@link Params}, shaped like the argument
 * @param <G>   the type of the gradient
 */
public record ValueAndGrad<G>(Variable value, G grad) {}
