package dev.bilevel.autodiff.internal;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;

/**
 * Elementwise functions of one argument without parameters. Each constant holds {@code y = f(x)}
 * and its VJP {@code g·f'(x)}, written with the output {@code y} where that is cheaper
 * (e.g. {@code exp' = y}, {@code tanh' = 1 − y²}).
 *
 * <p>Piecewise-linear functions ({@code abs}, {@code relu}) multiply by a constant mask: their
 * second derivative is zero wherever it exists, and the subgradient 0 is used at the kink.
 */
public enum ElementwiseUnary implements UnaryPrimitive {
    /** −x. */
    NEG("neg") {
        @Override public Tensor forward(Tensor x) { return x.neg(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.neg(); }
    },
    /** e^x; derivative e^x = y. */
    EXP("exp") {
        @Override public Tensor forward(Tensor x) { return x.exp(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.mul(out); }
    },
    /** e^x − 1, accurate near 0; derivative e^x = y + 1. */
    EXPM1("expm1") {
        @Override public Tensor forward(Tensor x) { return x.expm1(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.mul(out.add(1.0)); }
    },
    /** ln x; derivative 1/x. */
    LOG("log") {
        @Override public Tensor forward(Tensor x) { return x.log(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.div(x); }
    },
    /** ln(1 + x); derivative 1/(1 + x). */
    LOG1P("log1p") {
        @Override public Tensor forward(Tensor x) { return x.log1p(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.div(x.add(1.0)); }
    },
    /** √x; derivative 1/(2y). */
    SQRT("sqrt") {
        @Override public Tensor forward(Tensor x) { return x.sqrt(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.div(out.mul(2.0)); }
    },
    /** x²; derivative 2x. */
    SQUARE("square") {
        @Override public Tensor forward(Tensor x) { return x.square(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.mul(x.mul(2.0)); }
    },
    /** 1/x; derivative −y². */
    RECIPROCAL("reciprocal") {
        @Override public Tensor forward(Tensor x) { return x.reciprocal(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.mul(out.square()).neg(); }
    },
    /** |x|; derivative sign(x), 0 at 0. */
    ABS("abs") {
        @Override public Tensor forward(Tensor x) { return x.abs(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            return g.mul(Variable.constant(x.value().sign()));
        }
    },
    /** tanh x; derivative 1 − y². */
    TANH("tanh") {
        @Override public Tensor forward(Tensor x) { return x.tanh(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            return g.mul(out.square().neg().add(1.0));
        }
    },
    /** σ(x) = 1/(1 + e^−x); derivative y − y². */
    SIGMOID("sigmoid") {
        @Override public Tensor forward(Tensor x) { return x.sigmoid(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            return g.mul(out.sub(out.square()));
        }
    },
    /** max(x, 0); derivative 1 where x &gt; 0, else 0. */
    RELU("relu") {
        @Override public Tensor forward(Tensor x) { return x.relu(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            return g.mul(Variable.constant(x.value().step()));
        }
    },
    /** ln(1 + e^x); derivative σ(x). */
    SOFTPLUS("softplus") {
        @Override public Tensor forward(Tensor x) { return x.softplus(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.mul(x.sigmoid()); }
    },
    /** sin x; derivative cos x. */
    SIN("sin") {
        @Override public Tensor forward(Tensor x) { return x.sin(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.mul(x.cos()); }
    },
    /** cos x; derivative −sin x. */
    COS("cos") {
        @Override public Tensor forward(Tensor x) { return x.cos(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.mul(x.sin()).neg(); }
    },
    /** erf x; derivative (2/√π)·e^(−x²). */
    ERF("erf") {
        @Override public Tensor forward(Tensor x) { return x.erf(); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            return g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI));
        }
    };

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private final String opName;

    ElementwiseUnary(String opName) {
        this.opName = opName;
    }

    @Override
    public String opName() {
        return opName;
    }
}
