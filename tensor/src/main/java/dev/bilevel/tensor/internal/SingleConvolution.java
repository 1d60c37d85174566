package dev.bilevel.tensor.internal;

import java.util.Arrays;

/**
 * Convolution and its two gradients in float32 ({@code Precision.FLOAT32}): im2col and
 * {@link Kernels#sgemm} on float copies of the operands, the input gradient as a full correlation
 * (as {@link Convolution}), results widened to double. Winograd's transforms are not used: on
 * conv-4's 14×14 maps with 32 channels and 100 images, float32 im2col products ran as fast as
 * float32 Winograd in the forward pass (7.7 against 7.5 ms) and faster for the weight gradient
 * (8.4 against 9.9 ms), the transforms' scattered short runs costing what the saved products save.
 *
 * <p>Float32 pays where the products dominate. A convolution whose receptive field has fewer than
 * {@link Convolution#DOT_ROWS} entries (a 3×3 kernel on one input channel), a 1×1 convolution, and
 * an input gradient that {@link Convolution} computes by col2im run in float64: their cost is in
 * moving their outputs, which float copies would only add to (conv-4's first layer, 100 images:
 * 4.6 ms in float32 against 3.5 ms in float64).
 *
 * <p>Every method returns a fresh array and modifies none of its inputs.
 */
public final class SingleConvolution {
    private SingleConvolution() {
    }

    /** {@link Convolution#forward(Kernels, Conv2dGeometry, double[], double[])} in float32 where it {@link #pays}. */
    public static double[] forward(Kernels kern, Conv2dGeometry g, double[] x, double[] weight) {
        if (!pays(g)) {
            return Convolution.forward(kern, g, x, weight);
        }
        return forward(kern, g, narrowed(x), narrowed(weight));
    }

    /**
     * {@link Convolution#inputGrad(Kernels, Conv2dGeometry, double[], double[])} in float32 where it
     * is a full correlation that {@link #pays}.
     */
    public static double[] inputGrad(Kernels kern, Conv2dGeometry g, double[] gradOut, double[] weight) {
        if (Convolution.isPointwise(g) || !Convolution.runsAsFullCorrelation(g) || !pays(Convolution.fullGeometry(g))) {
            return Convolution.inputGrad(kern, g, gradOut, weight);
        }
        return forward(kern, Convolution.fullGeometry(g), narrowed(gradOut),
                narrowed(Convolution.rotated(g, weight)));
    }

    /**
     * {@link Convolution#weightGrad(Kernels, Conv2dGeometry, double[], double[])} in float32 where it
     * {@link #pays}; each group's float32 product is added to a float64 sum.
     */
    public static double[] weightGrad(Kernels kern, Conv2dGeometry g, double[] x, double[] gradOut) {
        if (g.n() == 0 || !pays(g)) {
            return Convolution.weightGrad(kern, g, x, gradOut);
        }
        int ckk = g.c() * g.kh() * g.kw();
        int group = group(g);
        int ohw = g.oh() * g.ow();
        int chw = g.c() * g.h() * g.w();
        float[] xf = narrowed(x);
        float[] gf = narrowed(gradOut);
        int ldMax = roundUp(group * ohw, DEPTH_MULTIPLE);
        float[] cols = new float[ckk * ldMax];
        float[] grads = new float[g.o() * ldMax];
        float[] part = new float[g.o() * ckk];
        double[] dw = new double[part.length];
        for (int s0 = 0; s0 < g.n(); s0 += group) {
            int b = Math.min(group, g.n() - s0);
            int depth = b * ohw;
            int ld = roundUp(depth, DEPTH_MULTIPLE);
            for (int s = 0; s < b; s++) {
                im2col(g, xf, (s0 + s) * chw, cols, ld, s * ohw);
            }
            gatherByChannel(gf, g.o(), ohw, s0, b, grads, ld);
            zeroColumns(cols, ckk, ld, depth);
            zeroColumns(grads, g.o(), ld, depth);
            kern.sgemm(false, true, g.o(), ckk, ld, grads, 0, cols, 0, part, 0);
            for (int i = 0; i < dw.length; i++) {
                dw[i] += part[i];
            }
        }
        return dw;
    }

