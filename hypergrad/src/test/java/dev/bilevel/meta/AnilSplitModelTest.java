package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ANIL on a {@link SplitModel} ({@link Conv4}): the body's features computed once per task give the
 * same meta-gradient and evaluation as running the whole network at every inner step (the oracle:
 * the same Conv4 hidden behind a plain {@link FunctionalModel}, so that {@link Anil} takes its
 * generic path), for both batch-normalization modes, second and first order.
 */
class AnilSplitModelTest {
    private static final Set<String> HEAD = Set.of("head.weight", "head.bias");
    private static final int WAYS = 3;

    private static Conv4 net(Conv4.BatchNormMode mode) {
        return new Conv4(1, 16, 3, WAYS, mode);
    }

    /** 3-way, 2 support and 3 query images per class, pixels uniform in [0, 1). */
    private static Task task() {
        Rng rng = new Rng(7);
        return new Task(Tensor.uniform(rng, 0, 1, 6, 1, 16, 16), labels(2), Tensor.uniform(rng, 0, 1, 9, 1, 16, 16),
                labels(3), WAYS);
    }

    private static Tensor labels(int perClass) {
        double[] y = new double[WAYS * perClass];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % WAYS;
        }
        return Tensor.of(y, y.length);
    }

    /** The model with its split hidden: Anil runs the whole network at every inner step. */
    private static FunctionalModel unsplit(Conv4 net) {
        return new FunctionalModel() {
            @Override
            public Params init(Rng rng) {
                return net.init(rng);
            }

            @Override
            public Variable apply(Params params, Variable x) {
                return net.apply(params, x);
            }

            @Override
            public Variable applyQuery(Params params, Variable support, Variable query) {
                return net.applyQuery(params, support, query);
            }
        };
    }

    /** The model split as Conv4 splits it, counting the passes over the body. */
    private static final class Counting implements SplitModel {
        private final Conv4 net;
        int featurePasses;
        int wholePasses;

        Counting(Conv4 net) {
            this.net = net;
        }

        @Override
        public Params init(Rng rng) {
            return net.init(rng);
        }

        @Override
        public Variable apply(Params params, Variable x) {
            wholePasses++;
            return net.apply(params, x);
        }

        @Override
        public Variable applyQuery(Params params, Variable support, Variable query) {
            wholePasses++;
            return net.applyQuery(params, support, query);
        }

        @Override
        public Set<String> headNames() {
            return net.headNames();
        }

        @Override
        public Features features(Params params, Variable support, Variable query) {
            featurePasses++;
            return net.features(params, support, query);
        }

        @Override
        public Variable head(Params params, Variable features) {
            return net.head(params, features);
        }
    }

    static List<Arguments> modesAndOrders() {
        return List.of(Arguments.of(Conv4.BatchNormMode.TRANSDUCTIVE, false),
                Arguments.of(Conv4.BatchNormMode.TRANSDUCTIVE, true),
                Arguments.of(Conv4.BatchNormMode.SUPPORT_STATISTICS, false),
                Arguments.of(Conv4.BatchNormMode.SUPPORT_STATISTICS, true));
    }

    private static void assertClose(Tensor actual, Tensor expected, double rel) {
        double scale = Math.max(1.0, expected.abs().max().item());
        assertThat(actual.maxAbsDiff(expected)).as("max |difference| over max |expected| %s", scale)
                .isLessThanOrEqualTo(rel * scale);
    }

    /** Conv4's split reproduces apply and applyQuery: head(features) is the whole network. */
    @ParameterizedTest
    @EnumSource(Conv4.BatchNormMode.class)
    void headOfFeaturesIsTheWholeNetwork(Conv4.BatchNormMode mode) {
        Conv4 net = net(mode);
        Params p = net.init(new Rng(3));
        Task t = task();
        Variable s = Variable.constant(t.supportX());
        Variable q = Variable.constant(t.queryX());
        SplitModel.Features f = net.features(p, s, q);
        assertThat(f.support().shape().dims()).containsExactly(6, net.features());
        assertClose(net.head(p, f.support()).value(), net.apply(p, s).value(), 1e-12);
        assertClose(net.head(p, f.query()).value(), net.applyQuery(p, s, q).value(), 1e-12);
        assertThat(net.headNames()).isEqualTo(HEAD);
        assertThat(new Conv4(1, 16, 3, 0, mode).headNames()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("modesAndOrders")
    void featuresOnceGiveTheMetaGradientOfTheWholeNetworkPath(Conv4.BatchNormMode mode, boolean firstOrder) {
        Anil.Config config = new Anil.Config(0.4, 3, HEAD, firstOrder);
        Counting split = new Counting(net(mode));
        Params meta = split.init(new Rng(5)).detach().leaves();
        Task t = task();
        TaskGradient fast = new Anil(split, config).metaGradient(meta, t, new Rng(1));
        TaskGradient generic = new Anil(unsplit(net(mode)), config).metaGradient(meta, t, new Rng(1));
        assertThat(split.featurePasses).isEqualTo(1);
        assertThat(split.wholePasses).isZero();
        assertThat(fast.queryLoss()).isCloseTo(generic.queryLoss(),
                org.assertj.core.data.Offset.offset(1e-10 * generic.queryLoss()));
        for (String n : meta.names()) {
            if (!n.endsWith(".conv.bias")) {     // normalization removes the bias: its gradient is exactly 0
                assertThat(generic.gradient().get(n).value().abs().max().item()).as(n).isGreaterThan(0);
            }
            assertClose(fast.gradient().get(n).value(), generic.gradient().get(n).value(), 1e-10);
        }
    }

    @ParameterizedTest
    @EnumSource(Conv4.BatchNormMode.class)
    void featuresOnceGiveTheEvaluationOfTheWholeNetworkPath(Conv4.BatchNormMode mode) {
        Anil.Config config = new Anil.Config(0.4, 3, HEAD, false);
        Counting split = new Counting(net(mode));
        Params meta = split.init(new Rng(5));
        Task t = task();
        int[] steps = {0, 1, 4};
        List<TaskMetrics> fast = new Anil(split, config).evaluate(meta, t, steps, new Rng(1));
        List<TaskMetrics> generic = new Anil(unsplit(net(mode)), config).evaluate(meta, t, steps, new Rng(1));
        assertThat(split.featurePasses).isEqualTo(1);
        assertThat(split.wholePasses).isZero();
        for (int i = 0; i < steps.length; i++) {
            assertThat(fast.get(i).steps()).isEqualTo(steps[i]);
            assertThat(fast.get(i).loss()).isCloseTo(generic.get(i).loss(),
                    org.assertj.core.data.Offset.offset(1e-10 * generic.get(i).loss()));
            assertThat(fast.get(i).accuracy()).isEqualTo(generic.get(i).accuracy());
        }
        assertThat(fast.get(2).loss()).as("the head adapts").isNotEqualTo(fast.get(0).loss());
    }

    /** A head other than the model's own: the generic path, every inner step over the whole network. */
    @ParameterizedTest
    @EnumSource(Conv4.BatchNormMode.class)
    void anotherHeadTakesTheWholeNetworkPath(Conv4.BatchNormMode mode) {
        Counting split = new Counting(net(mode));
        Anil anil = new Anil(split, new Anil.Config(0.4, 2, Set.of("head.weight", "head.bias", "3.bn.bias"), false));
        anil.metaGradient(split.init(new Rng(5)).detach().leaves(), task(), new Rng(1));
        assertThat(split.featurePasses).isZero();
        assertThat(split.wholePasses).isEqualTo(3);
    }
}
