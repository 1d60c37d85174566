package dev.bilevel.tensor.internal;

/**
 * 3×3 convolution with unit stride and padding 1 by Winograd's minimal filtering algorithm
 * F(2×2, 3×3) (Lavin &amp; Gray, "Fast algorithms for convolutional neural networks", CVPR 2016):
 * each 2×2 block of outputs is {@code Aᵀ[(G·g·Gᵀ) ⊙ (Bᵀ·d·B)]A} for its 4×4 input patch d,
 * so that summed over input channels the element-wise products become 16 matrix products
 * {@code M_ξ = U_ξ·V_ξ} ({@code [o, c]·[c, tiles]}) with 16 multiplications per tile and channel
 * pair instead of 36: 2.25 times fewer than im2col.
 *
 * <pre>
 *   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]   Aᵀ = [1 1 1 0; 0 1 −1 −1]
 * </pre>
 *
 * The transforms only add, subtract and halve, so in double precision the result agrees with the
 * direct sum to a few units in the last place of the terms' magnitude.
 */
final class Winograd {
    /** Channels (in and out) from which the transforms pay for themselves. */
    static final int MIN_CHANNELS = 8;
    /**
     * 2×2 tiles per image from which they do: on conv-4's maps with 32 channels, 14×14 (49 tiles)
     * ran 12–15% faster than im2col, 7×7 (16 tiles) and 3×3 (4) ran slower.
     */
    static final int MIN_TILES = 36;

    /**
     * Doubles of the transformed-input array V ({@code [16, c, tiles]}) per group of images, and as
     * many for the products: at 512 KiB each they stay in a core's L2 cache between the transform
     * and the products. On conv-4's 14×14 maps with 32 channels and 100 images, four times as much
     * ran 9% slower in the forward pass and 3% in the weight gradient.
     */
    static final int TRANSFORM_BUDGET = 1 << 16;

    private Winograd() {
    }

    /**
     * The 2×2 tiles of a geometry's maps ({@code tilesH × tilesW}, {@code perImage} per map) and the
     * images per group, as many as {@link #TRANSFORM_BUDGET} allows, at least one.
     */
    private record Tiling(int tilesH, int tilesW, int perImage, int group) {
        static Tiling of(Conv2dGeometry g) {
            int tilesH = (g.h() + 1) / 2;
            int tilesW = (g.w() + 1) / 2;
            int perImage = tilesH * tilesW;
            int group = (int) Math.max(1, Math.min(g.n(), TRANSFORM_BUDGET / (16L * Math.max(g.c(), g.o()) * perImage)));
            return new Tiling(tilesH, tilesW, perImage, group);
        }

        /** A zero-bordered copy of one input plane, for {@link #inputTransform}. */
        double[] padded() {
            return new double[(2 * tilesH + 2) * (2 * tilesW + 2)];
        }

        /** Four rows of Bᵀ-combined input, for {@link #inputTransform}. */
        double[] rows() {
            return new double[4 * (2 * tilesW + 2)];
        }
    }

    /** Whether {@link #forward} computes this convolution: 3×3, unit stride, padding 1, enough channels and tiles. */
    static boolean applies(Conv2dGeometry g) {
        return g.kh() == 3 && g.kw() == 3 && g.sh() == 1 && g.sw() == 1 && g.ph() == 1 && g.pw() == 1
                && g.c() >= MIN_CHANNELS && g.o() >= MIN_CHANNELS && ((g.h() + 1) / 2) * ((g.w() + 1) / 2) >= MIN_TILES;
    }

    /** {@code y = conv2d(x, weight)} for a geometry that {@link #applies}; shapes as {@link Convolution#forward}. */
    static double[] forward(Kernels kern, Conv2dGeometry g, double[] x, double[] weight) {
        int c = g.c();
        int o = g.o();
        int h = g.h();
        int w = g.w();
        Tiling t = Tiling.of(g);
        int tilesW = t.tilesW;
        int perImage = t.perImage;
        int group = t.group;
        double[] u = filterTransform(weight, o, c);
        double[] y = new double[g.n() * o * h * w];
        double[] v = new double[16 * c * group * perImage];
        double[] m = new double[16 * o * group * perImage];
        double[] padded = t.padded();
        double[] rows = t.rows();
        for (int s0 = 0; s0 < g.n(); s0 += group) {
            int b = Math.min(group, g.n() - s0);
            int tiles = b * perImage;
            for (int s = 0; s < b; s++) {
                for (int ch = 0; ch < c; ch++) {
                    inputTransform(x, ((s0 + s) * c + ch) * h * w, h, w, tilesW, v, ch * tiles + s * perImage, c * tiles,
                            padded, rows);
                }
            }
            for (int xi = 0; xi < 16; xi++) {
                kern.gemm(false, false, o, tiles, c, u, xi * o * c, v, xi * c * tiles, m, xi * o * tiles);
            }
            for (int s = 0; s < b; s++) {
                for (int q = 0; q < o; q++) {
                    outputTransform(m, q * tiles + s * perImage, o * tiles, h, w, tilesW, y, ((s0 + s) * o + q) * h * w);
                }
            }
        }
        return y;
    }

