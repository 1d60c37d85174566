package dev.bilevel.tensor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Vector API kernels against the plain-Java kernels (the 1e-12 relative agreement),
 * and the plain kernels against a naive triple loop written here. Surefire runs with
 * {@code --add-modules jdk.incubator.vector}, so the vector kernels must be present.
 */
class KernelsAgreementTest {
    private static final double EPS = Math.ulp(1.0);
    private static final Kernels PLAIN = PlainKernels.INSTANCE;

    private static Kernels vector() {
        Kernels v = KernelProvider.vector();
        assertThat(v).as("VectorKernels must load when jdk.incubator.vector is in the boot layer").isNotNull();
        return v;
    }

    static Stream<Arguments> shapes() {
        SplittableRandom rnd = new SplittableRandom(2024);
        List<Arguments> out = new ArrayList<>();
        int[][] fixed = {{1, 1, 1}, {1, 70, 1}, {70, 1, 70}, {10, 40, 1}, {10, 40, 40}, {40, 40, 10},
            {23, 25, 27}, {24, 24, 24}, {49, 50, 48}, {64, 64, 64}, {70, 69, 68}, {5, 3, 300}, {9, 10, 300}, {256, 256, 256}, {33, 150, 600}, {128, 96, 20}, {129, 97, 530}};
        for (int[] s : fixed) {
            for (int t = 0; t < 4; t++) {
                out.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
            }
        }
        for (int i = 0; i < 40; i++) {
            out.add(Arguments.of(1 + rnd.nextInt(70), 1 + rnd.nextInt(70), 1 + rnd.nextInt(70),
                    rnd.nextBoolean(), rnd.nextBoolean()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("shapes")
    void vectorGemmAgreesWithPlainToOneEMinus12(int m, int n, int k, boolean transA, boolean transB) {
        SplittableRandom rnd = new SplittableRandom(31L * m + 7L * n + k);
        int aOff = 3;
        int bOff = 5;
        int cOff = 7;
        double[] a = random(rnd, aOff + m * k);
        double[] b = random(rnd, bOff + k * n);
        double[] cPlain = random(rnd, cOff + m * n + 4);
        double[] cVector = cPlain.clone();
        PLAIN.gemm(transA, transB, m, n, k, a, aOff, b, bOff, cPlain, cOff);
        vector().gemm(transA, transB, m, n, k, a, aOff, b, bOff, cVector, cOff);

        double maxC = 0;
        double maxDiff = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double p = cPlain[cOff + i * n + j];
                double v = cVector[cOff + i * n + j];
                maxC = Math.max(maxC, Math.abs(p));
                maxDiff = Math.max(maxDiff, Math.abs(p - v));
                // Elementwise: both are dot products of length k, each within k·eps·(|A||B|)ij of the exact value.
                double bound = 2 * k * EPS * absProduct(a, aOff, b, bOff, m, n, k, transA, transB, i, j) + 1e-300;
                assertThat(Math.abs(p - v)).as("C[%d,%d]", i, j).isLessThanOrEqualTo(bound);
            }
        }
        assertThat(maxDiff).isLessThanOrEqualTo(1e-12 * maxC);
        for (int i = 0; i < cOff; i++) {
            assertThat(cVector[i]).as("before the output block").isEqualTo(cPlain[i]);
        }
        for (int i = cOff + m * n; i < cPlain.length; i++) {
            assertThat(cVector[i]).as("after the output block").isEqualTo(cPlain[i]);
        }
    }

    /**
     * Oracle: the chain of fused multiply-adds s ← fma(A_ip, B_pj, s) over p = 0…k−1 from s = 0,
     * written here. The small-product path of the vector kernels promises each element exactly these
     * bits, whichever register tile (five, three, two or one vectors of columns, four, two or one
     * rows) or scalar tail computes it; callers rely on it for results that do not depend on a
     * matrix's height (e.g. one task's rows among others).
     */
    @Test
    void vectorSmallProductsGiveEachElementTheBitsOfItsOwnFmaChain() {
        SplittableRandom rnd = new SplittableRandom(77);
        for (int m : new int[] {1, 2, 3, 4, 5, 7, 10}) {
            for (int n : new int[] {2, 8, 16, 24, 40, 41, 48, 64, 70}) {
                for (int k : new int[] {1, 10, 40}) {
                    for (boolean transA : new boolean[] {false, true}) {
                        double[] a = random(rnd, m * k);
                        double[] b = random(rnd, k * n);
                        double[] c = new double[m * n];
                        vector().gemm(transA, false, m, n, k, a, 0, b, 0, c, 0);
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double s = 0;
                                for (int p = 0; p < k; p++) {
                                    s = Math.fma(transA ? a[p * m + i] : a[i * k + p], b[p * n + j], s);
                                }
                                assertThat(c[i * n + j]).as("%dx%dx%d transA=%s C[%d,%d]", m, n, k, transA, i, j)
                                        .isEqualTo(s);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Both sgemm implementations against the float64 product of the same floats (the oracle), within
     * the float32 dot-product bound {@code k·2⁻²⁴·(|A||B|)ᵢⱼ} with a factor 2 to spare; entries outside
     * the output block untouched.
     */
    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("shapes")
    void sgemmIsWithinTheFloat32BoundOfTheExactProduct(int m, int n, int k, boolean transA, boolean transB) {
        SplittableRandom rnd = new SplittableRandom(13L * m + 5L * n + k);
        int aOff = 2;
        int bOff = 4;
        int cOff = 6;
        double[] a = floats(random(rnd, aOff + m * k));
        double[] b = floats(random(rnd, bOff + k * n));
        double[] exact = new double[m * n];
        PLAIN.gemm(transA, transB, m, n, k, a, aOff, b, bOff, exact, 0);
        for (Kernels kern : new Kernels[] {PLAIN, vector()}) {
            float[] c = new float[cOff + m * n + 3];
            java.util.Arrays.fill(c, 7f);
            kern.sgemm(transA, transB, m, n, k, narrow(a), aOff, narrow(b), bOff, c, cOff);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double bound = 2 * k * Math.scalb(1.0, -24) * absProduct(a, aOff, b, bOff, m, n, k, transA, transB, i, j)
                            + 1e-300;
                    assertThat(Math.abs(c[cOff + i * n + j] - exact[i * n + j])).as("%s C[%d,%d]", kern.name(), i, j)
                            .isLessThanOrEqualTo(bound);
                }
            }
            for (int i = 0; i < cOff; i++) {
                assertThat(c[i]).as("%s before the output block", kern.name()).isEqualTo(7f);
            }
            for (int i = cOff + m * n; i < c.length; i++) {
                assertThat(c[i]).as("%s after the output block", kern.name()).isEqualTo(7f);
            }
        }
    }

    /** Each element rounded to float (and back): operands that float32 kernels see exactly. */
    private static double[] floats(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) x[i];
        }
        return out;
    }

    private static float[] narrow(double[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) x[i];
        }
        return out;
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("shapes")
    void plainGemmMatchesNaiveTripleLoop(int m, int n, int k, boolean transA, boolean transB) {
        SplittableRandom rnd = new SplittableRandom(17L * m + n + 101L * k);
        double[] a = random(rnd, m * k);
        double[] b = random(rnd, k * n);
        double[] c = new double[m * n];
        PLAIN.gemm(transA, transB, m, n, k, a, 0, b, 0, c, 0);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[p * m + i] : a[i * k + p];
                    double bpj = transB ? b[j * k + p] : b[p * n + j];
                    s += aip * bpj;
                }
                double bound = 2 * k * EPS * absProduct(a, 0, b, 0, m, n, k, transA, transB, i, j) + 1e-300;
                assertThat(Math.abs(c[i * n + j] - s)).isLessThanOrEqualTo(bound);
            }
        }
    }

