package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.linalg.Cgls;
import dev.bilevel.autodiff.linalg.ConjugateGradient;
import dev.bilevel.autodiff.linalg.LinearOperator;
import dev.bilevel.autodiff.linalg.NeumannSeries;
import dev.bilevel.autodiff.linalg.SolveResult;
import dev.bilevel.autodiff.linalg.SolveStatus;
import dev.bilevel.autodiff.linalg.SolverOptions;
import dev.bilevel.tensor.Tensor;

/**
 * The solver of the adjoint system A·u = b of implicit differentiation, with A = (∂G/∂θ)ᵀ given
 * only by its matvec (a VJP of the optimality condition). One setting chooses it:
 *
 * <ul>
 *   <li>{@link Cg}: conjugate gradients (Hestenes &amp; Stiefel 1952), for symmetric positive
 *       definite A (the Hessian of a strictly convex inner objective; Pedregosa 2016, Rajeswaran
 *       et al. 2019);</li>
 *   <li>{@link NormalCg}: CG on the normal equations (CGLS), for a non-symmetric or indefinite A;</li>
 *   <li>{@link Neumann}: the truncated Neumann series α·Σ(I − αA)ᵏ b (Lorraine, Vicol &amp;
 *       Duvenaud, AISTATS 2020);</li>
 *   <li>{@link FixedPointIteration}: u ← b + (I − A)u, the adjoint of fixed-point iteration
 *       (Neumann with α = 1; for G = θ − T it is u ← b + (∂T/∂θ)ᵀu);</li>
 *   <li>{@link Dense}: A formed by n matvecs and solved by Gaussian elimination, exact for small θ.</li>
 * </ul>
 */
public sealed interface LinearSolver {

    /**
     * Solves A·u = b.
     *
     * @param a  the matvec of A on vectors of length n
     * @param b  the right-hand side, a vector of length n
     * @param x0 a warm start shaped like b, or null (used only by the solvers that accept one)
     * @return the solution, its residual, iterations and status
     */
    SolveResult solve(LinearOperator a, Variable b, Variable x0);

    /** A short name for diagnostics, e.g. {@code "cg"}. */
    String name();

    /** CG with these options. */
    static LinearSolver cg(SolverOptions options) {
        return new Cg(options);
    }

    /** CG with rtol 1e-10 and at most 1000 iterations. */
    static LinearSolver cg() {
        return new Cg(SolverOptions.defaults());
    }

    /**
     * Conjugate gradients; reports {@link SolveStatus#NON_POSITIVE_CURVATURE} on an indefinite A.
     *
     * @param options tolerance and iteration limit
     */
    record Cg(SolverOptions options) implements LinearSolver {
        /** CG from x0. */
        @Override
        public SolveResult solve(LinearOperator a, Variable b, Variable x0) {
            return ConjugateGradient.solve(a, b, x0, options);
        }

        /** {@code "cg"}. */
        @Override
        public String name() {
            return "cg";
        }
    }

    /**
     * CGLS on AᵀA·u = Aᵀb (the adjoint Aᵀ by differentiating the matvec); needs no symmetry or
     * definiteness, converges like κ(A)².
     *
     * @param options tolerance and iteration limit
     */
    record NormalCg(SolverOptions options) implements LinearSolver {
        /** CGLS from 0 (the warm start is ignored). */
        @Override
        public SolveResult solve(LinearOperator a, Variable b, Variable x0) {
            return Cgls.solve(a, a.adjoint(b.size()), b, options);
        }

        /** {@code "normal-cg"}. */
        @Override
        public String name() {
            return "normal-cg";
        }
    }

    /**
     * The Neumann series with step α; converges when ρ(I − αA) &lt; 1.
     *
     * @param alpha   the step α &gt; 0
     * @param options tolerance and the number of terms
     */
    record Neumann(double alpha, SolverOptions options) implements LinearSolver {
        /** The series from 0 (the warm start is ignored). */
        @Override
        public SolveResult solve(LinearOperator a, Variable b, Variable x0) {
            return NeumannSeries.solve(a, b, alpha, options);
        }

        /** {@code "neumann"}. */
        @Override
        public String name() {
            return "neumann";
        }
    }

    /**
     * Fixed-point iteration on the adjoint, u ← b + (I − A)u from u₀ (the warm start or 0); for a
     * contraction T with G = θ − T this is u ← b + (∂T/∂θ)ᵀu.
     *
     * @param options tolerance and iteration limit
     */
    record FixedPointIteration(SolverOptions options) implements LinearSolver {
        /** Iterates until ‖b − Au‖ meets the tolerance; DIVERGED when the residual blows up. */
        @Override
        public SolveResult solve(LinearOperator a, Variable b, Variable x0) {
            Variable u = x0 != null ? x0 : Variable.constant(Tensor.zeros(b.shape()));
            double bNorm = norm(b.value());
            double tol = options.threshold(bNorm);
            double r = Double.NaN;
            for (int k = 0; k < options.maxIterations(); k++) {
                Variable residual = b.sub(a.apply(u));
                r = norm(residual.value());
                if (r <= tol) {
                    return new SolveResult(u, r, k, SolveStatus.CONVERGED);
                }
                if (!(r <= NeumannSeries.DIVERGENCE_FACTOR * Math.max(bNorm, Double.MIN_NORMAL))) {
                    return new SolveResult(u, r, k, SolveStatus.DIVERGED);
                }
                u = u.add(residual);
            }
            Variable residual = b.sub(a.apply(u));
            r = norm(residual.value());
            return new SolveResult(u, r, options.maxIterations(), r <= tol ? SolveStatus.CONVERGED
                    : SolveStatus.MAX_ITERATIONS);
        }

        /** {@code "fixed-point"}. */
        @Override
        public String name() {
            return "fixed-point";
        }
    }

    /**
     * A formed column by column (n matvecs) and solved by Gaussian elimination with partial
     * pivoting: exact to rounding, O(n²) memory and O(n³) time, for θ of up to a few thousand
     * entries. A singular A is reported as {@link SolveStatus#DIVERGED}.
     */
    record Dense() implements LinearSolver {
        /** The exact solve; the warm start is not needed. */
        @Override
        public SolveResult solve(LinearOperator a, Variable b, Variable x0) {
            int n = b.size();
            double[][] m = new double[n][n];
            for (int j = 0; j < n; j++) {
                double[] e = new double[n];
                e[j] = 1;
                double[] col = a.apply(Variable.constant(Tensor.of(e, n))).value().toArray();
                for (int i = 0; i < n; i++) {
                    m[i][j] = col[i];
                }
            }
            double[] rhs = b.value().toArray();
            double[] x = DenseSolve.solve(m, rhs);
            if (x == null) {
                return new SolveResult(Variable.constant(Tensor.zeros(n)), norm(b.value()), n, SolveStatus.DIVERGED);
            }
            double r = 0;
            for (int i = 0; i < n; i++) {
                double s = rhs[i];
                for (int j = 0; j < n; j++) {
                    s -= m[i][j] * x[j];
                }
                r += s * s;
            }
            return new SolveResult(Variable.constant(Tensor.of(x, n)), Math.sqrt(r), n,
                    Double.isFinite(r) ? SolveStatus.CONVERGED : SolveStatus.DIVERGED);
        }

        /** {@code "dense"}. */
        @Override
        public String name() {
            return "dense";
        }
    }

    /** ‖t‖₂. */
    private static double norm(Tensor t) {
        double s = 0;
        for (double v : t.toArray()) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
