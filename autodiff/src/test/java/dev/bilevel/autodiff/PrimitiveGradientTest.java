package dev.bilevel.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of {@link Variable}, over seeded random shapes: the forward value equals the
 * {@link Tensor} operation; first derivatives agree with coordinate-wise central differences and
 * with {@link GradCheck}; second derivatives of sin∘op (which differentiates through the op's own
 * VJP, recorded) agree with a four-point mixed difference of values and with {@link GradCheck}.
 */
class PrimitiveGradientTest {
    private static final int SEEDS = 4;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String name : PrimitiveCases.CASES.keySet()) {
            for (int seed = 1; seed <= SEEDS; seed++) {
                out.add(Arguments.of(name, seed));
            }
        }
        return out.stream();
    }

    private static PrimitiveCases.Instance draw(String name, int seed) {
        return PrimitiveCases.CASES.get(name).apply(new Rng(1000L * name.hashCode() + seed));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void forwardEqualsTensorOperation(String name, int seed) {
        PrimitiveCases.Instance c = draw(name, seed);
        List<Variable> leaves = new ArrayList<>();
        for (Tensor t : c.inputs()) {
            leaves.add(Variable.leaf(t));
        }
        Variable y = c.op().apply(leaves);
        Tensor expected = c.ref().apply(c.inputs());
        assertThat(y.shape()).isEqualTo(expected.shape());
        assertThat(y.value().maxAbsDiff(expected)).isLessThanOrEqualTo(1e-12 * (1 + expected.abs().max().item()));
        assertThat(y.requiresGrad()).isTrue();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void firstDerivativesMatchCentralDifferences(String name, int seed) {
        PrimitiveCases.Instance c = draw(name, seed);
        Function<List<Variable>, Variable> s = scalarized(c, seed, false);
        List<Variable> g = Autodiff.grad(s, constants(c.inputs()));
        List<Tensor> fd = FiniteDifferences.gradient(s, c.inputs(), 1e-6);
        for (int i = 0; i < g.size(); i++) {
            assertThat(g.get(i).shape()).isEqualTo(c.inputs().get(i).shape());
            assertClose(g.get(i).value(), fd.get(i), 1e-6, 1e-6, name + " input " + i);
        }
        GradCheck.check(c.op(), c.inputs(), GradCheck.Options.defaults().withOrder(1).withSeed(seed)).requirePassed();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void secondDerivativesMatchCentralDifferences(String name, int seed) {
        PrimitiveCases.Instance c = draw(name, seed);
        Function<List<Variable>, Variable> s = scalarized(c, seed, true);
        Rng rng = new Rng(seed + 77);
        List<Tensor> d = new ArrayList<>();
        for (Tensor t : c.inputs()) {
            d.add(Tensor.randn(rng, t.shape().dims()));
        }
        List<Variable> leaves = new ArrayList<>();
        for (Tensor t : c.inputs()) {
            leaves.add(Variable.leaf(t));
        }
        List<Variable> g = Autodiff.grad(s.apply(leaves), leaves, true, true);
        Variable inner = Variable.scalar(0);
        for (int i = 0; i < g.size(); i++) {
            inner = inner.add(g.get(i).mul(Variable.constant(d.get(i))).sum());
        }
        List<Variable> hd = Autodiff.grad(inner, leaves, false, true);
        List<Tensor> fd = FiniteDifferences.hessianVector(s, c.inputs(), d, 1e-4);
        for (int i = 0; i < hd.size(); i++) {
            assertClose(hd.get(i).value(), fd.get(i), 1e-4, 1e-5, name + " input " + i);
        }
        GradCheck.check(xs -> c.op().apply(xs).sin(), c.inputs(), GradCheck.Options.defaults().withSeed(seed))
                .requirePassed();
    }

    /** ⟨u, op(x)⟩, or ⟨u, sin(op(x))⟩ so that second derivatives pass through the op's VJP. */
    private static Function<List<Variable>, Variable> scalarized(PrimitiveCases.Instance c, int seed, boolean sin) {
        Tensor out = c.ref().apply(c.inputs());
        Variable u = Variable.constant(Tensor.randn(new Rng(seed + 31), out.shape().dims()));
        return xs -> {
            Variable y = c.op().apply(xs);
            return (sin ? y.sin() : y).mul(u).sum();
        };
    }

    private static List<Variable> constants(List<Tensor> ts) {
        List<Variable> v = new ArrayList<>();
        for (Tensor t : ts) {
            v.add(Variable.constant(t));
        }
        return v;
    }

    static void assertClose(Tensor actual, Tensor expected, double rtol, double atol, String what) {
        assertThat(actual.shape()).as(what).isEqualTo(expected.shape());
        for (int i = 0; i < actual.size(); i++) {
            double a = actual.getFlat(i);
            double e = expected.getFlat(i);
            assertThat(Math.abs(a - e)).as(what + " element " + i + ": " + a + " vs " + e)
                    .isLessThanOrEqualTo(atol + rtol * Math.abs(e));
        }
    }
}
