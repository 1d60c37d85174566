package dev.bilevel.autodiff.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CGLS on random non-symmetric square systems (solved to the tolerance, known solution) and on
 * tall least-squares problems (normal-equation residual Aᵀ(b − Ax) ≈ 0), with the adjoint given
 * explicitly or derived by reverse mode.
 */
class CglsTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void solvesNonSymmetricSquareSystems(long seed) {
        int n = 30;
        Rng rng = new Rng(seed);
        Tensor a = Tensor.eye(n).mul(2).add(Tensor.randn(rng, n, n).div(Math.sqrt(n)));
        assertThat(a.maxAbsDiff(a.transpose())).as("non-symmetric").isGreaterThan(0.1);
        Tensor xTrue = Tensor.randn(rng, n);
        Tensor b = a.matmul(xTrue.reshape(n, 1)).flatten();
        LinearOperator op = LinearOperator.ofMatrix(a);
        LinearOperator explicitAdjoint = LinearOperator.ofMatrix(a.transpose());
        for (LinearOperator adjoint : new LinearOperator[] {explicitAdjoint, op.adjoint(n)}) {
            // the normal-equation test ‖Aᵀr‖ ≤ rtol‖Aᵀb‖ may stop first, with ‖r‖/‖b‖ up to κ(A)·rtol
            SolveResult r = Cgls.solve(op, adjoint, Variable.constant(b), SolverOptions.defaults().withRtol(1e-12));
            assertThat(r.status()).isEqualTo(SolveStatus.CONVERGED);
            assertThat(Systems.relativeResidual(a, r.solution().value(), b)).isLessThanOrEqualTo(1e-10);
            assertThat(r.solution().value().maxAbsDiff(xTrue)).isLessThanOrEqualTo(1e-8);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4, 5})
    void reachesTheLeastSquaresSolutionOfATallSystem(long seed) {
        int m = 40;
        int n = 15;
        Rng rng = new Rng(seed);
        Tensor a = Tensor.randn(rng, m, n);
        Tensor b = Tensor.randn(rng, m);
        SolveResult r = Cgls.solve(LinearOperator.ofMatrix(a), LinearOperator.ofMatrix(a.transpose()),
                Variable.constant(b), SolverOptions.defaults());
        assertThat(r.converged()).isTrue();
        Tensor x = r.solution().value();
        assertThat(x.shape().dims()).containsExactly(n);
        Tensor residual = b.sub(a.matmul(x.reshape(n, 1)).flatten());
        Tensor normal = a.transpose().matmul(residual.reshape(m, 1)).flatten();
        Tensor normalB = a.transpose().matmul(b.reshape(m, 1)).flatten();
        assertThat(Systems.norm(normal)).isLessThanOrEqualTo(1e-10 * Systems.norm(normalB));
        assertThat(r.residualNorm()).isCloseTo(Systems.norm(residual), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.residualNorm()).as("an inconsistent system keeps a residual").isGreaterThan(0.1);
    }
}
