package dev.bilevel.tensor.internal;

/**
 * 2-D convolution (cross-correlation, as in every deep-learning framework) and its two
 * gradients by im2col and matrix products (Chellapilla, Puri and Simard, "High performance
 * convolutional neural networks for document processing", 2006).
 *
 * <p>For a group of b samples, {@code im2col} lays the receptive fields out side by side as a
 * matrix X of shape {@code [c·kh·kw, b·oh·ow]}, and the output gradient G is viewed as
 * {@code [o, b·oh·ow]}; with the weight W viewed as {@code [o, c·kh·kw]}:
 * <ul>
 *   <li>forward: {@code Y = W·X};</li>
 *   <li>input gradient: {@code col2im(Wᵀ·G)}, where {@code col2im} is the adjoint of {@code im2col}
 *       (a transposed convolution);</li>
 *   <li>weight gradient: {@code Σ_groups G·Xᵀ}.</li>
 * </ul>
 * The matrix products run on {@link KernelProvider#get()} (or given kernels), with transposes read
 * in place. 3×3 same-padded convolutions with enough channels and tiles ({@link Winograd#applies})
 * run the forward pass and the weight gradient by Winograd's minimal filtering instead. A 1×1
 * kernel with unit stride and no padding skips im2col (X is the sample itself).
 *
 * <p>Every method returns a fresh array and modifies none of its inputs.
 */
public final class Convolution {
    /**
     * How many entries of the column matrix one batched product may use: samples are processed in
     * groups whose im2col columns sit side by side ({@code [c·kh·kw, b·oh·ow]}, b samples), so
     * that the matrix products are wide even for small feature maps, while the column buffer
     * stays cache-sized (256 Ki doubles, 2 MiB).
     */
    static final int COLUMN_BUDGET = 1 << 18;

    /**
     * Input channels from which a unit-stride input gradient runs as a forward convolution
     * ({@link #fullCorrelation}): its products have one row per input channel, too few below this.
     */
    static final int FULL_CORRELATION_MIN = 4;

    /** Receptive-field sizes c·kh·kw below which a wide map's weight gradient is a set of dot products. */
    static final int DOT_ROWS = 16;

    /** Output positions per sample from which samples are multiplied one at a time (see {@link #group}). */
    static final int WIDE_MAP = 128;

    private Convolution() {
    }

    /** {@code y = conv2d(x, weight)}, of shape {@link Conv2dGeometry#outputDims()}. */
    public static double[] forward(Conv2dGeometry g, double[] x, double[] weight) {
        return forward(KernelProvider.get(), g, x, weight);
    }

    /** As {@link #forward(Conv2dGeometry, double[], double[])}, on the given kernels. */
    public static double[] forward(Kernels kern, Conv2dGeometry g, double[] x, double[] weight) {
        int ckk = g.c() * g.kh() * g.kw();
        int ohw = g.oh() * g.ow();
        int chw = g.c() * g.h() * g.w();
        double[] y = new double[g.n() * g.o() * ohw];
        if (isPointwise(g)) {
            for (int s = 0; s < g.n(); s++) {
                kern.gemm(false, false, g.o(), ohw, ckk, weight, 0, x, s * chw, y, s * g.o() * ohw);
            }
            return y;
        }
        if (Winograd.applies(g)) {
            return Winograd.forward(kern, g, x, weight);
        }
        int group = group(g);
        double[] cols = new double[ckk * group * ohw];
        double[] out = new double[g.o() * group * ohw];
        for (int s0 = 0; s0 < g.n(); s0 += group) {
            int b = Math.min(group, g.n() - s0);
            for (int s = 0; s < b; s++) {
                im2col(g, x, (s0 + s) * chw, cols, b * ohw, s * ohw);
            }
            if (b == 1) {       // one sample's [o, oh·ow] block is already in output order
                kern.gemm(false, false, g.o(), ohw, ckk, weight, 0, cols, 0, y, s0 * g.o() * ohw);
                continue;
            }
            kern.gemm(false, false, g.o(), b * ohw, ckk, weight, 0, cols, 0, out, 0);
            for (int q = 0; q < g.o(); q++) {
                for (int s = 0; s < b; s++) {
                    System.arraycopy(out, (q * b + s) * ohw, y, ((s0 + s) * g.o() + q) * ohw, ohw);
                }
            }
        }
        return y;
    }

    /**
     * The gradient of {@code <conv2d(x, weight), gradOut>} with respect to x: the transposed
     * convolution of {@code gradOut}, of shape {@link Conv2dGeometry#inputDims()}.
     */
    public static double[] inputGrad(Conv2dGeometry g, double[] gradOut, double[] weight) {
        return inputGrad(KernelProvider.get(), g, gradOut, weight);
    }

