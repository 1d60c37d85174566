package dev.bilevel.tensor;

import static dev.bilevel.tensor.Fixtures.absInner;
import static dev.bilevel.tensor.Fixtures.inner;
import static dev.bilevel.tensor.Fixtures.randn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.tensor.internal.Conv2dGeometry;
import dev.bilevel.tensor.internal.Convolution;
import dev.bilevel.tensor.internal.KernelProvider;
import dev.bilevel.tensor.internal.PlainKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * conv2d against a naive seven-loop convolution, and its two gradients by the identity
 * {@code <conv2d(x, w), g> = <x, conv2dInputGrad(g, w)> = <w, conv2dWeightGrad(x, g)>}, which
 * characterizes both gradients (and the VJP rules stated in their documentation) exactly.
 */
class ConvolutionTest {

    /** n, c, h, w, o, kh, kw, sh, sw, ph, pw: seeded random geometries that fit, plus fixed cases. */
    static Stream<Arguments> geometries() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of(2, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1));
        out.add(Arguments.of(1, 1, 5, 7, 1, 1, 1, 1, 1, 0, 0));
        out.add(Arguments.of(3, 4, 6, 5, 2, 1, 1, 1, 1, 0, 0));
        out.add(Arguments.of(2, 2, 9, 9, 3, 3, 3, 2, 2, 0, 0));
        out.add(Arguments.of(1, 2, 4, 6, 2, 4, 6, 1, 1, 0, 0));
        out.add(Arguments.of(2, 1, 5, 5, 2, 2, 3, 3, 2, 2, 1));
        out.add(Arguments.of(1, 3, 28, 28, 8, 3, 3, 1, 1, 1, 1));
        // Wide output maps (Convolution.WIDE_MAP): one sample per product, read and written in place.
        out.add(Arguments.of(20, 3, 28, 28, 4, 3, 3, 1, 1, 1, 1));
        out.add(Arguments.of(5, 32, 14, 14, 6, 3, 3, 1, 1, 1, 1));
        // ... with a receptive field under Convolution.DOT_ROWS: the weight gradient as dot products.
        out.add(Arguments.of(3, 1, 12, 12, 4, 3, 3, 1, 1, 1, 1));
        // Unit stride, four or more input channels: the input gradient as a full correlation.
        out.add(Arguments.of(2, 4, 7, 6, 3, 3, 2, 1, 1, 2, 0));
        // 3×3, unit stride, padding 1, eight or more channels, 36 or more 2×2 tiles: Winograd F(2×2, 3×3),
        // even and odd sides.
        out.add(Arguments.of(3, 8, 13, 12, 9, 3, 3, 1, 1, 1, 1));
        out.add(Arguments.of(2, 9, 12, 15, 8, 3, 3, 1, 1, 1, 1));
        // ... more images than one group of transforms takes (Winograd.TRANSFORM_BUDGET): 14 + 14 + 2.
        out.add(Arguments.of(30, 8, 12, 12, 8, 3, 3, 1, 1, 1, 1));
        // Narrow maps, more samples than one batched product takes (Convolution.COLUMN_BUDGET): 151 + 9.
        out.add(Arguments.of(160, 3, 8, 8, 2, 3, 3, 1, 1, 1, 1));
        SplittableRandom rnd = new SplittableRandom(77);
        while (out.size() < 30) {
            int h = 1 + rnd.nextInt(9);
            int w = 1 + rnd.nextInt(9);
            int kh = 1 + rnd.nextInt(4);
            int kw = 1 + rnd.nextInt(4);
            int ph = rnd.nextInt(3);
            int pw = rnd.nextInt(3);
            if (h + 2 * ph < kh || w + 2 * pw < kw) {
                continue;
            }
            out.add(Arguments.of(1 + rnd.nextInt(3), 1 + rnd.nextInt(3), h, w, 1 + rnd.nextInt(4), kh, kw,
                    1 + rnd.nextInt(3), 1 + rnd.nextInt(3), ph, pw));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "x[{0},{1},{2},{3}] w[{4},{1},{5},{6}] stride {7}x{8} pad {9}x{10}")
    @MethodSource("geometries")
    void forwardMatchesNaiveSevenLoopConvolution(int n, int c, int h, int w, int o, int kh, int kw,
                                                 int sh, int sw, int ph, int pw) {
        Tensor x = randn(1, n, c, h, w);
        Tensor wt = randn(2, o, c, kh, kw);
        Tensor y = Convolutions.conv2d(x, wt, sh, sw, ph, pw);
        int oh = (h + 2 * ph - kh) / sh + 1;
        int ow = (w + 2 * pw - kw) / sw + 1;
        assertThat(y.shape()).isEqualTo(Shape.of(n, o, oh, ow));
        for (int b = 0; b < n; b++) {
            for (int q = 0; q < o; q++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = 0;
                        double abs = 0;
                        for (int ch = 0; ch < c; ch++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int iy = i * sh - ph + u;
                                    int ix = j * sw - pw + v;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        double t = x.get(b, ch, iy, ix) * wt.get(q, ch, u, v);
                                        s += t;
                                        abs += Math.abs(t);
                                    }
                                }
                            }
                        }
                        assertThat(y.get(b, q, i, j)).isCloseTo(s, org.assertj.core.data.Offset.offset(1e-14 * (1 + abs)));
                    }
                }
            }
        }
        if (sh == sw && ph == pw) {
            assertThat(Convolutions.conv2d(x, wt, sh, ph).toArray()).containsExactly(y.toArray());
        }
    }

    @ParameterizedTest(name = "x[{0},{1},{2},{3}] w[{4},{1},{5},{6}] stride {7}x{8} pad {9}x{10}")
    @MethodSource("geometries")
    void weightGradMatchesNaiveSum(int n, int c, int h, int w, int o, int kh, int kw,
                                   int sh, int sw, int ph, int pw) {
        Tensor x = randn(9, n, c, h, w);
        int oh = (h + 2 * ph - kh) / sh + 1;
        int ow = (w + 2 * pw - kw) / sw + 1;
        Tensor g = randn(10, n, o, oh, ow);
        Tensor dw = Convolutions.conv2dWeightGrad(x, g, Shape.of(o, c, kh, kw), sh, sw, ph, pw);
        for (int q = 0; q < o; q++) {
            for (int ch = 0; ch < c; ch++) {
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        double s = 0;
                        double abs = 0;
                        for (int b = 0; b < n; b++) {
                            for (int i = 0; i < oh; i++) {
                                for (int j = 0; j < ow; j++) {
                                    int iy = i * sh - ph + u;
                                    int ix = j * sw - pw + v;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        double t = g.get(b, q, i, j) * x.get(b, ch, iy, ix);
                                        s += t;
                                        abs += Math.abs(t);
                                    }
                                }
                            }
                        }
                        assertThat(dw.get(q, ch, u, v)).isCloseTo(s, org.assertj.core.data.Offset.offset(1e-13 * (1 + abs)));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "x[{0},{1},{2},{3}] w[{4},{1},{5},{6}] stride {7}x{8} pad {9}x{10}")
    @MethodSource("geometries")
    void gradientsSatisfyTheTrilinearIdentity(int n, int c, int h, int w, int o, int kh, int kw,
                                              int sh, int sw, int ph, int pw) {
        Tensor x = randn(3, n, c, h, w);
        Tensor wt = randn(4, o, c, kh, kw);
        Tensor y = Convolutions.conv2d(x, wt, sh, sw, ph, pw);
        Tensor g = randn(5, y.shape().dims());
        Tensor dx = Convolutions.conv2dInputGrad(g, wt, x.shape(), sh, sw, ph, pw);
        Tensor dw = Convolutions.conv2dWeightGrad(x, g, wt.shape(), sh, sw, ph, pw);
        assertThat(dx.shape()).isEqualTo(x.shape());
        assertThat(dw.shape()).isEqualTo(wt.shape());
        double t = inner(y, g);
        double scale = 1e-12 * (1 + absInner(y, g) + absInner(x, dx) + absInner(wt, dw));
        assertThat(inner(x, dx)).isCloseTo(t, org.assertj.core.data.Offset.offset(scale));
        assertThat(inner(wt, dw)).isCloseTo(t, org.assertj.core.data.Offset.offset(scale));
        if (sh == sw && ph == pw) {
            assertThat(Convolutions.conv2dInputGrad(g, wt, x.shape(), sh, ph).toArray()).containsExactly(dx.toArray());
            assertThat(Convolutions.conv2dWeightGrad(x, g, wt.shape(), sh, ph).toArray()).containsExactly(dw.toArray());
        }
    }

    @ParameterizedTest(name = "x[{0},{1},{2},{3}] w[{4},{1},{5},{6}] stride {7}x{8} pad {9}x{10}")
    @MethodSource("geometries")
    void vectorAndPlainKernelsAgree(int n, int c, int h, int w, int o, int kh, int kw,
                                    int sh, int sw, int ph, int pw) {
        var vector = KernelProvider.vector();
        assertThat(vector).isNotNull();
        Tensor x = randn(6, n, c, h, w);
        Tensor wt = randn(7, o, c, kh, kw);
        var geo = Conv2dGeometry.ofForward("conv2d", x.shape().dims(), wt.shape().dims(), sh, sw, ph, pw);
        Tensor g = randn(8, geo.outputDims());
        double[][] fast = {Convolution.forward(vector, geo, x.toArray(), wt.toArray()),
            Convolution.inputGrad(vector, geo, g.toArray(), wt.toArray()),
            Convolution.weightGrad(vector, geo, x.toArray(), g.toArray())};
        double[][] plain = {Convolution.forward(PlainKernels.INSTANCE, geo, x.toArray(), wt.toArray()),
            Convolution.inputGrad(PlainKernels.INSTANCE, geo, g.toArray(), wt.toArray()),
            Convolution.weightGrad(PlainKernels.INSTANCE, geo, x.toArray(), g.toArray())};
        for (int r = 0; r < 3; r++) {
            double max = 0;
            double diff = 0;
            for (int i = 0; i < fast[r].length; i++) {
                max = Math.max(max, Math.abs(plain[r][i]));
                diff = Math.max(diff, Math.abs(plain[r][i] - fast[r][i]));
            }
            assertThat(diff).as("result %d", r).isLessThanOrEqualTo(1e-12 * max);
        }
    }

    @Test
    void emptyBatchAndEmptyChannels() {
        Tensor x = Tensor.zeros(0, 2, 5, 5);
        Tensor wt = randn(1, 3, 2, 3, 3);
        assertThat(Convolutions.conv2d(x, wt, 1, 1).shape()).isEqualTo(Shape.of(0, 3, 5, 5));
        assertThat(Convolutions.conv2dWeightGrad(x, Tensor.zeros(0, 3, 5, 5), wt.shape(), 1, 1).toArray())
                .containsOnly(0.0);
        Tensor noChannels = Tensor.zeros(2, 0, 4, 4);
        Tensor y = Convolutions.conv2d(noChannels, Tensor.zeros(3, 0, 2, 2), 1, 0);
        assertThat(y.shape()).isEqualTo(Shape.of(2, 3, 3, 3));
        assertThat(y.toArray()).containsOnly(0.0);
    }

    @Test
    void errorsNameTheOperationAndShapes() {
        Tensor x = Tensor.zeros(1, 2, 5, 5);
        assertThatThrownBy(() -> Convolutions.conv2d(x, Tensor.zeros(3, 4, 3, 3), 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conv2d").hasMessageContaining("[1, 2, 5, 5]").hasMessageContaining("[3, 4, 3, 3]");
        assertThatThrownBy(() -> Convolutions.conv2d(x, Tensor.zeros(3, 2, 3), 1, 0))
                .hasMessageContaining("conv2d").hasMessageContaining("[3, 2, 3]");
        assertThatThrownBy(() -> Convolutions.conv2d(x, Tensor.zeros(3, 2, 6, 6), 1, 0))
                .hasMessageContaining("conv2d").hasMessageContaining("does not fit");
        assertThatThrownBy(() -> Convolutions.conv2d(x, Tensor.zeros(3, 2, 3, 3), 0, 0))
                .hasMessageContaining("conv2d").hasMessageContaining("stride");
        assertThatThrownBy(() -> Convolutions.conv2dInputGrad(Tensor.zeros(1, 3, 4, 4), Tensor.zeros(3, 2, 3, 3),
                x.shape(), 1, 0))
                .hasMessageContaining("conv2dInputGrad").hasMessageContaining("[1, 3, 4, 4]")
                .hasMessageContaining("[1, 3, 3, 3]");
        assertThatThrownBy(() -> Convolutions.conv2dWeightGrad(x, Tensor.zeros(1, 3, 3, 3), Shape.of(3, 1, 3, 3), 1, 0))
                .hasMessageContaining("conv2dWeightGrad").hasMessageContaining("[3, 1, 3, 3]");
    }
}
