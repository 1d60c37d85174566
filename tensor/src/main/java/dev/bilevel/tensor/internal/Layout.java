package dev.bilevel.tensor.internal;

/**
 * Data movement on row-major arrays: broadcasting, permutation, slicing, concatenation and
 * gathering. Inputs are not modified; every method returns a fresh array.
 */
public final class Layout {
    private Layout() {
    }

    /** Materializes {@code x} (shape {@code dims}) broadcast to {@code outDims}. */
    public static double[] broadcastTo(double[] x, int[] dims, int[] outDims) {
        int n = Elementwise.size(outDims);
        if (x.length == n) {
            return x.clone();
        }
        if (x.length == 1) {
            double[] out = new double[n];
            java.util.Arrays.fill(out, x[0]);
            return out;
        }
        int[] omi = Elementwise.middleBlock(dims, outDims);
        if (omi != null) {
            double[] out = new double[n];
            for (int o = 0, off = 0; o < omi[0]; o++) {
                for (int m = 0; m < omi[1]; m++, off += omi[2]) {
                    java.util.Arrays.fill(out, off, off + omi[2], x[m]);
                }
            }
            return out;
        }
        int rank = outDims.length;
        int[] s = Elementwise.broadcastStrides(dims, rank, outDims);
        return strided(x, s, outDims);
    }

    /**
     * Sums {@code x} (shape {@code dims}) down to {@code target}, a shape that broadcasts to
     * {@code dims}: the adjoint of {@link #broadcastTo}.
     */
    public static double[] sumTo(double[] x, int[] dims, int[] target) {
        int n = Elementwise.size(target);
        if (x.length == n) {
            return x.clone();
        }
        double[] out = new double[n];
        if (n == 1) {
            double s = 0;
            for (double v : x) {
                s += v;
            }
            out[0] = s;
            return out;
        }
        if (Elementwise.isTrailingBlock(target, dims)) {
            Kernels k = KernelProvider.get();
            for (int off = 0; off < x.length; off += n) {
                k.addScaled(out, 0, 1.0, x, off, out, 0, n);
            }
            return out;
        }
        int[] omi = Elementwise.middleBlock(target, dims);
        if (omi != null) {
            for (int o = 0, i = 0; o < omi[0]; o++) {
                for (int m = 0; m < omi[1]; m++) {
                    double s = out[m];
                    for (int end = i + omi[2]; i < end; i++) {
                        s += x[i];
                    }
                    out[m] = s;
                }
            }
            return out;
        }
        int rank = dims.length;
        int[] ts = Elementwise.broadcastStrides(target, rank, dims);
        int[] idx = new int[rank];
        int off = 0;
        for (int i = 0; i < x.length; i++) {
            out[off] += x[i];
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                off += ts[d];
                if (idx[d] < dims[d]) {
                    break;
                }
                off -= ts[d] * dims[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Reads {@code x} with the given element strides into a fresh row-major array of shape {@code outDims}. */
    static double[] strided(double[] x, int[] strides, int[] outDims) {
        int rank = outDims.length;
        int n = Elementwise.size(outDims);
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        if (rank == 0) {
            out[0] = x[0];
            return out;
        }
        int inner = outDims[rank - 1];
        int is = strides[rank - 1];
        int[] idx = new int[rank];
        int off = 0;
        for (int o = 0; o < n; o += inner) {
            for (int j = 0, p = off; j < inner; j++, p += is) {
                out[o + j] = x[p];
            }
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < outDims[d]) {
                    break;
                }
                off -= strides[d] * outDims[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Permutes axes: output axis {@code i} is input axis {@code perm[i]}. */
    public static double[] permute(double[] x, int[] dims, int[] perm) {
        int rank = dims.length;
        int[] inStrides = stridesOf(dims);
        int[] outDims = new int[rank];
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            outDims[i] = dims[perm[i]];
            s[i] = inStrides[perm[i]];
        }
        return strided(x, s, outDims);
    }

    /** Elements {@code start, start+step, ...} (below {@code end}) along {@code axis}. */
    public static double[] slice(double[] x, int[] dims, int axis, int start, int end, int step) {
        int[] strides = stridesOf(dims);
        int[] outDims = dims.clone();
        outDims[axis] = Math.max(0, (end - start + step - 1) / step);
        int[] s = strides.clone();
        s[axis] = strides[axis] * step;
        int base = start * strides[axis];
        if (Elementwise.size(outDims) == 0) {
            return new double[0];
        }
        double[] shifted = base == 0 ? x : java.util.Arrays.copyOfRange(x, base, x.length);
        return strided(shifted, s, outDims);
    }

    /** Adjoint of {@link #slice}: places {@code g} (the sliced shape) into zeros of shape {@code dims}. */
    public static double[] sliceAdjoint(double[] g, int[] dims, int axis, int start, int step) {
        double[] out = new double[Elementwise.size(dims)];
        int outer = outerSize(dims, axis);
        int inner = innerSize(dims, axis);
        int len = g.length / Math.max(1, outer * inner);
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < len; k++) {
                int src = (o * len + k) * inner;
                int dst = (o * dims[axis] + start + k * step) * inner;
                System.arraycopy(g, src, out, dst, inner);
            }
        }
        return out;
    }

    /** Concatenates arrays along {@code axis}; {@code dimsList[i]} are the dimensions of {@code parts[i]}. */
    public static double[] concat(double[][] parts, int[][] dimsList, int axis) {
        int[] first = dimsList[0];
        int outer = outerSize(first, axis);
        int inner = innerSize(first, axis);
        int total = 0;
        for (int[] d : dimsList) {
            total += d[axis];
        }
        double[] out = new double[outer * total * inner];
        int offset = 0;
        for (int p = 0; p < parts.length; p++) {
            int len = dimsList[p][axis] * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(parts[p], o * len, out, (o * total) * inner + offset, len);
            }
            offset += len;
        }
        return out;
    }

    /** Selects {@code indices} along {@code axis} (indices may repeat). */
    public static double[] indexSelect(double[] x, int[] dims, int axis, int[] indices) {
        int outer = outerSize(dims, axis);
        int inner = innerSize(dims, axis);
        double[] out = new double[outer * indices.length * inner];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < indices.length; k++) {
                System.arraycopy(x, (o * dims[axis] + indices[k]) * inner, out, (o * indices.length + k) * inner, inner);
            }
        }
        return out;
    }

    /** Adjoint of {@link #indexSelect}: scatters {@code g} back, adding where indices repeat. */
    public static double[] indexAdd(double[] g, int[] dims, int axis, int[] indices) {
        int outer = outerSize(dims, axis);
        int inner = innerSize(dims, axis);
        double[] out = new double[Elementwise.size(dims)];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < indices.length; k++) {
                int src = (o * indices.length + k) * inner;
                int dst = (o * dims[axis] + indices[k]) * inner;
                for (int j = 0; j < inner; j++) {
                    out[dst + j] += g[src + j];
                }
            }
        }
        return out;
    }

    /** Product of the dimensions before {@code axis}: how many blocks a row-major array has along it. */
    static int outerSize(int[] dims, int axis) {
        int n = 1;
        for (int i = 0; i < axis; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** Product of the dimensions after {@code axis}: the contiguous run of one index along it. */
    static int innerSize(int[] dims, int axis) {
        int n = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** Row-major strides of {@code dims}. */
    public static int[] stridesOf(int[] dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }
}
