package dev.bilevel.tensor;

import dev.bilevel.tensor.internal.BinaryOp;
import dev.bilevel.tensor.internal.Elementwise;
import dev.bilevel.tensor.internal.UnaryOp;

/**
 * The elementwise part of {@link Tensor}'s API: unary functions, arithmetic with a scalar or with
 * another tensor, and comparisons giving 1 where true and 0 where false. Binary operations
 * broadcast as NumPy does; a mismatch is an {@link IllegalArgumentException} that names the
 * operation and both shapes.
 *
 * <p>One of the interfaces that group Tensor's instance operations by concern, beside
 * {@link TensorReductions} and {@link TensorShaping}; it is implemented by {@link Tensor} only,
 * and is used through Tensor ({@code x.add(y)}, {@code x.exp()}). Every operation returns a new
 * tensor.
 */
public sealed interface TensorElementwise permits Tensor {
    /** This tensor: the interface is sealed to {@link Tensor}, so the cast always succeeds. */
    private Tensor self() {
        return (Tensor) this;
    }

    private Tensor unary(UnaryOp op) {
        Tensor t = self();
        return Tensor.wrap(t.shape, Elementwise.unary(op, t.data));
    }

    private Tensor binary(String name, BinaryOp op, Tensor other) {
        Tensor t = self();
        Shape out;
        try {
            out = Shape.broadcast(t.shape, other.shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": shapes " + t.shape + " and " + other.shape
                    + " cannot be broadcast together", e);
        }
        return Tensor.wrap(out,
                Elementwise.binary(op, t.data, t.shape.dims(), other.data, other.shape.dims(), out.dims()));
    }

    private Tensor withScalar(BinaryOp op, double s) {
        Tensor t = self();
        return Tensor.wrap(t.shape, Elementwise.withScalar(op, t.data, s));
    }

    /** −x. */
    default Tensor neg() {
        return unary(UnaryOp.NEG);
    }

    /** |x|. */
    default Tensor abs() {
        return unary(UnaryOp.ABS);
    }

    /** e^x. */
    default Tensor exp() {
        return unary(UnaryOp.EXP);
    }

    /** e^x − 1, accurate near 0. */
    default Tensor expm1() {
        return unary(UnaryOp.EXPM1);
    }

    /** Natural logarithm. */
    default Tensor log() {
        return unary(UnaryOp.LOG);
    }

    /** log(1 + x), accurate near 0. */
    default Tensor log1p() {
        return unary(UnaryOp.LOG1P);
    }

    /** Square root. */
    default Tensor sqrt() {
        return unary(UnaryOp.SQRT);
    }

    /** x². */
    default Tensor square() {
        return unary(UnaryOp.SQUARE);
    }

    /** 1/x. */
    default Tensor reciprocal() {
        return unary(UnaryOp.RECIPROCAL);
    }

    /** sin x. */
    default Tensor sin() {
        return unary(UnaryOp.SIN);
    }

    /** cos x. */
    default Tensor cos() {
        return unary(UnaryOp.COS);
    }

    /** tanh x. */
    default Tensor tanh() {
        return unary(UnaryOp.TANH);
    }

    /** 1 / (1 + e^−x), computed without overflow. */
    default Tensor sigmoid() {
        return unary(UnaryOp.SIGMOID);
    }

    /** max(x, 0). */
    default Tensor relu() {
        return unary(UnaryOp.RELU);
    }

    /** −1, 0 or 1 by the sign of x (NaN stays NaN). */
    default Tensor sign() {
        return unary(UnaryOp.SIGN);
    }

    /** 1 where x &gt; 0, else 0. */
    default Tensor step() {
        return unary(UnaryOp.STEP);
    }

    /** log(1 + e^x), without overflow. */
    default Tensor softplus() {
        return unary(UnaryOp.SOFTPLUS);
    }

    /** The error function. */
    default Tensor erf() {
        return unary(UnaryOp.ERF);
    }

    /** x^p for a constant exponent. */
    default Tensor pow(double p) {
        if (p == 2.0) {
            return square();
        }
        return withScalar(BinaryOp.POW, p);
    }

    /** x + s. */
    default Tensor add(double s) {
        return withScalar(BinaryOp.ADD, s);
    }

    /** x − s. */
    default Tensor sub(double s) {
        return withScalar(BinaryOp.ADD, -s);
    }

    /** x · s. */
    default Tensor mul(double s) {
        return withScalar(BinaryOp.MUL, s);
    }

    /** x / s. */
    default Tensor div(double s) {
        return withScalar(BinaryOp.DIV, s);
    }

    /** Elementwise sum, broadcasting. */
    default Tensor add(Tensor other) {
        return binary("add", BinaryOp.ADD, other);
    }

    /** Elementwise difference, broadcasting. */
    default Tensor sub(Tensor other) {
        return binary("sub", BinaryOp.SUB, other);
    }

    /** Elementwise product, broadcasting. */
    default Tensor mul(Tensor other) {
        return binary("mul", BinaryOp.MUL, other);
    }

    /** Elementwise quotient, broadcasting. */
    default Tensor div(Tensor other) {
        return binary("div", BinaryOp.DIV, other);
    }

    /**
     * {@code this + alpha·other}, the fused form of {@code add(other.mul(alpha))} (an axpy, as in an
     * optimizer step {@code θ − lr·g} with {@code alpha = −lr}), with the same result bit for bit:
     * the product is rounded before the sum. Broadcasts as {@link #add(Tensor)}; with equal shapes
     * it runs as one vectorized pass without the intermediate tensor.
     *
     * @throws IllegalArgumentException naming the op and both shapes when they cannot be broadcast
     */
    default Tensor addScaled(Tensor other, double alpha) {
        Tensor t = self();
        if (t.shape.equals(other.shape)) {
            return Tensor.wrap(t.shape, Elementwise.addScaled(t.data, alpha, other.data));
        }
        try {
            Shape.broadcast(t.shape, other.shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("addScaled: shapes " + t.shape + " and " + other.shape
                    + " cannot be broadcast together", e);
        }
        return add(other.mul(alpha));
    }

    /** Elementwise power, broadcasting. */
    default Tensor pow(Tensor exponent) {
        return binary("pow", BinaryOp.POW, exponent);
    }

    /** Elementwise maximum, broadcasting (NaN if either is NaN). */
    default Tensor maximum(Tensor other) {
        return binary("maximum", BinaryOp.MAX, other);
    }

    /** Elementwise minimum, broadcasting (NaN if either is NaN). */
    default Tensor minimum(Tensor other) {
        return binary("minimum", BinaryOp.MIN, other);
    }

    /** 1 where x &gt; y, else 0. */
    default Tensor gt(Tensor other) {
        return binary("gt", BinaryOp.GT, other);
    }

    /** 1 where x ≥ y, else 0. */
    default Tensor ge(Tensor other) {
        return binary("ge", BinaryOp.GE, other);
    }

    /** 1 where x &lt; y, else 0. */
    default Tensor lt(Tensor other) {
        return binary("lt", BinaryOp.LT, other);
    }

    /** 1 where x ≤ y, else 0. */
    default Tensor le(Tensor other) {
        return binary("le", BinaryOp.LE, other);
    }

    /** 1 where x = y, else 0. */
    default Tensor eq(Tensor other) {
        return binary("eq", BinaryOp.EQ, other);
    }

    /** 1 where x &gt; s, else 0. */
    default Tensor gt(double s) {
        return withScalar(BinaryOp.GT, s);
    }

    /** 1 where x &lt; s, else 0. */
    default Tensor lt(double s) {
        return withScalar(BinaryOp.LT, s);
    }
}
