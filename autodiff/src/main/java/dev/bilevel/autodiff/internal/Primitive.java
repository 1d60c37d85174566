package dev.bilevel.autodiff.internal;

/**
 * The closed set of differentiable primitives. Every recorded node of a graph holds one.
 *
 * <p>Each primitive holds its forward computation on tensors and, right beside it, its
 * vector-Jacobian product (VJP) written in {@link dev.bilevel.autodiff.Variable} operations, never
 * on raw doubles. A backward pass is therefore itself an ordinary computation that can be recorded,
 * which gives gradients of gradients (Griewank &amp; Walther, <i>Evaluating Derivatives</i>, 2nd ed.,
 * SIAM 2008, ch. 3–4: reverse mode as the adjoint of an evaluation trace).
 *
 * <p>Contract for every VJP: given the primitive's inputs, its output and a cotangent {@code g} of
 * the output's shape, return {@code Jᵀg} with exactly the shape of the input in question.
 */
public sealed interface Primitive permits UnaryPrimitive, BinaryPrimitive, NaryPrimitive {
    /** A short lowercase name used in error messages and graph inspection, e.g. {@code "matmul"}. */
    String opName();
}
