package dev.bilevel.autodiff.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradCheck;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every activation against a scalar reference written in the test, then first and second
 * derivatives against central differences ({@link GradCheck}, orders 1 and 2) on seeded inputs
 * kept 0.1 away from the kink of the piecewise-linear ones.
 */
class ActivationTest {

    static Stream<Arguments> activations() {
        return Stream.of(
                Arguments.of("relu", Activation.RELU, (DoubleUnaryOperator) x -> x > 0 ? x : 0.0),
                Arguments.of("leakyRelu(0.01)", Activation.LEAKY_RELU, (DoubleUnaryOperator) x -> x > 0 ? x : 0.01 * x),
                Arguments.of("leakyRelu(0.2)", Activation.leakyRelu(0.2), (DoubleUnaryOperator) x -> x > 0 ? x : 0.2 * x),
                Arguments.of("tanh", Activation.TANH, (DoubleUnaryOperator) Math::tanh),
                Arguments.of("sigmoid", Activation.SIGMOID, (DoubleUnaryOperator) x -> 1 / (1 + Math.exp(-x))),
                Arguments.of("softplus", Activation.SOFTPLUS, (DoubleUnaryOperator) x -> Math.log1p(Math.exp(x))),
                Arguments.of("gelu", Activation.GELU, (DoubleUnaryOperator) x -> x * Reference.normalCdf(x)),
                Arguments.of("identity", Activation.IDENTITY, (DoubleUnaryOperator) x -> x));
    }

    /** Standard normal values times 2, pushed at least 0.1 away from 0. */
    private static Tensor input(long seed, int... dims) {
        Tensor z = Tensor.randn(new Rng(seed), dims).mul(2);
        double[] v = z.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.copySign(0.1 + Math.abs(v[i]), v[i]);
        }
        return Tensor.of(v, dims);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void forwardMatchesScalarReference(String name, Activation a, DoubleUnaryOperator ref) {
        Tensor x = input(1, 6, 7);
        double[] y = a.apply(Variable.constant(x)).value().toArray();
        double[] xv = x.toArray();
        for (int i = 0; i < xv.length; i++) {
            double expected = ref.applyAsDouble(xv[i]);
            assertThat(y[i]).as("%s(%s)", name, xv[i]).isCloseTo(expected, offset(
                    1e-13 * (1 + Math.abs(expected))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void firstAndSecondDerivativesMatchFiniteDifferences(String name, Activation a, DoubleUnaryOperator ref) {
        for (long seed = 1; seed <= 3; seed++) {
            GradCheck.check(v -> a.apply(v), input(seed, 3, 4), GradCheck.Options.defaults().withSeed(seed))
                    .requirePassed();
        }
    }

    @Test
    void geluDerivativeIsPhiPlusXTimesDensity() {
        Tensor x = input(4, 10);
        Variable v = Variable.leaf(x);
        double[] g = Autodiff.grad(Activation.GELU.apply(v).sum(), v, false).value().toArray();
        double[] xv = x.toArray();
        for (int i = 0; i < xv.length; i++) {
            double expected = Reference.normalCdf(xv[i]) + xv[i] * Reference.density(xv[i]);
            assertThat(g[i]).isCloseTo(expected, offset(1e-13));
        }
    }

    @Test
    void softmaxAndLogSoftmaxMatchReferenceAndStayFiniteForLargeLogits() {
        // Rows shifted by ±1000: x − lse(x) loses ~1000·ε ≈ 1e-13 absolute, hence the 1e-12 tolerances.
        Tensor logits = Tensor.randn(new Rng(5), 4, 6).mul(3).add(Tensor.of(new double[] {0, 1000, -1000, 700}, 4, 1));
        double[] p = Activation.softmax(Variable.constant(logits), -1).value().toArray();
        double[] lp = Activation.logSoftmax(Variable.constant(logits), 1).value().toArray();
        double[] z = logits.toArray();
        for (int r = 0; r < 4; r++) {
            double lse = Reference.logSumExp(z, 6 * r, 6 * r + 6);
            double rowSum = 0;
            for (int c = 0; c < 6; c++) {
                int i = 6 * r + c;
                assertThat(lp[i]).isCloseTo(z[i] - lse, offset(1e-12 * (1 + Math.abs(lse))));
                assertThat(p[i]).isCloseTo(Math.exp(z[i] - lse), offset(1e-12));
                rowSum += p[i];
            }
            assertThat(rowSum).isCloseTo(1.0, offset(1e-12));
        }
    }

    @Test
    void softmaxAlongAnAxisHasCheckedDerivatives() {
        for (long seed = 1; seed <= 3; seed++) {
            Tensor x = Tensor.randn(new Rng(seed), 3, 5);
            GradCheck.check(v -> Activation.softmax(v, 1).mul(Variable.constant(Tensor.arange(5))), x,
                    GradCheck.Options.defaults().withSeed(seed)).requirePassed();
            GradCheck.check(v -> Activation.logSoftmax(v, 0), x, GradCheck.Options.defaults().withSeed(seed))
                    .requirePassed();
        }
    }
}
