package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The closed-form, task-batched MAML of an MLP: against the recorded inner loop (differentiated by
 * autodiff), against central differences of the MAML objective, and bit for bit against itself
 * whatever the batch a task lands in or the number of training threads.
 */
class ClosedFormMlpMamlTest {

    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of(Mlp.of(1, 40, 40, 1).activation(Activation.RELU), new Maml.Config(0.01, 1, false)),
                Arguments.of(Mlp.of(1, 40, 40, 1).activation(Activation.RELU), new Maml.Config(0.05, 3, false)),
                Arguments.of(Mlp.of(1, 40, 40, 1).activation(Activation.RELU), new Maml.Config(0.05, 2, true)),
                Arguments.of(Mlp.of(1, 6, 5, 4, 1).activation(Activation.IDENTITY), new Maml.Config(0.02, 2, false)),
                Arguments.of(Mlp.of(1, 7, 1), new Maml.Config(0.1, 0, false)));
    }

    private static List<Task> tasks(int n, long seed) {
        SinusoidTasks sampler = new SinusoidTasks(10, 10);
        List<Task> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sampler.task(new Rng(seed), i));
        }
        return out;
    }

    private static List<Rng> rngs(int n) {
        List<Rng> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Rng(i));
        }
        return out;
    }

    /** Oracle: autodiff through the recorded inner steps (InnerLoop), the same function computed another way. */
    @ParameterizedTest
    @MethodSource("settings")
    void equalsTheRecordedInnerLoopToRounding(Mlp mlp, Maml.Config config) {
        Maml maml = new Maml(FunctionalModel.of(mlp), config);
        Params theta = maml.init(new Rng(3)).detach().leaves();
        List<Task> tasks = tasks(4, 11);
        List<TaskGradient> batched = maml.metaGradients(theta, tasks, rngs(4));
        for (int i = 0; i < tasks.size(); i++) {
            TaskGradient recorded = maml.recorded(theta, tasks.get(i));
            assertThat(batched.get(i).queryLoss()).isCloseTo(recorded.queryLoss(),
                    org.assertj.core.data.Offset.offset(1e-12 * Math.max(1, recorded.queryLoss())));
            assertThat(batched.get(i).gradient().names()).isEqualTo(theta.names());
            Tensor got = batched.get(i).gradient().flattenValues();
            Tensor want = recorded.gradient().flattenValues();
            double scale = Math.max(1, want.abs().max().item());
            assertThat(got.maxAbsDiff(want)).as("task %d", i).isLessThanOrEqualTo(1e-12 * scale);
        }
    }

    /**
     * Oracle: central differences of F(θ) = L_Q(φ_K(θ)) with φ_K from plain gradient steps, on a
     * small linear-activation network (smooth, with a nonzero Hessian) and a small ReLU network.
     */
    @ParameterizedTest
    @MethodSource("smallNets")
    void matchesCentralDifferencesOfTheMamlObjective(Mlp mlp) {
        Maml.Config config = new Maml.Config(0.05, 2, false);
        FunctionalModel model = FunctionalModel.of(mlp);
        Maml maml = new Maml(model, config);
        Params theta = maml.init(new Rng(5)).detach().leaves();
        Task task = tasks(1, 17).get(0);
        double[] g = maml.metaGradients(theta, List.of(task), rngs(1)).get(0).gradient().flattenValues().toArray();
        double[] x = theta.flattenValues().toArray();
        double h = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (objective(model, theta, plus, task, config) - objective(model, theta, minus, task, config))
                    / (2 * h);
            assertThat(g[i]).as("coordinate %d", i).isCloseTo(fd,
                    org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(fd))));
        }
    }

    static Stream<Mlp> smallNets() {
        return Stream.of(Mlp.of(1, 4, 3, 1).activation(Activation.IDENTITY), Mlp.of(1, 5, 4, 1));
    }

    private static double objective(FunctionalModel model, Params like, double[] values, Task task,
            Maml.Config config) {
        Params at = like.unflatten(Tensor.of(values, values.length)).detach().leaves();
        return MetaLearnerContract.queryLoss(model, MetaLearnerContract.sgd(model, at, task, config.innerLr(),
                config.innerSteps()), task);
    }

    @Test
    void aTasksResultHasTheSameBitsInAnyBatch() {
        Maml maml = new Maml(TinyModels.sinusoidNet(), new Maml.Config(0.01, 1, false));
        Params theta = maml.init(new Rng(8)).detach().leaves();
        List<Task> tasks = tasks(25, 4);
        List<TaskGradient> whole = maml.metaGradients(theta, tasks, rngs(25));
        List<TaskGradient> split = new ArrayList<>(maml.metaGradients(theta, tasks.subList(0, 13), rngs(13)));
        split.addAll(maml.metaGradients(theta, tasks.subList(13, 25), rngs(12)));
        for (int i = 0; i < 25; i++) {
            TaskGradient alone = maml.metaGradient(theta, tasks.get(i), new Rng(i));
            double[] bits = whole.get(i).gradient().flattenValues().toArray();
            assertThat(split.get(i).gradient().flattenValues().toArray()).isEqualTo(bits);
            assertThat(alone.gradient().flattenValues().toArray()).isEqualTo(bits);
            assertThat(alone.queryLoss()).isEqualTo(whole.get(i).queryLoss());
        }
    }

    @Test
    void twoAndThreeThreadsGiveTheBitsOfOneOnTheSinusoidBenchmarkSetting() {
        Maml maml = new Maml(TinyModels.sinusoidNet(), new Maml.Config(0.01, 1, false));
        MetaTrainer.Config c = MetaTrainer.Config.of(5, 25, 9);
        double[] one = train(maml, c).meta().flattenValues().toArray();
        assertThat(train(maml, c.withThreads(2)).meta().flattenValues().toArray()).isEqualTo(one);
        assertThat(train(maml, c.withThreads(3)).meta().flattenValues().toArray()).isEqualTo(one);
    }

    private static MetaTrainer.State train(Maml maml, MetaTrainer.Config c) {
        return new MetaTrainer(maml, Optimizers.adam(1e-3), new SinusoidTasks(10, 10), null, c, ProgressListener.NONE)
                .train().state();
    }
}
