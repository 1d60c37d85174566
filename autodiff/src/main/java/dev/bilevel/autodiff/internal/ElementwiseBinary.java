package dev.bilevel.autodiff.internal;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;

/**
 * Elementwise functions of two broadcast arguments. Every VJP ends in {@link Variable#sumTo}, the
 * one place where broadcasting is undone: an input broadcast along an axis receives the sum of the
 * cotangents along that axis.
 *
 * <p>{@code maximum}/{@code minimum} send the cotangent to the selected argument and split it
 * equally on ties, so the gradient is symmetric in the arguments.
 */
public enum ElementwiseBinary implements BinaryPrimitive {
    /** a + b. */
    ADD("add") {
        @Override public Tensor forward(Tensor a, Tensor b) { return a.add(b); }
        @Override public Variable vjpFirst(Variable a, Variable b, Variable out, Variable g) {
            return g.sumTo(a.shape());
        }
        @Override public Variable vjpSecond(Variable a, Variable b, Variable out, Variable g) {
            return g.sumTo(b.shape());
        }
    },
    /** a − b. */
    SUB("sub") {
        @Override public Tensor forward(Tensor a, Tensor b) { return a.sub(b); }
        @Override public Variable vjpFirst(Variable a, Variable b, Variable out, Variable g) {
            return g.sumTo(a.shape());
        }
        @Override public Variable vjpSecond(Variable a, Variable b, Variable out, Variable g) {
            return g.sumTo(b.shape()).neg();
        }
    },
    /** a · b. */
    MUL("mul") {
        @Override public Tensor forward(Tensor a, Tensor b) { return a.mul(b); }
        @Override public Variable vjpFirst(Variable a, Variable b, Variable out, Variable g) {
            return g.mul(b).sumTo(a.shape());
        }
        @Override public Variable vjpSecond(Variable a, Variable b, Variable out, Variable g) {
            return g.mul(a).sumTo(b.shape());
        }
    },
    /** a / b; ∂/∂b = −a/b² = −y/b. */
    DIV("div") {
        @Override public Tensor forward(Tensor a, Tensor b) { return a.div(b); }
        @Override public Variable vjpFirst(Variable a, Variable b, Variable out, Variable g) {
            return g.div(b).sumTo(a.shape());
        }
        @Override public Variable vjpSecond(Variable a, Variable b, Variable out, Variable g) {
            return g.mul(out).div(b).sumTo(b.shape()).neg();
        }
    },
    /** a^b; ∂/∂a = b·a^(b−1), ∂/∂b = a^b·ln a (finite only for a &gt; 0). */
    POW("pow") {
        @Override public Tensor forward(Tensor a, Tensor b) { return a.pow(b); }
        @Override public Variable vjpFirst(Variable a, Variable b, Variable out, Variable g) {
            return g.mul(b).mul(a.pow(b.sub(1.0))).sumTo(a.shape());
        }
        @Override public Variable vjpSecond(Variable a, Variable b, Variable out, Variable g) {
            return g.mul(out).mul(a.log()).sumTo(b.shape());
        }
    },
    /** max(a, b). */
    MAXIMUM("maximum") {
        @Override public Tensor forward(Tensor a, Tensor b) { return a.maximum(b); }
        @Override public Variable vjpFirst(Variable a, Variable b, Variable out, Variable g) {
            return g.mul(Variable.constant(selectMask(a.value(), b.value(), true))).sumTo(a.shape());
        }
        @Override public Variable vjpSecond(Variable a, Variable b, Variable out, Variable g) {
            return g.mul(Variable.constant(selectMask(b.value(), a.value(), true))).sumTo(b.shape());
        }
    },
    /** min(a, b). */
    MINIMUM("minimum") {
        @Override public Tensor forward(Tensor a, Tensor b) { return a.minimum(b); }
        @Override public Variable vjpFirst(Variable a, Variable b, Variable out, Variable g) {
            return g.mul(Variable.constant(selectMask(a.value(), b.value(), false))).sumTo(a.shape());
        }
        @Override public Variable vjpSecond(Variable a, Variable b, Variable out, Variable g) {
            return g.mul(Variable.constant(selectMask(b.value(), a.value(), false))).sumTo(b.shape());
        }
    };

    private final String opName;

    ElementwiseBinary(String opName) {
        this.opName = opName;
    }

    @Override
    public String opName() {
        return opName;
    }

    /** 1 where {@code x} is selected over {@code y}, ½ on ties, else 0 (in the broadcast shape). */
    private static Tensor selectMask(Tensor x, Tensor y, boolean max) {
        Tensor wins = max ? x.gt(y) : x.lt(y);
        return wins.add(x.eq(y).mul(0.5));
    }
}
