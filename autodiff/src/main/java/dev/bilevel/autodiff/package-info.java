/**
 * Reverse-mode automatic differentiation with gradients of any order.
 *
 * <p>A {@link dev.bilevel.autodiff.Variable} wraps an immutable tensor; operations on variables
 * record a graph (references from outputs to inputs, nothing global) while
 * {@link dev.bilevel.autodiff.GradMode} is enabled and an input requires grad.
 * {@link dev.bilevel.autodiff.Autodiff} turns a graph or a function into derivatives: {@code grad},
 * {@code valueAndGrad}, {@code vjp}, {@code jvp}, {@code hvp}, {@code jacobian}, {@code hessian}.
 * Every primitive's VJP is written in differentiable operations, so with {@code createGraph} a
 * gradient is itself a recorded variable: this is what second-order MAML and Hessian-vector
 * products use. {@link dev.bilevel.autodiff.Params} names and flattens model parameters;
 * {@link dev.bilevel.autodiff.GradCheck} verifies derivatives against finite differences;
 * {@link dev.bilevel.autodiff.AnomalyMode} finds the primitive that produced a NaN.
 *
 * <pre>{@code
 * Params theta = ...;                                           // leaves
 * Variable support = loss(theta, xs, ys);
 * Params g = Autodiff.grad(support, theta, true, false);        // recorded
 * Params phi = theta.zip(g, (p, d) -> p.sub(d.mul(alpha)));     // adapted, out of place
 * Params metaGrad = Autodiff.grad(loss(phi, xq, yq), theta, false, false);
 * }</pre>
 *
 * <p>References: A. Griewank and A. Walther, <i>Evaluating Derivatives</i>, 2nd ed., SIAM 2008
 * (reverse mode); B. A. Pearlmutter, "Fast exact multiplication by the Hessian", Neural
 * Computation 6(1), 1994 (Hessian-vector products).
 */
package dev.bilevel.autodiff;
