package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prototypical networks: gradient of the query cross-entropy, and learning beats a random embedding. */
class ProtoNetTest extends MetaLearnerContract {
    private static final LabeledDataset DATA = SyntheticData.gaussianClasses(20, 20, 4, 12, 3.0, 1);
    private static final ClassSplit SPLIT = new ClassSplit(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), List.of(),
            List.of(10, 11, 12, 13, 14, 15, 16, 17, 18, 19));

    @Override
    protected MetaLearner learner() {
        return new ProtoNet(FunctionalModel.of(Mlp.of(16, 6, 4).activation(Activation.TANH)), new ProtoNet.Config(1.0));
    }

    @Override
    protected TaskSampler tasks() {
        return new FewShotTasks(DATA, SPLIT.train(), 3, 2, 3, false);
    }

    /** The loss value, from the forward pass alone. */
    @Override
    protected double oracleObjective(Params base, Params at, Task task, Rng rng) {
        return learner().evaluate(at, task, new int[] {0}, rng).get(0).loss();
    }

    /**
     * 5-way 1-shot on held-out classes: 300 iterations of Adam lift the accuracy of the prototype
     * classifier well above the same classifier on the untrained embedding.
     */
    @Test
    void beatsTheUntrainedEmbeddingOnHeldOutClasses() {
        ProtoNet proto = new ProtoNet(FunctionalModel.of(Mlp.of(16, 32, 8).activation(Activation.RELU)),
                new ProtoNet.Config(1.0));
        FewShotTasks train = new FewShotTasks(DATA, SPLIT.train(), 5, 1, 5, false);
        FewShotTasks test = new FewShotTasks(DATA, SPLIT.test(), 5, 1, 5, false);
        MetaTrainer trainer = new MetaTrainer(proto, Optimizers.adam(3e-3), train, null, MetaTrainer.Config.of(300, 4, 2),
                ProgressListener.NONE);
        Params before = trainer.initialState().meta();
        Params after = trainer.train().state().meta();
        double b = MetaEvaluation.run(proto, before, test, new Rng(8), 200, new int[] {0}).get(0).accuracy();
        double a = MetaEvaluation.run(proto, after, test, new Rng(8), 200, new int[] {0}).get(0).accuracy();
        assertThat(a).as("after %s, before %s", a, b).isGreaterThan(b + 0.1);
    }
}
