package dev.bilevel.tensor;

import dev.bilevel.tensor.internal.Elementwise;
import dev.bilevel.tensor.internal.KernelProvider;
import dev.bilevel.tensor.internal.Layout;
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
 *
 * <p>The instance operations are grouped by concern in sealed interfaces that Tensor alone
 * implements: {@link TensorElementwise} (unary functions, arithmetic, comparisons),
 * {@link TensorReductions} (sums, means, extrema, log-sum-exp, argmax) and {@link TensorShaping}
 * (reshapes, axis moves, slicing, indexing, broadcasting, gathering by flat position). The
 * factories, the operations on several tensors ({@link #where}, {@link #concat}, {@link #stack},
 * {@link #matmul(Tensor, boolean, Tensor, boolean)}) and the accessors are here.
 */
public final class Tensor implements TensorElementwise, TensorReductions, TensorShaping {
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

    // ---------------------------------------------------------------- combining tensors

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

    // ---------------------------------------------------------------- helpers

    /** {@code [0, 1, ..., rank-1]}. */
    int[] allAxes() {
        int[] a = new int[shape.rank()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    /** {@code axes} normalized to {@code [0, rank)}; an {@link IllegalArgumentException} if one repeats. */
    int[] distinctAxes(int[] axes) {
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

    private void requireSameShape(String op, Tensor other) {
        if (!shape.equals(other.shape)) {
            throw new IllegalArgumentException(op + ": shapes " + shape + " and " + other.shape + " differ");
        }
    }

    /** {@code dims} without the entry at {@code axis}. */
    static int[] remove(int[] dims, int axis) {
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
