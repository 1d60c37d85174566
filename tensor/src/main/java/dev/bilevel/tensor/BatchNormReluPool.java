package dev.bilevel.tensor;

import dev.bilevel.tensor.internal.Pooling;
import java.util.Arrays;

/**
 * Batch normalization with batch statistics, ReLU and non-overlapping max-pooling in one pass over
 * the feature map: the block of the conv-4 few-shot backbone (Vinyals et al. 2016; Finn et al.
 * 2017 §5.2), which as separate operations reads and writes the whole feature map about a dozen
 * times per forward and backward pass. For h {@code [N, C, H, W]}, statistics from the first
 * k = {@code statRows} examples (m = k·H·W values per channel; Ioffe &amp; Szegedy, ICML 2015,
 * Algorithm 1), window side p:
 *
 * <pre>
 *   μ_c = (1/m) Σ_{n&lt;k,i,j} h[n,c,i,j],   σ²_c = (1/m) Σ_{n&lt;k,i,j} (h[n,c,i,j] − μ_c)²,   s_c = 1/√(σ²_c + ε)
 *   x̂ = (h − μ_c)·s_c,   y = γ_c·x̂ + β_c,   out[n,c,i,j] = max(0, max_{u,v&lt;p} y[n,c,p·i+u,p·j+v])
 * </pre>
 *
 * with output {@code [N, C, ⌊H/p⌋, ⌊W/p⌋]}. A {@code BatchNormReluPool} is the <i>plan</i> of one
 * input: its statistics and, per output element, the flat input position of its window's largest
 * y: y is monotone in h, so that is the largest h, or the smallest when γ_c &lt; 0 (the first on
 * ties, as {@link Convolutions#maxPool2d}; the first position when γ_c = 0). The output is a gather at those
 * positions, so with ḡ = g·[out &gt; 0] (the gradient that passes the ReLU) and per channel
 * A_c = Σ ḡ, B_c = Σ ḡ·x̂ (over the output elements of channel c, x̂ at their positions):
 *
 * <pre>
 *   ∂⟨g, out⟩/∂β_c = A_c,   ∂⟨g, out⟩/∂γ_c = B_c,
 *   ∂⟨g, out⟩/∂h[j] = s_c·γ_c·( ḡ_j − [row(j) &lt; k]·(A_c + x̂_j·B_c)/m )
 * </pre>
 *
 * where ḡ_j is ḡ of the output element whose position is j, and 0 at every other input position.
 * Where a window's y are all ≤ 0 its output is 0 and its gradient 0, whichever position is kept.
 * Every method returns a fresh tensor and modifies none of its inputs.
 *
 * <pre>{@code
 * BatchNormReluPool plan = BatchNormReluPool.plan(h, gamma, beta, h.shape().dim(0), 2, 1e-5);
 * Tensor out = plan.forward(h, gamma, beta);
 * Tensor dh = plan.inputGrad(h, gamma, out, g);
 * }</pre>
 */
public final class BatchNormReluPool {
    private final int[] dims;
    private final int statRows;
    private final int pool;
    private final double eps;
    private final double[] mean;
    private final double[] invStd;
    private final int[] positions;
    private final double[] extremes;
    private final Shape outShape;
    /** The last {@link #sums(Tensor, Tensor)}; a cache, not state: any thread may replace it. */
    private volatile Sums lastSums;

    private BatchNormReluPool(int[] dims, int statRows, int pool, double eps, double[] mean, double[] invStd,
            int[] positions, double[] extremes, Shape outShape) {
        this.dims = dims;
        this.statRows = statRows;
        this.pool = pool;
        this.eps = eps;
        this.mean = mean;
        this.invStd = invStd;
        this.positions = positions;
        this.extremes = extremes;
        this.outShape = outShape;
    }

