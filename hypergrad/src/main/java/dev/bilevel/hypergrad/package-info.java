/**
 * Hypergradients of bilevel problems
 *
 * <pre>
 *   min over λ  F(λ, θ*(λ))   subject to   θ*(λ) = argmin over θ  f(λ, θ)
 * </pre>
 *
 * declared once ({@link dev.bilevel.hypergrad.BilevelProblem}: an
 * {@link dev.bilevel.hypergrad.InnerProblem} with its optimality condition, an outer
 * {@link dev.bilevel.hypergrad.Objective}, an {@link dev.bilevel.hypergrad.InnerSolver}) and
 * differentiated by any {@link dev.bilevel.hypergrad.HypergradientMethod}: unrolled, truncated,
 * checkpointed, forward mode (RTHO), implicit ({@link dev.bilevel.hypergrad.ImplicitDiff} with a
 * {@link dev.bilevel.hypergrad.LinearSolver}), finite differences, zero-order, or chosen by the
 * {@link dev.bilevel.hypergrad.Planner}. Every estimate is a
 * {@link dev.bilevel.hypergrad.Hypergradient} with {@link dev.bilevel.hypergrad.Diagnostics}
 * (inner residual, adjoint-solve residual, iterations and status, wall time, peak graph size,
 * warnings). {@link dev.bilevel.hypergrad.HypergradientDescent} is the outer loop, with
 * {@link dev.bilevel.hypergrad.Projection}s and HOAG's {@link dev.bilevel.hypergrad.HoagSchedule}.
 *
 * <pre>{@code
 * BilevelProblem p = new BilevelProblem(InnerProblem.minimize(trainLoss), validationLoss,
 *         InnerSolver.steps(Optimizers.sgd(0.1), 100));
 * Hypergradient h = HypergradientMethod.truncated(10).compute(p, lambda, theta0);
 * Hypergradient g = HypergradientMethod.implicitCg().compute(p, lambda, theta0);
 * if (!g.diagnostics().reliable()) { ... g.diagnostics().warnings() ... }
 * }</pre>
 */
package dev.bilevel.hypergrad;
