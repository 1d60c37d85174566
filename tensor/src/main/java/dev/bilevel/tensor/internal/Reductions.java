package dev.bilevel.tensor.internal;

/**
 * Reductions over a set of axes of a row-major array. The output keeps reduced axes with
 * size 1 (callers drop them when {@code keepDims} is false). Inputs are not modified.
 */
public final class Reductions {
    /** The reduction applied. */
    public enum Kind { SUM, MAX, MIN }

    private Reductions() {
    }

    /**
     * Reduces {@code x} (shape {@code dims}) over the axes flagged in {@code reduced}.
     *
     * @return an array of the shape with each reduced dimension set to 1
     */
    public static double[] reduce(Kind kind, double[] x, int[] dims, boolean[] reduced) {
        int rank = dims.length;
        int[] outDims = dims.clone();
        for (int i = 0; i < rank; i++) {
            if (reduced[i]) {
                outDims[i] = 1;
            }
        }
        int n = Elementwise.size(outDims);
        double[] out = new double[n];
        double init = switch (kind) {
            case SUM -> 0.0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        java.util.Arrays.fill(out, init);
        if (x.length == 0) {
            return out;
        }
        if (n == 1) {
            out[0] = fold(kind, init, x, 0, x.length);
            return out;
        }
        int[] os = Elementwise.broadcastStrides(outDims, rank, dims);
        int inner = dims[rank - 1];
        int innerStride = os[rank - 1];
        int[] idx = new int[rank];
        int off = 0;
        for (int i = 0; i < x.length; i += inner) {
            if (innerStride == 0) {
                out[off] = fold(kind, out[off], x, i, inner);
            } else {
                for (int j = 0; j < inner; j++) {
                    out[off + j] = combine(kind, out[off + j], x[i + j]);
                }
            }
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                off += os[d];
                if (idx[d] < dims[d]) {
                    break;
                }
                off -= os[d] * dims[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Index of the largest element along {@code axis} (first one on ties; NaN counts as largest). */
    public static double[] argmax(double[] x, int[] dims, int axis) {
        int outer = Layout.outerSize(dims, axis);
        int inner = Layout.innerSize(dims, axis);
        int len = dims[axis];
        double[] out = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int best = 0;
                double bv = x[o * len * inner + j];
                for (int k = 1; k < len && !Double.isNaN(bv); k++) {
                    double v = x[(o * len + k) * inner + j];
                    if (v > bv || Double.isNaN(v)) {
                        bv = v;
                        best = k;
                    }
                }
                out[o * inner + j] = best;
            }
        }
        return out;
    }

    private static double fold(Kind kind, double acc, double[] x, int from, int len) {
        double r = acc;
        switch (kind) {
            case SUM -> {
                for (int i = from; i < from + len; i++) {
                    r += x[i];
                }
            }
            case MAX -> {
                for (int i = from; i < from + len; i++) {
                    r = max(r, x[i]);
                }
            }
            case MIN -> {
                for (int i = from; i < from + len; i++) {
                    r = min(r, x[i]);
                }
            }
        }
        return r;
    }

    private static double combine(Kind kind, double a, double b) {
        return switch (kind) {
            case SUM -> a + b;
            case MAX -> max(a, b);
            case MIN -> min(a, b);
        };
    }

    private static double max(double a, double b) {
        return a > b || Double.isNaN(a) ? a : b;
    }

    private static double min(double a, double b) {
        return a < b || Double.isNaN(a) ? a : b;
    }
}
