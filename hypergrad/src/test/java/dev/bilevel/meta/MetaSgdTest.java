package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Rng;
import org.junit.jupiter.api.Test;

/** Meta-SGD: oracle L_Q(φ_K(θ, α)) with learned per-coordinate step sizes (Li et al. 2017). */
class MetaSgdTest extends MetaLearnerContract {
    private static final MetaSgd.Config CONFIG = new MetaSgd.Config(0.05, 2);

    @Override
    protected MetaLearner learner() {
        return new MetaSgd(TinyModels.regressor(), CONFIG);
    }

    @Override
    protected TaskSampler tasks() {
        return new SinusoidTasks(5, 5);
    }

    @Override
    protected double oracleObjective(Params base, Params at, Task task, Rng rng) {
        FunctionalModel m = TinyModels.regressor();
        Params phi = InnerLoop.adapt(m, MetaSgd.modelParams(at).detach().leaves(), task, n -> true,
                (n, g) -> g.mul(at.get(MetaSgd.LR_PREFIX + n).detach()), CONFIG.innerSteps(), false).detach();
        return queryLoss(m, phi, task);
    }

    /** Beats the non-meta-learned baseline: one step of size 0.01 from the random initialization. */
    @Test
    void beatsTheRandomInitializationWithFixedStepSizes() {
        MetaSgd metaSgd = new MetaSgd(TinyModels.sinusoidNet(), new MetaSgd.Config(0.01, 1));
        SinusoidTraining.Outcome o = SinusoidTraining.run(metaSgd, Optimizers.adam(1e-3), 300, 5, 1);
        assertThat(o.after()).isLessThan(0.6 * o.before());
    }
}