    /**
     * Samples per product: {@link Convolution#budgetGroup} (as many as the column budget allows),
     * whatever the map size, rounded down to a multiple of {@code 16 / gcd(oh·ow, 16)} when that
     * many fit, so that a product's depth or width (samples × positions) is whole 16-float vectors.
     * A single sample's product wastes most of its last column panel on a map such as 14×14
     * (196 = 4·48 + 4); the products of several samples at once ran about a fifth faster.
     */
    static int group(Conv2dGeometry g) {
        int most = Convolution.budgetGroup(g);
        int whole = 16 / gcd(g.oh() * g.ow(), 16);
        return most >= whole ? most / whole * whole : most;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * The weight gradient's products have depth (samples × positions) padded with zero columns to a
     * multiple of this: whole 16-float vectors for the dot products of {@link Kernels#sgemm}.
     */
    private static final int DEPTH_MULTIPLE = 16;

    /** Whether the float32 path computes this convolution: not 1×1, and a receptive field of {@link Convolution#DOT_ROWS} or more. */
    static boolean pays(Conv2dGeometry g) {
        return !Convolution.isPointwise(g) && g.c() * g.kh() * g.kw() >= Convolution.DOT_ROWS;
    }

    /**
     * The forward convolution on floats: im2col and products, in groups of samples as
     * {@link #group}, each group's products widened into the NCHW result as they are scattered.
     */
    private static double[] forward(Kernels kern, Conv2dGeometry g, float[] x, float[] weight) {
        int ckk = g.c() * g.kh() * g.kw();
        int ohw = g.oh() * g.ow();
        int chw = g.c() * g.h() * g.w();
        double[] y = new double[g.n() * g.o() * ohw];
        int group = group(g);
        float[] cols = new float[ckk * group * ohw];
        float[] out = new float[g.o() * group * ohw];
        for (int s0 = 0; s0 < g.n(); s0 += group) {
            int b = Math.min(group, g.n() - s0);
            for (int s = 0; s < b; s++) {
                im2col(g, x, (s0 + s) * chw, cols, b * ohw, s * ohw);
            }
            kern.sgemm(false, false, g.o(), b * ohw, ckk, weight, 0, cols, 0, out, 0);
            for (int q = 0; q < g.o(); q++) {
                for (int s = 0; s < b; s++) {
                    int src = (q * b + s) * ohw;
                    int dst = ((s0 + s) * g.o() + q) * ohw;
                    for (int i = 0; i < ohw; i++) {
                        y[dst + i] = out[src + i];
                    }
                }
            }
        }
        return y;
    }

    /**
     * Samples {@code s0 .. s0+b−1} of {@code [n, o, ohw]} as the first {@code b·ohw} columns of the
     * {@code [o, ld]} matrix of a batched product.
     */
    private static void gatherByChannel(float[] gradOut, int o, int ohw, int s0, int b, float[] out, int ld) {
        for (int q = 0; q < o; q++) {
            for (int s = 0; s < b; s++) {
                System.arraycopy(gradOut, ((s0 + s) * o + q) * ohw, out, q * ld + s * ohw, ohw);
            }
        }
    }

    /** Columns {@code from .. ld−1} of the first {@code rows} rows of a matrix of leading dimension {@code ld} set to 0. */
    private static void zeroColumns(float[] m, int rows, int ld, int from) {
        if (from < ld) {
            for (int r = 0; r < rows; r++) {
                Arrays.fill(m, r * ld + from, r * ld + ld, 0f);
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** {@link Convolution}'s im2col on floats: receptive fields as a block of the column matrix, padding as zero. */
    static void im2col(Conv2dGeometry g, float[] x, int xOff, float[] cols, int ld, int colOff) {
        if (g.sh() == 1 && g.sw() == 1 && g.ow() == g.w()) {
            im2colSame(g, x, xOff, cols, ld, colOff);
            return;
        }
        int h = g.h();
        int w = g.w();
        int oh = g.oh();
        int ow = g.ow();
        int sw = g.sw();
        int[] inside = Convolution.insideColumns(g);
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
                            Arrays.fill(cols, dst, dst + ow, 0f);
                            continue;
                        }
                        int src = plane + iy * w + ix0;
                        for (int ox = 0; ox < lo; ox++) {     // a padding column or two: cheaper than a fill call
                            cols[dst + ox] = 0f;
                        }
                        if (sw == 1) {
                            System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                cols[dst + ox] = x[src + ox * sw];
                            }
                        }
                        for (int ox = hi; ox < ow; ox++) {
                            cols[dst + ox] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** {@link Convolution}'s im2col for "same" unit-stride convolutions, one copy per row of the column matrix. */
    private static void im2colSame(Conv2dGeometry g, float[] x, int xOff, float[] cols, int ld, int colOff) {
        int h = g.h();
        int w = g.w();
        int oh = g.oh();
        int[] inside = Convolution.insideColumns(g);
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
                    Arrays.fill(cols, base, base + oyLo * w, 0f);
                    Arrays.fill(cols, base + oyHi * w, base + oh * w, 0f);
                    if (oyHi == oyLo || hi == lo) {
                        Arrays.fill(cols, base + oyLo * w, base + oyHi * w, 0f);
                        continue;
                    }
                    int first = base + oyLo * w + lo;
                    int last = base + (oyHi - 1) * w + hi;
                    int src = plane + (oyLo - g.ph() + ki) * w + lo + kj - g.pw();
                    System.arraycopy(x, src, cols, first, last - first);
                    for (int oy = oyLo; oy < oyHi; oy++) {
                        int dst = base + oy * w;
                        for (int ox = 0; ox < lo; ox++) {
                            cols[dst + ox] = 0f;
                        }
                        for (int ox = hi; ox < w; ox++) {
                            cols[dst + ox] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** Each element rounded to the nearest float. */
    static float[] narrowed(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