    /**
     * The statistics of h's first {@code statRows} examples and the window maxima of y.
     *
     * @param h        the NCHW feature map
     * @param gamma    γ, {@code [C]}
     * @param beta     β, {@code [C]}
     * @param statRows k, 1 ≤ k ≤ N
     * @param pool     the window side and stride p ≥ 1, at most H and W
     * @param eps      ε &gt; 0
     * @throws IllegalArgumentException naming the shapes or values that do not fit
     */
    public static BatchNormReluPool plan(Tensor h, Tensor gamma, Tensor beta, int statRows, int pool, double eps) {
        int[] d = h.shape.dims();
        int[] od = Pooling.outputDims("batchNormReluPool", d, pool, pool);
        Shape channels = Shape.of(d[1]);
        if (!gamma.shape.equals(channels) || !beta.shape.equals(channels)) {
            throw new IllegalArgumentException("batchNormReluPool: gamma " + gamma.shape + " and beta " + beta.shape
                    + " must both be " + channels + " for input " + h.shape);
        }
        if (statRows < 1 || statRows > d[0] || !(eps > 0)) {
            throw new IllegalArgumentException("batchNormReluPool: need 1 <= statRows <= " + d[0] + " and eps > 0, got "
                    + statRows + " and " + eps);
        }
        int c = d[1];
        int hw = d[2] * d[3];
        int per = od[2] * od[3];
        double[] s1 = new double[c];
        double[] s2 = new double[c];
        int[] positions = new int[d[0] * c * per];
        double[] extremes = new double[positions.length];
        for (int plane = 0; plane < d[0] * c; plane++) {
            int ch = plane % c;
            if (plane / c < statRows) {
                accumulate(h.data, plane * hw, hw, h.data[ch * hw], ch, s1, s2);
            }
            double sign = Math.signum(gamma.data[ch]);
            windows(h.data, plane * hw, d[3], od[2], od[3], pool, sign, positions, extremes, plane * per);
        }
        double m = (double) statRows * hw;
        double[] mean = new double[c];
        double[] invStd = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double shifted = s1[ch] / m;
            mean[ch] = h.data[ch * hw] + shifted;
            invStd[ch] = 1 / Math.sqrt(Math.max(0, s2[ch] / m - shifted * shifted) + eps);
        }
        return new BatchNormReluPool(d, statRows, pool, eps, mean, invStd, positions, extremes, Shape.of(od));
    }

    /**
     * Adds Σ(h − shift) and Σ(h − shift)² over one plane to channel {@code ch}'s sums: shifting by
     * the channel's first value keeps a large mean from cancelling the variance's digits (Chan,
     * Golub &amp; LeVeque, "Algorithms for computing the sample variance", 1983); four partial sums per
     * sum keep the additions independent.
     */
    private static void accumulate(double[] h, int off, int len, double shift, int ch, double[] s1, double[] s2) {
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double b3 = 0;
        int j = off;
        for (; j + 3 < off + len; j += 4) {
            double u0 = h[j] - shift;
            double u1 = h[j + 1] - shift;
            double u2 = h[j + 2] - shift;
            double u3 = h[j + 3] - shift;
            a0 += u0;
            a1 += u1;
            a2 += u2;
            a3 += u3;
            b0 += u0 * u0;
            b1 += u1 * u1;
            b2 += u2 * u2;
            b3 += u3 * u3;
        }
        for (; j < off + len; j++) {
            double u = h[j] - shift;
            a0 += u;
            b0 += u * u;
        }
        s1[ch] += (a0 + a1) + (a2 + a3);
        s2[ch] += (b0 + b1) + (b2 + b3);
    }

    /**
     * The window positions of one plane: y = γ·(h − μ)·s + β is increasing in h when γ &gt; 0 and
     * decreasing when γ &lt; 0, so its largest value sits at the largest h (the smallest when
     * γ &lt; 0; the first position when γ = 0 and all y are equal); the first such position on
     * ties, the first NaN if any. Writes the positions and the values of h there.
     */
    private static void windows(double[] h, int base, int w, int oh, int ow, int p, double sign, int[] pos,
            double[] ext, int o) {
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++, o++) {
                int first = base + oy * p * w + ox * p;
                int at = p == 2 && sign != 0 ? largestOfFour(h, first, w, sign) : largestOfWindow(h, first, w, p, sign);
                pos[o] = at;
                ext[o] = h[at];
            }
        }
    }

    /**
     * {@link #largestOfWindow} of a 2×2 window with {@code Math.max} and integer selections, which
     * compile without branches (a branch per comparison mispredicts half the time on feature maps);
     * windows with a NaN take the general path.
     */
    private static int largestOfFour(double[] h, int first, int w, double sign) {
        double y0 = sign * h[first];
        double y1 = sign * h[first + 1];
        double y2 = sign * h[first + w];
        double y3 = sign * h[first + w + 1];
        int top = y1 > y0 ? 1 : 0;             // strict: the earlier element wins ties
        int bottom = y3 > y2 ? w + 1 : w;
        double topMax = Math.max(y0, y1);
        double bottomMax = Math.max(y2, y3);
        if (topMax != topMax || bottomMax != bottomMax) {
            return largestOfWindow(h, first, w, 2, sign);
        }
        return first + (bottomMax > topMax ? bottom : top);
    }

    /** The first position of the largest sign·h in the p×p window at {@code first}, or of its first NaN. */
    private static int largestOfWindow(double[] h, int first, int w, int p, double sign) {
        int best = first;
        double bv = sign * h[first];
        for (int u = 0; u < p && bv == bv; u++) {
            int row = first + u * w;
            for (int v = 0; v < p; v++) {
                double y = sign * h[row + v];
                if (y > bv || y != y) {
                    bv = y;
                    best = row + v;
                    if (y != y) {
                        break;
                    }
                }
            }
        }
        return best;
    }

    /** The output {@code [N, C, ⌊H/p⌋, ⌊W/p⌋]}; h, γ and β must be the ones the plan was made from. */
    public Tensor forward(Tensor h, Tensor gamma, Tensor beta) {
        double[] out = new double[positions.length];
        int per = outShape.dim(2) * outShape.dim(3);
        int c = dims[1];
        for (int plane = 0; plane < dims[0] * c; plane++) {
            int ch = plane % c;
            double g = gamma.data[ch];
            double b = beta.data[ch];
            double mu = mean[ch];
            double s = invStd[ch];
            for (int q = plane * per; q < (plane + 1) * per; q++) {
                out[q] = Math.max(g * ((extremes[q] - mu) * s) + b, 0.0);
            }
        }
        return Tensor.wrap(outShape, out);
    }

    /** ∂⟨g, out⟩/∂β = A, {@code [C]}; {@code out} is {@link #forward}'s result, g has its shape. */
    public Tensor betaGrad(Tensor out, Tensor g) {
        checkCotangent(out, g);
        return Tensor.wrap(Shape.of(dims[1]), sums(out, g)[0].clone());
    }

    /** ∂⟨g, out⟩/∂γ = B, {@code [C]}. */
    public Tensor gammaGrad(Tensor out, Tensor g) {
        checkCotangent(out, g);
        return Tensor.wrap(Shape.of(dims[1]), sums(out, g)[1].clone());
    }

    /** ∂⟨g, out⟩/∂h, of h's shape. */
    public Tensor inputGrad(Tensor h, Tensor gamma, Tensor out, Tensor g) {
        checkCotangent(out, g);
        double[][] ab = sums(out, g);
        int c = dims[1];
        int hw = dims[2] * dims[3];
        double m = (double) statRows * hw;
        double[] dh = new double[h.data.length];
        for (int n = 0; n < statRows; n++) {
            for (int ch = 0; ch < c; ch++) {
                // −(s·γ/m)·(A + (h − μ)·s·B), as c0 + c1·h: one multiply-add per element.
                double k = invStd[ch] * gamma.data[ch] / m;
                double c1 = -k * invStd[ch] * ab[1][ch];
                double c0 = -k * ab[0][ch] - c1 * mean[ch];
                int off = (n * c + ch) * hw;
                for (int j = off; j < off + hw; j++) {
                    dh[j] = c0 + c1 * h.data[j];
                }
            }
        }
        int per = outShape.dim(2) * outShape.dim(3);
        for (int plane = 0; plane < dims[0] * c; plane++) {
            double k = invStd[plane % c] * gamma.data[plane % c];
            for (int q = plane * per; q < (plane + 1) * per; q++) {
                dh[positions[q]] += k * g.data[q] * passes(out.data[q]);
            }
        }
        return Tensor.wrap(h.shape, dh);
    }

    /**
     * A (row 0) and B (row 1) per channel, kept for the cotangent they were computed for: a backward
     * pass asks for the three VJPs of a node with the same cotangent one after another.
     */
    private double[][] sums(Tensor out, Tensor g) {
        Sums last = lastSums;
        if (last != null && last.out == out && last.g == g) {
            return last.ab;
        }
        double[][] ab = computeSums(out, g);
        lastSums = new Sums(out, g, ab);
        return ab;
    }

    /** The sums of one cotangent (immutable, so that a thread reading {@link #lastSums} sees them whole). */
    private record Sums(Tensor out, Tensor g, double[][] ab) {
    }

    private double[][] computeSums(Tensor out, Tensor g) {
        int c = dims[1];
        int per = outShape.dim(2) * outShape.dim(3);
        double[] a = new double[c];
        double[] b = new double[c];
        for (int plane = 0; plane < dims[0] * c; plane++) {
            int ch = plane % c;
            double sa = 0;
            double sb = 0;
            for (int q = plane * per; q < (plane + 1) * per; q++) {
                double passed = g.data[q] * passes(out.data[q]);
                sa += passed;
                sb += passed * ((extremes[q] - mean[ch]) * invStd[ch]);
            }
            a[ch] += sa;
            b[ch] += sb;
        }
        return new double[][] {a, b};
    }

    /**
     * 1 when {@code out > 0} (a positive number or +∞), else 0 (zero, negative, NaN), from the bits:
     * a selection between doubles would compile to a branch that mispredicts half the time.
     */
    private static double passes(double out) {
        long bits = Double.doubleToRawLongBits(out);
        return (-bits & (bits - 0x7ff0000000000001L)) >>> 63;
    }

    private void checkCotangent(Tensor out, Tensor g) {
        if (!out.shape.equals(outShape) || !g.shape.equals(outShape)) {
            throw new IllegalArgumentException("batchNormReluPool: output " + out.shape + " and cotangent " + g.shape
                    + " must both be " + outShape);
        }
    }

    /** The output shape {@code [N, C, ⌊H/p⌋, ⌊W/p⌋]}. */
    public Shape outputShape() {
        return outShape;
    }

    /** k, the examples the statistics come from. */
    public int statRows() {
        return statRows;
    }

    /** The flat input position of each output element's window maximum, in output order (a copy). */
    public int[] positions() {
        return positions.clone();
    }

    /** ε, added to the variance. */
    public double eps() {
        return eps;
    }

    @Override
    public String toString() {
        return "BatchNormReluPool" + Arrays.toString(dims) + " statRows " + statRows + " pool " + pool;
    }
}
