package dev.bilevel.autodiff.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradCheck;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each loss against a loop over plain doubles, its closed-form gradient where there is one, and
 * first and second derivatives against central differences.
 */
class LossesTest {

    @Test
    void mseIsTheMeanOfSquaredDifferences() {
        Tensor p = Tensor.randn(new Rng(1), 5, 3);
        Tensor t = Tensor.randn(new Rng(2), 5, 3);
        double s = 0;
        for (int i = 0; i < 15; i++) {
            double d = p.getFlat(i) - t.getFlat(i);
            s += d * d;
        }
        assertThat(Losses.mse(Variable.constant(p), Variable.constant(t)).item()).isCloseTo(s / 15, offset(1e-14));
        Variable pv = Variable.leaf(p);
        Tensor g = Autodiff.grad(Losses.mse(pv, Variable.constant(t)), pv, false).value();
        assertThat(g.maxAbsDiff(p.sub(t).mul(2.0 / 15))).isLessThanOrEqualTo(1e-15);
        GradCheck.check(args -> Losses.mse(args.get(0), args.get(1)), List.of(p, t), GradCheck.Options.defaults())
                .requirePassed();
    }

    @Test
    void crossEntropyIsTheMeanNegativeLogLikelihoodWithGradientSoftmaxMinusOneHot() {
        Tensor z = Tensor.randn(new Rng(3), 6, 4).mul(2);
        int[] y = {0, 3, 1, 1, 2, 0};
        double[] zv = z.toArray();
        double expected = 0;
        double[] grad = new double[24];
        for (int n = 0; n < 6; n++) {
            double lse = Reference.logSumExp(zv, 4 * n, 4 * n + 4);
            expected += lse - zv[4 * n + y[n]];
            for (int c = 0; c < 4; c++) {
                grad[4 * n + c] = (Math.exp(zv[4 * n + c] - lse) - (c == y[n] ? 1 : 0)) / 6;
            }
        }
        Variable zl = Variable.leaf(z);
        Variable loss = Losses.crossEntropy(zl, y);
        assertThat(loss.item()).isCloseTo(expected / 6, offset(1e-14));
        assertThat(Autodiff.grad(loss, zl, false).value().maxAbsDiff(Tensor.of(grad, 6, 4))).isLessThanOrEqualTo(1e-15);
        GradCheck.check(v -> Losses.crossEntropy(v, y), z, GradCheck.Options.defaults()).requirePassed();
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Tensor z = Tensor.matrix(new double[][] {{1000, 0, -1000}, {-1e4, 1e4, 0}});
        Variable zl = Variable.leaf(z);
        Variable loss = Losses.crossEntropy(zl, new int[] {0, 0});
        // Row 1 is certain and right (loss 0), row 2 certain and wrong by 2e4: mean 1e4.
        assertThat(loss.item()).isCloseTo(1e4, offset(1e-9));
        assertThat(Autodiff.grad(loss, zl, false).value().isFinite()).isTrue();
    }

    @Test
    void crossEntropyRejectsBadLabels() {
        Variable z = Variable.constant(Tensor.zeros(2, 3));
        assertThatThrownBy(() -> Losses.crossEntropy(z, new int[] {0})).hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> Losses.crossEntropy(z, new int[] {0, 3})).hasMessageContaining("label 3");
    }

    @Test
    void binaryCrossEntropyWithLogitsMatchesTheProbabilityFormAndIsStable() {
        Tensor z = Tensor.randn(new Rng(4), 3, 5).mul(3);
        Tensor t = Tensor.uniform(new Rng(5), 0, 1, 3, 5);
        double s = 0;
        for (int i = 0; i < 15; i++) {
            double p = 1 / (1 + Math.exp(-z.getFlat(i)));
            s -= t.getFlat(i) * Math.log(p) + (1 - t.getFlat(i)) * Math.log(1 - p);
        }
        Variable zl = Variable.leaf(z);
        Variable loss = Losses.binaryCrossEntropyWithLogits(zl, Variable.constant(t));
        assertThat(loss.item()).isCloseTo(s / 15, offset(1e-12));
        // d/dz = (σ(z) − t)/n
        Tensor expectedGrad = z.sigmoid().sub(t).div(15);
        assertThat(Autodiff.grad(loss, zl, false).value().maxAbsDiff(expectedGrad)).isLessThanOrEqualTo(1e-15);
        GradCheck.check(v -> Losses.binaryCrossEntropyWithLogits(v, Variable.constant(t)), z,
                GradCheck.Options.defaults()).requirePassed();

        Variable extreme = Losses.binaryCrossEntropyWithLogits(Variable.constant(Tensor.vector(800, -800)),
                Variable.constant(Tensor.vector(0, 0)));
        assertThat(extreme.item()).isCloseTo(400, offset(1e-12));
    }
}
