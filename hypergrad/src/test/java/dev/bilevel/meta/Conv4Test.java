package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Precision;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The conv-4 backbone's shapes and its two explicit batch-normalization behaviours. */
class Conv4Test {
    private static final Tensor SUPPORT = Tensor.uniform(new Rng(1), 0, 1, 4, 1, 16, 16);
    private static final Tensor QUERY = Tensor.uniform(new Rng(2), 0, 1, 3, 1, 16, 16);

    private static Tensor query(Conv4 net, Params p, Tensor q) {
        return net.applyQuery(p, Variable.constant(SUPPORT), Variable.constant(q)).value();
    }

    @Test
    void headAndEmbeddingShapes() {
        Conv4 head = new Conv4(1, 16, 8, 5, Conv4.BatchNormMode.TRANSDUCTIVE);
        Params p = head.init(new Rng(0));
        assertThat(p.names()).contains("0.conv.weight", "3.bn.bias", "head.weight");
        assertThat(head.apply(p, Variable.constant(SUPPORT)).shape().dims()).containsExactly(4, 5);
        Conv4 emb = new Conv4(1, 28, 8, 0, Conv4.BatchNormMode.SUPPORT_STATISTICS);
        assertThat(emb.features()).isEqualTo(8);
        assertThatThrownBy(() -> head.apply(p, Variable.constant(Tensor.zeros(2, 1, 28, 28))))
                .hasMessageContaining("is not [N, 1, 16, 16]");
    }

    /**
     * With support statistics a query's output does not depend on the other queries (oracle: the
     * same query scored alone); transductively it does.
     */
    @Test
    void supportStatisticsMakeQueriesIndependentAndTransductiveDoesNot() {
        Conv4 inductive = new Conv4(1, 16, 8, 5, Conv4.BatchNormMode.SUPPORT_STATISTICS);
        Params p = inductive.init(new Rng(0));
        Tensor all = query(inductive, p, QUERY);
        Tensor alone = query(inductive, p, QUERY.slice(0, 1, 2));
        assertThat(all.slice(0, 1, 2).maxAbsDiff(alone)).isLessThan(1e-12);
        // And the support itself is normalized exactly as apply() does.
        Tensor supportOut = inductive.applyQuery(p, Variable.constant(SUPPORT), Variable.constant(SUPPORT)).value();
        assertThat(supportOut.maxAbsDiff(inductive.apply(p, Variable.constant(SUPPORT)).value())).isLessThan(1e-12);

        Conv4 transductive = new Conv4(1, 16, 8, 5, Conv4.BatchNormMode.TRANSDUCTIVE);
        Tensor tAll = query(transductive, p, QUERY);
        Tensor tAlone = query(transductive, p, QUERY.slice(0, 1, 3));
        assertThat(tAll.slice(0, 1, 3).maxAbsDiff(tAlone)).isGreaterThan(1e-6);
    }

    /**
     * The first block against the textbook batch normalization (Ioffe &amp; Szegedy 2015, two-pass:
     * μ, then σ² = mean((h − μ)²), then (h − μ)/√(σ² + ε)·γ + β), ReLU and 2×2 max-pooling written
     * as plain loops over the convolution's output, with γ and β away from 1 and 0.
     */
    /**
     * Float32 convolutions change the gradient of every parameter by float32 rounding only
     * (oracle: the float64 network; 1e-4 of each gradient's largest entry, batch normalization
     * dividing by σ amplifying the 6e-8 of float32 rounding); no precision is an error naming it.
     */
    @Test
    void float32ConvolutionsGiveTheFloat64GradientsToFloat32Accuracy() {
        Conv4 net64 = new Conv4(1, 16, 8, 5, Conv4.BatchNormMode.TRANSDUCTIVE);
        Conv4 net32 = new Conv4(1, 16, 8, 5, Conv4.BatchNormMode.TRANSDUCTIVE, Precision.FLOAT32);
        Params p = net64.init(new Rng(6));
        Params g64 = Autodiff.grad(net64.apply(p, Variable.constant(SUPPORT)).square().sum(), p, false, true);
        Params g32 = Autodiff.grad(net32.apply(p, Variable.constant(SUPPORT)).square().sum(), p, false, true);
        boolean anyDiffers = false;
        for (String name : p.names()) {
            Tensor a = g32.get(name).value();
            Tensor e = g64.get(name).value();
            assertThat(a.maxAbsDiff(e)).as(name).isLessThanOrEqualTo(1e-4 * e.abs().max().item());
            anyDiffers |= a.maxAbsDiff(e) > 0;
        }
        assertThat(anyDiffers).isTrue();
        assertThatThrownBy(() -> new Conv4(1, 16, 8, 5, Conv4.BatchNormMode.TRANSDUCTIVE, null))
                .hasMessageContaining("precision null");
    }

