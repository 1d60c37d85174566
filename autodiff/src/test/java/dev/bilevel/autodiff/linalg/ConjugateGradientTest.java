package dev.bilevel.autodiff.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conjugate gradients on seeded random SPD systems (relative residual 1e-10, checked with plain
 * tensor arithmetic, and the known solution), on parameter sets, on Hessian-vector products, and
 * on indefinite systems, which it must report.
 */
class ConjugateGradientTest {

    static Stream<Arguments> systems() {
        return Stream.of(1, 2, 5, 17, 40, 100).flatMap(n -> Stream.of(1L, 2L).map(s -> Arguments.of(n, s)));
    }

    @ParameterizedTest(name = "n = {0}, seed {1}")
    @MethodSource("systems")
    void solvesRandomSpdSystemsToTheTolerance(int n, long seed) {
        Rng rng = new Rng(1000 * n + seed);
        Tensor a = Systems.randomSpd(rng, n, 0.1);
        Tensor xTrue = Tensor.randn(rng, n);
        Tensor b = a.matmul(xTrue.reshape(n, 1)).flatten();
        SolveResult r = ConjugateGradient.solve(LinearOperator.ofMatrix(a), Variable.constant(b),
                SolverOptions.defaults());
        assertThat(r.status()).isEqualTo(SolveStatus.CONVERGED);
        assertThat(r.converged()).isTrue();
        double residual = Systems.relativeResidual(a, r.solution().value(), b);
        assertThat(residual).isLessThanOrEqualTo(1e-10);
        assertThat(r.residualNorm() / Systems.norm(b)).isCloseTo(residual,
                org.assertj.core.data.Offset.offset(1e-13));
        // κ ≤ about 41, so the error is at most κ times the relative residual
        assertThat(r.solution().value().maxAbsDiff(xTrue)).isLessThanOrEqualTo(1e-7 * (1 + Systems.norm(xTrue)));
        assertThat(r.iterations()).isBetween(1, 10 * n);
    }

    @Test
    void terminatesInAsManyStepsAsDistinctEigenvalues() {
        Tensor a = Systems.withEigenvalues(new Rng(3), 1, 1, 1, 4, 4, 9, 9, 9);
        Tensor b = Tensor.randn(new Rng(4), 8);
        SolveResult r = ConjugateGradient.solve(LinearOperator.ofMatrix(a), Variable.constant(b),
                SolverOptions.defaults().withRtol(1e-12));
        assertThat(r.converged()).isTrue();
        assertThat(r.iterations()).isLessThanOrEqualTo(3 + 1);
    }

    @Test
    void solvesOnParamsThroughAFlatOperator() {
        // (D + H)·v with H the Hessian of ½‖Wθ‖² on parameters {u: [2, 3], c: [4]}, by hvp
        Params like = Params.empty()
                .with("u", Variable.constant(Tensor.zeros(2, 3)))
                .with("c", Variable.constant(Tensor.zeros(4)));
        Tensor w = Tensor.randn(new Rng(5), 10, 10);
        java.util.function.Function<Variable, Variable> f = x -> Variable.constant(w).matmul(x.reshape(10, 1))
                .square().sum().mul(0.5);
        LinearOperator op = LinearOperator.onParams(like, p -> {
            Variable x = p.flatten();
            return like.unflatten(Autodiff.hvp(f, Variable.constant(Tensor.zeros(10)), x).add(x.mul(0.5)));
        });
        Tensor a = Tensor.matmul(w, true, w, false).add(Tensor.eye(10).mul(0.5));
        Params rhs = like.unflatten(Tensor.randn(new Rng(6), 10));
        SolveResult r = ConjugateGradient.solve(op, rhs.flatten(), SolverOptions.defaults());
        assertThat(r.converged()).isTrue();
        Params u = like.unflatten(r.solution());
        assertThat(u.get("u").shape().dims()).containsExactly(2, 3);
        assertThat(Systems.relativeResidual(a, u.flattenValues(), rhs.flattenValues())).isLessThanOrEqualTo(1e-10);
    }

    @Test
    void warmStartAndZeroRightHandSide() {
        Tensor a = Systems.randomSpd(new Rng(7), 12, 0.5);
        Tensor b = Tensor.randn(new Rng(8), 12);
        LinearOperator op = LinearOperator.ofMatrix(a);
        SolveResult cold = ConjugateGradient.solve(op, Variable.constant(b), SolverOptions.defaults());
        SolveResult warm = ConjugateGradient.solve(op, Variable.constant(b), cold.solution(), SolverOptions.defaults());
        assertThat(warm.iterations()).isZero();
        assertThat(warm.converged()).isTrue();
        SolveResult zero = ConjugateGradient.solve(op, Variable.constant(Tensor.zeros(12)), SolverOptions.defaults());
        assertThat(zero.converged()).isTrue();
        assertThat(zero.solution().value().abs().max().item()).isZero();
    }

