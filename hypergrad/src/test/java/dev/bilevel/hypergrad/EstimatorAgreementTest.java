package dev.bilevel.hypergrad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.linalg.SolverOptions;
import dev.bilevel.autodiff.optim.Optimizers;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every estimator against the closed-form hypergradient of {@link Quadratic}, each within its
 * expected error: the step-based and implicit ones to rounding (the inner iteration has converged
 * to machine precision, and the unrolled derivative with it), finite differences to O(h²), the
 * zero-order estimate to a few standard errors ‖g‖/√N.
 */
class EstimatorAgreementTest {
    private static final SolverOptions TIGHT = new SolverOptions(1e-13, 0, 5000);

    static Stream<Arguments> estimators() {
        BilevelProblem gd = Quadratic.converged();
        BilevelProblem exact = Quadratic.exact();
        return Stream.of(
                Arguments.of(HypergradientMethod.unrolled(), gd, 1e-9),
                Arguments.of(HypergradientMethod.truncated(150), gd, 1e-9),
                Arguments.of(HypergradientMethod.checkpointed(), gd, 1e-9),
                Arguments.of(HypergradientMethod.forwardMode(), gd, 1e-9),
                Arguments.of(HypergradientMethod.implicit(LinearSolver.cg(TIGHT)), gd, 1e-10),
                Arguments.of(HypergradientMethod.implicit(new LinearSolver.NormalCg(TIGHT)), gd, 1e-9),
                Arguments.of(HypergradientMethod.implicit(new LinearSolver.Neumann(Quadratic.LR, TIGHT)), gd, 1e-10),
                Arguments.of(HypergradientMethod.implicit(new LinearSolver.Dense()), gd, 1e-10),
                Arguments.of(HypergradientMethod.implicit(LinearSolver.cg(TIGHT)), exact, 1e-10),
                Arguments.of(new HypergradientMethod.FiniteDifference(1e-5), exact, 1e-8),
                Arguments.of(new HypergradientMethod.Auto(Long.MAX_VALUE), gd, 1e-9),
                Arguments.of(new HypergradientMethod.Auto(10_000), gd, 1e-9));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("estimators")
    void agreesWithTheClosedForm(HypergradientMethod method, BilevelProblem problem, double tolerance) {
        Hypergradient h = method.compute(problem, Quadratic.lambda(), Quadratic.theta0());
        double[] expected = Quadratic.analytic();
        double[] got = h.flat().toArray();
        for (int j = 0; j < expected.length; j++) {
            assertThat(got[j]).as("component %d of %s", j, h.diagnostics().estimator())
                    .isCloseTo(expected[j], within(tolerance));
        }
        assertThat(h.diagnostics().reliable()).as("warnings %s", h.diagnostics().warnings()).isTrue();
        assertThat(h.diagnostics().innerResidualNorm()).isLessThan(1e-9);
        if (method instanceof HypergradientMethod.Auto) {
            assertThat(h.diagnostics().plannerReason()).isNotBlank();
        }
    }

    /**
     * Zero-order: the antithetic estimate of a function with gradient g has per-component standard
     * error about ‖g‖/√N (for σ → 0 it is uᵢuᵢᵀg averaged); N = 3000 gives ~0.018‖g‖, so 0.1‖g‖ is
     * more than five standard errors.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void zeroOrderIsWithinItsStandardError(long seed) {
        Hypergradient h = new HypergradientMethod.ZeroOrder(3000, 1e-4, seed)
                .compute(Quadratic.exact(), Quadratic.lambda(), Quadratic.theta0());
        double[] expected = Quadratic.analytic();
        double[] got = h.flat().toArray();
        double norm = Math.hypot(expected[0], expected[1]);
        assertThat(Math.hypot(got[0] - expected[0], got[1] - expected[1])).isLessThan(0.1 * norm);
    }

    static Stream<Long> seeds() {
        return Stream.of(1L, 2L, 3L);
    }

    /** The fixed-point form θ = T(λ, θ) = θ − η∇f, its unrolled iteration and its adjoint fixed-point iteration. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixedPointEstimators")
    void fixedPointFormAgrees(HypergradientMethod method) {
        Objective f = Quadratic.inner();
        ParamsMap step = (lam, th) -> {
            Params g = dev.bilevel.autodiff.Autodiff.grad(f.value(lam, th), th, true, true);
            return th.zip(g, (x, d) -> x.sub(d.mul(Quadratic.LR)));
        };
        BilevelProblem p = new BilevelProblem(InnerProblem.fixedPoint(step), Quadratic.outer(),
                new InnerSolver.FixedPointSteps(400));
        Hypergradient h = method.compute(p, Quadratic.lambda(), Quadratic.theta0());
        double[] expected = Quadratic.analytic();
        assertThat(h.flat().toArray()).containsExactly(expected, within(1e-9));
        assertThat(h.diagnostics().reliable()).as("%s", h.diagnostics().warnings()).isTrue();
    }

    static Stream<HypergradientMethod> fixedPointEstimators() {
        return Stream.of(HypergradientMethod.implicit(new LinearSolver.FixedPointIteration(TIGHT)),
                HypergradientMethod.implicit(new LinearSolver.Dense()), HypergradientMethod.unrolled(),
                HypergradientMethod.checkpointed(), HypergradientMethod.forwardMode());
    }

    /** Momentum's unused optimizer state does not matter to the planner; a tiny budget avoids unrolling. */
    @org.junit.jupiter.api.Test
    void plannerAvoidsFullUnrollingUnderATightBudget() {
        Planner.Plan big = Planner.plan(Quadratic.problem(Optimizers.momentum(0.1, 0.9), 400), Quadratic.lambda(),
                Quadratic.theta0(), Long.MAX_VALUE);
        Planner.Plan small = Planner.plan(Quadratic.problem(Optimizers.momentum(0.1, 0.9), 400), Quadratic.lambda(),
                Quadratic.theta0(), 10_000);
        assertThat(big.method()).isInstanceOf(HypergradientMethod.Unrolled.class);
        assertThat(small.method()).isNotInstanceOf(HypergradientMethod.Unrolled.class);
        assertThat(small.reason()).contains("budget = 10000");
    }
}
