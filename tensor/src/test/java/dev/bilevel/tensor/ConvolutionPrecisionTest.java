package dev.bilevel.tensor;

import static dev.bilevel.tensor.Fixtures.randn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.tensor.internal.Conv2dGeometry;
import dev.bilevel.tensor.internal.KernelProvider;
import dev.bilevel.tensor.internal.PlainKernels;
import dev.bilevel.tensor.internal.SingleConvolution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Precision#FLOAT32} convolutions against the float64 ones, elementwise within the float32
 * bound {@code (k + 2)·2⁻²⁴·Σ|terms|} (Higham 2002, §3.1; the sum of |terms| of each entry is the
 * same operation applied to the absolute values, in float64), on every geometry of
 * {@link ConvolutionTest}; plus which geometries take the float32 path at all.
 */
class ConvolutionPrecisionTest {
    private static final double U = Math.scalb(1.0, -24);

    @ParameterizedTest(name = "x[{0},{1},{2},{3}] w[{4},{1},{5},{6}] stride {7}x{8} pad {9}x{10}")
    @MethodSource("dev.bilevel.tensor.ConvolutionTest#geometries")
    void float32IsWithinTheFloat32BoundOfFloat64(int n, int c, int h, int w, int o, int kh, int kw,
                                                 int sh, int sw, int ph, int pw) {
        Tensor x = randn(11, n, c, h, w);
        Tensor wt = randn(12, o, c, kh, kw);
        Tensor y = Convolutions.conv2d(x, wt, sh, sw, ph, pw);
        Tensor g = randn(13, y.shape().dims());
        Precision p = Precision.FLOAT32;
        assertWithin(Convolutions.conv2d(x, wt, sh, sw, ph, pw, p), y,
                Convolutions.conv2d(x.abs(), wt.abs(), sh, sw, ph, pw), c * kh * kw);
        assertWithin(Convolutions.conv2dInputGrad(g, wt, x.shape(), sh, sw, ph, pw, p),
                Convolutions.conv2dInputGrad(g, wt, x.shape(), sh, sw, ph, pw),
                Convolutions.conv2dInputGrad(g.abs(), wt.abs(), x.shape(), sh, sw, ph, pw), o * kh * kw);
        assertWithin(Convolutions.conv2dWeightGrad(x, g, wt.shape(), sh, sw, ph, pw, p),
                Convolutions.conv2dWeightGrad(x, g, wt.shape(), sh, sw, ph, pw),
                Convolutions.conv2dWeightGrad(x.abs(), g.abs(), wt.shape(), sh, sw, ph, pw),
                n * y.shape().dim(2) * y.shape().dim(3));
    }

    @ParameterizedTest(name = "x[{0},{1},{2},{3}] w[{4},{1},{5},{6}] stride {7}x{8} pad {9}x{10}")
    @MethodSource("dev.bilevel.tensor.ConvolutionTest#geometries")
    void vectorAndPlainFloat32KernelsAgree(int n, int c, int h, int w, int o, int kh, int kw,
                                           int sh, int sw, int ph, int pw) {
        Tensor x = randn(14, n, c, h, w);
        Tensor wt = randn(15, o, c, kh, kw);
        var geo = Conv2dGeometry.ofForward("conv2d", x.shape().dims(), wt.shape().dims(), sh, sw, ph, pw);
        Tensor g = randn(16, geo.outputDims());
        var vector = KernelProvider.vector();
        var plain = PlainKernels.INSTANCE;
        Shape ys = Shape.of(geo.outputDims());
        Tensor abs = Convolutions.conv2d(x.abs(), wt.abs(), sh, sw, ph, pw);
        assertWithin(Tensor.of(SingleConvolution.forward(vector, geo, x.toArray(), wt.toArray()), ys),
                Tensor.of(SingleConvolution.forward(plain, geo, x.toArray(), wt.toArray()), ys), abs, c * kh * kw);
        assertWithin(Tensor.of(SingleConvolution.weightGrad(vector, geo, x.toArray(), g.toArray()), wt.shape()),
                Tensor.of(SingleConvolution.weightGrad(plain, geo, x.toArray(), g.toArray()), wt.shape()),
                Convolutions.conv2dWeightGrad(x.abs(), g.abs(), wt.shape(), sh, sw, ph, pw), n * ys.dim(2) * ys.dim(3));
        assertWithin(Tensor.of(SingleConvolution.inputGrad(vector, geo, g.toArray(), wt.toArray()), x.shape()),
                Tensor.of(SingleConvolution.inputGrad(plain, geo, g.toArray(), wt.toArray()), x.shape()),
                Convolutions.conv2dInputGrad(g.abs(), wt.abs(), x.shape(), sh, sw, ph, pw), o * kh * kw);
    }