    /**
     * The weight gradient of {@link #forward} for a geometry that {@link #applies}, shape
     * {@code [o, c, 3, 3]} as {@link Convolution#weightGrad}. The forward map is
     * {@code Y_t = Aᵀ(Σ_ch U[q, ch] ⊙ V_t[ch])A} per tile t, linear in each filter's U = G·g·Gᵀ, so
     * with the output gradient of each tile carried back as {@code M̄_t = A·Ȳ_t·Aᵀ} (zero where
     * the tile overhangs the map):
     * <pre>
     *   Ū_ξ[q, ch] = Σ_t M̄_ξ[q, t]·V_ξ[ch, t]  (16 products {@code [o, tiles]·[tiles, c]}),   ḡ = Gᵀ·Ū·G
     * </pre>
     * 16 multiplications per tile and channel pair instead of im2col's 36, as in the forward pass
     * (Lavin &amp; Gray 2016, §4 apply the same algorithm to the gradients).
     */
    static double[] weightGrad(Kernels kern, Conv2dGeometry g, double[] x, double[] gradOut) {
        int c = g.c();
        int o = g.o();
        int h = g.h();
        int w = g.w();
        Tiling t = Tiling.of(g);
        int tilesW = t.tilesW;
        int perImage = t.perImage;
        int group = t.group;
        double[] v = new double[16 * c * group * perImage];
        double[] mBar = new double[16 * o * group * perImage];
        double[] uBar = new double[16 * o * c];
        double[] part = new double[16 * o * c];
        double[] padded = t.padded();
        double[] rows = t.rows();
        for (int s0 = 0; s0 < g.n(); s0 += group) {
            int b = Math.min(group, g.n() - s0);
            int tiles = b * perImage;
            for (int s = 0; s < b; s++) {
                for (int ch = 0; ch < c; ch++) {
                    inputTransform(x, ((s0 + s) * c + ch) * h * w, h, w, tilesW, v, ch * tiles + s * perImage, c * tiles,
                            padded, rows);
                }
                for (int q = 0; q < o; q++) {
                    gradientTransform(gradOut, ((s0 + s) * o + q) * h * w, h, w, tilesW, mBar, q * tiles + s * perImage,
                            o * tiles);
                }
            }
            for (int xi = 0; xi < 16; xi++) {
                kern.gemm(false, true, o, c, tiles, mBar, xi * o * tiles, v, xi * c * tiles, part, xi * o * c);
            }
            for (int i = 0; i < part.length; i++) {
                uBar[i] += part[i];
            }
        }
        return filterGradient(uBar, o, c);
    }

    /**
     * M̄_t = A·Ȳ_t·Aᵀ for every tile of one output-gradient plane, Ȳ_t its 2×2 block at rows
     * 2·ty, 2·ty + 1 and columns 2·tx, 2·tx + 1 (zero outside the plane), with
     * {@code A = [1 0; 1 1; 1 −1; 0 −1]}; entry ξ of tile t lands at {@code m[at + ξ·stride + t]},
     * the layout {@link #outputTransform} reads.
     */
    private static void gradientTransform(double[] gradOut, int plane, int h, int w, int tilesW, double[] m, int at,
            int stride) {
        int tilesH = (h + 1) / 2;
        for (int ty = 0; ty < tilesH; ty++) {
            int r = 2 * ty;
            for (int tx = 0; tx < tilesW; tx++) {
                int col = 2 * tx;
                int base = plane + r * w + col;
                boolean right = col + 1 < w;
                boolean below = r + 1 < h;
                double p00 = gradOut[base];
                double p01 = right ? gradOut[base + 1] : 0;
                double p10 = below ? gradOut[base + w] : 0;
                double p11 = right && below ? gradOut[base + w + 1] : 0;
                int t = at + ty * tilesW + tx;
                // The rows of A·Ȳ are (p0·), (p0· + p1·), (p0· − p1·), (−p1·); each row (x, y) times Aᵀ is (x, x + y, x − y, −y).
                rowTimesAt(p00, p01, m, t, stride);
                rowTimesAt(p00 + p10, p01 + p11, m, t + 4 * stride, stride);
                rowTimesAt(p00 - p10, p01 - p11, m, t + 8 * stride, stride);
                rowTimesAt(-p10, -p11, m, t + 12 * stride, stride);
            }
        }
    }

