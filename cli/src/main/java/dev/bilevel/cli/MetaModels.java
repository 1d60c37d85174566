package dev.bilevel.cli;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.cli.spec.MetaSpec;
import dev.bilevel.cli.spec.ModelSpec;
import dev.bilevel.cli.spec.SpecException;
import dev.bilevel.meta.Anil;
import dev.bilevel.meta.Conv4;
import dev.bilevel.meta.FunctionalModel;
import dev.bilevel.meta.Imaml;
import dev.bilevel.meta.LearnedOptimizer;
import dev.bilevel.meta.Maml;
import dev.bilevel.meta.MetaLearner;
import dev.bilevel.meta.MetaSgd;
import dev.bilevel.meta.ProtoNet;
import dev.bilevel.meta.Reptile;
import dev.bilevel.tensor.Precision;
import dev.bilevel.tensor.Rng;
import java.util.Arrays;
import java.util.Set;

/** Builds the network and the meta-learner a {@link MetaSpec} names, once the input shape is known. */
final class MetaModels {
    private MetaModels() {
    }

    /**
     * A network with the parameter names ANIL adapts.
     *
     * @param model the network
     * @param head the names of its last layer's parameters
     */
    record Built(FunctionalModel model, Set<String> head) {
    }

    /**
     * The spec's network for examples of shape {@code example} (without the first axis) and
     * {@code outputs} outputs (0: an embedding, the last hidden width for an MLP).
     */
    static Built model(MetaSpec s, int[] example, int outputs) {
        ModelSpec m = s.model();
        if (m.type().equals("conv4")) {
            if (example.length != 3 || example[1] != example[2] || example[1] < 16) {
                throw new SpecException(s.file(), m.line(), "conv4 needs square images of at least 16×16 ([C, H, W]"
                        + " per example), the data set has examples of shape " + Arrays.toString(example));
            }
            Conv4.BatchNormMode mode = m.batchNorm().equals("support") ? Conv4.BatchNormMode.SUPPORT_STATISTICS
                    : Conv4.BatchNormMode.TRANSDUCTIVE;
            Precision precision = m.precision().equals("float32") ? Precision.FLOAT32 : Precision.FLOAT64;
            return new Built(new Conv4(example[0], example[1], m.channels(), outputs, mode, precision),
                    Set.of("head.weight", "head.bias"));
        }
        int in = 1;
        for (int d : example) {
            in *= d;
        }
        int n = m.hidden().size() + (outputs > 0 ? 2 : 1);
        int[] sizes = new int[n];
        sizes[0] = in;
        for (int i = 0; i < m.hidden().size(); i++) {
            sizes[i + 1] = m.hidden().get(i);
        }
        if (outputs > 0) {
            sizes[n - 1] = outputs;
        }
        int last = n - 2;
        return new Built(new FlatMlp(Mlp.of(sizes).activation(activation(m.activation()))),
                Set.of(last + ".weight", last + ".bias"));
    }

    /** The spec's meta-learner over {@code built}. */
    static MetaLearner learner(MetaSpec s, Built built) {
        FunctionalModel model = built.model();
        return switch (s.algorithm()) {
            case "fomaml" -> new Maml(model, new Maml.Config(s.innerLr(), s.innerSteps(), true));
            case "reptile" -> new Reptile(model, new Reptile.Config(s.innerLr(), s.innerSteps()));
            case "meta-sgd" -> new MetaSgd(model, new MetaSgd.Config(s.innerLr(), s.innerSteps()));
            case "imaml" -> new Imaml(model, new Imaml.Config(s.imamlLambda(), s.innerLr(), s.innerSteps(), 10));
            case "anil" -> new Anil(model, new Anil.Config(s.innerLr(), s.innerSteps(), built.head(),
                    s.firstOrder()));
            case "protonet" -> new ProtoNet(model, new ProtoNet.Config(s.temperature()));
            case "learned-optimizer" -> new LearnedOptimizer(model, s.learnedOptimizer());
            default -> new Maml(model, new Maml.Config(s.innerLr(), s.innerSteps(), false));
        };
    }

    private static Activation activation(String name) {
        return switch (name) {
            case "tanh" -> Activation.TANH;
            case "sigmoid" -> Activation.SIGMOID;
            case "gelu" -> Activation.GELU;
            case "softplus" -> Activation.SOFTPLUS;
            case "leaky_relu" -> Activation.LEAKY_RELU;
            case "identity" -> Activation.IDENTITY;
            default -> Activation.RELU;
        };
    }

    /** An MLP over inputs flattened to {@code [n, features]} (images become pixel vectors). */
    private record FlatMlp(Mlp mlp) implements FunctionalModel {
        @Override
        public Params init(Rng rng) {
            return mlp.init(rng);
        }

        @Override
        public Variable apply(Params params, Variable x) {
            Variable flat = x.rank() == 2 ? x : x.reshape(x.shape().dim(0), x.size() / x.shape().dim(0));
            return mlp.apply(params, flat);
        }

        @Override
        public String toString() {
            return mlp.toString();
        }
    }
}
