package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each conv-4 meta-learner against PyTorch, computed in float64 by
 * {@code src/test/python/conv4_reference.py} (PyTorch 1.13) with the {@code fewshot-images} twin's
 * own functions: a 4-channel conv-4 on 16×16 inputs with random parameters (conv biases included:
 * PyTorch adds them before BatchNorm, which removes them; {@link Conv4} keeps them as parameters
 * and does not add them). One random 5-way 1-shot task with 3 queries per class gives the query
 * loss and meta-gradient; agreement to 1e-9 relative means both sides compute the same functions,
 * second derivatives included. Six meta-iterations of {@link MetaTrainer} against the twin's
 * {@code meta_step} and optimizer check the rest of a training run: the meta-batch mean and the
 * optimizer's state.
 */
class Conv4ReferenceTest {
    private static final int TRAJECTORY_STEPS = 6;
    private static final String FILE = "/dev/bilevel/meta/conv4-pytorch-reference.txt";
    private static Map<String, double[]> reference;

    @BeforeAll
    static void read() throws IOException {
        reference = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                Conv4ReferenceTest.class.getResourceAsStream(FILE), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                double[] values = new double[Integer.parseInt(parts[1])];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Double.parseDouble(parts[i + 2]);
                }
                reference.put(parts[0], values);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"maml", "fomaml", "anil", "protonet", "reptile"})
    void lossAndMetaGradientMatchPyTorch(String algorithm) {
        MetaLearner learner = learner(algorithm);
        Params meta = referenceParams(learner);

        TaskGradient g = learner.metaGradient(meta, task(), new Rng(1));

        if (!algorithm.equals("reptile")) {   // Reptile reports the support loss, the script none
            assertThat(g.queryLoss()).isCloseTo(reference.get(algorithm + ".loss")[0], within(1e-12));
        }
        for (String name : meta.names()) {
            assertClose(name, g.gradient().get(name).value().toArray(), reference.get(algorithm + ".grad." + name), 1e-9);
        }
    }

    /**
     * {@code TRAJECTORY_STEPS} meta-iterations of {@link MetaTrainer} from the reference parameters,
     * against the twin's {@code meta_step} with {@code torch.optim.Adam} (Reptile: SGD of 1.0):
     * each iteration's mean query loss and the parameters after the last one. Checks the trainer's
     * averaging over the meta-batch and the optimizer's state, not only one meta-gradient.
     */
    @ParameterizedTest
    @ValueSource(strings = {"maml", "fomaml", "anil", "protonet", "reptile"})
    void metaTrainingTrajectoryMatchesPyTorch(String algorithm) {
        MetaLearner learner = learner(algorithm);
        Params meta = referenceParams(learner);
        int batch = algorithm.equals("protonet") ? 1 : 2;
        Optimizer optimizer = algorithm.equals("reptile") ? Optimizers.sgd(1.0) : Optimizers.adam(1e-3);
        List<Double> losses = new ArrayList<>();
        MetaTrainer trainer = new MetaTrainer(learner, optimizer, new HashedTasks(batch), null,
                MetaTrainer.Config.of(TRAJECTORY_STEPS, batch, 0), new ProgressListener() {
                    @Override
                    public void onIteration(long iteration, long total, double metaLoss) {
                        losses.add(metaLoss);
                    }
                });
        MetaTrainer.State s = new MetaTrainer.State(0, meta, optimizer.init(meta), Double.POSITIVE_INFINITY, 0, null);
        for (int t = 0; t < TRAJECTORY_STEPS; t++) {
            s = trainer.step(s);
        }

        if (!algorithm.equals("reptile")) {
            double[] expected = reference.get(algorithm + ".trajectory.loss");
            for (int t = 0; t < TRAJECTORY_STEPS; t++) {
                assertThat(losses.get(t)).as("loss of iteration %d", t + 1).isCloseTo(expected[t], within(1e-10));
            }
        }
        for (String name : meta.names()) {
            double[] actual = s.meta().get(name).value().toArray();
            double[] expected = reference.get(algorithm + ".trajectory." + name);
            if (name.endsWith(".conv.bias")) {
                // Batch normalization removes the bias, so its exact gradient is 0 and Adam leaves it
                // where it was; float64 rounding gives PyTorch's a gradient of ~1e-14, which Adam's
                // ε = 1e-8 turns into steps of ~1e-9 (a parameter with a real gradient moves ~1e-3).
                double[] initial = meta.get(name).value().toArray();
                assertThat(actual).as(name).containsExactly(initial);
                assertClose(name, expected, initial, 1e-7);
            } else {
                assertClose(name, actual, expected, 1e-9);
            }
        }
    }

    private static void assertClose(String name, double[] actual, double[] expected, double tolerance) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertThat(actual).as(name).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("%s[%d]", name, i).isLessThan(tolerance * (1 + scale));
        }
    }

    private static MetaLearner learner(String algorithm) {
        Conv4 net = new Conv4(1, 16, 4, algorithm.equals("protonet") ? 0 : 5, Conv4.BatchNormMode.TRANSDUCTIVE);
        return switch (algorithm) {
            case "maml" -> new Maml(net, new Maml.Config(0.4, 5, false));
            case "fomaml" -> new Maml(net, new Maml.Config(0.4, 5, true));
            case "anil" -> new Anil(net, new Anil.Config(0.4, 5, Set.of("head.weight", "head.bias"), false));
            case "protonet" -> new ProtoNet(net, new ProtoNet.Config(1.0));
            default -> new Reptile(net, new Reptile.Config(0.1, 5));
        };
    }

    /** The reference's parameters, under {@code learner}'s names. */
    private static Params referenceParams(MetaLearner learner) {
        Params shapes = learner.init(new Rng(0));
        List<Variable> values = new ArrayList<>();
        for (String name : shapes.names()) {
            values.add(Variable.leaf(Tensor.of(reference.get("param." + name), shapes.get(name).shape())));
        }
        return Params.of(shapes.names(), values);
    }

    /**
     * The script's trajectory tasks in the order {@link MetaTrainer#step} draws them on one thread
     * (iteration by iteration, task b = 0, 1, … of the meta-batch): inputs from Knuth's
     * multiplicative hash of each element's number, {@code (k · 2654435761 mod 2³²) / 2³²}, exactly
     * as {@code trajectory_inputs} computes them; the random stream is not used.
     */
    private static final class HashedTasks implements TaskSampler {
        private final int batch;
        private int drawn;

        HashedTasks(int batch) {
            this.batch = batch;
        }

        @Override
        public Task sample(Rng rng) {
            int step = drawn / batch;
            int b = drawn % batch;
            drawn++;
            return fiveWayTask(inputs(step, b, 0, 5), inputs(step, b, 1, 15));
        }

        private static Tensor inputs(int step, int b, int part, int count) {
            long first = ((step * 4L + b) * 2 + part) * 100_000L;
            double[] x = new double[count * 16 * 16];
            for (int i = 0; i < x.length; i++) {
                x[i] = (((first + i) * 2654435761L) & 0xFFFF_FFFFL) / 4294967296.0;
            }
            return Tensor.of(x, count, 1, 16, 16);
        }
    }

    /** The reference's task. */
    private static Task task() {
        return fiveWayTask(Tensor.of(reference.get("support.x"), 5, 1, 16, 16), Tensor.of(reference.get("query.x"), 15, 1, 16, 16));
    }

    /** A 5-way 1-shot task with 3 queries per class, both sets ordered class by class. */
    private static Task fiveWayTask(Tensor support, Tensor query) {
        double[] ys = {0, 1, 2, 3, 4};
        double[] yq = new double[15];
        for (int i = 0; i < yq.length; i++) {
            yq[i] = i / 3;
        }
        return new Task(support, Tensor.vector(ys), query, Tensor.vector(yq), 5);
    }
}
