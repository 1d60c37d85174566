package dev.bilevel.tensor;

import dev.bilevel.tensor.internal.Layout;
import java.util.Arrays;

/**
 * The layout part of {@link Tensor}'s API: reshaping, transposing and permuting axes, inserting and
 * removing unit axes, and four operations that move values, each beside its adjoint (what its
 * gradient needs): slicing ({@link #unslice}), selecting indices along an axis
 * ({@link #indexAdd}), broadcasting ({@link #sumTo}) and gathering by flat position
 * ({@link #scatterFlat}).
 *
 * <p>One of the interfaces that group Tensor's instance operations by concern, beside
 * {@link TensorElementwise} and {@link TensorReductions}; it is implemented by {@link Tensor} only,
 * and is used through Tensor ({@code x.reshape(2, 3)}, {@code x.transpose()}). None modifies this
 * tensor; one that leaves the values as they are (a reshape, say) may share them with it.
 */
public sealed interface TensorShaping permits Tensor {
    /** This tensor: the interface is sealed to {@link Tensor}, so the cast always succeeds. */
    private Tensor self() {
        return (Tensor) this;
    }

    /** The same values with new dimensions; one dimension may be −1 (inferred). */
    default Tensor reshape(int... dims) {
        Tensor t = self();
        int[] d = dims.clone();
        int infer = -1;
        int known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape " + t.shape + " to " + Arrays.toString(dims)
                            + ": only one dimension may be -1");
                }
                infer = i;
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || t.data.length % known != 0) {
                throw new IllegalArgumentException("reshape " + t.shape + " to " + Arrays.toString(dims)
                        + ": cannot infer the -1 dimension");
            }
            d[infer] = t.data.length / known;
        }
        return reshape(Shape.of(d));
    }

    /** The same values with a new shape of the same size. */
    default Tensor reshape(Shape newShape) {
        Tensor t = self();
        if (newShape.size() != t.data.length) {
            throw new IllegalArgumentException("reshape: shape " + t.shape + " (" + t.data.length
                    + " elements) cannot become " + newShape + " (" + newShape.size() + " elements)");
        }
        return Tensor.wrap(newShape, t.data);
    }

    /** A rank-1 view of all values. */
    default Tensor flatten() {
        Tensor t = self();
        return Tensor.wrap(Shape.of(t.data.length), t.data);
    }

    /** Swaps the last two axes (a matrix transpose for rank 2). */
    default Tensor transpose() {
        Tensor t = self();
        int r = t.shape.rank();
        if (r < 2) {
            throw new IllegalArgumentException("transpose needs rank >= 2, shape is " + t.shape);
        }
        int[] perm = t.allAxes();
        perm[r - 1] = r - 2;
        perm[r - 2] = r - 1;
        return permute(perm);
    }

    /** Reorders axes: output axis i is input axis {@code perm[i]}. */
    default Tensor permute(int... perm) {
        Tensor t = self();
        if (perm.length != t.shape.rank()) {
            throw new IllegalArgumentException("permute " + Arrays.toString(perm) + " does not match shape " + t.shape);
        }
        int[] p = t.distinctAxes(perm);
        int[] dims = t.shape.dims();
        int[] od = new int[dims.length];
        for (int i = 0; i < p.length; i++) {
            od[i] = dims[p[i]];
        }
        return Tensor.wrap(Shape.of(od), Layout.permute(t.data, dims, p));
    }

    /** Removes a dimension of size 1. */
    default Tensor squeeze(int axis) {
        Tensor t = self();
        int a = t.shape.normalizeAxis(axis);
        if (t.shape.dim(a) != 1) {
            throw new IllegalArgumentException("squeeze: axis " + axis + " of shape " + t.shape + " is not 1");
        }
        return Tensor.wrap(Shape.of(Tensor.remove(t.shape.dims(), a)), t.data);
    }

    /** Inserts a dimension of size 1 before position {@code axis} (−1 appends). */
    default Tensor unsqueeze(int axis) {
        Tensor t = self();
        int r = t.shape.rank();
        int a = axis < 0 ? axis + r + 1 : axis;
        if (a < 0 || a > r) {
            throw new IllegalArgumentException("unsqueeze: axis " + axis + " is out of range for shape " + t.shape);
        }
        int[] dims = t.shape.dims();
        int[] od = new int[r + 1];
        System.arraycopy(dims, 0, od, 0, a);
        od[a] = 1;
        System.arraycopy(dims, a, od, a + 1, r - a);
        return Tensor.wrap(Shape.of(od), t.data);
    }

    /** Elements {@code [start, end)} along {@code axis}. */
    default Tensor slice(int axis, int start, int end) {
        return slice(axis, start, end, 1);
    }

    /** Elements {@code start, start+step, ...} before {@code end} along {@code axis}. */
    default Tensor slice(int axis, int start, int end, int step) {
        Tensor t = self();
        int a = t.shape.normalizeAxis(axis);
        int n = t.shape.dim(a);
        if (step <= 0 || start < 0 || end > n || start > end) {
            throw new IllegalArgumentException("slice [" + start + ":" + end + ":" + step + "] is invalid for axis "
                    + axis + " of shape " + t.shape);
        }
        int[] dims = t.shape.dims();
        int[] od = dims.clone();
        od[a] = (end - start + step - 1) / step;
        return Tensor.wrap(Shape.of(od), Layout.slice(t.data, dims, a, start, end, step));
    }

    /**
     * The adjoint of {@link #slice(int, int, int, int)}: this tensor placed into zeros of shape
     * {@code full} at positions {@code start, start+step, ...} along {@code axis}.
     */
    default Tensor unslice(Shape full, int axis, int start, int step) {
        int a = full.normalizeAxis(axis);
        return Tensor.wrap(full, Layout.sliceAdjoint(self().data, full.dims(), a, start, step));
    }

    /** Picks {@code indices} along {@code axis} (repeats allowed). */
    default Tensor indexSelect(int axis, int[] indices) {
        Tensor t = self();
        int a = t.shape.normalizeAxis(axis);
        int n = t.shape.dim(a);
        for (int i : indices) {
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("indexSelect: index " + i + " outside axis " + axis + " of "
                        + t.shape);
            }
        }
        int[] dims = t.shape.dims();
        int[] od = dims.clone();
        od[a] = indices.length;
        return Tensor.wrap(Shape.of(od), Layout.indexSelect(t.data, dims, a, indices));
    }

    /** The adjoint of {@link #indexSelect}: scatters this tensor into zeros of shape {@code full}, adding on repeats. */
    default Tensor indexAdd(Shape full, int axis, int[] indices) {
        int a = full.normalizeAxis(axis);
        return Tensor.wrap(full, Layout.indexAdd(self().data, full.dims(), a, indices));
    }

    /** Materializes this tensor broadcast to {@code target}. */
    default Tensor broadcastTo(Shape target) {
        Tensor t = self();
        if (!t.shape.broadcastsTo(target)) {
            throw new IllegalArgumentException("broadcastTo: shape " + t.shape + " cannot be broadcast to " + target);
        }
        return Tensor.wrap(target, Layout.broadcastTo(t.data, t.shape.dims(), target.dims()));
    }

    /** Sums over broadcast dimensions down to {@code target}: the adjoint of {@link #broadcastTo}. */
    default Tensor sumTo(Shape target) {
        Tensor t = self();
        if (target.equals(t.shape)) {
            return t;
        }
        if (!target.broadcastsTo(t.shape)) {
            throw new IllegalArgumentException("sumTo: shape " + target + " does not broadcast to " + t.shape);
        }
        return Tensor.wrap(target, Layout.sumTo(t.data, t.shape.dims(), target.dims()));
    }

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
    default Tensor takeFlat(int[] positions, Shape outShape) {
        Tensor t = self();
        if (outShape.size() != positions.length) {
            throw new IllegalArgumentException("takeFlat: " + positions.length + " positions cannot fill shape "
                    + outShape + " (source shape " + t.shape + ")");
        }
        double[] out = new double[positions.length];
        for (int i = 0; i < positions.length; i++) {
            int p = positions[i];
            if (p < 0 || p >= t.data.length) {
                throw new IndexOutOfBoundsException("takeFlat: position " + p + " is outside shape " + t.shape);
            }
            out[i] = t.data[p];
        }
        return Tensor.wrap(outShape, out);
    }

    /**
     * Scatters this tensor's elements, in row-major order, into zeros of shape {@code fullShape}
     * at flat {@code positions}, adding where positions repeat:
     * {@code out.flat[positions[i]] += this.flat[i]}. The adjoint of {@link #takeFlat}.
     *
     * @throws IllegalArgumentException naming the op and shapes when {@code positions.length != size()}
     * @throws IndexOutOfBoundsException when a position is outside {@code fullShape}
     */
    default Tensor scatterFlat(int[] positions, Shape fullShape) {
        Tensor t = self();
        if (positions.length != t.data.length) {
            throw new IllegalArgumentException("scatterFlat: " + positions.length + " positions for a tensor of shape "
                    + t.shape + " (target shape " + fullShape + ")");
        }
        double[] out = new double[fullShape.size()];
        for (int i = 0; i < positions.length; i++) {
            int p = positions[i];
            if (p < 0 || p >= out.length) {
                throw new IndexOutOfBoundsException("scatterFlat: position " + p + " is outside shape " + fullShape);
            }
            out[p] += t.data[i];
        }
        return Tensor.wrap(fullShape, out);
    }
}
