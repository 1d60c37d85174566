package dev.bilevel.autodiff;

/**
 * The result of a forward-mode product, {@link Autodiff#jvp}.
 *
 * @param output  f(x)
 * @param tangent J·v, the derivative of f at x in the direction v, shaped like the output
 */
public record Jvp(Variable output, Variable tangent) {}