    /** Writes the row {@code (x, y)·Aᵀ = (x, x + y, x − y, −y)} at {@code m[t]}, {@code m[t + stride]}, …. */
    private static void rowTimesAt(double x, double y, double[] m, int t, int stride) {
        m[t] = x;
        m[t + stride] = x + y;
        m[t + 2 * stride] = x - y;
        m[t + 3 * stride] = -y;
    }

    /**
     * ḡ = Gᵀ·Ū·G for each filter, Ū laid out {@code [16, o, c]} as {@link #filterTransform} writes U;
     * the adjoint of that transform. Returns {@code [o, c, 3, 3]}.
     */
    private static double[] filterGradient(double[] uBar, int o, int c) {
        double[] dw = new double[o * c * 9];
        double[] gu = new double[12];
        int oc = o * c;
        for (int q = 0; q < o; q++) {
            for (int ch = 0; ch < c; ch++) {
                int at = q * c + ch;
                for (int j = 0; j < 4; j++) {      // Gᵀ·Ū, 3×4: the columns of G are (1, ½, ½, 0), (0, ½, −½, 0), (0, ½, ½, 1)
                    double u0 = uBar[at + j * oc];
                    double u1 = uBar[at + (4 + j) * oc];
                    double u2 = uBar[at + (8 + j) * oc];
                    double u3 = uBar[at + (12 + j) * oc];
                    gu[j] = u0 + 0.5 * (u1 + u2);
                    gu[4 + j] = 0.5 * (u1 - u2);
                    gu[8 + j] = 0.5 * (u1 + u2) + u3;
                }
                int f = at * 9;
                for (int u = 0; u < 3; u++) {      // (Gᵀ·Ū)·G, 3×3
                    double a = gu[4 * u];
                    double b = gu[4 * u + 1];
                    double d = gu[4 * u + 2];
                    double e = gu[4 * u + 3];
                    dw[f + 3 * u] = a + 0.5 * (b + d);
                    dw[f + 3 * u + 1] = 0.5 * (b - d);
                    dw[f + 3 * u + 2] = 0.5 * (b + d) + e;
                }
            }
        }
        return dw;
    }

    /** U_ξ[q, ch] = (G·g·Gᵀ)_ξ for each 3×3 filter g = weight[q, ch], laid out {@code [16, o, c]}. */
    private static double[] filterTransform(double[] weight, int o, int c) {
        double[] u = new double[16 * o * c];
        double[] gg = new double[12];
        for (int q = 0; q < o; q++) {
            for (int ch = 0; ch < c; ch++) {
                int f = (q * c + ch) * 9;
                for (int j = 0; j < 3; j++) {      // G·g, 4×3
                    double g0 = weight[f + j];
                    double g1 = weight[f + 3 + j];
                    double g2 = weight[f + 6 + j];
                    gg[j] = g0;
                    gg[3 + j] = 0.5 * (g0 + g1 + g2);
                    gg[6 + j] = 0.5 * (g0 - g1 + g2);
                    gg[9 + j] = g2;
                }
                for (int i = 0; i < 4; i++) {      // (G·g)·Gᵀ, 4×4
                    double a = gg[3 * i];
                    double b = gg[3 * i + 1];
                    double d = gg[3 * i + 2];
                    int at = (4 * i) * o * c + q * c + ch;
                    u[at] = a;
                    u[at + o * c] = 0.5 * (a + b + d);
                    u[at + 2 * o * c] = 0.5 * (a - b + d);
                    u[at + 3 * o * c] = d;
                }
            }
        }
        return u;
    }

