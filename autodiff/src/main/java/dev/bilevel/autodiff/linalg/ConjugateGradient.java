package dev.bilevel.autodiff.linalg;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;

/**
 * The conjugate gradient method (Hestenes &amp; Stiefel, "Methods of conjugate gradients for
 * solving linear systems", J. Res. NBS 49(6), 1952) for A·x = b with A symmetric positive
 * definite, given only its matvec:
 *
 * <pre>
 *   r₀ = b − Ax₀,  p₀ = r₀
 *   αₖ = rₖᵀrₖ / pₖᵀApₖ,   xₖ₊₁ = xₖ + αₖpₖ,   rₖ₊₁ = rₖ − αₖApₖ
 *   βₖ = rₖ₊₁ᵀrₖ₊₁ / rₖᵀrₖ,  pₖ₊₁ = rₖ₊₁ + βₖpₖ
 * </pre>
 *
 * In exact arithmetic it terminates in at most n steps, and the error in the A-norm shrinks at
 * least by 2((√κ − 1)/(√κ + 1))ᵏ for the condition number κ.
 *
 * <p><b>Safeguards.</b> A curvature pₖᵀApₖ ≤ 0 (or NaN) proves A is not positive definite; the
 * solver then stops and returns the last iterate with {@link SolveStatus#NON_POSITIVE_CURVATURE}
 * instead of dividing by it. When the recursively updated residual meets the tolerance, the true
 * residual b − Axₖ is computed (one more matvec); if rounding has let the two drift apart, CG
 * restarts from the true residual (residual replacement, van der Vorst &amp; Ye, SIAM J. Sci.
 * Comput. 22(5), 2000), so a reported convergence is a true one.
 *
 * <p>The iteration is written in {@link Variable} operations: when A's matvec or b records, the
 * solution is differentiable through the iterations (unrolled CG). For implicit differentiation
 * run it under {@link dev.bilevel.autodiff.GradMode#disabled()}.
 *
 * <pre>{@code
 * SolveResult r = ConjugateGradient.solve(LinearOperator.ofMatrix(a), b, SolverOptions.defaults());
 * if (!r.converged()) { ... r.status() ... }
 * }</pre>
 */
public final class ConjugateGradient {
    private ConjugateGradient() {}

    /** CG from x₀ = 0; see {@link #solve(LinearOperator, Variable, Variable, SolverOptions)}. */
    public static SolveResult solve(LinearOperator a, Variable b, SolverOptions options) {
        return solve(a, b, null, options);
    }

    /**
     * Solves A·x = b for symmetric positive definite A.
     *
     * @param a       the matvec of A, mapping vectors shaped like b to vectors shaped like b
     * @param b       the right-hand side, a vector
     * @param x0      the starting point (shaped like b), or null for 0
     * @param options tolerance (on ‖b − Ax‖ relative to ‖b‖) and iteration limit
     * @return the solution, its residual norm, the number of completed CG steps and the status
     * @throws IllegalArgumentException when b is not a vector, or x₀ or A·p is not shaped like b
     */
    public static SolveResult solve(LinearOperator a, Variable b, Variable x0, SolverOptions options) {
        Vectors.requireVector("cg", "b", b);
        if (x0 != null && !x0.shape().equals(b.shape())) {
            throw new IllegalArgumentException("cg: x0 has shape " + x0.shape() + ", b has shape " + b.shape());
        }
        double tol = options.threshold(Vectors.norm(b));
        Variable x = x0 != null ? x0 : Variable.constant(Tensor.zeros(b.shape()));
        Variable r = x0 != null ? b.sub(Vectors.apply("cg", a, x0, b.shape())) : b;
        Variable rs = Vectors.dot(r, r);
        double rNorm = Math.sqrt(rs.item());
        if (rNorm <= tol) {
            return new SolveResult(x, rNorm, 0, SolveStatus.CONVERGED);
        }
        Variable p = r;
        for (int k = 0; k < options.maxIterations(); k++) {
            Variable ap = Vectors.apply("cg", a, p, b.shape());
            Variable curvature = Vectors.dot(p, ap);
            if (!(curvature.item() > 0)) {
                return new SolveResult(x, rNorm, k, SolveStatus.NON_POSITIVE_CURVATURE);
            }
            Variable alpha = rs.div(curvature);
            x = x.add(p.mul(alpha));
            r = r.sub(ap.mul(alpha));
            Variable rsNext = Vectors.dot(r, r);
            rNorm = Math.sqrt(rsNext.item());
            if (rNorm <= tol) {
                Variable trueResidual = b.sub(Vectors.apply("cg", a, x, b.shape()));
                double trueNorm = Vectors.norm(trueResidual);
                if (trueNorm <= tol) {
                    return new SolveResult(x, trueNorm, k + 1, SolveStatus.CONVERGED);
                }
                r = trueResidual;
                rs = Vectors.dot(r, r);
                rNorm = trueNorm;
                p = r;
                continue;
            }
            p = r.add(p.mul(rsNext.div(rs)));
            rs = rsNext;
        }
        return new SolveResult(x, rNorm, options.maxIterations(), SolveStatus.MAX_ITERATIONS);
    }
}
