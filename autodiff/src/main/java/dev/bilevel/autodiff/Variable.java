package dev.bilevel.autodiff;

import dev.bilevel.autodiff.internal.ElementwiseBinary;
import dev.bilevel.autodiff.internal.ElementwiseUnary;
import dev.bilevel.autodiff.internal.LinalgPrimitives;
import dev.bilevel.autodiff.internal.ParametricElementwise;
import dev.bilevel.autodiff.internal.Primitive;
import dev.bilevel.autodiff.internal.ReductionPrimitives;
import dev.bilevel.autodiff.internal.ShapePrimitives;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable node of a differentiable computation: a {@link Tensor} value and, when it was
 * recorded, the primitive and the input variables that produced it.
 *
 * <p>There is no global tape. A graph is just the references from outputs to inputs, so it is
 * garbage as soon as the last output is unreachable. An operation records a node when
 * {@link GradMode} is enabled on the calling thread and some input {@link #requiresGrad()};
 * otherwise it returns a constant. Gradients are never stored on variables: they are computed
 * on demand by {@link Autodiff#grad(Variable, List, boolean, boolean)} and friends, and are
 * variables themselves, recorded when {@code createGraph} is set, so that they can be
 * differentiated again.
 *
 * <pre>{@code
 * Variable w = Variable.leaf(Tensor.randn(new Rng(1), 3, 1));
 * Variable x = Variable.constant(Tensor.randn(new Rng(2), 8, 3));
 * Variable loss = x.matmul(w).tanh().square().mean();
 * Variable dw = Autodiff.grad(loss, w, true);            // recorded: differentiable again
 * Variable hv = Autodiff.grad(dw.sum(), w, false);       // row sums of the Hessian
 * }</pre>
 *
 * <p>Convolution and pooling are in {@link VariableConvolutions}, as those of tensors are in
 * {@link dev.bilevel.tensor.Convolutions}.
 *
 * <p>Operations mirror {@link Tensor}'s and throw the same errors (an
 * {@link IllegalArgumentException} naming the operation and both shapes on a mismatch).
 * Variables are safe to share between threads.
 */
public final class Variable {
    final Tensor value;
    final boolean requiresGrad;
    /** The producing primitive, or null for leaves and constants. */
    final Primitive op;
    /** The inputs of {@link #op}, or null for leaves and constants. */
    final Variable[] inputs;
    /** 0 for leaves and constants, else 1 + the largest height of the inputs: inputs are strictly lower. */
    final int height;

    Variable(Tensor value, boolean requiresGrad) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.op = null;
        this.inputs = null;
        this.height = 0;
    }

    Variable(Tensor value, Primitive op, Variable[] inputs, int height) {
        this.value = value;
        this.requiresGrad = true;
        this.op = op;
        this.inputs = inputs;
        this.height = height;
    }

    // ---------------------------------------------------------------- creation and access

    /** A leaf that requires grad: an independent variable to differentiate with respect to. */
    public static Variable leaf(Tensor value) {
        return new Variable(value, true);
    }

    /** A constant: never differentiated, and operations on constants alone record nothing. */
    public static Variable constant(Tensor value) {
        return new Variable(value, false);
    }

    /** A rank-0 constant. */
    public static Variable scalar(double value) {
        return new Variable(Tensor.scalar(value), false);
    }

    /** The value. */
    public Tensor value() {
        return value;
    }

    /** The shape of the value. */
    public Shape shape() {
        return value.shape();
    }

    /** The rank of the value. */
    public int rank() {
        return value.rank();
    }

    /** The number of elements. */
    public int size() {
        return value.size();
    }

    /** The value of a one-element variable. */
    public double item() {
        return value.item();
    }

    /** True for leaves and for recorded results, whose value depends on some leaf. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** True when no primitive produced this variable (a leaf or a constant). */
    public boolean isLeaf() {
        return op == null;
    }

    /** The name of the producing primitive, or {@code "leaf"} / {@code "constant"}. */
    public String opName() {
        return op != null ? op.opName() : requiresGrad ? "leaf" : "constant";
    }

    /** The inputs of the producing primitive; empty for leaves and constants. */
    public List<Variable> inputs() {
        return inputs == null ? List.of() : List.of(inputs);
    }

    /** A constant with this value: the stop-gradient operation (its derivative is taken to be zero). */
    public Variable detach() {
        return requiresGrad ? new Variable(value, false) : this;
    }

    // ---------------------------------------------------------------- elementwise

    /** x + y, broadcasting. */
    public Variable add(Variable y) {
        return Recorder.binary(ElementwiseBinary.ADD, this, y);
    }

    /** x − y, broadcasting. */
    public Variable sub(Variable y) {
        return Recorder.binary(ElementwiseBinary.SUB, this, y);
    }

    /** x · y elementwise, broadcasting. */
    public Variable mul(Variable y) {
        return Recorder.binary(ElementwiseBinary.MUL, this, y);
    }

    /** x / y elementwise, broadcasting. */
    public Variable div(Variable y) {
        return Recorder.binary(ElementwiseBinary.DIV, this, y);
    }

    /** x^y elementwise, broadcasting; the derivative in y involves ln x, so x should be positive. */
    public Variable pow(Variable y) {
        return Recorder.binary(ElementwiseBinary.POW, this, y);
    }

    /** max(x, y) elementwise, broadcasting; the gradient is split equally on ties. */
    public Variable maximum(Variable y) {
        return Recorder.binary(ElementwiseBinary.MAXIMUM, this, y);
    }

    /** min(x, y) elementwise, broadcasting; the gradient is split equally on ties. */
    public Variable minimum(Variable y) {
        return Recorder.binary(ElementwiseBinary.MINIMUM, this, y);
    }

    /** x + s. */
    public Variable add(double s) {
        return Recorder.unary(new ParametricElementwise.AddScalar(s), this);
    }

    /** x − s. */
    public Variable sub(double s) {
        return Recorder.unary(new ParametricElementwise.AddScalar(-s), this);
    }

    /** s − x. */
    public Variable rsub(double s) {
        return neg().add(s);
    }

    /** x · s. */
    public Variable mul(double s) {
        return Recorder.unary(new ParametricElementwise.MulScalar(s), this);
    }

    /** x / s. */
    public Variable div(double s) {
        return Recorder.unary(new ParametricElementwise.DivScalar(s), this);
    }

    /** x^p for a constant exponent; derivative p·x^(p−1). */
    public Variable pow(double p) {
        return p == 2.0 ? square() : Recorder.unary(new ParametricElementwise.Pow(p), this);
    }

    /** −x. */
    public Variable neg() {
        return Recorder.unary(ElementwiseUnary.NEG, this);
    }

    /** e^x. */
    public Variable exp() {
        return Recorder.unary(ElementwiseUnary.EXP, this);
    }

    /** e^x − 1, accurate near 0. */
    public Variable expm1() {
        return Recorder.unary(ElementwiseUnary.EXPM1, this);
    }

    /** Natural logarithm. */
    public Variable log() {
        return Recorder.unary(ElementwiseUnary.LOG, this);
    }

    /** log(1 + x), accurate near 0. */
    public Variable log1p() {
        return Recorder.unary(ElementwiseUnary.LOG1P, this);
    }

    /** √x. */
    public Variable sqrt() {
        return Recorder.unary(ElementwiseUnary.SQRT, this);
    }

    /** x². */
    public Variable square() {
        return Recorder.unary(ElementwiseUnary.SQUARE, this);
    }

    /** 1/x. */
    public Variable reciprocal() {
        return Recorder.unary(ElementwiseUnary.RECIPROCAL, this);
    }

    /** |x|; subgradient 0 at 0. */
    public Variable abs() {
        return Recorder.unary(ElementwiseUnary.ABS, this);
    }

    /** tanh x. */
    public Variable tanh() {
        return Recorder.unary(ElementwiseUnary.TANH, this);
    }

    /** 1 / (1 + e^−x). */
    public Variable sigmoid() {
        return Recorder.unary(ElementwiseUnary.SIGMOID, this);
    }

    /** max(x, 0); subgradient 0 at 0. */
    public Variable relu() {
        return Recorder.unary(ElementwiseUnary.RELU, this);
    }

    /** x for x &gt; 0, {@code slope}·x otherwise. */
    public Variable leakyRelu(double slope) {
        return Recorder.unary(new ParametricElementwise.LeakyRelu(slope), this);
    }

    /** log(1 + e^x), without overflow. */
    public Variable softplus() {
        return Recorder.unary(ElementwiseUnary.SOFTPLUS, this);
    }

    /** sin x. */
    public Variable sin() {
        return Recorder.unary(ElementwiseUnary.SIN, this);
    }

    /** cos x. */
    public Variable cos() {
        return Recorder.unary(ElementwiseUnary.COS, this);
    }

    /** The error function (for GELU: x·½·(1 + erf(x/√2))). */
    public Variable erf() {
        return Recorder.unary(ElementwiseUnary.ERF, this);
    }

    /** {@code cond ≠ 0 ? a : b} elementwise, the three broadcast together; {@code cond} is constant. */
    public static Variable where(Tensor cond, Variable a, Variable b) {
        return Recorder.binary(new ParametricElementwise.Where(cond), a, b);
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements, as a scalar. */
    public Variable sum() {
        return Recorder.unary(new ReductionPrimitives.Sum(allAxes(), false), this);
    }

    /** Sum over {@code axes}, dropping them. */
    public Variable sum(int... axes) {
        return sum(axes, false);
    }

    /** Sum over {@code axes}, keeping them with size 1 when {@code keepDims}. */
    public Variable sum(int[] axes, boolean keepDims) {
        return Recorder.unary(new ReductionPrimitives.Sum(normalize(axes), keepDims), this);
    }

    /** Mean of all elements, as a scalar. */
    public Variable mean() {
        return sum().div(Math.max(1, size()));
    }

    /** Mean over {@code axes}, keeping them with size 1 when {@code keepDims}. */
    public Variable mean(int[] axes, boolean keepDims) {
        int[] a = normalize(axes);
        int count = 1;
        for (int axis : a) {
            count *= value.dim(axis);
        }
        return Recorder.unary(new ReductionPrimitives.Sum(a, keepDims), this).div(count);
    }

    /** Largest element, as a scalar; the gradient is split equally among ties. */
    public Variable max() {
        return Recorder.unary(new ReductionPrimitives.Max(allAxes(), false), this);
    }

    /** Largest element over {@code axes}; the gradient is split equally among ties. */
    public Variable max(int[] axes, boolean keepDims) {
        return Recorder.unary(new ReductionPrimitives.Max(normalize(axes), keepDims), this);
    }

    /** Smallest element, as a scalar, as −max(−x). */
    public Variable min() {
        return neg().max().neg();
    }

    /** Smallest element over {@code axes}, as −max(−x). */
    public Variable min(int[] axes, boolean keepDims) {
        return neg().max(axes, keepDims).neg();
    }

    /**
     * log Σ exp(x) over {@code axis}, computed as {@code log Σ exp(x − m) + m} with the maximum
     * {@code m} detached. The identity holds for every constant {@code m}, so derivatives of all
     * orders are exact, and the shift prevents overflow. Equals {@link Tensor#logsumexp}.
     */
    public Variable logsumexp(int axis, boolean keepDims) {
        int a = value.shape().normalizeAxis(axis);
        double[] m = value.max(new int[] {a}, true).toArray();
        for (int i = 0; i < m.length; i++) {
            if (!Double.isFinite(m[i])) {
                m[i] = 0.0;
            }
        }
        Variable shift = constant(Tensor.of(m, keptShape(a)));
        Variable r = sub(shift).exp().sum(new int[] {a}, true).log().add(shift);
        return keepDims ? r : r.squeeze(a);
    }

    /** exp(x − logsumexp(x)) along {@code axis}: rows that sum to 1. */
    public Variable softmax(int axis) {
        return sub(logsumexp(axis, true)).exp();
    }

    /** x − logsumexp(x) along {@code axis}, stable for large |x|. */
    public Variable logSoftmax(int axis) {
        return sub(logsumexp(axis, true));
    }

    // ---------------------------------------------------------------- shape

    /** The same values with new dimensions; one may be −1 (inferred). */
    public Variable reshape(int... dims) {
        return reshape(value.reshape(dims).shape());
    }

    /** The same values with a new shape of the same size. */
    public Variable reshape(Shape shape) {
        if (shape.equals(value.shape())) {
            return this;
        }
        return Recorder.unary(new ShapePrimitives.Reshape(shape), this);
    }

    /** A rank-1 variable of all values. */
    public Variable flatten() {
        return reshape(Shape.of(size()));
    }

    /** Swaps the last two axes. */
    public Variable transpose() {
        int r = rank();
        if (r < 2) {
            throw new IllegalArgumentException("transpose needs rank >= 2, shape is " + shape());
        }
        int[] perm = allAxes();
        perm[r - 1] = r - 2;
        perm[r - 2] = r - 1;
        return permute(perm);
    }

    /** Reorders axes: output axis i is input axis {@code perm[i]}. */
    public Variable permute(int... perm) {
        if (perm.length != rank()) {
            throw new IllegalArgumentException("permute " + Arrays.toString(perm) + " does not match shape " + shape());
        }
        return Recorder.unary(new ShapePrimitives.Permute(normalize(perm)), this);
    }

    /** Removes a dimension of size 1. */
    public Variable squeeze(int axis) {
        return reshape(value.squeeze(axis).shape());
    }

    /** Inserts a dimension of size 1 before position {@code axis} (−1 appends). */
    public Variable unsqueeze(int axis) {
        return reshape(value.unsqueeze(axis).shape());
    }

    /** Elements {@code [start, end)} along {@code axis}. */
    public Variable slice(int axis, int start, int end) {
        return slice(axis, start, end, 1);
    }

    /** Elements {@code start, start+step, …} before {@code end} along {@code axis}. */
    public Variable slice(int axis, int start, int end, int step) {
        return Recorder.unary(new ShapePrimitives.Slice(value.shape().normalizeAxis(axis), start, end, step), this);
    }

    /** The adjoint of slicing: this variable placed into zeros of shape {@code full}. */
    public Variable unslice(Shape full, int axis, int start, int step) {
        return Recorder.unary(new ShapePrimitives.Unslice(full, full.normalizeAxis(axis), start, step), this);
    }

    /** Picks {@code indices} along {@code axis} (repeats allowed; their gradients add). */
    public Variable indexSelect(int axis, int[] indices) {
        return Recorder.unary(new ShapePrimitives.IndexSelect(value.shape().normalizeAxis(axis), indices.clone()), this);
    }

    /** The adjoint of {@link #indexSelect}: scatters into zeros of shape {@code full}, adding on repeats. */
    public Variable indexAdd(Shape full, int axis, int[] indices) {
        return Recorder.unary(new ShapePrimitives.IndexAdd(full, full.normalizeAxis(axis), indices.clone()), this);
    }

    /** Joins variables along an existing axis. */
    public static Variable concat(int axis, Variable... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat needs at least one variable");
        }
        return Recorder.nary(new ShapePrimitives.Concat(parts[0].shape().normalizeAxis(axis)), parts);
    }

    /** Stacks variables of equal shape along a new axis. */
    public static Variable stack(int axis, Variable... parts) {
        Variable[] u = new Variable[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].shape().equals(parts[0].shape())) {
                throw new IllegalArgumentException("stack: shapes " + parts[0].shape() + " and "
                        + parts[i].shape() + " differ");
            }
            u[i] = parts[i].unsqueeze(axis);
        }
        return concat(axis, u);
    }

    /** This variable broadcast to {@code target}; the gradient sums back. */
    public Variable broadcastTo(Shape target) {
        return target.equals(value.shape()) ? this : Recorder.unary(new ShapePrimitives.BroadcastTo(target), this);
    }

    /** Sums over broadcast dimensions down to {@code target}, the adjoint of {@link #broadcastTo}. */
    public Variable sumTo(Shape target) {
        return target.equals(value.shape()) ? this : Recorder.unary(new ShapePrimitives.SumTo(target), this);
    }

    // ---------------------------------------------------------------- linear algebra

    /** The matrix product {@code this · other}, batched as {@link Tensor#matmul(Tensor)}. */
    public Variable matmul(Variable other) {
        return matmul(this, false, other, false);
    }

    /** {@code op(a)·op(b)}, {@code op} transposing the last two axes when its flag is set (never copied). */
    public static Variable matmul(Variable a, boolean transA, Variable b, boolean transB) {
        return Recorder.binary(new LinalgPrimitives.Matmul(transA, transB), a, b);
    }

    // ---------------------------------------------------------------- gather and scatter by flat position
    // (convolution and pooling: VariableConvolutions)

    /** Elements at row-major flat {@code positions}, shaped {@code outShape}, as {@link Tensor#takeFlat}. */
    public Variable takeFlat(int[] positions, Shape outShape) {
        return Recorder.unary(new ShapePrimitives.TakeFlat(positions.clone(), outShape), this);
    }

    /** Scatter-add into zeros of shape {@code full} at flat {@code positions}, as {@link Tensor#scatterFlat}. */
    public Variable scatterFlat(int[] positions, Shape full) {
        return Recorder.unary(new ShapePrimitives.ScatterFlat(positions.clone(), full), this);
    }

    // ---------------------------------------------------------------- helpers

    private Shape keptShape(int axis) {
        int[] d = value.shape().dims();
        d[axis] = 1;
        return Shape.of(d);
    }

    private int[] allAxes() {
        int[] a = new int[rank()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    private int[] normalize(int[] axes) {
        int[] a = new int[axes.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = value.shape().normalizeAxis(axes[i]);
        }
        return a;
    }

    /** The producing primitive, the shape and whether gradients flow, e.g. {@code Variable(exp)[2, 3]}. */
    @Override
    public String toString() {
        return "Variable(" + opName() + ")" + shape() + (requiresGrad ? "" : " const")
                + (size() <= 8 ? " " + Arrays.toString(value.toArray()) : "");
    }
}
