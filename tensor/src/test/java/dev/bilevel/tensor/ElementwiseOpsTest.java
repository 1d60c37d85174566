package dev.bilevel.tensor;

import static dev.bilevel.tensor.Fixtures.broadcastGet;
import static dev.bilevel.tensor.Fixtures.randomDims;
import static dev.bilevel.tensor.Fixtures.unravel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Elementwise operations against formulas written here, over seeded random shapes with broadcasting. */
class ElementwiseOpsTest {

    static Stream<Arguments> unaryOps() {
        List<Arguments> a = new ArrayList<>();
        a.add(op("neg", Tensor::neg, x -> -x));
        a.add(op("abs", Tensor::abs, Math::abs));
        a.add(op("exp", Tensor::exp, Math::exp));
        a.add(op("expm1", Tensor::expm1, Math::expm1));
        a.add(op("log", Tensor::log, Math::log));
        a.add(op("log1p", Tensor::log1p, Math::log1p));
        a.add(op("sqrt", Tensor::sqrt, Math::sqrt));
        a.add(op("square", Tensor::square, x -> x * x));
        a.add(op("reciprocal", Tensor::reciprocal, x -> 1 / x));
        a.add(op("sin", Tensor::sin, Math::sin));
        a.add(op("cos", Tensor::cos, Math::cos));
        a.add(op("tanh", Tensor::tanh, Math::tanh));
        a.add(op("sigmoid", Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x))));
        a.add(op("relu", Tensor::relu, x -> x > 0 ? x : 0));
        a.add(op("sign", Tensor::sign, x -> x > 0 ? 1 : x < 0 ? -1 : x));
        a.add(op("step", Tensor::step, x -> x > 0 ? 1 : 0));
        a.add(op("softplus", Tensor::softplus, x -> Math.log(1 + Math.exp(x))));
        a.add(op("pow(3)", t -> t.pow(3.0), x -> x * x * x));
        a.add(op("pow(2)", t -> t.pow(2.0), x -> x * x));
        a.add(op("add(s)", t -> t.add(0.75), x -> x + 0.75));
        a.add(op("sub(s)", t -> t.sub(0.75), x -> x - 0.75));
        a.add(op("mul(s)", t -> t.mul(-1.5), x -> x * -1.5));
        a.add(op("div(s)", t -> t.div(4.0), x -> x / 4.0));
        a.add(op("gt(s)", t -> t.gt(0.5), x -> x > 0.5 ? 1 : 0));
        a.add(op("lt(s)", t -> t.lt(0.5), x -> x < 0.5 ? 1 : 0));
        return a.stream();
    }

    private static Arguments op(String name, Function<Tensor, Tensor> f, DoubleUnaryOperator ref) {
        return Arguments.of(name, f, ref);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryOps")
    void unaryOpsMatchTheirFormulas(String name, Function<Tensor, Tensor> f, DoubleUnaryOperator ref) {
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        for (int trial = 0; trial < 6; trial++) {
            int[] dims = randomDims(rnd, 3, 5);
            Tensor x = Tensor.uniform(new Rng(trial), -3, 3, dims);
            if (name.startsWith("log") || name.equals("sqrt")) {
                x = x.abs().add(0.1);
            }
            Tensor y = f.apply(x);
            assertThat(y.shape()).isEqualTo(x.shape());
            for (int i = 0; i < x.size(); i++) {
                double e = ref.applyAsDouble(x.getFlat(i));
                assertThat(y.getFlat(i)).as("%s(%s)", name, x.getFlat(i))
                        .isCloseTo(e, org.assertj.core.data.Offset.offset(1e-14 * (1 + Math.abs(e))));
            }
        }
        assertThat(f.apply(Tensor.zeros(0, 3)).shape()).isEqualTo(Shape.of(0, 3));
    }

    @Test
    void saturatingFunctionsStayFiniteAtExtremes() {
        Tensor x = Tensor.vector(-1000, -40, 40, 1000);
        assertThat(x.sigmoid().toArray()).containsExactly(0.0, 1 / (1 + Math.exp(40)), 1 / (1 + Math.exp(-40)), 1.0);
        assertThat(x.softplus().toArray()).containsExactly(0.0, Math.log1p(Math.exp(-40)), 40 + Math.log1p(Math.exp(-40)),
                1000.0);
        assertThat(Tensor.vector(Double.NaN).sign().item()).isNaN();
    }

    static Stream<Arguments> binaryOps() {
        List<Arguments> a = new ArrayList<>();
        a.add(bin("add", Tensor::add, Double::sum));
        a.add(bin("sub", Tensor::sub, (x, y) -> x - y));
        a.add(bin("mul", Tensor::mul, (x, y) -> x * y));
        a.add(bin("div", Tensor::div, (x, y) -> x / y));
        a.add(bin("pow", (x, y) -> x.abs().pow(y), (x, y) -> Math.pow(Math.abs(x), y)));
        a.add(bin("maximum", Tensor::maximum, Math::max));
        a.add(bin("minimum", Tensor::minimum, Math::min));
        a.add(bin("gt", Tensor::gt, (x, y) -> x > y ? 1 : 0));
        a.add(bin("ge", Tensor::ge, (x, y) -> x >= y ? 1 : 0));
        a.add(bin("lt", Tensor::lt, (x, y) -> x < y ? 1 : 0));
        a.add(bin("le", Tensor::le, (x, y) -> x <= y ? 1 : 0));
        a.add(bin("eq", Tensor::eq, (x, y) -> x == y ? 1 : 0));
        return a.stream();
    }

    private static Arguments bin(String name, BiFunction<Tensor, Tensor, Tensor> f, DoubleBinaryOperator ref) {
        return Arguments.of(name, f, ref);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryOps")
    void binaryOpsBroadcastLikeNumPy(String name, BiFunction<Tensor, Tensor, Tensor> f, DoubleBinaryOperator ref) {
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        for (int trial = 0; trial < 40; trial++) {
            int[] out = randomDims(rnd, 4, 4);
            Tensor a = integers(rnd, operandDims(rnd, out));
            Tensor b = integers(rnd, operandDims(rnd, out));
            if (name.equals("div")) {
                b = b.add(0.5);
            }
            Tensor y = f.apply(a, b);
            Shape expected = Shape.broadcast(a.shape(), b.shape());
            assertThat(y.shape()).isEqualTo(expected);
            int[] od = expected.dims();
            for (int i = 0; i < y.size(); i++) {
                int[] idx = unravel(i, od);
                double e = ref.applyAsDouble(broadcastGet(a, idx), broadcastGet(b, idx));
                assertThat(y.getFlat(i)).as("%s at %s", name, java.util.Arrays.toString(idx)).isEqualTo(e);
            }
        }
    }

    @Test
    void addScaledEqualsAddOfTheScaledTensorBitForBit() {
        for (int n : new int[] {0, 3, 40, 1600}) {
            Tensor a = Tensor.randn(new Rng(n), n);
            Tensor b = Tensor.randn(new Rng(n + 1), n);
            double[] y = a.addScaled(b, -0.01).toArray();
            for (int i = 0; i < n; i++) {
                assertThat(y[i]).isEqualTo(a.getFlat(i) + (-0.01 * b.getFlat(i)));
            }
        }
        Tensor a = Tensor.randn(new Rng(1), 3, 4);
        Tensor row = Tensor.randn(new Rng(2), 4);
        assertThat(a.addScaled(row, 2.0).toArray()).containsExactly(a.add(row.mul(2.0)).toArray());
        assertThatThrownBy(() -> a.addScaled(Tensor.zeros(3), 1.0))
                .hasMessageContaining("addScaled").hasMessageContaining("[3, 4]").hasMessageContaining("[3]");
    }

    @Test
    void maximumAndMinimumPropagateNaN() {
        Tensor a = Tensor.vector(1, Double.NaN);
        Tensor b = Tensor.vector(Double.NaN, 2);
        assertThat(a.maximum(b).toArray()).containsOnly(Double.NaN);
        assertThat(a.minimum(b).toArray()).containsOnly(Double.NaN);
    }

    @Test
    void whereBroadcastsAllThree() {
        Tensor cond = Tensor.of(new double[] {1, 0, 0, 2}, 2, 1, 2);
        Tensor a = Tensor.of(new double[] {10, 20, 30}, 3, 1);
        Tensor b = Tensor.scalar(-1);
        Tensor y = Tensor.where(cond, a, b);
        assertThat(y.shape()).isEqualTo(Shape.of(2, 3, 2));
        for (int i = 0; i < y.size(); i++) {
            int[] idx = unravel(i, y.shape().dims());
            double expected = broadcastGet(cond, idx) != 0 ? broadcastGet(a, idx) : -1;
            assertThat(y.getFlat(i)).isEqualTo(expected);
        }
        assertThatThrownBy(() -> Tensor.where(Tensor.zeros(2), Tensor.zeros(3), b))
                .hasMessageContaining("where").hasMessageContaining("[2]").hasMessageContaining("[3]");
    }

    @Test
    void mismatchedShapesNameTheOperationAndBothShapes() {
        assertThatThrownBy(() -> Tensor.zeros(2, 3).add(Tensor.zeros(4, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add").hasMessageContaining("[2, 3]").hasMessageContaining("[4, 3]");
        assertThatThrownBy(() -> Tensor.zeros(2).mul(Tensor.zeros(3)))
                .hasMessageContaining("mul").hasMessageContaining("[2]").hasMessageContaining("[3]");
    }

    /** Dimensions that broadcast to {@code out}: a suffix of it, some entries replaced by 1. */
    private static int[] operandDims(SplittableRandom rnd, int[] out) {
        int r = rnd.nextInt(out.length + 1);
        int[] d = new int[r];
        for (int i = 0; i < r; i++) {
            d[i] = rnd.nextInt(3) == 0 ? 1 : out[out.length - r + i];
        }
        return d;
    }

    private static Tensor integers(SplittableRandom rnd, int[] dims) {
        double[] v = new double[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(5) - 2;
        }
        return Tensor.of(v, dims);
    }
}
