package dev.bilevel.autodiff.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Neumann series on matrices with known spectra: it converges at the rate ρ(I − αA) when that
 * is below 1, and reports divergence or the iteration limit when it is not.
 */
class NeumannSeriesTest {
    private static final double[] SPECTRUM = {0.5, 0.7, 0.9, 1.1, 1.3, 1.5};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void convergesWhenTheSpectralRadiusIsBelowOne(long seed) {
        Rng rng = new Rng(seed);
        Tensor a = Systems.withEigenvalues(rng, SPECTRUM);
        Tensor b = Tensor.randn(rng, SPECTRUM.length);
        // α = 1: eigenvalues of I − A are 1 − λ, so ρ = 0.5
        SolveResult r = NeumannSeries.solve(LinearOperator.ofMatrix(a), Variable.constant(b), 1.0,
                SolverOptions.defaults());
        assertThat(r.status()).isEqualTo(SolveStatus.CONVERGED);
        double residual = Systems.relativeResidual(a, r.solution().value(), b);
        assertThat(residual).isLessThanOrEqualTo(1e-10);
        assertThat(r.residualNorm() / Systems.norm(b)).isCloseTo(residual, org.assertj.core.data.Offset.offset(1e-14));
        // ‖(I − A)ᵏb‖ ≤ 0.5ᵏ‖b‖, so 34 terms reach 1e-10 at the latest
        assertThat(r.iterations()).isLessThanOrEqualTo((int) Math.ceil(Math.log(1e-10) / Math.log(0.5)));
        Tensor cg = ConjugateGradient.solve(LinearOperator.ofMatrix(a), Variable.constant(b),
                SolverOptions.defaults()).solution().value();
        assertThat(r.solution().value().maxAbsDiff(cg)).isLessThanOrEqualTo(1e-9);
    }

    @Test
    void truncatedSeriesIsTheClosedFormPartialSum() {
        // A = diag(λ), b = 1: after k matvecs xᵢ = α·Σⱼ<k (1 − αλᵢ)ʲ = (1 − (1 − αλᵢ)ᵏ)/λᵢ
        double alpha = 0.8;
        int k = 5;
        double[] lambda = {0.5, 1.0, 2.0};
        Tensor a = Tensor.matrix(new double[][] {{0.5, 0, 0}, {0, 1.0, 0}, {0, 0, 2.0}});
        SolveResult r = NeumannSeries.solve(LinearOperator.ofMatrix(a), Variable.constant(Tensor.ones(3)), alpha,
                SolverOptions.defaults().withMaxIterations(k));
        assertThat(r.status()).isEqualTo(SolveStatus.MAX_ITERATIONS);
        assertThat(r.iterations()).isEqualTo(k);
        double residualSq = 0;
        for (int i = 0; i < 3; i++) {
            double q = 1 - alpha * lambda[i];
            assertThat(r.solution().value().get(i)).isCloseTo((1 - Math.pow(q, k)) / lambda[i],
                    org.assertj.core.data.Offset.offset(1e-14));
            residualSq += Math.pow(q, 2 * k);
        }
        assertThat(r.residualNorm()).isCloseTo(Math.sqrt(residualSq), org.assertj.core.data.Offset.offset(1e-14));
    }

    @Test
    void reportsDivergenceWhenTheSpectralRadiusExceedsOne() {
        Tensor a = Systems.withEigenvalues(new Rng(4), SPECTRUM);
        // α = 1.5: 1 − 1.5·1.5 = −1.25, so ρ = 1.25 and the terms grow like 1.25ᵏ
        SolveResult r = NeumannSeries.solve(LinearOperator.ofMatrix(a), Variable.constant(Tensor.randn(new Rng(5), 6)),
                1.5, SolverOptions.defaults());
        assertThat(r.status()).isEqualTo(SolveStatus.DIVERGED);
        assertThat(r.converged()).isFalse();
        // 1.25ᵏ passes 1e6 after about 62 terms, long before the limit of 1000
        assertThat(r.iterations()).isBetween(55, 80);
    }

    @Test
    void reportsTheLimitWhenTheSpectralRadiusIsOne() {
        // λ = 2 with α = 1: (1 − 2)ᵏ = ±1, the residual never shrinks nor grows
        Tensor a = Tensor.matrix(new double[][] {{2, 0}, {0, 0.5}});
        SolveResult r = NeumannSeries.solve(LinearOperator.ofMatrix(a), Variable.constant(Tensor.vector(1, 1)), 1.0,
                SolverOptions.defaults().withMaxIterations(200));
        assertThat(r.status()).isEqualTo(SolveStatus.MAX_ITERATIONS);
        assertThat(r.iterations()).isEqualTo(200);
        assertThat(r.residualNorm()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    }
}
