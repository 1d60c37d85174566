package dev.bilevel.tensor.internal;

/**
 * 2-D convolution (cross-correlation, as in every deep-learning framework) and its two
 * gradients by im2col and matrix products (Chellapilla, Puri and Simard, "High performance
 * convolutional neural networks for document processing", 2006).
 *
 * <p>For one sample, {@code im2col} lays the receptive fields out as a matrix X of shape
 * {@code [c·kh·kw, oh·ow]}; with the weight W viewed as {@code [o, c·kh·kw]}:
 * <ul>
 *   <li>forward: {@code Y = W·X};</li>
 *   <li>input gradient: {@code col2im(Wᵀ·G)}, where {@code col2im} is the adjoint of {@code im2col}
 *       (a transposed convolution);</li>
 *   <li>weight gradient: {@code Σ_samples G·Xᵀ}.</li>
 * </ul>
 * The matrix products run on {@link KernelProvider#get()} (or given kernels), with transposes read
 * in place. A 1×1
 * kernel with unit stride and no padding skips im2col (X is the sample itself).
 *
 * <p>Every method returns a fresh array and modifies none of its inputs.
 */
public final class Convolution {
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
        boolean direct = isPointwise(g);
        double[] cols = direct ? null : new double[ckk * ohw];
        for (int s = 0; s < g.n(); s++) {
            if (direct) {
                kern.gemm(false, false, g.o(), ohw, ckk, weight, 0, x, s * chw, y, s * g.o() * ohw);
            } else {
                im2col(g, x, s * chw, cols);
                kern.gemm(false, false, g.o(), ohw, ckk, weight, 0, cols, 0, y, s * g.o() * ohw);
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
        boolean direct = isPointwise(g);
        double[] cols = direct ? null : new double[ckk * ohw];
        for (int s = 0; s < g.n(); s++) {
            if (direct) {
                kern.gemm(true, false, ckk, ohw, g.o(), weight, 0, gradOut, s * g.o() * ohw, dx, s * chw);
            } else {
                kern.gemm(true, false, ckk, ohw, g.o(), weight, 0, gradOut, s * g.o() * ohw, cols, 0);
                col2imAdd(g, cols, dx, s * chw);
            }
        }
        return dx;
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
        boolean direct = isPointwise(g);
        double[] cols = direct ? null : new double[ckk * ohw];
        double[] part = g.n() > 1 ? new double[dw.length] : dw;
        for (int s = 0; s < g.n(); s++) {
            double[] src = direct ? x : cols;
            int srcOff = direct ? s * chw : 0;
            if (!direct) {
                im2col(g, x, s * chw, cols);
            }
            kern.gemm(false, true, g.o(), ckk, ohw, gradOut, s * g.o() * ohw, src, srcOff, part, 0);
            if (part != dw) {
                for (int i = 0; i < dw.length; i++) {
                    dw[i] += part[i];
                }
            }
        }
        return dw;
    }

    private static boolean isPointwise(Conv2dGeometry g) {
        return g.kh() == 1 && g.kw() == 1 && g.sh() == 1 && g.sw() == 1 && g.ph() == 0 && g.pw() == 0;
    }

    /**
     * Receptive fields of the sample at {@code xOff} as a {@code [c·kh·kw, oh·ow]} matrix; padding
     * reads as zero. Modified: {@code cols}.
     */
    static void im2col(Conv2dGeometry g, double[] x, int xOff, double[] cols) {
        int h = g.h();
        int w = g.w();
        int oh = g.oh();
        int ow = g.ow();
        int row = 0;
        for (int ch = 0; ch < g.c(); ch++) {
            int plane = xOff + ch * h * w;
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    int base = row * oh * ow;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.sh() - g.ph() + ki;
                        int dst = base + oy * ow;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(cols, dst, dst + ow, 0.0);
                            continue;
                        }
                        int src = plane + iy * w;
                        for (int ox = 0, ix = kj - g.pw(); ox < ow; ox++, ix += g.sw()) {
                            cols[dst + ox] = ix >= 0 && ix < w ? x[src + ix] : 0.0;
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: adds each column entry back onto its input position. Modified: {@code dx}. */
    static void col2imAdd(Conv2dGeometry g, double[] cols, double[] dx, int xOff) {
        int h = g.h();
        int w = g.w();
        int oh = g.oh();
        int ow = g.ow();
        int row = 0;
        for (int ch = 0; ch < g.c(); ch++) {
            int plane = xOff + ch * h * w;
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    int base = row * oh * ow;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.sh() - g.ph() + ki;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int src = base + oy * ow;
                        int dst = plane + iy * w;
                        for (int ox = 0, ix = kj - g.pw(); ox < ow; ox++, ix += g.sw()) {
                            if (ix >= 0 && ix < w) {
                                dx[dst + ix] += cols[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
