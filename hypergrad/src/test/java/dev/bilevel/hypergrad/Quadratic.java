package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Tensor;

/**
 * A quadratic bilevel problem with a closed-form hypergradient, the oracle of the estimator tests:
 *
 * <pre>
 *   f(λ, θ) = ½ θᵀ(A + diag(Pλ))θ − (c + Bλ)ᵀθ,      F(λ, θ) = ½‖θ − t‖² + ½μ‖λ‖²
 *   θ*(λ) = H⁻¹ r,  H = A + diag(Pλ),  r = c + Bλ
 *   dθ*(λ)/dλⱼ = H⁻¹ (Bⱼ − Pⱼ ∘ θ*),     dF/dλⱼ = (θ* − t)ᵀ dθ*(λ)/dλⱼ + μλⱼ
 * </pre>
 */
final class Quadratic {
    static final double[][] A = {{3, 0.5, 0, 0.2}, {0.5, 2, 0.3, 0}, {0, 0.3, 2.5, 0.4}, {0.2, 0, 0.4, 1.5}};
    static final double[][] P = {{1, 0}, {0, 1}, {0.5, 0.5}, {0, 0.3}};
    static final double[][] B = {{1, 0}, {0, 1}, {1, -1}, {0.5, 0.5}};
    static final double[] C = {1, -1, 0.5, 2};
    static final double[] T = {0.3, 0.2, -0.1, 0.5};
    static final double MU = 0.1;
    /** A step size below 1/L for every λ used here (the largest eigenvalue of H stays under 5). */
    static final double LR = 0.18;

    private Quadratic() {}

    static Params lambda() {
        return Params.empty().with("lam", Variable.constant(Tensor.vector(0.5, 1.0)));
    }

    static Params theta0() {
        return Params.empty().with("th", Variable.constant(Tensor.zeros(4)));
    }

    static Objective inner() {
        Variable a = Variable.constant(Tensor.matrix(A));
        Variable p = Variable.constant(Tensor.matrix(P));
        Variable b = Variable.constant(Tensor.matrix(B));
        Variable c = Variable.constant(Tensor.vector(C));
        return (lam, th) -> {
            Variable l = lam.get("lam").reshape(2, 1);
            Variable x = th.get("th");
            Variable quad = a.matmul(x.reshape(4, 1)).flatten().mul(x).sum()
                    .add(p.matmul(l).flatten().mul(x.square()).sum());
            Variable lin = c.add(b.matmul(l).flatten()).mul(x).sum();
            return quad.mul(0.5).sub(lin);
        };
    }

    static Objective outer() {
        Variable t = Variable.constant(Tensor.vector(T));
        return (lam, th) -> th.get("th").sub(t).square().sum().mul(0.5)
                .add(lam.get("lam").square().sum().mul(0.5 * MU));
    }

    static BilevelProblem problem(Optimizer opt, int steps) {
        return new BilevelProblem(InnerProblem.minimize(inner()), outer(), InnerSolver.steps(opt, steps));
    }

    /** Gradient descent with {@link #LR}, converged to machine precision after 400 steps. */
    static BilevelProblem converged() {
        return problem(Optimizers.sgd(LR), 400);
    }

    /** The same problem solved exactly by a dense solve (a custom inner solver). */
    static BilevelProblem exact() {
        return new BilevelProblem(InnerProblem.minimize(inner()), outer(), new InnerSolver.Custom((lam, th) ->
                Params.empty().with("th", Variable.constant(Tensor.of(thetaStar(lam.get("lam").value().toArray()), 4)))));
    }

    static double[][] h(double[] lam) {
        double[][] h = new double[4][4];
        for (int i = 0; i < 4; i++) {
            h[i] = A[i].clone();
            h[i][i] += P[i][0] * lam[0] + P[i][1] * lam[1];
        }
        return h;
    }

    static double[] thetaStar(double[] lam) {
        double[] r = new double[4];
        for (int i = 0; i < 4; i++) {
            r[i] = C[i] + B[i][0] * lam[0] + B[i][1] * lam[1];
        }
        return DenseSolve.solve(h(lam), r);
    }

    /** The closed-form dF/dλ. */
    static double[] analytic(double[] lam) {
        double[] th = thetaStar(lam);
        double[] g = new double[2];
        for (int j = 0; j < 2; j++) {
            double[] rhs = new double[4];
            for (int i = 0; i < 4; i++) {
                rhs[i] = B[i][j] - P[i][j] * th[i];
            }
            double[] d = DenseSolve.solve(h(lam), rhs);
            for (int i = 0; i < 4; i++) {
                g[j] += (th[i] - T[i]) * d[i];
            }
            g[j] += MU * lam[j];
        }
        return g;
    }

    static double[] analytic() {
        return analytic(lambda().flattenValues().toArray());
    }
}
