package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
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

    /**
     * K = 3: the direction is θ − φ₃ and the reported loss is the support loss at φ₂, the loss the
     * last inner step differentiates (oracle: φ by the contract's plain SGD, the loss evaluated
     * on its own; Reptile never uses the query set while training).
     */
    @Test
    void threeStepsGiveThetaMinusPhiAndTheSupportLossOfTheLastStep() {
        FunctionalModel model = TinyModels.regressor();
        Reptile reptile = new Reptile(model, new Reptile.Config(0.05, 3));
        Params meta = reptile.init(new Rng(11)).detach().leaves();
        Task t = tasks().task(new Rng(5), 0);
        TaskGradient g = reptile.metaGradient(meta, t, new Rng(3));
        Tensor expected = meta.flattenValues().sub(sgd(model, meta, t, 0.05, 3).flattenValues());
        assertThat(g.gradient().flattenValues().maxAbsDiff(expected)).isLessThan(1e-14);
        Task supportAsQuery = new Task(t.supportX(), t.supportY(), t.supportX(), t.supportY(), 0);
        double lastStepLoss = queryLoss(model, sgd(model, meta, t, 0.05, 2), supportAsQuery);
        assertThat(g.queryLoss()).isCloseTo(lastStepLoss, org.assertj.core.data.Offset.offset(1e-14));
        assertThat(g.queryLoss()).isNotEqualTo(queryLoss(model, sgd(model, meta, t, 0.05, 3), t));
    }

    /** Beats the non-meta-learned baseline: 5 SGD steps from the random initialization. */
    @Test
    void beatsTheRandomInitializationAfterAdaptation() {
        Reptile reptile = new Reptile(TinyModels.sinusoidNet(), new Reptile.Config(0.02, 5));
        SinusoidTraining.Outcome o = SinusoidTraining.run(reptile, Optimizers.sgd(1.0), 200, 5, 5);
        assertThat(o.after()).isLessThan(0.8 * o.before());
    }
}
