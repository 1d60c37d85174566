package dev.bilevel.tensor;

import dev.bilevel.tensor.internal.BinaryOp;
import dev.bilevel.tensor.internal.Elementwise;
import dev.bilevel.tensor.internal.KernelProvider;
import dev.bilevel.tensor.internal.Layout;
import dev.bilevel.tensor.internal.Reductions;
import dev.bilevel.tensor.internal.UnaryOp;
import java.util.Arrays;

/**
 * An immutable n-dimensional array of float64 values in row-major order.
 *
 * <p>Every operation returns a new tensor; none modifies its operands, so tensors can be shared
 * freely between threads and between steps of a computation that is later differentiated.
 * Binary operations broadcast as NumPy does; a mismatch is an {@link IllegalArgumentException}
 * that names the operation and both shapes.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
 * Tensor y = x.matmul(x.transpose()).add(1.0);   // [2, 2]
 * double total = y.sum().item();
 * }</pre>
 *
 * <p>Heavy kernels (matrix products, convolutions) use the Vector API when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, and plain Java loops otherwise; both give the same
 * results up to floating-point rounding.
 */
public final class Tensor {
    final Shape shape;
    final double[] data;

    Tensor(Shape shape, double[] data) {
        if (shape.size() != data.length) {
            throw new IllegalArgumentException(
                    "shape " + shape + " needs " + shape.size() + " values but got " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    static Tensor wrap(Shape shape, double[] data) {
        return new Tensor(shape, data);
    }

    // ---------------------------------------------------------------- creation

    /** A tensor with a copy of {@code data}, read row-major into {@code dims}. */
    public static Tensor of(double[] data, int... dims) {
        return new Tensor(Shape.of(dims), data.clone());
    }

    /** A tensor with a copy of {@code data}. */
    public static Tensor of(double[] data, Shape shape) {
        return new Tensor(shape, data.clone());
    }

    /** A rank-1 tensor holding {@code values}. */
    public static Tensor vector(double... values) {
        return new Tensor(Shape.of(values.length), values.clone());
    }

    /** A matrix from rows of equal length. */
    public static Tensor matrix(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] d = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, d, i * cols, cols);
        }
        return new Tensor(Shape.of(rows.length, cols), d);
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(double value) {
        return new Tensor(Shape.scalar(), new double[] {value});
    }

    /** All zeros. */
    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /** All zeros. */
    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, new double[shape.size()]);
    }

    /** All ones. */
    public static Tensor ones(int... dims) {
        return full(Shape.of(dims), 1.0);
    }

    /** All ones. */
    public static Tensor ones(Shape shape) {
        return full(shape, 1.0);
    }

    /** Every element equal to {@code value}. */
    public static Tensor full(Shape shape, double value) {
        double[] d = new double[shape.size()];
        Arrays.fill(d, value);
        return new Tensor(shape, d);
    }

    /** The n×n identity matrix. */
    public static Tensor eye(int n) {
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            d[i * n + i] = 1.0;
        }
        return new Tensor(Shape.of(n, n), d);
    }

    /** {@code [0, 1, ..., n-1]}. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** {@code start, start+step, ...} strictly before {@code end}. */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0 || Double.isNaN(step)) {
            throw new IllegalArgumentException("arange step must be non-zero, got " + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = start + i * step;
        }
        return new Tensor(Shape.of(n), d);
    }

    /** Independent uniform values in [low, high) drawn from {@code rng}. */
    public static Tensor uniform(Rng rng, double low, double high, int... dims) {
        Shape s = Shape.of(dims);
        double[] d = new double[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.uniform(low, high);
        }
        return new Tensor(s, d);
    }

    /** Independent standard normal values drawn from {@code rng}. */
    public static Tensor randn(Rng rng, int... dims) {
        Shape s = Shape.of(dims);
        double[] d = new double[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.normal();
        }
        return new Tensor(s, d);
    }

    /** Rows of {@code eye(classes)} selected by {@code labels}: shape [labels.length, classes]. */
    public static Tensor oneHot(int[] labels, int classes) {
        double[] d = new double[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " at " + i + " is outside [0, " + classes + ")");
            }
            d[i * classes + labels[i]] = 1.0;
        }
        return new Tensor(Shape.of(labels.length, classes), d);
    }

    // ---------------------------------------------------------------- access

    /** The shape. */
    public Shape shape() {
        return shape;
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.rank();
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** Size of one dimension; negative axes count from the end. */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /** The element at a full index. */
    public double get(int... index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " does not match shape " + shape);
        }
        int[] strides = shape.strides();
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dim(i)) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is outside shape " + shape);
            }
            off += index[i] * strides[i];
        }
        return data[off];
    }

    /** The element at a row-major flat position. */
    public double getFlat(int position) {
        return data[position];
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() needs exactly one element, shape is " + shape);
        }
        return data[0];
    }

    /** The values in row-major order, copied. */
    public double[] toArray() {
        return data.clone();
    }

    /** True when every element is finite (no NaN and no infinity). */
    public boolean isFinite() {
        for (double v : data) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Largest absolute elementwise difference; the shapes must be equal. */
    public double maxAbsDiff(Tensor other) {
        requireSameShape("maxAbsDiff", other);
        double m = 0;
        for (int i = 0; i < data.length; i++) {
            m = Math.max(m, Math.abs(data[i] - other.data[i]));
        }
        return m;
    }

    /** {@code |a - b| <= atol + rtol·|b|} elementwise, with equal shapes. */
    public boolean allClose(Tensor other, double rtol, double atol) {
        if (!shape.equals(other.shape)) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            if (!(Math.abs(data[i] - other.data[i]) <= atol + rtol * Math.abs(other.data[i]))) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- elementwise

    private Tensor unary(UnaryOp op) {
        return wrap(shape, Elementwise.unary(op, data));
    }

    private Tensor binary(String name, BinaryOp op, Tensor other) {
        Shape out;
        try {
            out = Shape.broadcast(shape, other.shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": shapes " + shape + " and " + other.shape
                    + " cannot be broadcast together", e);
        }
        return wrap(out, Elementwise.binary(op, data, shape.dims(), other.data, other.shape.dims(), out.dims()));
    }

    /** −x. */
    public Tensor neg() {
        return unary(UnaryOp.NEG);
    }

    /** |x|. */
    public Tensor abs() {
        return unary(UnaryOp.ABS);
    }

    /** e^x. */
    public Tensor exp() {
        return unary(UnaryOp.EXP);
    }

    /** e^x − 1, accurate near 0. */
    public Tensor expm1() {
        return unary(UnaryOp.EXPM1);
    }

    /** Natural logarithm. */
    public Tensor log() {
        return unary(UnaryOp.LOG);
    }

    /** log(1 + x), accurate near 0. */
    public Tensor log1p() {
        return unary(UnaryOp.LOG1P);
    }

    /** Square root. */
    public Tensor sqrt() {
        return unary(UnaryOp.SQRT);
    }

    /** x². */
    public Tensor square() {
        return unary(UnaryOp.SQUARE);
    }

    /** 1/x. */
    public Tensor reciprocal() {
        return unary(UnaryOp.RECIPROCAL);
    }

    /** sin x. */
    public Tensor sin() {
        return unary(UnaryOp.SIN);
    }

    /** cos x. */
    public Tensor cos() {
        return unary(UnaryOp.COS);
    }

    /** tanh x. */
    public Tensor tanh() {
        return unary(UnaryOp.TANH);
    }

    /** 1 / (1 + e^−x), computed without overflow. */
    public Tensor sigmoid() {
        return unary(UnaryOp.SIGMOID);
    }

    /** max(x, 0). */
    public Tensor relu() {
        return unary(UnaryOp.RELU);
    }

    /** −1, 0 or 1 by the sign of x (NaN stays NaN). */
    public Tensor sign() {
        return unary(UnaryOp.SIGN);
    }

    /** 1 where x &gt; 0, else 0. */
    public Tensor step() {
        return unary(UnaryOp.STEP);
    }

    /** log(1 + e^x), without overflow. */
    public Tensor softplus() {
        return unary(UnaryOp.SOFTPLUS);
    }

    /** The error function. */
    public Tensor erf() {
        return unary(UnaryOp.ERF);
    }

    /** x^p for a constant exponent. */
    public Tensor pow(double p) {
        if (p == 2.0) {
            return square();
        }
        return wrap(shape, Elementwise.withScalar(BinaryOp.POW, data, p));
    }

    /** x + s. */
    public Tensor add(double s) {
        return wrap(shape, Elementwise.withScalar(BinaryOp.ADD, data, s));
    }

    /** x − s. */
    public Tensor sub(double s) {
        return wrap(shape, Elementwise.withScalar(BinaryOp.ADD, data, -s));
    }

    /** x · s. */
    public Tensor mul(double s) {
        return wrap(shape, Elementwise.withScalar(BinaryOp.MUL, data, s));
    }

    /** x / s. */
    public Tensor div(double s) {
        return wrap(shape, Elementwise.withScalar(BinaryOp.DIV, data, s));
    }

    /** Elementwise sum, broadcasting. */
    public Tensor add(Tensor other) {
        return binary("add", BinaryOp.ADD, other);
    }

    /** Elementwise difference, broadcasting. */
    public Tensor sub(Tensor other) {
        return binary("sub", BinaryOp.SUB, other);
    }

    /** Elementwise product, broadcasting. */
    public Tensor mul(Tensor other) {
        return binary("mul", BinaryOp.MUL, other);
    }

    /** Elementwise quotient, broadcasting. */
    public Tensor div(Tensor other) {
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
    public Tensor addScaled(Tensor other, double alpha) {
        if (shape.equals(other.shape)) {
            return wrap(shape, Elementwise.addScaled(data, alpha, other.data));
        }
        try {
            Shape.broadcast(shape, other.shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("addScaled: shapes " + shape + " and " + other.shape
                    + " cannot be broadcast together", e);
        }
        return add(other.mul(alpha));
    }

    /** Elementwise power, broadcasting. */
    public Tensor pow(Tensor exponent) {
        return binary("pow", BinaryOp.POW, exponent);
    }

    /** Elementwise maximum, broadcasting (NaN if either is NaN). */
    public Tensor maximum(Tensor other) {
        return binary("maximum", BinaryOp.MAX, other);
    }

    /** Elementwise minimum, broadcasting (NaN if either is NaN). */
    public Tensor minimum(Tensor other) {
        return binary("minimum", BinaryOp.MIN, other);
    }

    /** 1 where x &gt; y, else 0. */
    public Tensor gt(Tensor other) {
        return binary("gt", BinaryOp.GT, other);
    }

    /** 1 where x ≥ y, else 0. */
    public Tensor ge(Tensor other) {
        return binary("ge", BinaryOp.GE, other);
    }

    /** 1 where x &lt; y, else 0. */
    public Tensor lt(Tensor other) {
        return binary("lt", BinaryOp.LT, other);
    }

    /** 1 where x ≤ y, else 0. */
    public Tensor le(Tensor other) {
        return binary("le", BinaryOp.LE, other);
    }

    /** 1 where x = y, else 0. */
    public Tensor eq(Tensor other) {
        return binary("eq", BinaryOp.EQ, other);
    }

    /** 1 where x &gt; s, else 0. */
    public Tensor gt(double s) {
        return wrap(shape, Elementwise.withScalar(BinaryOp.GT, data, s));
    }

    /** 1 where x &lt; s, else 0. */
    public Tensor lt(double s) {
        return wrap(shape, Elementwise.withScalar(BinaryOp.LT, data, s));
    }

    /** {@code cond ≠ 0 ? a : b} elementwise, all three broadcast together. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Shape out;
        try {
            out = Shape.broadcast(Shape.broadcast(cond.shape, a.shape), b.shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("where: shapes " + cond.shape + ", " + a.shape + " and " + b.shape
                    + " cannot be broadcast together", e);
        }
        return wrap(out, Elementwise.where(cond.data, cond.shape.dims(), a.data, a.shape.dims(),
                b.data, b.shape.dims(), out.dims()));
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements, as a scalar. */
    public Tensor sum() {
        return reduce(Reductions.Kind.SUM, allAxes(), false);
    }

    /** Sum over {@code axes}, dropping them. */
    public Tensor sum(int... axes) {
        return reduce(Reductions.Kind.SUM, axes, false);
    }

    /** Sum over {@code axes}, keeping them with size 1 when {@code keepDims}. */
    public Tensor sum(int[] axes, boolean keepDims) {
        return reduce(Reductions.Kind.SUM, axes, keepDims);
    }

    /** Mean of all elements, as a scalar. */
    public Tensor mean() {
        return sum().div(Math.max(1, data.length));
    }

    /** Mean over {@code axes}. */
    public Tensor mean(int[] axes, boolean keepDims) {
        int count = 1;
        for (int a : distinctAxes(axes)) {
            count *= shape.dim(a);
        }
        return sum(axes, keepDims).div(count);
    }

    /** Largest element, as a scalar. */
    public Tensor max() {
        return reduce(Reductions.Kind.MAX, allAxes(), false);
    }

    /** Largest element over {@code axes}. */
    public Tensor max(int[] axes, boolean keepDims) {
        return reduce(Reductions.Kind.MAX, axes, keepDims);
    }

    /** Smallest element, as a scalar. */
    public Tensor min() {
        return reduce(Reductions.Kind.MIN, allAxes(), false);
    }

    /** Smallest element over {@code axes}. */
    public Tensor min(int[] axes, boolean keepDims) {
        return reduce(Reductions.Kind.MIN, axes, keepDims);
    }

    /** log Σ exp(x) over {@code axis}, stable for large |x| (shifts by the maximum). */
    public Tensor logsumexp(int axis, boolean keepDims) {
        int[] axes = {axis};
        double[] m = max(axes, true).data.clone();
        for (int i = 0; i < m.length; i++) {
            if (!Double.isFinite(m[i])) {
                m[i] = 0.0;
            }
        }
        Tensor shift = wrap(Shape.of(keptDims(shape.normalizeAxis(axis))), m);
        Tensor r = sub(shift).exp().sum(axes, true).log().add(shift);
        return keepDims ? r : r.squeeze(axis);
    }

    /** Index of the largest element along {@code axis} (first on ties), as doubles; the axis is dropped. */
    public Tensor argmax(int axis) {
        int a = shape.normalizeAxis(axis);
        int[] dims = shape.dims();
        double[] out = Reductions.argmax(data, dims, a);
        return wrap(Shape.of(remove(dims, a)), out);
    }

    private Tensor reduce(Reductions.Kind kind, int[] axes, boolean keepDims) {
        int[] dims = shape.dims();
        boolean[] reduced = new boolean[dims.length];
        for (int a : distinctAxes(axes)) {
            reduced[a] = true;
        }
        double[] out = Reductions.reduce(kind, data, dims, reduced);
        if (keepDims) {
            int[] kd = dims.clone();
            for (int i = 0; i < kd.length; i++) {
                if (reduced[i]) {
                    kd[i] = 1;
                }
            }
            return wrap(Shape.of(kd), out);
        }
        int kept = 0;
        for (boolean r : reduced) {
            kept += r ? 0 : 1;
        }
        int[] od = new int[kept];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (!reduced[i]) {
                od[j++] = dims[i];
            }
        }
        return wrap(Shape.of(od), out);
    }

    private int[] allAxes() {
        int[] a = new int[shape.rank()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    private int[] distinctAxes(int[] axes) {
        boolean[] seen = new boolean[shape.rank()];
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = shape.normalizeAxis(axes[i]);
            if (seen[a]) {
                throw new IllegalArgumentException("axis " + axes[i] + " repeated in " + Arrays.toString(axes));
            }
            seen[a] = true;
            out[i] = a;
        }
        return out;
    }

    // ---------------------------------------------------------------- shape

    /** The same values with new dimensions; one dimension may be −1 (inferred). */
    public Tensor reshape(int... dims) {
        int[] d = dims.clone();
        int infer = -1;
        int known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape " + shape + " to " + Arrays.toString(dims)
                            + ": only one dimension may be -1");
                }
                infer = i;
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || data.length % known != 0) {
                throw new IllegalArgumentException("reshape " + shape + " to " + Arrays.toString(dims)
                        + ": cannot infer the -1 dimension");
            }
            d[infer] = data.length / known;
        }
        return reshape(Shape.of(d));
    }

    /** The same values with a new shape of the same size. */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != data.length) {
            throw new IllegalArgumentException("reshape: shape " + shape + " (" + data.length
                    + " elements) cannot become " + newShape + " (" + newShape.size() + " elements)");
        }
        return wrap(newShape, data);
    }

    /** A rank-1 view of all values. */
    public Tensor flatten() {
        return wrap(Shape.of(data.length), data);
    }

    /** Swaps the last two axes (a matrix transpose for rank 2). */
    public Tensor transpose() {
        int r = shape.rank();
        if (r < 2) {
            throw new IllegalArgumentException("transpose needs rank >= 2, shape is " + shape);
        }
        int[] perm = allAxes();
        perm[r - 1] = r - 2;
        perm[r - 2] = r - 1;
        return permute(perm);
    }

    /** Reorders axes: output axis i is input axis {@code perm[i]}. */
    public Tensor permute(int... perm) {
        if (perm.length != shape.rank()) {
            throw new IllegalArgumentException("permute " + Arrays.toString(perm) + " does not match shape " + shape);
        }
        int[] p = distinctAxes(perm);
        int[] dims = shape.dims();
        int[] od = new int[dims.length];
        for (int i = 0; i < p.length; i++) {
            od[i] = dims[p[i]];
        }
        return wrap(Shape.of(od), Layout.permute(data, dims, p));
    }

    /** Removes a dimension of size 1. */
    public Tensor squeeze(int axis) {
        int a = shape.normalizeAxis(axis);
        if (shape.dim(a) != 1) {
            throw new IllegalArgumentException("squeeze: axis " + axis + " of shape " + shape + " is not 1");
        }
        return wrap(Shape.of(remove(shape.dims(), a)), data);
    }

    /** Inserts a dimension of size 1 before position {@code axis} (−1 appends). */
    public Tensor unsqueeze(int axis) {
        int r = shape.rank();
        int a = axis < 0 ? axis + r + 1 : axis;
        if (a < 0 || a > r) {
            throw new IllegalArgumentException("unsqueeze: axis " + axis + " is out of range for shape " + shape);
        }
        int[] dims = shape.dims();
        int[] od = new int[r + 1];
        System.arraycopy(dims, 0, od, 0, a);
        od[a] = 1;
        System.arraycopy(dims, a, od, a + 1, r - a);
        return wrap(Shape.of(od), data);
    }

    /** Elements {@code [start, end)} along {@code axis}. */
    public Tensor slice(int axis, int start, int end) {
        return slice(axis, start, end, 1);
    }

    /** Elements {@code start, start+step, ...} before {@code end} along {@code axis}. */
    public Tensor slice(int axis, int start, int end, int step) {
        int a = shape.normalizeAxis(axis);
        int n = shape.dim(a);
        if (step <= 0 || start < 0 || end > n || start > end) {
            throw new IllegalArgumentException("slice [" + start + ":" + end + ":" + step + "] is invalid for axis "
                    + axis + " of shape " + shape);
        }
        int[] dims = shape.dims();
        int[] od = dims.clone();
        od[a] = (end - start + step - 1) / step;
        return wrap(Shape.of(od), Layout.slice(data, dims, a, start, end, step));
    }

    /**
     * The adjoint of {@link #slice(int, int, int, int)}: this tensor placed into zeros of shape
     * {@code full} at positions {@code start, start+step, ...} along {@code axis}.
     */
    public Tensor unslice(Shape full, int axis, int start, int step) {
        int a = full.normalizeAxis(axis);
        return wrap(full, Layout.sliceAdjoint(data, full.dims(), a, start, step));
    }

    /** Picks {@code indices} along {@code axis} (repeats allowed). */
    public Tensor indexSelect(int axis, int[] indices) {
        int a = shape.normalizeAxis(axis);
        int n = shape.dim(a);
        for (int i : indices) {
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("indexSelect: index " + i + " outside axis " + axis + " of " + shape);
            }
        }
        int[] dims = shape.dims();
        int[] od = dims.clone();
        od[a] = indices.length;
        return wrap(Shape.of(od), Layout.indexSelect(data, dims, a, indices));
    }

    /** The adjoint of {@link #indexSelect}: scatters this tensor into zeros of shape {@code full}, adding on repeats. */
    public Tensor indexAdd(Shape full, int axis, int[] indices) {
        int a = full.normalizeAxis(axis);
        return wrap(full, Layout.indexAdd(data, full.dims(), a, indices));
    }

    /** Joins tensors along an existing axis; other dimensions must agree. */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat needs at least one tensor");
        }
        Shape s0 = parts[0].shape;
        int a = s0.normalizeAxis(axis);
        double[][] arrays = new double[parts.length][];
        int[][] dims = new int[parts.length][];
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            Shape s = parts[i].shape;
            if (s.rank() != s0.rank()) {
                throw new IllegalArgumentException("concat: shape " + s + " has a different rank from " + s0);
            }
            for (int d = 0; d < s.rank(); d++) {
                if (d != a && s.dim(d) != s0.dim(d)) {
                    throw new IllegalArgumentException("concat along axis " + axis + ": shapes " + s0 + " and " + s
                            + " differ in dimension " + d);
                }
            }
            arrays[i] = parts[i].data;
            dims[i] = s.dims();
            total += s.dim(a);
        }
        int[] od = s0.dims();
        od[a] = total;
        return wrap(Shape.of(od), Layout.concat(arrays, dims, a));
    }

    /** Stacks tensors of equal shape along a new axis. */
    public static Tensor stack(int axis, Tensor... parts) {
        Tensor[] u = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].shape.equals(parts[0].shape)) {
                throw new IllegalArgumentException("stack: shapes " + parts[0].shape + " and " + parts[i].shape + " differ");
            }
            u[i] = parts[i].unsqueeze(axis);
        }
        return concat(axis, u);
    }

    /** Materializes this tensor broadcast to {@code target}. */
    public Tensor broadcastTo(Shape target) {
        if (!shape.broadcastsTo(target)) {
            throw new IllegalArgumentException("broadcastTo: shape " + shape + " cannot be broadcast to " + target);
        }
        return wrap(target, Layout.broadcastTo(data, shape.dims(), target.dims()));
    }

    /** Sums over broadcast dimensions down to {@code target}: the adjoint of {@link #broadcastTo}. */
    public Tensor sumTo(Shape target) {
        if (target.equals(shape)) {
            return this;
        }
        if (!target.broadcastsTo(shape)) {
            throw new IllegalArgumentException("sumTo: shape " + target + " does not broadcast to " + shape);
        }
        return wrap(target, Layout.sumTo(data, shape.dims(), target.dims()));
    }

    // ---------------------------------------------------------------- linear algebra

    /** Matrix product {@code this · other}; see {@link #matmul(Tensor, boolean, Tensor, boolean)}. */
    public Tensor matmul(Tensor other) {
        return matmul(this, false, other, false);
    }

    /**
     * {@code op(a) · op(b)}, where {@code op} transposes the last two axes when its flag is set;
     * the transpose is read in place by the kernel, never copied.
     *
     * <p>Rank 2 times rank 2 is a matrix product. With rank ≥ 3 the leading dimensions are batch
     * dimensions: equal on both sides, or one side of rank 2 shared by every batch element.
     *
     * @throws IllegalArgumentException naming both shapes when inner dimensions differ
     */
    public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul needs rank >= 2 operands, got " + a.shape + " and " + b.shape);
        }
        int ar = a.rank();
        int br = b.rank();
        int m = transA ? a.dim(-1) : a.dim(-2);
        int k = transA ? a.dim(-2) : a.dim(-1);
        int kb = transB ? b.dim(-1) : b.dim(-2);
        int n = transB ? b.dim(-2) : b.dim(-1);
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.shape + (transA ? "ᵀ" : "")
                    + " · " + b.shape + (transB ? "ᵀ" : "") + " (" + k + " vs " + kb + ")");
        }
        int[] batchDims;
        if (ar == 2 && br == 2) {
            batchDims = new int[0];
        } else if (br == 2) {
            batchDims = Arrays.copyOf(a.shape.dims(), ar - 2);
        } else if (ar == 2) {
            batchDims = Arrays.copyOf(b.shape.dims(), br - 2);
        } else {
            batchDims = Arrays.copyOf(a.shape.dims(), ar - 2);
            if (!Arrays.equals(batchDims, Arrays.copyOf(b.shape.dims(), br - 2))) {
                throw new IllegalArgumentException("matmul: batch dimensions differ: " + a.shape + " and " + b.shape);
            }
        }
        int batch = 1;
        for (int d : batchDims) {
            batch *= d;
        }
        int[] od = Arrays.copyOf(batchDims, batchDims.length + 2);
        od[batchDims.length] = m;
        od[batchDims.length + 1] = n;
        double[] out = new double[batch * m * n];
        var kernels = KernelProvider.get();
        if (ar > 2 && br == 2 && !transA) {
            kernels.gemm(false, transB, batch * m, n, k, a.data, 0, b.data, 0, out, 0);
        } else {
            int aStep = ar == 2 ? 0 : m * k;
            int bStep = br == 2 ? 0 : k * n;
            for (int i = 0; i < batch; i++) {
                kernels.gemm(transA, transB, m, n, k, a.data, i * aStep, b.data, i * bStep, out, i * m * n);
            }
        }
        return wrap(Shape.of(od), out);
    }

    // ---------------------------------------------------------------- gather and scatter by flat position

    /**
     * Gathers elements by row-major flat position: {@code out.flat[i] = this.flat[positions[i]]},
     * shaped {@code outShape} (whose size must be {@code positions.length}; positions may repeat).
     *
     * <p>Adjoint pair: {@code <x.takeFlat(p, s), y> = <x, y.scatterFlat(p, x.shape())>}, so the
     * VJP of {@code takeFlat} is {@link #scatterFlat} and the VJP of {@code scatterFlat} is
     * {@code takeFlat}; both are linear, which closes the pair under differentiation.
     *
     * <pre>{@code
     * int[] where = x.maxPool2dIndices(2, 2);
     * Tensor pooled = x.takeFlat(where, Convolutions.maxPool2d(x, 2, 2).shape());   // the max-pool
     * }</pre>
     *
     * @throws IllegalArgumentException naming the op and shapes when sizes disagree
     * @throws IndexOutOfBoundsException when a position is outside {@code [0, size())}
     */
    public Tensor takeFlat(int[] positions, Shape outShape) {
        if (outShape.size() != positions.length) {
            throw new IllegalArgumentException("takeFlat: " + positions.length + " positions cannot fill shape "
                    + outShape + " (source shape " + shape + ")");
        }
        double[] out = new double[positions.length];
        for (int i = 0; i < positions.length; i++) {
            int p = positions[i];
            if (p < 0 || p >= data.length) {
                throw new IndexOutOfBoundsException("takeFlat: position " + p + " is outside shape " + shape);
            }
            out[i] = data[p];
        }
        return wrap(outShape, out);
    }

    /**
     * Scatters this tensor's elements, in row-major order, into zeros of shape {@code fullShape}
     * at flat {@code positions}, adding where positions repeat:
     * {@code out.flat[positions[i]] += this.flat[i]}. The adjoint of {@link #takeFlat}.
     *
     * @throws IllegalArgumentException naming the op and shapes when {@code positions.length != size()}
     * @throws IndexOutOfBoundsException when a position is outside {@code fullShape}
     */
    public Tensor scatterFlat(int[] positions, Shape fullShape) {
        if (positions.length != data.length) {
            throw new IllegalArgumentException("scatterFlat: " + positions.length + " positions for a tensor of shape "
                    + shape + " (target shape " + fullShape + ")");
        }
        double[] out = new double[fullShape.size()];
        for (int i = 0; i < positions.length; i++) {
            int p = positions[i];
            if (p < 0 || p >= out.length) {
                throw new IndexOutOfBoundsException("scatterFlat: position " + p + " is outside shape " + fullShape);
            }
            out[p] += data[i];
        }
        return wrap(fullShape, out);
    }

    // ---------------------------------------------------------------- helpers

    private void requireSameShape(String op, Tensor other) {
        if (!shape.equals(other.shape)) {
            throw new IllegalArgumentException(op + ": shapes " + shape + " and " + other.shape + " differ");
        }
    }

    private int[] keptDims(int axis) {
        int[] d = shape.dims();
        d[axis] = 1;
        return d;
    }

    private static int[] remove(int[] dims, int axis) {
        int[] out = new int[dims.length - 1];
        System.arraycopy(dims, 0, out, 0, axis);
        System.arraycopy(dims, axis + 1, out, axis, dims.length - axis - 1);
        return out;
    }

    /** The shape and, for up to 64 elements, the values. */
    @Override
    public String toString() {
        if (data.length <= 64) {
            return "Tensor" + shape + Arrays.toString(data);
        }
        return "Tensor" + shape + "[" + data[0] + ", " + data[1] + ", ..., " + data[data.length - 1] + "]";
    }
}
