package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.List;

/**
 * Derivative-free hypergradients from values of λ ↦ F(λ, θ̂(λ)), each value one inner solve from
 * the same start θ₀: central finite differences along each coordinate, error O(h²) plus the inner
 * solve's error divided by h; and antithetic Gaussian smoothing (Nesterov &amp; Spokoiny, "Random
 * gradient-free minimization of convex functions", Found. Comput. Math. 17, 2017; the antithetic
 * form of Salimans et al. 2017), the unbiased gradient of the smoothed F_σ(λ) = E F(λ + σu),
 *
 * <pre>
 *   ĝ = (1/N) Σᵢ [F(λ + σuᵢ) − F(λ − σuᵢ)] / (2σ) · uᵢ,   uᵢ ~ N(0, I),
 * </pre>
 *
 * whose standard error shrinks like ‖∇F‖·√(dim λ / N).
 */
@SuppressWarnings("try") // mode scopes are opened for their effect on the thread
final class Perturbation {
    private Perturbation() {}

    static Hypergradient finiteDifference(BilevelProblem p, Params lambda, Params theta0, double h, String name) {
        long start = System.nanoTime();
        Tensor lam = lambda.flattenValues();
        int n = lam.size();
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double[] e = new double[n];
            e[i] = h;
            Tensor step = Tensor.of(e, n);
            g[i] = (value(p, lambda, lam.add(step), theta0) - value(p, lambda, lam.sub(step), theta0)) / (2 * h);
        }
        return finish(p, lambda, theta0, Tensor.of(g, n), 2 * n, start, name);
    }

    static Hypergradient zeroOrder(BilevelProblem p, Params lambda, Params theta0, int samples, double sigma,
            long seed, String name) {
        long start = System.nanoTime();
        Tensor lam = lambda.flattenValues();
        int n = lam.size();
        Rng rng = new Rng(seed);
        Tensor g = Tensor.zeros(n);
        for (int s = 0; s < samples; s++) {
            Tensor u = Tensor.randn(rng.fork(s), n);
            double plus = value(p, lambda, lam.addScaled(u, sigma), theta0);
            double minus = value(p, lambda, lam.addScaled(u, -sigma), theta0);
            g = g.addScaled(u, (plus - minus) / (2 * sigma * samples));
        }
        return finish(p, lambda, theta0, g, 2 * samples, start, name);
    }

    /** F(λ', θ̂(λ')) for the flat λ'. */
    private static double value(BilevelProblem p, Params like, Tensor lamFlat, Params theta0) {
        Params lam = like.unflatten(lamFlat);
        Params theta = p.solver().solve(p.inner(), lam, theta0).theta();
        try (ModeScope off = GradMode.disabled()) {
            double v = p.outer().value(lam, theta).item();
            if (!Double.isFinite(v)) {
                throw new NonFiniteHypergradientException("F(λ', θ̂(λ')) is not finite at a perturbed λ'");
            }
            return v;
        }
    }

    private static Hypergradient finish(BilevelProblem p, Params lambda, Params theta0, Tensor g, int solves,
            long start, String name) {
        ImplicitDiff.requireFinite(g, "the hypergradient");
        InnerSolver.Solution at = p.solver().solve(p.inner(), lambda, theta0);
        double f;
        double residual;
        try (ModeScope off = GradMode.disabled()) {
            f = p.outer().value(lambda.detach(), at.theta()).item();
        }
        residual = residualNorm(p, lambda, at.theta());
        Diagnostics d = new Diagnostics(name, null, residual, solves, Double.NaN, 0, null,
                System.nanoTime() - start, 0, List.of());
        return new Hypergradient(lambda.unflatten(g), f, at.theta(), null, d);
    }

    /** ‖G(λ, θ)‖, without a graph kept. */
    static double residualNorm(BilevelProblem p, Params lambda, Params theta) {
        try (ModeScope on = GradMode.enabled()) {
            Params th = theta.leaves();
            return ImplicitDiff.norm(p.inner().optimality().residual(p.inner().objective(), lambda.detach(), th)
                    .value());
        }
    }
}