    @Test
    void reportsNonPositiveCurvatureInsteadOfGarbage() {
        LinearOperator negative = LinearOperator.ofMatrix(Systems.randomSpd(new Rng(9), 6, 0.1).neg());
        SolveResult r = ConjugateGradient.solve(negative, Variable.constant(Tensor.randn(new Rng(10), 6)),
                SolverOptions.defaults());
        assertThat(r.status()).isEqualTo(SolveStatus.NON_POSITIVE_CURVATURE);
        assertThat(r.converged()).isFalse();
        assertThat(r.iterations()).isZero();
        assertThat(r.solution().value().abs().max().item()).isZero();

        // diag(1, −4), b = (1, 1): p₀ = b has pᵀAp = 1 − 4 = −3
        SolveResult indefinite = ConjugateGradient.solve(
                LinearOperator.ofMatrix(Tensor.matrix(new double[][] {{1, 0}, {0, -4}})),
                Variable.constant(Tensor.vector(1, 1)), SolverOptions.defaults());
        assertThat(indefinite.status()).isEqualTo(SolveStatus.NON_POSITIVE_CURVATURE);
        assertThat(indefinite.residualNorm()).isCloseTo(Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-15));

        // singular PSD diag(1, 0), b = (1, 1) outside its range: p₀ = (1, 1), α₀ = 2/1, x₁ = (2, 2),
        // r₁ = (−1, 1), β₀ = 1, p₁ = (0, 2) lies in the null space: p₁ᵀAp₁ = 0
        SolveResult singular = ConjugateGradient.solve(
                LinearOperator.ofMatrix(Tensor.matrix(new double[][] {{1, 0}, {0, 0}})),
                Variable.constant(Tensor.vector(1, 1)), SolverOptions.defaults());
        assertThat(singular.status()).isEqualTo(SolveStatus.NON_POSITIVE_CURVATURE);
        assertThat(singular.iterations()).isEqualTo(1);
        assertThat(singular.solution().value().toArray()).containsExactly(2.0, 2.0);
        assertThat(singular.residualNorm()).isCloseTo(Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void reportsTheIterationLimit() {
        Tensor a = Systems.randomSpd(new Rng(11), 50, 0.01);
        SolveResult r = ConjugateGradient.solve(LinearOperator.ofMatrix(a),
                Variable.constant(Tensor.randn(new Rng(12), 50)), SolverOptions.defaults().withMaxIterations(3));
        assertThat(r.status()).isEqualTo(SolveStatus.MAX_ITERATIONS);
        assertThat(r.iterations()).isEqualTo(3);
        assertThat(r.residualNorm()).isGreaterThan(1e-10);
    }

    @Test
    void unrolledSolveIsDifferentiableInTheRightHandSide() {
        // x = A⁻¹b, so d(cᵀx)/db = A⁻¹c
        Tensor a = Systems.randomSpd(new Rng(13), 8, 0.5);
        Tensor c = Tensor.randn(new Rng(14), 8);
        Variable b = Variable.leaf(Tensor.randn(new Rng(15), 8));
        SolveResult r = ConjugateGradient.solve(LinearOperator.ofMatrix(a), b,
                SolverOptions.defaults().withRtol(1e-14));
        Tensor g = Autodiff.grad(r.solution().mul(Variable.constant(c)).sum(), b, false).value();
        Tensor expected = ConjugateGradient.solve(LinearOperator.ofMatrix(a), Variable.constant(c),
                SolverOptions.defaults().withRtol(1e-14)).solution().value();
        assertThat(g.maxAbsDiff(expected)).isLessThanOrEqualTo(1e-9);
    }

    @Test
    void rejectsMismatchedShapes() {
        LinearOperator op = LinearOperator.ofMatrix(Tensor.eye(3));
        SolverOptions o = SolverOptions.defaults();
        assertThatThrownBy(() -> ConjugateGradient.solve(op, Variable.constant(Tensor.ones(4)), o))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3, 3]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> ConjugateGradient.solve(op, Variable.constant(Tensor.ones(3, 1)), o))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vector");
        assertThatThrownBy(() -> new SolverOptions(-1, 0, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
