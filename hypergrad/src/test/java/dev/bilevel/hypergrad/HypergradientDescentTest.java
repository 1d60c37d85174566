package dev.bilevel.hypergrad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.linalg.SolverOptions;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The outer loop on {@link Quadratic}, with the closed-form dF/dλ as the oracle of stationarity:
 * unconstrained descent ends where ∇F(λ) = 0; projected descent where λ = Π_C(λ − η∇F(λ)); HOAG
 * reaches the same point while solving early inner problems loosely.
 */
class HypergradientDescentTest {

    @Test
    void convergesToAStationaryPointOfTheOuterObjective() {
        HypergradientDescent.Result r = HypergradientDescent.run(Quadratic.exact(), Quadratic.lambda(),
                Quadratic.theta0(), new HypergradientDescent.Config(HypergradientMethod.implicitCg(),
                        Optimizers.momentum(0.5, 0.5), new Projection.Unconstrained(), 300, true, null),
                HypergradientDescent.Listener.NONE);
        double[] g = Quadratic.analytic(r.lambda().flattenValues().toArray());
        assertThat(Math.hypot(g[0], g[1])).isLessThan(1e-8);
        assertThat(r.history().get(299).outerValue()).isLessThan(r.history().get(0).outerValue());
    }

    @Test
    void projectedDescentSatisfiesTheFixedPointCondition() {
        Projection box = new Projection.Box(0.6, 2.0);
        HypergradientDescent.Result r = HypergradientDescent.run(Quadratic.exact(), Quadratic.lambda(),
                Quadratic.theta0(), new HypergradientDescent.Config(HypergradientMethod.implicitCg(),
                        Optimizers.sgd(0.5), box, 300, false, null), HypergradientDescent.Listener.NONE);
        Tensor lam = r.lambda().flattenValues();
        Tensor g = Tensor.vector(Quadratic.analytic(lam.toArray()));
        Tensor fixed = box.project(lam.addScaled(g, -0.5));
        assertThat(fixed.maxAbsDiff(lam)).isLessThan(1e-9);
        for (double v : lam.toArray()) {
            assertThat(v).isBetween(0.6, 2.0);
        }
    }

    @Test
    void hoagSolvesEarlyInnerProblemsLooselyAndStillConverges() {
        BilevelProblem p = new BilevelProblem(InnerProblem.minimize(Quadratic.inner()), Quadratic.outer(),
                new InnerSolver.OptimizerSteps(Optimizers.sgd(Quadratic.LR), 5000, 0));
        List<Integer> innerSteps = new ArrayList<>();
        HypergradientDescent.Result r = HypergradientDescent.run(p, Quadratic.lambda(), Quadratic.theta0(),
                new HypergradientDescent.Config(HypergradientMethod.implicit(LinearSolver.cg(SolverOptions.defaults())),
                        Optimizers.momentum(0.5, 0.5), new Projection.Unconstrained(), 200, true,
                        new HoagSchedule(1e-2, 0.85, 1e-12)),
                s -> innerSteps.add(s.hypergradient().diagnostics().innerSteps()));
        double[] g = Quadratic.analytic(r.lambda().flattenValues().toArray());
        assertThat(Math.hypot(g[0], g[1])).isLessThan(1e-7);
        assertThat(innerSteps.get(0)).isLessThan(5000);
        assertThat(r.history()).allSatisfy(s -> assertThat(s.hypergradient().diagnostics().reliable()).isTrue());
        Params last = r.history().get(199).hypergradient().innerSolution();
        assertThat(last.numel()).isEqualTo(4);
    }
}