    /** As {@link #inputGrad(Conv2dGeometry, double[], double[])}, on the given kernels. */
    public static double[] inputGrad(Kernels kern, Conv2dGeometry g, double[] gradOut, double[] weight) {
        int ckk = g.c() * g.kh() * g.kw();
        int ohw = g.oh() * g.ow();
        int chw = g.c() * g.h() * g.w();
        double[] dx = new double[g.n() * chw];
        if (isPointwise(g)) {
            for (int s = 0; s < g.n(); s++) {
                kern.gemm(true, false, ckk, ohw, g.o(), weight, 0, gradOut, s * g.o() * ohw, dx, s * chw);
            }
            return dx;
        }
        if (runsAsFullCorrelation(g)) {
            return fullCorrelation(kern, g, gradOut, weight);
        }
        int group = group(g);
        double[] cols = new double[ckk * group * ohw];
        double[] grads = new double[g.o() * group * ohw];
        for (int s0 = 0; s0 < g.n(); s0 += group) {
            int b = Math.min(group, g.n() - s0);
            if (b == 1) {
                kern.gemm(true, false, ckk, ohw, g.o(), weight, 0, gradOut, s0 * g.o() * ohw, cols, 0);
            } else {
                gatherByChannel(gradOut, g.o(), ohw, s0, b, grads);
                kern.gemm(true, false, ckk, b * ohw, g.o(), weight, 0, grads, 0, cols, 0);
            }
            for (int s = 0; s < b; s++) {
                col2imAdd(g, cols, b * ohw, s * ohw, dx, (s0 + s) * chw);
            }
        }
        return dx;
    }

    /**
     * The input gradient of a unit-stride convolution as a forward convolution: the output gradient
     * padded by {@code k − 1 − p} and correlated with the weight rotated by 180° and with its two
     * channel axes swapped ({@code W'[c, o, u, v] = W[o, c, kh−1−u, kw−1−v]}; Dumoulin &amp;
     * Visin, "A guide to convolution arithmetic for deep learning", 2016, §4.1). This replaces the
     * scattered additions of col2im by the copies of im2col.
     */
    private static double[] fullCorrelation(Kernels kern, Conv2dGeometry g, double[] gradOut, double[] weight) {
        return forward(kern, fullGeometry(g), gradOut, rotated(g, weight));
    }

    /** Whether the input gradient runs as {@link #fullCorrelation}: unit strides, enough input channels. */
    static boolean runsAsFullCorrelation(Conv2dGeometry g) {
        return g.sh() == 1 && g.sw() == 1 && g.ph() < g.kh() && g.pw() < g.kw() && g.c() >= FULL_CORRELATION_MIN;
    }

