package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Rng;
import org.junit.jupiter.api.Test;

/** Reptile: with one inner step the direction θ − φ is the gradient of α·L_S (Nichol et al. 2018 §5). */
class ReptileTest extends MetaLearnerContract {
    private static final Reptile.Config CONFIG = new Reptile.Config(0.05, 1);

    @Override
    protected MetaLearner learner() {
        return new Reptile(TinyModels.regressor(), CONFIG);
    }

    @Override
    protected TaskSampler tasks() {
        return new SinusoidTasks(5, 5);
    }

    @Override
    protected double oracleObjective(Params base, Params at, Task task, Rng rng) {
        Task supportAsQuery = new Task(task.supportX(), task.supportY(), task.supportX(), task.supportY(), 0);
        return CONFIG.innerLr() * queryLoss(TinyModels.regressor(), at, supportAsQuery);
    }

    /** Beats the non-meta-learned baseline: 5 SGD steps from the random initialization. */
    @Test
    void beatsTheRandomInitializationAfterAdaptation() {
        Reptile reptile = new Reptile(TinyModels.sinusoidNet(), new Reptile.Config(0.02, 5));
        SinusoidTraining.Outcome o = SinusoidTraining.run(reptile, Optimizers.sgd(1.0), 200, 5, 5);
        assertThat(o.after()).isLessThan(0.8 * o.before());
    }
}
