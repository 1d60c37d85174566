package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
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
 * Each conv-4 meta-learner's query loss and meta-gradient on one task against PyTorch's, computed
 * in float64 by {@code src/test/python/conv4_reference.py} (PyTorch 1.13) the way the
 * {@code fewshot-images} twin computes them: a 4-channel conv-4 on 16×16 inputs with random
 * parameters (conv biases included: PyTorch adds them before BatchNorm, which removes them, and
 * {@link Conv4} leaves them out), a random 5-way 1-shot task with 3 queries per class. Agreement to
 * 1e-9 relative means both sides compute the same functions, second derivatives included.
 */
class Conv4ReferenceTest {
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
        Conv4 net = new Conv4(1, 16, 4, algorithm.equals("protonet") ? 0 : 5, Conv4.BatchNormMode.TRANSDUCTIVE);
        MetaLearner learner = switch (algorithm) {
            case "maml" -> new Maml(net, new Maml.Config(0.4, 5, false));
            case "fomaml" -> new Maml(net, new Maml.Config(0.4, 5, true));
            case "anil" -> new Anil(net, new Anil.Config(0.4, 5, Set.of("head.weight", "head.bias"), false));
            case "protonet" -> new ProtoNet(net, new ProtoNet.Config(1.0));
            default -> new Reptile(net, new Reptile.Config(0.1, 5));
        };
        Params shapes = learner.init(new Rng(0));
        List<Variable> values = new ArrayList<>();
        for (String name : shapes.names()) {
            values.add(Variable.leaf(Tensor.of(reference.get("param." + name), shapes.get(name).shape())));
        }
        Params meta = Params.of(shapes.names(), values);

        TaskGradient g = learner.metaGradient(meta, task(), new Rng(1));

        if (!algorithm.equals("reptile")) {   // Reptile reports the support loss, the script none
            assertThat(g.queryLoss()).isCloseTo(reference.get(algorithm + ".loss")[0], within(1e-12));
        }
        for (String name : meta.names()) {
            double[] expected = reference.get(algorithm + ".grad." + name);
            double[] actual = g.gradient().get(name).value().toArray();
            double scale = 0;
            for (double v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertThat(actual).as(name).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                assertThat(Math.abs(actual[i] - expected[i])).as("%s[%d]", name, i).isLessThan(1e-9 * (1 + scale));
            }
        }
    }

    private static Task task() {
        double[] ys = {0, 1, 2, 3, 4};
        double[] yq = new double[15];
        for (int i = 0; i < yq.length; i++) {
            yq[i] = i / 3;
        }
        return new Task(Tensor.of(reference.get("support.x"), 5, 1, 16, 16), Tensor.vector(ys),
                Tensor.of(reference.get("query.x"), 15, 1, 16, 16), Tensor.vector(yq), 5);
    }
}
