package dev.bilevel.tensor.internal;

import java.util.Arrays;

/**
 * Elementwise loops with NumPy broadcasting. Inputs are row-major arrays with their
 * dimensions; outputs are fresh arrays. Inputs are not modified.
 */
public final class Elementwise {
    private Elementwise() {
    }

    /** {@code out[i] = op(x[i])}. */
    public static double[] unary(UnaryOp op, double[] x) {
        double[] out = new double[x.length];
        switch (op) {
            case NEG -> {
                for (int i = 0; i < x.length; i++) {
                    out[i] = -x[i];
                }
            }
            case SQUARE -> {
                for (int i = 0; i < x.length; i++) {
                    out[i] = x[i] * x[i];
                }
            }
            case RELU -> {
                for (int i = 0; i < x.length; i++) {
                    out[i] = x[i] > 0 ? x[i] : 0.0;
                }
            }
            case STEP -> {
                for (int i = 0; i < x.length; i++) {
                    out[i] = x[i] > 0 ? 1.0 : 0.0;
                }
            }
            default -> {
                for (int i = 0; i < x.length; i++) {
                    out[i] = op.apply(x[i]);
                }
            }
        }
        return out;
    }

    /** {@code out[i] = op(x[i], s)} for a scalar right operand. */
    public static double[] withScalar(BinaryOp op, double[] x, double s) {
        double[] out = new double[x.length];
        KernelProvider.get().binaryScalar(op, x, 0, s, out, 0, x.length);
        return out;
    }