    /** The weight rotated by 180° with its two channel axes swapped: {@code W'[c, o, u, v] = W[o, c, kh−1−u, kw−1−v]}. */
    static double[] rotated(Conv2dGeometry g, double[] weight) {
        int kh = g.kh();
        int kw = g.kw();
        double[] rotated = new double[weight.length];
        for (int q = 0; q < g.o(); q++) {
            for (int ch = 0; ch < g.c(); ch++) {
                int from = (q * g.c() + ch) * kh * kw;
                int to = (ch * g.o() + q) * kh * kw;
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        rotated[to + (kh - 1 - u) * kw + (kw - 1 - v)] = weight[from + u * kw + v];
                    }
                }
            }
        }
        return rotated;
    }

    /** The forward geometry of {@link #fullCorrelation}: the output gradient as input, padded by {@code k − 1 − p}. */
    static Conv2dGeometry fullGeometry(Conv2dGeometry g) {
        return new Conv2dGeometry(g.n(), g.o(), g.oh(), g.ow(), g.c(), g.kh(), g.kw(), 1, 1,
                g.kh() - 1 - g.ph(), g.kw() - 1 - g.pw(), g.h(), g.w());
    }

    /**
     * The gradient of {@code <conv2d(x, weight), gradOut>} with respect to the weight, of shape
     * {@link Conv2dGeometry#weightDims()}.
     */
    public static double[] weightGrad(Conv2dGeometry g, double[] x, double[] gradOut) {
        return weightGrad(KernelProvider.get(), g, x, gradOut);
    }

    /** As {@link #weightGrad(Conv2dGeometry, double[], double[])}, on the given kernels. */
    public static double[] weightGrad(Kernels kern, Conv2dGeometry g, double[] x, double[] gradOut) {
        int ckk = g.c() * g.kh() * g.kw();
        int ohw = g.oh() * g.ow();
        int chw = g.c() * g.h() * g.w();
        double[] dw = new double[g.o() * ckk];
        if (g.n() == 0) {
            return dw;
        }
        if (Winograd.applies(g)) {
            return Winograd.weightGrad(kern, g, x, gradOut);
        }
        boolean direct = isPointwise(g);
        int group = direct ? 1 : group(g);
        double[] cols = direct ? null : new double[ckk * group * ohw];
        double[] grads = direct ? null : new double[g.o() * group * ohw];
        double[] part = g.n() > group ? new double[dw.length] : dw;
        for (int s0 = 0; s0 < g.n(); s0 += group) {
            int b = Math.min(group, g.n() - s0);
            if (direct) {
                kern.gemm(false, true, g.o(), ckk, ohw, gradOut, s0 * g.o() * ohw, x, s0 * chw, part, 0);
            } else {
                for (int s = 0; s < b; s++) {
                    im2col(g, x, (s0 + s) * chw, cols, b * ohw, s * ohw);
                }
                if (b == 1 && ckk < DOT_ROWS) {
                    // A product with so few columns is o·ckk dot products of length oh·ow: sum them directly.
                    for (int q = 0; q < g.o(); q++) {
                        kern.addDotRows(gradOut, (s0 * g.o() + q) * ohw, cols, 0, ckk, ohw, dw, q * ckk);
                    }
                    continue;
                } else if (b == 1) {
                    kern.gemm(false, true, g.o(), ckk, ohw, gradOut, s0 * g.o() * ohw, cols, 0, part, 0);
                } else {
                    gatherByChannel(gradOut, g.o(), ohw, s0, b, grads);
                    kern.gemm(false, true, g.o(), ckk, b * ohw, grads, 0, cols, 0, part, 0);
                }
            }
            if (part != dw) {
                for (int i = 0; i < dw.length; i++) {
                    dw[i] += part[i];
                }
            }
        }
        return dw;
    }

    /**
     * Samples per batched product: one when a sample's output map is already wide
     * ({@link #WIDE_MAP} positions or more; the product then reads and writes the NCHW arrays in
     * place, without rearranging copies), otherwise as many as {@link #COLUMN_BUDGET} allows.
     */
    static int group(Conv2dGeometry g) {
        return g.oh() * g.ow() >= WIDE_MAP ? 1 : budgetGroup(g);
    }

    /** The samples whose im2col columns fit {@link #COLUMN_BUDGET} entries, at least one, at most n. */
    static int budgetGroup(Conv2dGeometry g) {
        long perSample = (long) g.c() * g.kh() * g.kw() * g.oh() * g.ow();
        return (int) Math.max(1, Math.min(Math.max(g.n(), 1), COLUMN_BUDGET / Math.max(perSample, 1)));
    }

    /**
     * Samples {@code s0 .. s0+b−1} of an NCHW gradient {@code [n, o, ohw]} rearranged as the
     * {@code [o, b·ohw]} matrix the batched products use. Modified: {@code out}.
     */
    private static void gatherByChannel(double[] gradOut, int o, int ohw, int s0, int b, double[] out) {
        for (int q = 0; q < o; q++) {
            for (int s = 0; s < b; s++) {
                System.arraycopy(gradOut, ((s0 + s) * o + q) * ohw, out, (q * b + s) * ohw, ohw);
            }
        }
    }

    static boolean isPointwise(Conv2dGeometry g) {
        return g.kh() == 1 && g.kw() == 1 && g.sh() == 1 && g.sw() == 1 && g.ph() == 0 && g.pw() == 0;
    }

    /**
     * Receptive fields of the sample at {@code xOff} as a {@code [c·kh·kw, oh·ow]} block of the
     * column matrix {@code cols} (row length {@code ld}, block starting at column {@code colOff});
     * padding reads as zero. Modified: {@code cols}.
     */
    static void im2col(Conv2dGeometry g, double[] x, int xOff, double[] cols, int ld, int colOff) {
        if (g.sh() == 1 && g.sw() == 1 && g.ow() == g.w()) {
            im2colSame(g, x, xOff, cols, ld, colOff);
            return;
        }
        int h = g.h();
        int w = g.w();
        int oh = g.oh();
        int ow = g.ow();
        int sw = g.sw();
        int[] inside = insideColumns(g);
        int row = 0;
        for (int ch = 0; ch < g.c(); ch++) {
            int plane = xOff + ch * h * w;
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    int base = row * ld + colOff;
                    int lo = inside[2 * kj];
                    int hi = inside[2 * kj + 1];
                    int ix0 = kj - g.pw();
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.sh() - g.ph() + ki;
                        int dst = base + oy * ow;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(cols, dst, dst + ow, 0.0);
                            continue;
                        }
                        int src = plane + iy * w + ix0;
                        for (int ox = 0; ox < lo; ox++) {     // a padding column or two: cheaper than a fill call
                            cols[dst + ox] = 0.0;
                        }
                        if (sw == 1) {
                            System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                cols[dst + ox] = x[src + ox * sw];
                            }
                        }
                        for (int ox = hi; ox < ow; ox++) {
                            cols[dst + ox] = 0.0;
                        }
                    }
                }
            }
        }
    }

    /**
     * {@link #im2col} for unit strides and an output as wide as the input ("same" padding, e.g.
     * 3×3 with padding 1): a row of the column matrix and its input rows are then both laid out with
     * row length w, so all of its valid rows are one contiguous copy (copying a few wrapped-around
     * neighbours into the padding columns, which are zeroed after); short per-row copies would
     * cost more in calls than in bytes.
     */
    private static void im2colSame(Conv2dGeometry g, double[] x, int xOff, double[] cols, int ld, int colOff) {
        int h = g.h();
        int w = g.w();
        int oh = g.oh();
        int[] inside = insideColumns(g);
        int row = 0;
        for (int ch = 0; ch < g.c(); ch++) {
            int plane = xOff + ch * h * w;
            for (int ki = 0; ki < g.kh(); ki++) {
                int oyLo = Math.max(0, g.ph() - ki);
                int oyHi = Math.max(oyLo, Math.min(oh, h + g.ph() - ki));
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    int base = row * ld + colOff;
                    int lo = inside[2 * kj];
                    int hi = inside[2 * kj + 1];
                    java.util.Arrays.fill(cols, base, base + oyLo * w, 0.0);
                    java.util.Arrays.fill(cols, base + oyHi * w, base + oh * w, 0.0);
                    if (oyHi == oyLo || hi == lo) {
                        java.util.Arrays.fill(cols, base + oyLo * w, base + oyHi * w, 0.0);
                        continue;
                    }
                    int first = base + oyLo * w + lo;
                    int last = base + (oyHi - 1) * w + hi;
                    int src = plane + (oyLo - g.ph() + ki) * w + lo + kj - g.pw();
                    System.arraycopy(x, src, cols, first, last - first);
                    for (int oy = oyLo; oy < oyHi; oy++) {
                        int dst = base + oy * w;
                        for (int ox = 0; ox < lo; ox++) {
                            cols[dst + ox] = 0.0;
                        }
                        for (int ox = hi; ox < w; ox++) {
                            cols[dst + ox] = 0.0;
                        }
                    }
                }
            }
        }
    }

    /** The first output column whose input column {@code ox·sw − pw + kj} lies inside the image. */
    private static int firstInside(Conv2dGeometry g, int kj) {
        int need = g.pw() - kj;
        return need <= 0 ? 0 : Math.min(g.ow(), (need + g.sw() - 1) / g.sw());
    }

    /** One past the last output column whose input column lies inside the image. */
    private static int endInside(Conv2dGeometry g, int kj) {
        int last = g.w() - 1 + g.pw() - kj;
        return last < 0 ? 0 : Math.min(g.ow(), last / g.sw() + 1);
    }

    /**
     * For each kernel column kj, the output columns whose input column lies inside the image:
     * {@code [2·kj]} = {@link #firstInside}, {@code [2·kj + 1]} = the larger of that and
     * {@link #endInside}. Computed once per call of the column copies rather than once per row of
     * the column matrix (two integer divisions per row): on conv-4's last layer (3×3 maps, 32
     * channels, 100 samples) the float64 forward and both gradients ran 7–10% faster, the rows
     * there being only a few values long.
     */
    static int[] insideColumns(Conv2dGeometry g) {
        int[] r = new int[2 * g.kw()];
        for (int kj = 0; kj < g.kw(); kj++) {
            r[2 * kj] = firstInside(g, kj);
            r[2 * kj + 1] = Math.max(r[2 * kj], endInside(g, kj));
        }
        return r;
    }

    /**
     * The adjoint of {@link #im2col} (same {@code ld} and {@code colOff}): adds each column entry
     * back onto its input position. Modified: {@code dx}.
     */
    static void col2imAdd(Conv2dGeometry g, double[] cols, int ld, int colOff, double[] dx, int xOff) {
        int h = g.h();
        int w = g.w();
        int oh = g.oh();
        int sw = g.sw();
        int[] inside = insideColumns(g);
        int row = 0;
        for (int ch = 0; ch < g.c(); ch++) {
            int plane = xOff + ch * h * w;
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    int base = row * ld + colOff;
                    int lo = inside[2 * kj];
                    int hi = inside[2 * kj + 1];
                    int ix0 = kj - g.pw();
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.sh() - g.ph() + ki;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int src = base + oy * g.ow();
                        int dst = plane + iy * w + ix0;
                        if (sw == 1) {          // unit stride: a loop the compiler vectorizes
                            for (int ox = lo; ox < hi; ox++) {
                                dx[dst + ox] += cols[src + ox];
                            }
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                dx[dst + ox * sw] += cols[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
