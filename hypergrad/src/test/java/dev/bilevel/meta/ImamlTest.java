package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Params;
import dev.bilevel.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * iMAML: the implicit meta-gradient (CG over Hessian-vector products, via
 * {@code dev.bilevel.hypergrad.ImplicitDiff}) against central differences of L_Q(φ̂(θ)), with the
 * proximal inner problem solved to convergence (400 steps: contraction ≤ 0.95 per step, so the
 * inner error is below 1e-8) (Rajeswaran et al. 2019, Theorem 1).
 */
class ImamlTest extends MetaLearnerContract {
    private static final Imaml.Config CONFIG = new Imaml.Config(2.0, 0.1, 400, 100);

    @Override
    protected MetaLearner learner() {
        return new Imaml(TinyModels.regressor(), CONFIG);
    }

    @Override
    protected TaskSampler tasks() {
        return new SinusoidTasks(5, 5);
    }

    @Override
    protected double oracleObjective(Params base, Params at, Task task, Rng rng) {
        Imaml imaml = new Imaml(TinyModels.regressor(), CONFIG);
        return queryLoss(TinyModels.regressor(), imaml.solveInner(at, task, 400).detach(), task);
    }

    @Override
    protected double tolerance() {
        return 1e-4;
    }

    /** The implicit gradient differs from first-order MAML's ∇L_Q(φ̂) by the (I + H/λ)⁻¹ factor: not equal. */
    @Test
    void theImplicitGradientIsNotTheFirstOrderOne() {
        Imaml imaml = new Imaml(TinyModels.regressor(), CONFIG);
        Params theta = imaml.init(new Rng(11)).detach().leaves();
        Task t = tasks().task(new Rng(5), 0);
        Params phi = imaml.solveInner(theta, t, CONFIG.innerSteps());
        TaskGradient fo = InnerLoop.result(InnerLoop.queryLoss(TinyModels.regressor(), phi, t), phi);
        TaskGradient im = imaml.metaGradient(theta, t, new Rng(3));
        double diff = fo.gradient().flattenValues().maxAbsDiff(im.gradient().flattenValues());
        assertThat(diff).isGreaterThan(1e-4);
        assertThat(im.queryLoss()).isEqualTo(fo.queryLoss());
    }
}
