package dev.bilevel.autodiff.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.bilevel.autodiff.GradCheck;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchNorm}: training-mode output and running-statistics update against per-channel loops,
 * eval mode against the running statistics, purity (the input state is unchanged), per-step
 * statistics, and first and second derivatives through the batch statistics.
 */
class BatchNormTest {

    /** Per channel c of x [N, C, H, W]: mean and biased variance over N, H, W, by loops. */
    private static double[][] channelStats(Tensor x) {
        int n = x.dim(0);
        int c = x.dim(1);
        int hw = x.size() / (n * c);
        double[] v = x.toArray();
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    s += v[(i * c + ch) * hw + j];
                }
            }
            mean[ch] = s / (n * hw);
            double q = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    double d = v[(i * c + ch) * hw + j] - mean[ch];
                    q += d * d;
                }
            }
            var[ch] = q / (n * hw);
        }
        return new double[][] {mean, var};
    }

    /** γ·(x − m)/√(v + ε) + β per channel, by loops. */
    private static Tensor normalized(Tensor x, double[] m, double[] v, double[] gamma, double[] beta, double eps) {
        int n = x.dim(0);
        int c = x.dim(1);
        int hw = x.size() / (n * c);
        double[] in = x.toArray();
        double[] out = new double[in.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int j = 0; j < hw; j++) {
                    int k = (i * c + ch) * hw + j;
                    out[k] = gamma[ch] * (in[k] - m[ch]) / Math.sqrt(v[ch] + eps) + beta[ch];
                }
            }
        }
        return Tensor.of(out, x.shape());
    }

    private static Params affine(BatchNorm bn, long seed) {
        Rng rng = new Rng(seed);
        return Params.empty()
                .with("weight", Variable.leaf(Tensor.uniform(rng, 0.5, 1.5, bn.features())))
                .with("bias", Variable.leaf(Tensor.randn(rng, bn.features())));
    }

    @Test
    void trainingNormalizesWithBatchStatisticsAndUpdatesTheRunningOnes() {
        BatchNorm bn = BatchNorm.of(3);
        Params p = affine(bn, 1);
        Tensor x = Tensor.randn(new Rng(2), 4, 3, 2, 5).mul(2).add(1);
        BatchNorm.State s0 = bn.initialState();
        BatchNorm.Output o = bn.apply(p, s0, Variable.constant(x), true);
        double[][] st = channelStats(x);
        Tensor expected = normalized(x, st[0], st[1], p.get("weight").value().toArray(), p.get("bias").value().toArray(),
                1e-5);
        assertThat(o.y().value().maxAbsDiff(expected)).isLessThanOrEqualTo(1e-13);
        int m = 4 * 2 * 5;
        for (int c = 0; c < 3; c++) {
            assertThat(o.state().means().get(0).getFlat(c)).isCloseTo(0.9 * 0 + 0.1 * st[0][c],
                    offset(1e-15));
            assertThat(o.state().vars().get(0).getFlat(c)).isCloseTo(0.9 * 1 + 0.1 * st[1][c] * m / (m - 1),
                    offset(1e-14));
        }
        // purity: the input state is unchanged
        assertThat(s0.means().get(0).abs().max().item()).isZero();
        assertThat(s0.vars().get(0).toArray()).containsExactly(1, 1, 1);
    }

    @Test
    void evalUsesTheRunningStatisticsAndLeavesThemUnchanged() {
        BatchNorm bn = new BatchNorm(2, 1e-3, 1.0, 1, "bn.");
        Params p = bn.init(new Rng(0));
        assertThat(p.names()).containsExactly("bn.weight", "bn.bias");
        Tensor batch = Tensor.randn(new Rng(3), 6, 2).mul(3).sub(2);
        // momentum 1: the running statistics become the batch mean and the unbiased batch variance
        BatchNorm.State s = bn.apply(p, bn.initialState(), Variable.constant(batch), true).state();
        Tensor other = Tensor.randn(new Rng(4), 5, 2);
        BatchNorm.Output o = bn.apply(p, s, Variable.constant(other), false);
        assertThat(o.state()).isSameAs(s);
        double[][] st = channelStats(batch);
        double[] unbiased = {st[1][0] * 6 / 5, st[1][1] * 6 / 5};
        Tensor expected = normalized(other, st[0], unbiased, new double[] {1, 1}, new double[] {0, 0}, 1e-3);
        assertThat(o.y().value().maxAbsDiff(expected)).isLessThanOrEqualTo(1e-13);
        // train and eval differ on the same batch by exactly the biased/unbiased variance ratio
        Tensor train = bn.apply(p, s, Variable.constant(batch), true).y().value();
        Tensor eval = bn.apply(p, s, Variable.constant(batch), false).y().value();
        Tensor expectedEval = normalized(batch, st[0], unbiased, new double[] {1, 1}, new double[] {0, 0}, 1e-3);
        assertThat(eval.maxAbsDiff(expectedEval)).isLessThanOrEqualTo(1e-13);
        assertThat(train.maxAbsDiff(eval)).isGreaterThan(1e-3);
    }

    @Test
    void perStepStatisticsUpdateOnlyTheirStep() {
        BatchNorm bn = BatchNorm.of(2).perStep(3);
        Params p = bn.init(new Rng(0));
        Tensor x = Tensor.randn(new Rng(5), 8, 2).add(4);
        BatchNorm.State s = bn.apply(p, bn.initialState(), Variable.constant(x), true, 1).state();
        assertThat(s.means()).hasSize(3);
        assertThat(s.means().get(0).abs().max().item()).isZero();
        assertThat(s.means().get(2).abs().max().item()).isZero();
        assertThat(s.means().get(1).min().item()).isGreaterThan(0.2);
        Tensor y1 = bn.apply(p, s, Variable.constant(x), false, 1).y().value();
        Tensor y0 = bn.apply(p, s, Variable.constant(x), false, 0).y().value();
        assertThat(y0.maxAbsDiff(y1)).isGreaterThan(0.1);
        assertThatThrownBy(() -> bn.apply(p, s, Variable.constant(x), true, 3)).hasMessageContaining("step 3");
    }

    @Test
    void rejectsWrongChannelsAndSingleValueBatches() {
        BatchNorm bn = BatchNorm.of(3);
        Params p = bn.init(new Rng(0));
        assertThatThrownBy(() -> bn.apply(p, bn.initialState(), Variable.constant(Tensor.zeros(4, 2)), true))
                .hasMessageContaining("[4, 2]");
        assertThatThrownBy(() -> bn.apply(p, bn.initialState(), Variable.constant(Tensor.zeros(1, 3)), true))
                .hasMessageContaining("more than one value");
    }

    @Test
    void derivativesThroughTheBatchStatisticsMatchFiniteDifferences() {
        BatchNorm bn = BatchNorm.of(2);
        Params p = affine(bn, 6);
        List<Tensor> args = List.of(Tensor.randn(new Rng(7), 3, 2, 2, 2), p.get("weight").value(), p.get("bias").value());
        Tensor weights = Tensor.randn(new Rng(8), 3, 2, 2, 2);
        GradCheck.check(a -> {
            Params q = Params.empty().with("weight", a.get(1)).with("bias", a.get(2));
            return bn.apply(q, bn.initialState(), a.get(0), true).y().tanh().mul(Variable.constant(weights));
        }, args, GradCheck.Options.defaults()).requirePassed();
    }

    @Test
    void perChannelOutputOfTrainingModeHasZeroMeanAndUnitVariance() {
        BatchNorm bn = BatchNorm.of(4);
        Tensor y = bn.apply(bn.init(new Rng(0)), bn.initialState(), Variable.constant(
                Tensor.randn(new Rng(9), 16, 4).mul(5).add(3)), true).y().value();
        double[][] st = channelStats(y.reshape(16, 4, 1));
        for (int c = 0; c < 4; c++) {
            assertThat(Math.abs(st[0][c])).isLessThan(1e-14);
            // σ²/(σ² + ε) with σ² ≈ 25
            assertThat(st[1][c]).isBetween(1 - 1e-6, 1.0);
        }
        assertThat(y.shape()).isEqualTo(Shape.of(16, 4));
    }
}