    /** Normalization removes a per-channel shift, so the convolution's bias changes nothing and gets no gradient. */
    @Test
    void convolutionBiasHasNoEffectAndZeroGradient() {
        Conv4 net = new Conv4(1, 16, 3, 2, Conv4.BatchNormMode.SUPPORT_STATISTICS);
        Params p = net.init(new Rng(5));
        Params shifted = p.with("1.conv.bias", Variable.leaf(Tensor.of(new double[] {40, -7, 3}, 3)));
        Variable support = Variable.constant(SUPPORT.slice(0, 0, 2));
        Variable query = Variable.constant(SUPPORT.slice(0, 2, 4));
        Tensor base = net.applyQuery(p, support, query).value();
        assertThat(net.applyQuery(shifted, support, query).value().maxAbsDiff(base))
                .isLessThan(1e-12 * (1 + base.abs().max().item()));
        Params g = dev.bilevel.autodiff.Autodiff.grad(net.applyQuery(p, support, query).square().sum(), p, false, true);
        assertThat(g.get("1.conv.bias").value().abs().max().item()).isEqualTo(0.0);
        assertThat(g.get("1.conv.weight").value().abs().max().item()).isGreaterThan(0.0);
    }

    @Test
    void firstBlockMatchesTextbookBatchNorm() {
        Conv4 net = new Conv4(1, 16, 3, 0, Conv4.BatchNormMode.TRANSDUCTIVE);
        Params p = net.init(new Rng(4)).with("0.bn.weight", Variable.leaf(Tensor.of(new double[] {0.5, -1.5, 2}, 3)))
                .with("0.bn.bias", Variable.leaf(Tensor.of(new double[] {0.25, 0.5, -0.75}, 3)));
        Tensor h = dev.bilevel.autodiff.nn.Conv2d.of(1, 3, 3).withPadding(1).withPrefix("0.conv.")
                .apply(p, Variable.constant(SUPPORT)).value();
        double[] gamma = {0.5, -1.5, 2};
        double[] beta = {0.25, 0.5, -0.75};
        int n = 4;
        double[][][][] expected = new double[n][3][8][8];
        for (int c = 0; c < 3; c++) {
            double mu = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < 16; i++) {
                    for (int j = 0; j < 16; j++) {
                        mu += h.get(b, c, i, j);
                    }
                }
            }
            mu /= n * 256;
            double var = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < 16; i++) {
                    for (int j = 0; j < 16; j++) {
                        var += (h.get(b, c, i, j) - mu) * (h.get(b, c, i, j) - mu);
                    }
                }
            }
            var /= n * 256;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < 8; i++) {
                    for (int j = 0; j < 8; j++) {
                        double m = 0;
                        for (int u = 0; u < 2; u++) {
                            for (int v = 0; v < 2; v++) {
                                double y = (h.get(b, c, 2 * i + u, 2 * j + v) - mu) / Math.sqrt(var + 1e-5) * gamma[c]
                                        + beta[c];
                                m = Math.max(m, y);
                            }
                        }
                        expected[b][c][i][j] = m;
                    }
                }
            }
        }
        Tensor got = net.block(p, Variable.constant(SUPPORT), 0, n).value();
        double diff = 0;
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 8; i++) {
                    for (int j = 0; j < 8; j++) {
                        diff = Math.max(diff, Math.abs(got.get(b, c, i, j) - expected[b][c][i][j]));
                    }
                }
            }
        }
        assertThat(diff).isLessThan(1e-12);
    }
}
