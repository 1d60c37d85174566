package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.nn.Linear;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Rng;
import org.junit.jupiter.api.Test;

/** The learned optimizer: gradient of the unrolled trajectory loss, and it beats SGD on linear regression. */
class LearnedOptimizerTest extends MetaLearnerContract {
    private static final FunctionalModel LINEAR = FunctionalModel.of(Linear.of(4, 1));
    private static final LearnedOptimizer.Config CONFIG = new LearnedOptimizer.Config(8, 3, 1.0, 0.1, true);

    @Override
    protected MetaLearner learner() {
        return new LearnedOptimizer(LINEAR, CONFIG);
    }

    @Override
    protected TaskSampler tasks() {
        return new SyntheticData.LinearTasks(10, 10);
    }

    /** The trajectory loss value, from the forward pass alone (same optimizee initialization). */
    @Override
    protected double oracleObjective(Params base, Params at, Task task, Rng rng) {
        return learner().metaGradient(at.detach().leaves(), task, rng).queryLoss();
    }

    /**
     * After meta-training on 5-step trajectories, 5 learned steps reach a lower query MSE on
     * held-out tasks than 5 steps of SGD at the best of the learning rates 0.01, 0.03 and 0.1, and
     * lower than the untrained optimizer.
     */
    @Test
    void beatsHandTunedSgdOnHeldOutTasks() {
        LearnedOptimizer lo = new LearnedOptimizer(LINEAR, new LearnedOptimizer.Config(16, 5, 1.0, 0.1, false));
        TaskSampler tasks = new SyntheticData.LinearTasks(10, 10);
        MetaTrainer trainer = new MetaTrainer(lo, Optimizers.adam(1e-2), tasks, null, MetaTrainer.Config.of(300, 4, 3),
                ProgressListener.NONE);
        Params before = trainer.initialState().meta();
        Params psi = trainer.train().state().meta();
        int[] five = {5};
        double learned = MetaEvaluation.run(lo, psi, tasks, new Rng(9), 200, five).get(0).loss();
        double untrained = MetaEvaluation.run(lo, before, tasks, new Rng(9), 200, five).get(0).loss();
        double bestSgd = Double.POSITIVE_INFINITY;
        for (double lr : new double[] {0.01, 0.03, 0.1}) {
            Maml sgd = new Maml(LINEAR, new Maml.Config(lr, 0, true));
            // The same fresh initializations as the learned optimizer: Rng streams of the evaluation.
            double sum = 0;
            Rng root = new Rng(9);
            for (int i = 0; i < 200; i++) {
                Params init = LINEAR.init(root.fork(-1 - (long) i));
                sum += sgd.evaluate(init, tasks.task(root, i), five, null).get(0).loss();
            }
            bestSgd = Math.min(bestSgd, sum / 200);
        }
        assertThat(learned).as("learned %s, SGD %s, untrained %s", learned, bestSgd, untrained)
                .isLessThan(bestSgd).isLessThan(untrained);
    }
}
