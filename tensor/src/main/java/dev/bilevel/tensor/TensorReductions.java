package dev.bilevel.tensor;

import dev.bilevel.tensor.internal.Reductions;

/**
 * The reductions of {@link Tensor}'s API: sums, means, maxima and minima over all elements or over
 * chosen axes (dropped, or kept with size 1), the log-sum-exp and the argmax. Negative axes count
 * from the end; a repeated axis is an {@link IllegalArgumentException}.
 *
 * <p>One of the interfaces that group Tensor's instance operations by concern, beside
 * {@link TensorElementwise} and {@link TensorShaping}; it is implemented by {@link Tensor} only,
 * and is used through Tensor ({@code x.sum(1)}, {@code x.mean()}). Every operation returns a new
 * tensor.
 */
public sealed interface TensorReductions permits Tensor {
    /** This tensor: the interface is sealed to {@link Tensor}, so the cast always succeeds. */
    private Tensor self() {
        return (Tensor) this;
    }

    /** Sum of all elements, as a scalar. */
    default Tensor sum() {
        return reduce(Reductions.Kind.SUM, self().allAxes(), false);
    }

    /** Sum over {@code axes}, dropping them. */
    default Tensor sum(int... axes) {
        return reduce(Reductions.Kind.SUM, axes, false);
    }

    /** Sum over {@code axes}, keeping them with size 1 when {@code keepDims}. */
    default Tensor sum(int[] axes, boolean keepDims) {
        return reduce(Reductions.Kind.SUM, axes, keepDims);
    }

    /** Mean of all elements, as a scalar. */
    default Tensor mean() {
        return sum().div(Math.max(1, self().data.length));
    }

    /** Mean over {@code axes}. */
    default Tensor mean(int[] axes, boolean keepDims) {
        Tensor t = self();
        int count = 1;
        for (int a : t.distinctAxes(axes)) {
            count *= t.shape.dim(a);
        }
        return sum(axes, keepDims).div(count);
    }

    /** Largest element, as a scalar. */
    default Tensor max() {
        return reduce(Reductions.Kind.MAX, self().allAxes(), false);
    }

    /** Largest element over {@code axes}. */
    default Tensor max(int[] axes, boolean keepDims) {
        return reduce(Reductions.Kind.MAX, axes, keepDims);
    }

    /** Smallest element, as a scalar. */
    default Tensor min() {
        return reduce(Reductions.Kind.MIN, self().allAxes(), false);
    }

    /** Smallest element over {@code axes}. */
    default Tensor min(int[] axes, boolean keepDims) {
        return reduce(Reductions.Kind.MIN, axes, keepDims);
    }

    /** log Σ exp(x) over {@code axis}, stable for large |x| (shifts by the maximum). */
    default Tensor logsumexp(int axis, boolean keepDims) {
        Tensor t = self();
        int[] axes = {axis};
        double[] m = max(axes, true).data.clone();
        for (int i = 0; i < m.length; i++) {
            if (!Double.isFinite(m[i])) {
                m[i] = 0.0;
            }
        }
        Tensor shift = Tensor.wrap(Shape.of(keptDims(t.shape.normalizeAxis(axis))), m);
        Tensor r = t.sub(shift).exp().sum(axes, true).log().add(shift);
        return keepDims ? r : r.squeeze(axis);
    }

    /** Index of the largest element along {@code axis} (first on ties), as doubles; the axis is dropped. */
    default Tensor argmax(int axis) {
        Tensor t = self();
        int a = t.shape.normalizeAxis(axis);
        int[] dims = t.shape.dims();
        double[] out = Reductions.argmax(t.data, dims, a);
        return Tensor.wrap(Shape.of(Tensor.remove(dims, a)), out);
    }

    private Tensor reduce(Reductions.Kind kind, int[] axes, boolean keepDims) {
        Tensor t = self();
        int[] dims = t.shape.dims();
        boolean[] reduced = new boolean[dims.length];
        for (int a : t.distinctAxes(axes)) {
            reduced[a] = true;
        }
        double[] out = Reductions.reduce(kind, t.data, dims, reduced);
        if (keepDims) {
            int[] kd = dims.clone();
            for (int i = 0; i < kd.length; i++) {
                if (reduced[i]) {
                    kd[i] = 1;
                }
            }
            return Tensor.wrap(Shape.of(kd), out);
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
        return Tensor.wrap(Shape.of(od), out);
    }

    private int[] keptDims(int axis) {
        int[] d = self().shape.dims();
        d[axis] = 1;
        return d;
    }
}