    @Test
    void emptyInnerDimensionGivesZerosAndEmptyOutputsAreNoOps() {
        for (Kernels kern : new Kernels[] {PLAIN, vector()}) {
            for (int t = 0; t < 4; t++) {
                double[] c = {9, 9, 9, 9, 9, 9, 9};
                kern.gemm((t & 1) != 0, (t & 2) != 0, 2, 3, 0, new double[0], 0, new double[0], 0, c, 1);
                assertThat(c).containsExactly(9, 0, 0, 0, 0, 0, 0);
                double[] d = {9, 9};
                kern.gemm((t & 1) != 0, (t & 2) != 0, 0, 3, 4, new double[0], 0, new double[12], 0, d, 0);
                kern.gemm((t & 1) != 0, (t & 2) != 0, 3, 0, 4, new double[12], 0, new double[0], 0, d, 0);
                assertThat(d).containsExactly(9, 9);
            }
        }
    }

    @Test
    void vectorDotAgreesWithPlain() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int n = 0; n <= 70; n++) {
            double[] a = random(rnd, n + 2);
            double[] b = random(rnd, n + 3);
            double p = PLAIN.dot(a, 2, b, 3, n);
            double v = vector().dot(a, 2, b, 3, n);
            double abs = 0;
            for (int i = 0; i < n; i++) {
                abs += Math.abs(a[2 + i] * b[3 + i]);
            }
            assertThat(Math.abs(p - v)).as("n=%d", n).isLessThanOrEqualTo(2 * n * EPS * abs);
            assertThat(Math.abs(p - v)).as("n=%d", n).isLessThanOrEqualTo(1e-12 * Math.max(abs, Math.abs(p)));
        }
    }

    /** Each row's sum is a dot product: the same bound as {@link #vectorDotAgreesWithPlain}, added onto {@code out}. */
    @Test
    void vectorDotRowsAgreeWithPlainDots() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (int rows = 0; rows <= 9; rows++) {
            for (int n : new int[] {0, 1, 7, 8, 17, 64, 99}) {
                double[] a = random(rnd, n + 2);
                double[] b = random(rnd, rows * n + 3);
                double[] start = random(rnd, rows + 1);
                double[] v = start.clone();
                vector().addDotRows(a, 2, b, 3, rows, n, v, 1);
                assertThat(v[0]).isEqualTo(start[0]);
                for (int r = 0; r < rows; r++) {
                    double p = start[1 + r] + PLAIN.dot(a, 2, b, 3 + r * n, n);
                    double abs = Math.abs(start[1 + r]);
                    for (int i = 0; i < n; i++) {
                        abs += Math.abs(a[2 + i] * b[3 + r * n + i]);
                    }
                    assertThat(Math.abs(p - v[1 + r])).as("rows=%d n=%d r=%d", rows, n, r)
                            .isLessThanOrEqualTo(2 * (n + 1) * EPS * abs);
                }
            }
        }
    }

    @Test
    void elementwiseKernelsAreBitIdenticalToPlainAndToTheScalarDefinition() {
        SplittableRandom rnd = new SplittableRandom(9);
        Kernels v = vector();
        for (int n : new int[] {0, 1, 7, 31, 32, 33, 63, 64, 65, 100, 257}) {
            double[] a = random(rnd, n + 1);
            double[] b = random(rnd, n + 2);
            b[1] = 0.0;
            for (BinaryOp op : BinaryOp.values()) {
                double[] p = new double[n + 3];
                double[] q = new double[n + 3];
                PLAIN.binary(op, a, 1, b, 2, p, 3, n);
                v.binary(op, a, 1, b, 2, q, 3, n);
                assertThat(q).as("%s n=%d", op, n).containsExactly(p);
                for (int i = 0; i < n; i++) {
                    assertThat(Double.compare(p[3 + i], op.apply(a[1 + i], b[2 + i]))).isZero();
                }
                PLAIN.binaryScalar(op, a, 1, -0.375, p, 3, n);
                v.binaryScalar(op, a, 1, -0.375, q, 3, n);
                assertThat(q).as("%s scalar n=%d", op, n).containsExactly(p);
                for (int i = 0; i < n; i++) {
                    assertThat(Double.compare(p[3 + i], op.apply(a[1 + i], -0.375))).isZero();
                }
            }
            double[] p = new double[n];
            double[] q = new double[n];
            PLAIN.addScaled(a, 1, -0.3, b, 2, p, 0, n);
            v.addScaled(a, 1, -0.3, b, 2, q, 0, n);
            assertThat(q).containsExactly(p);
            for (int i = 0; i < n; i++) {
                assertThat(p[i]).isEqualTo(a[1 + i] + (-0.3 * b[2 + i]));
            }
        }
    }

    @Test
    void concurrentCallsUseSeparateScratchBuffers() throws Exception {
        Kernels v = vector();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Double>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int size = 90 + 37 * t;
                results.add(pool.submit(() -> {
                    SplittableRandom rnd = new SplittableRandom(size);
                    double[] a = random(rnd, size * size);
                    double[] b = random(rnd, size * size);
                    double[] expected = new double[size * size];
                    PLAIN.gemm(false, true, size, size, size, a, 0, b, 0, expected, 0);
                    double worst = 0;
                    for (int rep = 0; rep < 5; rep++) {
                        double[] c = new double[size * size];
                        v.gemm(false, true, size, size, size, a, 0, b, 0, c, 0);
                        for (int i = 0; i < c.length; i++) {
                            worst = Math.max(worst, Math.abs(c[i] - expected[i]));
                        }
                    }
                    return worst;
                }));
            }
            for (Future<Double> f : results) {
                assertThat(f.get()).isLessThan(1e-11);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void namesIdentifyThePath() {
        assertThat(PLAIN.name()).isEqualTo("plain");
        assertThat(vector().name()).isEqualTo("vector");
        boolean disabled = "false".equalsIgnoreCase(System.getProperty("bilevel.vector"));
        assertThat(KernelProvider.get().name()).isEqualTo(disabled ? "plain" : "vector");
    }

    private static double absProduct(double[] a, int aOff, double[] b, int bOff, int m, int n, int k,
                                     boolean transA, boolean transB, int i, int j) {
        double s = 0;
        for (int p = 0; p < k; p++) {
            double aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
            double bpj = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
            s += Math.abs(aip * bpj);
        }
        return s;
    }

    static double[] random(SplittableRandom rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        return x;
    }
}
