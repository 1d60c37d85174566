package dev.bilevel.autodiff.linalg;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;

/**
 * Conjugate gradients on the normal equations AᵀA·x = Aᵀb, in the CGLS form (Hestenes &amp;
 * Stiefel 1952, §10; Björck, <i>Numerical Methods for Least Squares Problems</i>, SIAM 1996,
 * §7.4), for a general, possibly non-symmetric or rectangular A of shape [m, n]:
 *
 * <pre>
 *   r₀ = b,  s₀ = Aᵀr₀,  p₀ = s₀
 *   qₖ = Apₖ,  αₖ = sₖᵀsₖ / qₖᵀqₖ,  xₖ₊₁ = xₖ + αₖpₖ,  rₖ₊₁ = rₖ − αₖqₖ
 *   sₖ₊₁ = Aᵀrₖ₊₁,  βₖ = sₖ₊₁ᵀsₖ₊₁ / sₖᵀsₖ,  pₖ₊₁ = sₖ₊₁ + βₖpₖ
 * </pre>
 *
 * It never forms AᵀA and keeps the residual r = b − Ax, which is more accurate than CG applied to
 * the normal equations. It solves a consistent system A·x = b, and otherwise converges to the
 * least-squares solution argmin ‖Ax − b‖ (the minimum-norm one when A is rank deficient). Each
 * step costs one product with A and one with Aᵀ; the convergence rate is governed by κ(A)², so
 * prefer {@link ConjugateGradient} when A is symmetric positive definite.
 *
 * <p>Stops with {@link SolveStatus#CONVERGED} when ‖r‖ ≤ max(rtol‖b‖, atol) (the system is
 * solved) or when the normal-equation residual ‖Aᵀr‖ ≤ max(rtol‖Aᵀb‖, atol) (a least-squares
 * solution is reached); {@link SolveResult#residualNorm()} is ‖r‖ in both cases. As in
 * {@link ConjugateGradient}, a convergence of the recursively updated residuals is confirmed with
 * the true residual b − Ax (one product with A and one with Aᵀ), restarting from it otherwise.
 *
 * <pre>{@code
 * LinearOperator a = LinearOperator.ofMatrix(m);
 * SolveResult r = Cgls.solve(a, a.adjoint(m.dim(1)), b, SolverOptions.defaults());
 * }</pre>
 */
public final class Cgls {
    private Cgls() {}

    /**
     * Solves A·x = b, or min ‖Ax − b‖, from x₀ = 0.
     *
     * @param a       the matvec of A, mapping vectors of length n to vectors shaped like b
     * @param adjoint the matvec of Aᵀ (e.g. {@link LinearOperator#adjoint(int)}), mapping vectors
     *                shaped like b to vectors of length n
     * @param b       the right-hand side, a vector of length m
     * @param options tolerances and iteration limit
     * @return the solution (length n), ‖b − Ax‖, the number of completed steps and the status;
     *         {@link SolveStatus#NON_POSITIVE_CURVATURE} only when Ap = 0 for a search direction,
     *         which rounding alone can cause
     * @throws IllegalArgumentException when b is not a vector or an operator returns a wrong shape
     */
    public static SolveResult solve(LinearOperator a, LinearOperator adjoint, Variable b, SolverOptions options) {
        Vectors.requireVector("cgls", "b", b);
        Variable r = b;
        Variable s = adjoint.apply(r);
        Vectors.requireVector("cgls", "Aᵀb", s);
        Variable x = Variable.constant(Tensor.zeros(s.shape()));
        double tol = options.threshold(Vectors.norm(b));
        double rNorm = Vectors.norm(r);
        Variable gamma = Vectors.dot(s, s);
        double normalTol = options.threshold(Math.sqrt(gamma.item()));
        if (rNorm <= tol || Math.sqrt(gamma.item()) <= normalTol) {
            return new SolveResult(x, rNorm, 0, SolveStatus.CONVERGED);
        }
        Variable p = s;
        for (int k = 0; k < options.maxIterations(); k++) {
            Variable q = Vectors.apply("cgls", a, p, b.shape());
            Variable qq = Vectors.dot(q, q);
            if (!(qq.item() > 0)) {
                return new SolveResult(x, rNorm, k, SolveStatus.NON_POSITIVE_CURVATURE);
            }
            Variable alpha = gamma.div(qq);
            x = x.add(p.mul(alpha));
            r = r.sub(q.mul(alpha));
            s = Vectors.apply("cgls", adjoint, r, x.shape());
            Variable gammaNext = Vectors.dot(s, s);
            rNorm = Vectors.norm(r);
            if (rNorm <= tol || Math.sqrt(gammaNext.item()) <= normalTol) {
                r = b.sub(Vectors.apply("cgls", a, x, b.shape()));
                s = Vectors.apply("cgls", adjoint, r, x.shape());
                gamma = Vectors.dot(s, s);
                rNorm = Vectors.norm(r);
                if (rNorm <= tol || Math.sqrt(gamma.item()) <= normalTol) {
                    return new SolveResult(x, rNorm, k + 1, SolveStatus.CONVERGED);
                }
                p = s;
                continue;
            }
            p = s.add(p.mul(gammaNext.div(gamma)));
            gamma = gammaNext;
        }
        return new SolveResult(x, rNorm, options.maxIterations(), SolveStatus.MAX_ITERATIONS);
    }
}
