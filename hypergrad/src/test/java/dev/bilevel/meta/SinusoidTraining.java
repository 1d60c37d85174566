package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.tensor.Rng;

/** Meta-trains a learner on sinusoids with a small budget and scores it before and after. */
final class SinusoidTraining {
    private SinusoidTraining() {
    }

    /** Post-adaptation query MSE after {@code steps} steps, before and after training. */
    record Outcome(double before, double after) {
    }

    static Outcome run(MetaLearner learner, Optimizer outer, int iterations, int batch, int steps) {
        SinusoidTasks tasks = new SinusoidTasks(10, 10);
        MetaTrainer trainer = new MetaTrainer(learner, outer, tasks, null, MetaTrainer.Config.of(iterations, batch, 1),
                ProgressListener.NONE);
        Params before = trainer.initialState().meta();
        Params after = trainer.train().state().meta();
        int[] s = {steps};
        double b = MetaEvaluation.run(learner, before, tasks, new Rng(77), 100, s).get(0).loss();
        double a = MetaEvaluation.run(learner, after, tasks, new Rng(77), 100, s).get(0).loss();
        return new Outcome(b, a);
    }
}
