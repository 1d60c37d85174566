package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MetaLearner} satisfies; each learner's test extends this class.
 *
 * <ul>
 *   <li>the meta-gradient has θ's names and shapes and is finite;</li>
 *   <li>it is deterministic: the same (θ, task, seed) gives the same bits, on another thread too;</li>
 *   <li>it equals the directional central difference of the learner's oracle objective
 *       ({@link #oracleObjective}), in 3 random directions;</li>
 *   <li>{@code evaluate} gives one finite entry per requested step count.</li>
 * </ul>
 */
abstract class MetaLearnerContract {

    /** A learner on a tiny, smooth model. */
    protected abstract MetaLearner learner();

    /** Tasks for the learner. */
    protected abstract TaskSampler tasks();

    /**
     * The oracle: a function F of θ' (evaluated without recording) whose gradient at θ' = base is
     * what {@link MetaLearner#metaGradient} must return at base.
     */
    protected abstract double oracleObjective(Params base, Params at, Task task, Rng rng);

    /** Relative tolerance of the finite-difference check. */
    protected double tolerance() {
        return 1e-5;
    }

    /** Finite-difference step. */
    protected double fdStep() {
        return 1e-5;
    }

    private Params meta() {
        return learner().init(new Rng(11)).detach().leaves();
    }

    private Task task() {
        return tasks().task(new Rng(5), 0);
    }

    @Test
    void metaGradientHasTheMetaParametersNamesAndShapesAndIsFinite() {
        Params meta = meta();
        TaskGradient g = learner().metaGradient(meta, task(), new Rng(3));
        assertThat(g.gradient().names()).isEqualTo(meta.names());
        for (String n : meta.names()) {
            assertThat(g.gradient().get(n).shape()).as(n).isEqualTo(meta.get(n).shape());
            assertThat(g.gradient().get(n).value().isFinite()).as(n).isTrue();
        }
        assertThat(g.queryLoss()).isFinite();
    }

    @Test
    void metaGradientIsDeterministicAcrossCallsAndThreads() throws Exception {
        Params meta = meta();
        Task t = task();
        TaskGradient a = learner().metaGradient(meta, t, new Rng(3));
        TaskGradient b = CompletableFuture.supplyAsync(() -> learner().metaGradient(meta, t, new Rng(3))).get();
        assertThat(b.queryLoss()).isEqualTo(a.queryLoss());
        assertThat(b.gradient().flattenValues().toArray()).isEqualTo(a.gradient().flattenValues().toArray());
    }

    @Test
    void metaGradientMatchesFiniteDifferencesOfTheOracle() {
        Params meta = meta();
        Task t = task();
        Tensor g = learner().metaGradient(meta, t, new Rng(3)).gradient().flattenValues();
        Tensor base = meta.flattenValues();
        Rng dirs = new Rng(99);
        double h = fdStep();
        for (int d = 0; d < 3; d++) {
            Tensor v = Tensor.randn(dirs, base.size());
            double plus = oracleObjective(meta, meta.unflatten(base.addScaled(v, h)).leaves(), t, new Rng(3));
            double minus = oracleObjective(meta, meta.unflatten(base.addScaled(v, -h)).leaves(), t, new Rng(3));
            double fd = (plus - minus) / (2 * h);
            double analytic = g.mul(v).sum().item();
            assertThat(Math.abs(analytic - fd)).as("direction %d: analytic %s, finite difference %s", d, analytic, fd)
                    .isLessThanOrEqualTo(tolerance() * Math.max(1.0, Math.abs(fd)));
        }
    }

    @Test
    void evaluateReturnsOneFiniteEntryPerStepCount() {
        List<TaskMetrics> m = learner().evaluate(meta(), task(), new int[] {0, 1, 3}, new Rng(3));
        assertThat(m).hasSize(3);
        assertThat(m.stream().map(TaskMetrics::steps).toList()).containsExactly(0, 1, 3);
        for (TaskMetrics x : m) {
            assertThat(x.loss()).isFinite();
        }
    }

    /** The query loss of {@code model} at {@code phi}, without a graph. */
    static double queryLoss(FunctionalModel model, Params phi, Task task) {
        try (ModeScope off = GradMode.disabled()) {
            return task.queryLoss(model.applyQuery(phi, Variable.constant(task.supportX()),
                    Variable.constant(task.queryX()))).item();
        }
    }

    /** φ after {@code steps} plain gradient steps of size α from {@code theta} (values only). */
    static Params sgd(FunctionalModel model, Params theta, Task task, double alpha, int steps) {
        return InnerLoop.adapt(model, theta.detach().leaves(), task, n -> true, (n, g) -> g.mul(alpha), steps, false)
                .detach();
    }
}
