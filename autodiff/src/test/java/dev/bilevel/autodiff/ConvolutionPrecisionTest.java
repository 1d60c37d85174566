package dev.bilevel.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.tensor.Precision;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@link Precision#FLOAT32} convolution differentiates into float32 convolutions to every order:
 * its first and second derivatives agree with the float64 ones to float32 accuracy, and the
 * first-order input gradient (one float32 product) holds exact floats.
 */
class ConvolutionPrecisionTest {

    @Test
    void derivativesOfAFloat32ConvolutionAreFloat32ConvolutionsCloseToFloat64() {
        Rng rng = new Rng(5);
        Tensor xv = Tensor.randn(rng, 2, 4, 8, 8);
        Tensor wv = Tensor.randn(rng, 5, 4, 3, 3);
        Tensor direction = Tensor.randn(rng, 5, 4, 3, 3);
        Derivatives d64 = derivatives(xv, wv, direction, Precision.FLOAT64);
        Derivatives d32 = derivatives(xv, wv, direction, Precision.FLOAT32);
        assertClose(d32.dx, d64.dx);
        assertClose(d32.dw, d64.dw);
        assertClose(d32.mixed, d64.mixed);
        assertThat(d32.dx.toArray()).isNotEqualTo(d64.dx.toArray());
        for (double v : d32.dx.toArray()) {
            assertThat((double) (float) v).isEqualTo(v);
        }
    }

    /** ∂L/∂x, ∂L/∂w and ∂⟨∂L/∂w, direction⟩/∂x for L = Σ conv2d(x, w)² / 2. */
    private record Derivatives(Tensor dx, Tensor dw, Tensor mixed) {
    }

    private static Derivatives derivatives(Tensor xv, Tensor wv, Tensor direction, Precision p) {
        Variable x = Variable.leaf(xv);
        Variable w = Variable.leaf(wv);
        Variable y = VariableConvolutions.conv2d(x, w, 1, 1, 1, 1, p);
        Variable loss = y.mul(y).sum().mul(0.5);
        List<Variable> g = Autodiff.grad(loss, List.of(x, w), true, false);
        Variable mixed = Autodiff.grad(g.get(1).mul(Variable.constant(direction)).sum(), x, false);
        return new Derivatives(g.get(0).value(), g.get(1).value(), mixed.value());
    }

    /** Within 1e-5 of the float64 value, relative to the largest entry (float32 rounding is about 6e-8). */
    private static void assertClose(Tensor actual, Tensor expected) {
        double scale = expected.abs().max().item();
        double[] a = actual.toArray();
        double[] e = expected.toArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(Math.abs(a[i] - e[i])).as("entry %d", i).isLessThanOrEqualTo(1e-5 * scale);
        }
    }
}
