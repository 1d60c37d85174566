/**
 * Iterative linear solvers over a matrix-vector product, for implicit differentiation.
 *
 * <p>A {@link dev.bilevel.autodiff.linalg.LinearOperator} is a matvec on flat vectors (a
 * Hessian-vector product, say; {@code onParams} adapts a map on
 * {@link dev.bilevel.autodiff.Params}). {@link dev.bilevel.autodiff.linalg.ConjugateGradient}
 * solves symmetric positive definite systems, {@link dev.bilevel.autodiff.linalg.Cgls} general or
 * least-squares ones through the normal equations, and
 * {@link dev.bilevel.autodiff.linalg.NeumannSeries} sums (I − αA)ᵏ. Each returns a
 * {@link dev.bilevel.autodiff.linalg.SolveResult}: the solution, its residual norm, the iteration
 * count and a {@link dev.bilevel.autodiff.linalg.SolveStatus} that reports indefiniteness,
 * divergence or the iteration limit instead of hiding them.
 *
 * <pre>{@code
 * LinearOperator h = LinearOperator.onParams(theta, v -> hessianVectorProduct(theta, v));
 * SolveResult r = ConjugateGradient.solve(h, rhs.flatten(), SolverOptions.defaults());
 * Params u = theta.unflatten(r.solution());
 * }</pre>
 */
package dev.bilevel.autodiff.linalg;
