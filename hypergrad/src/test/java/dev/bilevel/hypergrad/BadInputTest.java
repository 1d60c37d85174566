package dev.bilevel.hypergrad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.linalg.SolveStatus;
import dev.bilevel.autodiff.linalg.SolverOptions;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Conditions that make a hypergradient wrong are reported, never hidden. */
class BadInputTest {

    @Test
    void aNonConvergedInnerSolveIsReported() {
        BilevelProblem p = Quadratic.problem(Optimizers.sgd(Quadratic.LR), 3);
        Hypergradient h = HypergradientMethod.implicitCg().compute(p, Quadratic.lambda(), Quadratic.theta0());
        assertThat(h.diagnostics().reliable()).isFalse();
        assertThat(h.diagnostics().innerResidualNorm()).isGreaterThan(1e-3);
        assertThat(h.diagnostics().warnings()).anySatisfy(w -> assertThat(w).contains("inner solve not converged"));
    }

    @Test
    void anAdjointSolveThatHitsItsLimitIsReported() {
        Hypergradient h = HypergradientMethod.implicit(LinearSolver.cg(new SolverOptions(1e-14, 0, 1)))
                .compute(Quadratic.exact(), Quadratic.lambda(), Quadratic.theta0());
        assertThat(h.diagnostics().linearSolveStatus()).isEqualTo(SolveStatus.MAX_ITERATIONS);
        assertThat(h.diagnostics().warnings()).anySatisfy(w -> assertThat(w).contains("MAX_ITERATIONS"));
    }

    /**
     * f(λ, θ) = ½θᵀSθ − (c + λ·1)ᵀθ with S = diag(2, −1, 1): the stationary point θ* = S⁻¹(c + λ1)
     * is a saddle. The implicit function theorem still holds (S is invertible): dθ*(λ)/dλ = S⁻¹1 and,
     * for F = ½‖θ‖², dF/dλ = θ*ᵀS⁻¹1. CG must report the negative curvature; the dense solve gets
     * the exact value.
     */
    @Test
    void anIndefiniteSystemMetByCgIsReportedAndDenseSolvesIt() {
        double[] s = {2, -1, 1};
        double[] c = {1, 0.5, -1};
        Variable sv = Variable.constant(Tensor.vector(s));
        Variable cv = Variable.constant(Tensor.vector(c));
        Objective f = (lam, th) -> th.get("th").square().mul(sv).sum().mul(0.5)
                .sub(cv.add(lam.get("lam")).mul(th.get("th")).sum());
        Objective outer = (lam, th) -> th.get("th").square().sum().mul(0.5);
        double lam = 0.3;
        double[] star = new double[3];
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            star[i] = (c[i] + lam) / s[i];
            expected += star[i] / s[i];
        }
        Params theta = Params.empty().with("th", Variable.constant(Tensor.of(star, 3)));
        BilevelProblem p = new BilevelProblem(InnerProblem.minimize(f), outer, new InnerSolver.Custom((l, t) -> theta));
        Params lambda = Params.empty().with("lam", Variable.constant(Tensor.scalar(lam)));

        Hypergradient cg = HypergradientMethod.implicitCg().compute(p, lambda, theta);
        assertThat(cg.diagnostics().linearSolveStatus()).isEqualTo(SolveStatus.NON_POSITIVE_CURVATURE);
        assertThat(cg.diagnostics().warnings()).anySatisfy(w -> assertThat(w).contains("non-positive curvature"));

        Hypergradient dense = HypergradientMethod.implicit(new LinearSolver.Dense()).compute(p, lambda, theta);
        assertThat(dense.diagnostics().reliable()).isTrue();
        assertThat(dense.flat().item()).isCloseTo(expected, within(1e-12));

        Hypergradient planned = new HypergradientMethod.Auto(1 << 20).compute(p, lambda, theta);
        assertThat(planned.diagnostics().plannerReason()).contains("custom inner solver");
    }

    @Test
    void aNanInTheOuterObjectiveIsAnErrorNotAValue() {
        Objective nanOuter = (lam, th) -> th.get("th").sum().sub(1e9).log();
        BilevelProblem p = new BilevelProblem(InnerProblem.minimize(Quadratic.inner()), nanOuter,
                InnerSolver.steps(Optimizers.sgd(Quadratic.LR), 50));
        for (HypergradientMethod m : new HypergradientMethod[] {HypergradientMethod.implicitCg(),
                HypergradientMethod.unrolled(), HypergradientMethod.checkpointed(), HypergradientMethod.forwardMode(),
                new HypergradientMethod.FiniteDifference(1e-4)}) {
            assertThatThrownBy(() -> m.compute(p, Quadratic.lambda(), Quadratic.theta0()))
                    .as(m.name()).isInstanceOf(NonFiniteHypergradientException.class).hasMessageContaining("not finite");
        }
    }

    @Test
    void aDivergingInnerSolveIsAnError() {
        BilevelProblem p = Quadratic.problem(Optimizers.sgd(5.0), 2000);
        assertThatThrownBy(() -> HypergradientMethod.implicitCg().compute(p, Quadratic.lambda(), Quadratic.theta0()))
                .isInstanceOf(NonFiniteHypergradientException.class).hasMessageContaining("inner solution");
    }

    @Test
    void unrollingACustomSolverIsRejectedWithTheReason() {
        assertThatThrownBy(() -> HypergradientMethod.unrolled().compute(Quadratic.exact(), Quadratic.lambda(),
                Quadratic.theta0())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("implicit");
    }
}
