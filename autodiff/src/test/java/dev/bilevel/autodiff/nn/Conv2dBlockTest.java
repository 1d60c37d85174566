package dev.bilevel.autodiff.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.autodiff.GradCheck;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Conv2d} and {@link Conv2dBlock}: the forward pass against direct loops (convolution with
 * zero padding, per-channel normalization, ReLU, 2×2 max-pool), names and shapes, and first and
 * second derivatives with respect to the input and every parameter against central differences.
 */
class Conv2dBlockTest {

    /** y[b][o][i][j] = bias[o] + Σ x[b][c][i·s − p + u][j·s − p + v]·w[o][c][u][v], by loops. */
    private static Tensor convolve(Tensor x, Tensor w, Tensor bias, int stride, int pad) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int o = w.dim(0);
        int k = w.dim(2);
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (wd + 2 * pad - k) / stride + 1;
        double[] out = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int q = 0; q < o; q++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = bias == null ? 0 : bias.getFlat(q);
                        for (int ch = 0; ch < c; ch++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int r = i * stride - pad + u;
                                    int col = j * stride - pad + v;
                                    if (r >= 0 && r < h && col >= 0 && col < wd) {
                                        s += x.get(b, ch, r, col) * w.get(q, ch, u, v);
                                    }
                                }
                            }
                        }
                        out[((b * o + q) * oh + i) * ow + j] = s;
                    }
                }
            }
        }
        return Tensor.of(out, n, o, oh, ow);
    }

    /** Per-channel batch normalization with γ = 1, β = 0, then ReLU and 2×2 max-pool, by loops. */
    private static Tensor normReluPool(Tensor y, double eps) {
        int n = y.dim(0);
        int c = y.dim(1);
        int h = y.dim(2);
        int w = y.dim(3);
        double[] z = new double[y.size()];
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            double q = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < h * w; i++) {
                    s += y.getFlat((b * c + ch) * h * w + i);
                }
            }
            double mean = s / (n * h * w);
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < h * w; i++) {
                    double d = y.getFlat((b * c + ch) * h * w + i) - mean;
                    q += d * d;
                }
            }
            double sd = Math.sqrt(q / (n * h * w) + eps);
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < h * w; i++) {
                    int at = (b * c + ch) * h * w + i;
                    z[at] = Math.max(0, (y.getFlat(at) - mean) / sd);
                }
            }
        }
        double[] out = new double[n * c * (h / 2) * (w / 2)];
        for (int bc = 0; bc < n * c; bc++) {
            for (int i = 0; i < h / 2; i++) {
                for (int j = 0; j < w / 2; j++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u < 2; u++) {
                        for (int v = 0; v < 2; v++) {
                            m = Math.max(m, z[bc * h * w + (2 * i + u) * w + 2 * j + v]);
                        }
                    }
                    out[(bc * (h / 2) + i) * (w / 2) + j] = m;
                }
            }
        }
        return Tensor.of(out, n, c, h / 2, w / 2);
    }

    @Test
    void conv2dMatchesDirectLoopsWithPaddingAndStride() {
        Conv2d conv = Conv2d.of(2, 3, 3).withPadding(1).withStride(2);
        Params p = conv.init(new Rng(1));
        assertThat(p.get("weight").shape()).isEqualTo(Shape.of(3, 2, 3, 3));
        assertThat(p.get("weight").value().abs().max().item()).isLessThanOrEqualTo(1 / Math.sqrt(18));
        Tensor x = Tensor.randn(new Rng(2), 2, 2, 5, 6);
        Tensor y = conv.apply(p, Variable.constant(x)).value();
        Tensor expected = convolve(x, p.get("weight").value(), p.get("bias").value(), 2, 1);
        assertThat(y.shape()).isEqualTo(Shape.of(2, 3, 3, 3));
        assertThat(y.maxAbsDiff(expected)).isLessThanOrEqualTo(1e-13);
        assertThatThrownBy(() -> conv.apply(p, Variable.constant(Tensor.zeros(1, 3, 4, 4))))
                .hasMessageContaining("[1, 3, 4, 4]");
    }

    @Test
    void conv2dDerivativesOfAllOrdersMatchFiniteDifferences() {
        Conv2d conv = Conv2d.of(2, 2, 3).withPadding(1);
        Params p = conv.init(new Rng(3));
        List<Tensor> args = List.of(Tensor.randn(new Rng(4), 1, 2, 4, 4), p.get("weight").value(), p.get("bias").value());
        GradCheck.check(a -> conv.apply(Params.empty().with("weight", a.get(1)).with("bias", a.get(2)), a.get(0)).tanh(),
                args, GradCheck.Options.defaults()).requirePassed();
    }

    @Test
    void blockIsConvThenNormThenReluThenPool() {
        Conv2dBlock block = Conv2dBlock.of(3, 4).withPrefix("0.");
        Params p = block.init(new Rng(5));
        assertThat(p.names()).containsExactly("0.conv.weight", "0.conv.bias", "0.bn.weight", "0.bn.bias");
        Tensor x = Tensor.randn(new Rng(6), 2, 3, 6, 6);
        BatchNorm.Output o = block.apply(p, block.initialState(), Variable.constant(x), true, 0);
        Tensor expected = normReluPool(convolve(x, p.get("0.conv.weight").value(), p.get("0.conv.bias").value(), 1, 1),
                1e-5);
        assertThat(o.y().shape()).isEqualTo(Shape.of(2, 4, 3, 3));
        assertThat(o.y().value().maxAbsDiff(expected)).isLessThanOrEqualTo(1e-12);
        assertThat(o.state().means().get(0).abs().max().item()).isPositive();
        // eval with the returned statistics differs from training mode but has the same shape
        Tensor eval = block.apply(p, o.state(), Variable.constant(x), false, 0).y().value();
        assertThat(eval.shape()).isEqualTo(Shape.of(2, 4, 3, 3));
        assertThat(block.perStep(5).initialState().means()).hasSize(5);
        assertThatThrownBy(() -> new Conv2dBlock(Conv2d.of(3, 4, 3), BatchNorm.of(5)))
                .hasMessageContaining("5 channels");
    }

    @Test
    void blockDerivativesOfAllOrdersMatchFiniteDifferences() {
        Conv2dBlock block = Conv2dBlock.of(2, 2);
        Params p = block.init(new Rng(7));
        Tensor weights = Tensor.randn(new Rng(9), 2, 2, 2, 2);
        List<Tensor> args = List.of(Tensor.randn(new Rng(8), 2, 2, 4, 4), p.get("conv.weight").value(),
                p.get("conv.bias").value(), Tensor.uniform(new Rng(10), 0.5, 1.5, 2), Tensor.randn(new Rng(11), 2));
        // The squared output makes the second derivative non-zero through the ReLU and the pool; a step
        // of 1e-5 does not move a seeded pre-activation across 0 or change a window's maximum here.
        GradCheck.check(a -> {
            Params q = Params.empty().with("conv.weight", a.get(1)).with("conv.bias", a.get(2))
                    .with("bn.weight", a.get(3)).with("bn.bias", a.get(4));
            return block.apply(q, block.initialState(), a.get(0), true, 0).y().square().mul(Variable.constant(weights));
        }, args, GradCheck.Options.defaults()).requirePassed();
    }
}