    /** {@code out[i] = op(s, x[i])} for a scalar left operand. */
    public static double[] scalarWith(BinaryOp op, double s, double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = op.apply(s, x[i]);
        }
        return out;
    }

    /**
     * {@code out = op(a, b)} with broadcasting to {@code outDims}, the broadcast of the two shapes.
     */
    public static double[] binary(BinaryOp op, double[] a, int[] aDims, double[] b, int[] bDims, int[] outDims) {
        int n = size(outDims);
        if (a.length == n && b.length == n) {
            return sameShape(op, a, b);
        }
        if (b.length == 1) {
            return a.length == n ? withScalar(op, a, b[0]) : expandThen(op, a, aDims, b, bDims, outDims);
        }
        if (a.length == 1 && b.length == n) {
            return scalarWith(op, a[0], b);
        }
        if (a.length == n && isTrailingBlock(bDims, outDims)) {
            return rowBroadcast(op, a, b, true);
        }
        if (b.length == n && isTrailingBlock(aDims, outDims)) {
            return rowBroadcast(op, b, a, false);
        }
        int[] am = a.length == n ? middleBlock(bDims, outDims) : null;
        if (am != null) {
            return channelBroadcast(op, a, b, am, true);
        }
        int[] bm = b.length == n ? middleBlock(aDims, outDims) : null;
        if (bm != null) {
            return channelBroadcast(op, b, a, bm, false);
        }
        return expandThen(op, a, aDims, b, bDims, outDims);
    }

    /**
     * The common bias-add case: the small operand's dimensions are 1s followed by the last
     * dimensions of the output, so it repeats as a contiguous block along the rows.
     */
    private static double[] rowBroadcast(BinaryOp op, double[] full, double[] row, boolean rowOnRight) {
        double[] out = new double[full.length];
        Kernels k = KernelProvider.get();
        int len = row.length;
        for (int off = 0; off < full.length; off += len) {
            if (rowOnRight) {
                k.binary(op, full, off, row, 0, out, off, len);
            } else {
                k.binary(op, row, 0, full, off, out, off, len);
            }
        }
        return out;
    }

    /**
     * The per-channel case ({@code [1, C, 1, 1]} against {@code [N, C, H, W]}): when {@code dims},
     * aligned right, is 1s, then equal to a run of output dimensions, then 1s again, the sizes
     * {@code {outer, mid, inner}} of the three parts of the output; otherwise null.
     */
    static int[] middleBlock(int[] dims, int[] outDims) {
        int rank = outDims.length;
        int offset = rank - dims.length;
        if (offset < 0) {
            return null;
        }
        int a = 0;
        while (a < rank && dimAt(dims, offset, a) == 1) {
            a++;
        }
        int b = a;
        while (b < rank && dimAt(dims, offset, b) == outDims[b] && outDims[b] != 1) {
            b++;
        }
        for (int d = b; d < rank; d++) {
            if (dimAt(dims, offset, d) != 1) {
                return null;
            }
        }
        return new int[] {size(Arrays.copyOfRange(outDims, 0, a)), size(Arrays.copyOfRange(outDims, a, b)),
            size(Arrays.copyOfRange(outDims, b, rank))};
    }

    private static int dimAt(int[] dims, int offset, int d) {
        return d < offset ? 1 : dims[d - offset];
    }

    /** {@link #binary} for a full operand and a per-channel one ({@link #middleBlock} sizes {@code omi}). */
    private static double[] channelBroadcast(BinaryOp op, double[] full, double[] mid, int[] omi, boolean midOnRight) {
        double[] out = new double[full.length];
        Kernels k = KernelProvider.get();
        int inner = omi[2];
        for (int o = 0, off = 0; o < omi[0]; o++) {
            for (int m = 0; m < omi[1]; m++, off += inner) {
                if (midOnRight) {
                    k.binaryScalar(op, full, off, mid[m], out, off, inner);
                } else {
                    double s = mid[m];
                    for (int i = off; i < off + inner; i++) {
                        out[i] = op.apply(s, full[i]);
                    }
                }
            }
        }
        return out;
    }

    /** True when {@code dims}, aligned right, is all 1s and then equal to the trailing output dimensions. */
    static boolean isTrailingBlock(int[] dims, int[] outDims) {
        int offset = outDims.length - dims.length;
        if (offset < 0 || size(dims) == 0) {
            return false;
        }
        int i = 0;
        while (i < dims.length && dims[i] == 1 && outDims[i + offset] != 1) {
            i++;
        }
        for (; i < dims.length; i++) {
            if (dims[i] != outDims[i + offset]) {
                return false;
            }
        }
        return true;
    }

    private static double[] expandThen(BinaryOp op, double[] a, int[] aDims, double[] b, int[] bDims, int[] outDims) {
        int rank = outDims.length;
        int[] as = broadcastStrides(aDims, rank, outDims);
        int[] bs = broadcastStrides(bDims, rank, outDims);
        int n = size(outDims);
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        int inner = rank == 0 ? 1 : outDims[rank - 1];
        int ai = rank == 0 ? 0 : as[rank - 1];
        int bi = rank == 0 ? 0 : bs[rank - 1];
        int[] idx = new int[Math.max(rank - 1, 0)];
        int aOff = 0;
        int bOff = 0;
        for (int o = 0; o < n; o += inner) {
            for (int j = 0, pa = aOff, pb = bOff; j < inner; j++, pa += ai, pb += bi) {
                out[o + j] = op.apply(a[pa], b[pb]);
            }
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                aOff += as[d];
                bOff += bs[d];
                if (idx[d] < outDims[d]) {
                    break;
                }
                aOff -= as[d] * outDims[d];
                bOff -= bs[d] * outDims[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    private static double[] sameShape(BinaryOp op, double[] a, double[] b) {
        double[] out = new double[a.length];
        KernelProvider.get().binary(op, a, 0, b, 0, out, 0, a.length);
        return out;
    }

    /** {@code out[i] = a[i] + alpha·b[i]} for arrays of equal length (product rounded, then summed). */
    public static double[] addScaled(double[] a, double alpha, double[] b) {
        double[] out = new double[a.length];
        KernelProvider.get().addScaled(a, 0, alpha, b, 0, out, 0, a.length);
        return out;
    }

    /** {@code out[i] = cond[i] != 0 ? a[i] : b[i]}, all three broadcast to {@code outDims}. */
    public static double[] where(double[] cond, int[] cDims, double[] a, int[] aDims, double[] b, int[] bDims,
                                 int[] outDims) {
        double[] c = Layout.broadcastTo(cond, cDims, outDims);
        double[] x = Layout.broadcastTo(a, aDims, outDims);
        double[] y = Layout.broadcastTo(b, bDims, outDims);
        double[] out = new double[c.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = c[i] != 0 ? x[i] : y[i];
        }
        return out;
    }

    /**
     * Strides of an operand of shape {@code dims} read as if broadcast to {@code outDims}
     * (stride 0 along broadcast dimensions).
     */
    static int[] broadcastStrides(int[] dims, int rank, int[] outDims) {
        int[] strides = new int[rank];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            int o = i + rank - dims.length;
            strides[o] = dims[i] == 1 && outDims[o] != 1 ? 0 : s;
            s *= dims[i];
        }
        return strides;
    }

    static int size(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }
}
