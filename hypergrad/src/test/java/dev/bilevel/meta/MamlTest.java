package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Rng;
import org.junit.jupiter.api.Test;

/** Second-order MAML: contract (oracle: the query loss after the unrolled K steps) and learning. */
class MamlTest extends MetaLearnerContract {
    private static final Maml.Config CONFIG = new Maml.Config(0.05, 2, false);

    @Override
    protected MetaLearner learner() {
        return new Maml(TinyModels.regressor(), CONFIG);
    }

    @Override
    protected TaskSampler tasks() {
        return new SinusoidTasks(5, 5);
    }

    /** F(θ) = L_Q(φ_K(θ)): the MAML objective itself. */
    @Override
    protected double oracleObjective(Params base, Params at, Task task, Rng rng) {
        return queryLoss(TinyModels.regressor(), sgd(TinyModels.regressor(), at, task, CONFIG.innerLr(),
                CONFIG.innerSteps()), task);
    }

    /**
     * Finn et al. 2017 §5.1 setting with a small budget: 600 meta-iterations of 10 tasks lower the
     * 1-step post-adaptation MSE on 100 held-out tasks well below that of the initialization
     * (≈ 3 or more for a random 1-40-40-1 network on amplitudes up to 5).
     */
    @Test
    void lowersThePostAdaptationLossOnSinusoidsWithinAFewHundredIterations() {
        Maml maml = new Maml(TinyModels.sinusoidNet(), new Maml.Config(0.01, 1, false));
        MetaTrainer trainer = new MetaTrainer(maml, Optimizers.adam(1e-3), new SinusoidTasks(10, 10), null,
                MetaTrainer.Config.of(600, 10, 1), ProgressListener.NONE);
        Params before = trainer.initialState().meta();
        Params after = trainer.train().state().meta();
        int[] one = {1};
        double b = MetaEvaluation.run(maml, before, new SinusoidTasks(10, 10), new Rng(77), 100, one).get(0).loss();
        double a = MetaEvaluation.run(maml, after, new SinusoidTasks(10, 10), new Rng(77), 100, one).get(0).loss();
        assertThat(a).as("after %s, before %s", a, b).isLessThan(0.6 * b);
    }
}
