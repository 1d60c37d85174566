package dev.bilevel.autodiff.internal;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;

/** Elementwise primitives that carry a constant parameter: a scalar, an exponent, a slope, a condition. */
public final class ParametricElementwise {
    private ParametricElementwise() {}

    /** x + s. */
    public record AddScalar(double s) implements UnaryPrimitive {
        @Override public String opName() { return "add"; }
        @Override public Tensor forward(Tensor x) { return x.add(s); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g; }
    }

    /** x · s. */
    public record MulScalar(double s) implements UnaryPrimitive {
        @Override public String opName() { return "mul"; }
        @Override public Tensor forward(Tensor x) { return x.mul(s); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.mul(s); }
    }

    /** x / s. */
    public record DivScalar(double s) implements UnaryPrimitive {
        @Override public String opName() { return "div"; }
        @Override public Tensor forward(Tensor x) { return x.div(s); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.div(s); }
    }

    /**
     * x^p for a constant p; derivative p·x^(p−1). The exponents 0 and 1 are special-cased so that
     * repeated differentiation never forms {@code 0·x^−1} (NaN at x = 0).
     */
    public record Pow(double p) implements UnaryPrimitive {
        @Override public String opName() { return "pow"; }
        @Override public Tensor forward(Tensor x) { return x.pow(p); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            if (p == 0.0) {
                return g.mul(0.0);
            }
            if (p == 1.0) {
                return g;
            }
            return g.mul(x.pow(p - 1.0).mul(p));
        }
    }

    /** x for x &gt; 0, slope·x otherwise; derivative a constant mask of 1 and slope. */
    public record LeakyRelu(double slope) implements UnaryPrimitive {
        @Override public String opName() { return "leakyRelu"; }
        @Override public Tensor forward(Tensor x) { return Tensor.where(x.gt(0.0), x, x.mul(slope)); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            Tensor positive = x.value().gt(0.0);
            Tensor mask = Tensor.where(positive, Tensor.scalar(1.0), Tensor.scalar(slope)).broadcastTo(x.shape());
            return g.mul(Variable.constant(mask));
        }
    }

    /** {@code cond ≠ 0 ? a : b}, the three broadcast together; the condition is a constant. */
    public record Where(Tensor cond) implements BinaryPrimitive {
        private static final Variable ZERO = Variable.scalar(0.0);

        @Override public String opName() { return "where"; }
        @Override public Tensor forward(Tensor a, Tensor b) { return Tensor.where(cond, a, b); }
        @Override public Variable vjpFirst(Variable a, Variable b, Variable out, Variable g) {
            return Variable.where(cond, g, ZERO).sumTo(a.shape());
        }
        @Override public Variable vjpSecond(Variable a, Variable b, Variable out, Variable g) {
            return Variable.where(cond, ZERO, g).sumTo(b.shape());
        }
    }
}