    /**
     * V_ξ for every tile of one input plane: the 4×4 patch at rows 2·ty − 1 … 2·ty + 2 and columns
     * 2·tx − 1 … 2·tx + 2 (zero outside the plane), transformed as Bᵀ·d·B; entry ξ of tile t lands at
     * {@code v[at + ξ·stride + t]}. The plane is copied into the zero-bordered {@code padded}
     * ({@code (2·tilesH + 2) × (2·tilesW + 2)}); Bᵀ is applied to whole rows (four row combinations
     * per tile row, loops the compiler vectorizes), then B to each tile's four columns, each ξ
     * written as a run along the tiles.
     */
    private static void inputTransform(double[] x, int plane, int h, int w, int tilesW, double[] v, int at,
            int stride, double[] padded, double[] rows) {
        int tilesH = (h + 1) / 2;
        int pw = 2 * tilesW + 2;
        for (int r = 0; r < h; r++) {               // short rows: a loop costs less than a copy call each
            for (int j = 0, src = plane + r * w, dst = (r + 1) * pw + 1; j < w; j++) {
                padded[dst + j] = x[src + j];
            }
        }
        for (int ty = 0; ty < tilesH; ty++) {
            int p0 = 2 * ty * pw;
            for (int j = 0; j < pw; j++) {         // Bᵀ along the columns: four combinations of four rows
                double a = padded[p0 + j];
                double b = padded[p0 + pw + j];
                double e = padded[p0 + 2 * pw + j];
                double f = padded[p0 + 3 * pw + j];
                rows[j] = a - e;
                rows[pw + j] = b + e;
                rows[2 * pw + j] = e - b;
                rows[3 * pw + j] = b - f;
            }
            int t0 = ty * tilesW;
            for (int i = 0; i < 4; i++) {          // B along each row of the tiles: column combinations
                int q0 = i * pw;
                int b0 = at + 4 * i * stride + t0;
                for (int tx = 0; tx < tilesW; tx++) {
                    int q = q0 + 2 * tx;
                    double a = rows[q];
                    double b = rows[q + 1];
                    double e = rows[q + 2];
                    double f = rows[q + 3];
                    v[b0 + tx] = a - e;
                    v[b0 + stride + tx] = b + e;
                    v[b0 + 2 * stride + tx] = e - b;
                    v[b0 + 3 * stride + tx] = b - f;
                }
            }
        }
    }

    /**
     * One output plane from the products: for each tile, Aᵀ·m·A with m_ξ at {@code m[at + ξ·stride + t]}
     * written to the 2×2 block at rows
     * 2·ty, 2·ty + 1 and columns 2·tx, 2·tx + 1 that lie inside.
     */
    private static void outputTransform(double[] m, int at, int stride, int h, int w, int tilesW, double[] y,
            int plane) {
        int tilesH = (h + 1) / 2;
        for (int ty = 0; ty < tilesH; ty++) {
            for (int tx = 0; tx < tilesW; tx++) {
                int t = at + ty * tilesW + tx;
                // The two rows of Aᵀ·m: top_j = m_0j + m_1j + m_2j, bottom_j = m_1j − m_2j − m_3j.
                double top0 = m[t] + m[t + 4 * stride] + m[t + 8 * stride];
                double top1 = m[t + stride] + m[t + 5 * stride] + m[t + 9 * stride];
                double top2 = m[t + 2 * stride] + m[t + 6 * stride] + m[t + 10 * stride];
                double top3 = m[t + 3 * stride] + m[t + 7 * stride] + m[t + 11 * stride];
                double bottom0 = m[t + 4 * stride] - m[t + 8 * stride] - m[t + 12 * stride];
                double bottom1 = m[t + 5 * stride] - m[t + 9 * stride] - m[t + 13 * stride];
                double bottom2 = m[t + 6 * stride] - m[t + 10 * stride] - m[t + 14 * stride];
                double bottom3 = m[t + 7 * stride] - m[t + 11 * stride] - m[t + 15 * stride];
                int r = 2 * ty;
                int col = 2 * tx;
                int base = plane + r * w + col;
                y[base] = top0 + top1 + top2;
                if (col + 1 < w) {
                    y[base + 1] = top1 - top2 - top3;
                }
                if (r + 1 < h) {
                    y[base + w] = bottom0 + bottom1 + bottom2;
                    if (col + 1 < w) {
                        y[base + w + 1] = bottom1 - bottom2 - bottom3;
                    }
                }
            }
        }
    }
}