    @Test
    void aConvolutionWithALargeReceptiveFieldRunsInFloat32() {
        Tensor x = randn(17, 2, 4, 8, 8);           // 36-entry receptive fields; the input gradient a full correlation
        Tensor wt = randn(18, 4, 4, 3, 3);
        Tensor y32 = Convolutions.conv2d(x, wt, 1, 1, 1, 1, Precision.FLOAT32);
        Tensor g = randn(19, y32.shape().dims());
        Tensor dw32 = Convolutions.conv2dWeightGrad(x, g, wt.shape(), 1, 1, 1, 1, Precision.FLOAT32);
        Tensor dx32 = Convolutions.conv2dInputGrad(g, wt, x.shape(), 1, 1, 1, 1, Precision.FLOAT32);
        // Outputs of float32 products (the forward pass and input gradient) are floats widened to double.
        for (Tensor t : new Tensor[] {y32, dx32}) {
            for (double v : t.toArray()) {
                assertThat((double) (float) v).isEqualTo(v);
            }
        }
        assertThat(y32.toArray()).isNotEqualTo(Convolutions.conv2d(x, wt, 1, 1, 1, 1).toArray());
        assertThat(dw32.toArray()).isNotEqualTo(Convolutions.conv2dWeightGrad(x, g, wt.shape(), 1, 1, 1, 1).toArray());
    }

    /**
     * 14×14 samples with 32 channels: 288-entry receptive fields fill the column budget at four
     * samples, so six run as a group of four and then a shorter group of two, whose depth (392
     * positions) is padded to whole vectors over columns the first group wrote, and five as a group
     * of four and a single sample (196 positions, padded to 208).
     */
    @ParameterizedTest(name = "{0} samples")
    @ValueSource(ints = {5, 6})
    void sampleGroupsOfEverySizeStayWithinTheFloat32Bound(int n) {
        Tensor x = randn(27, n, 32, 14, 14);
        Tensor wt = randn(28, 8, 32, 3, 3);
        Tensor y = Convolutions.conv2d(x, wt, 1, 1, 1, 1);
        Tensor g = randn(29, y.shape().dims());
        Precision p = Precision.FLOAT32;
        assertWithin(Convolutions.conv2d(x, wt, 1, 1, 1, 1, p), y,
                Convolutions.conv2d(x.abs(), wt.abs(), 1, 1, 1, 1), 32 * 9);
        assertWithin(Convolutions.conv2dInputGrad(g, wt, x.shape(), 1, 1, 1, 1, p),
                Convolutions.conv2dInputGrad(g, wt, x.shape(), 1, 1, 1, 1),
                Convolutions.conv2dInputGrad(g.abs(), wt.abs(), x.shape(), 1, 1, 1, 1), 8 * 9);
        assertWithin(Convolutions.conv2dWeightGrad(x, g, wt.shape(), 1, 1, 1, 1, p),
                Convolutions.conv2dWeightGrad(x, g, wt.shape(), 1, 1, 1, 1),
                Convolutions.conv2dWeightGrad(x.abs(), g.abs(), wt.shape(), 1, 1, 1, 1), n * 14 * 14);
    }

    @Test
    void smallReceptiveFieldsAndPointwiseConvolutionsStayInFloat64() {
        Tensor x = randn(20, 2, 1, 9, 9);          // 3×3 on one channel: 9 < 16 entries
        Tensor wt = randn(21, 5, 1, 3, 3);
        Tensor y = Convolutions.conv2d(x, wt, 1, 1, 1, 1);
        Tensor g = randn(22, y.shape().dims());
        assertThat(Convolutions.conv2d(x, wt, 1, 1, 1, 1, Precision.FLOAT32).toArray()).containsExactly(y.toArray());
        assertThat(Convolutions.conv2dWeightGrad(x, g, wt.shape(), 1, 1, 1, 1, Precision.FLOAT32).toArray())
                .containsExactly(Convolutions.conv2dWeightGrad(x, g, wt.shape(), 1, 1, 1, 1).toArray());
        Tensor x1 = randn(23, 2, 20, 4, 4);         // 1×1
        Tensor w1 = randn(24, 6, 20, 1, 1);
        assertThat(Convolutions.conv2d(x1, w1, 1, 1, 0, 0, Precision.FLOAT32).toArray())
                .containsExactly(Convolutions.conv2d(x1, w1, 1, 1, 0, 0).toArray());
    }

    @Test
    void aMissingPrecisionIsNamed() {
        Tensor x = randn(25, 1, 2, 5, 5);
        Tensor wt = randn(26, 2, 2, 3, 3);
        assertThatThrownBy(() -> Convolutions.conv2d(x, wt, 1, 1, 1, 1, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("precision");
    }

    /** |actual − expected| ≤ 2·(k + 2)·2⁻²⁴·abs + 1e-300 elementwise, abs holding each entry's Σ|terms|. */
    private static void assertWithin(Tensor actual, Tensor expected, Tensor abs, int k) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        double[] a = actual.toArray();
        double[] e = expected.toArray();
        double[] s = abs.toArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(Math.abs(a[i] - e[i])).as("entry %d", i).isLessThanOrEqualTo(2 * (k + 2) * U * s[i] + 1e-300);
        }
    }
}
