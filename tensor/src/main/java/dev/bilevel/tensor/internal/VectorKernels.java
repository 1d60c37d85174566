package dev.bilevel.tensor.internal;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the incubating Vector API ({@code jdk.incubator.vector}), loaded by
 * {@link KernelProvider} only when that module is in the boot layer. Results agree with
 * {@link PlainKernels} up to rounding: fused multiply-adds and a blocked summation order change
 * the last bits, never more than the usual {@code k·eps·(|A||B|)ᵢⱼ} bound of a dot product of
 * length k.
 *
 * <p>The matrix product follows the GotoBLAS/BLIS decomposition (Goto and van de Geijn, "Anatomy
 * of high-performance matrix multiplication", ACM TOMS 34(3), 2008; Van Zee and van de Geijn,
 * "BLIS", ACM TOMS 41(3), 2015): blocks of {@code op(B)} (KC × NC) and {@code op(A)} (MC × KC) are
 * packed, zero-padded, into thread-local micro-panels in the order the micro-kernel reads them,
 * and a register-blocked micro-kernel accumulates an {@value VectorBlockedProducts#MR} × 3-vector tile of C
 * with fused multiply-adds ({@link VectorBlockedProducts}). Packing is where the four transpose combinations are handled: the
 * micro-kernel never sees a stride. Products too small to repay blocking (see
 * {@link #SMALL_FLOPS}) run a direct register-accumulating loop instead ({@link VectorSmallProducts}).
 *
 * <p>Same-shape elementwise sums, differences, products and quotients, and {@code a + α·b}, are
 * vectorized too; each element is one IEEE operation, so they are bit-identical to the plain loops.
 *
 * <p>Thread safety: stateless apart from per-thread scratch buffers; safe for concurrent use.
 */
public final class VectorKernels implements Kernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Up to this many multiply-adds ({@code m·n·k}) a direct loop is faster than the blocked path
     * (a transposed B is first packed whole into scratch, k × n): at these sizes packing into
     * micro-panels and zero-padded edge tiles cost more than the micro-kernel saves.
     */
    static final long SMALL_FLOPS = 63L * 63 * 63;
    /** Below this length, elementwise loops stay scalar: vector set-up would cost more than it saves. */
    static final int ELEMENTWISE_MIN = 32;
    /**
     * Depth from which {@code sgemm(false, true, …)} takes {@link VectorSingleDots} (rows read in
     * place, one reduction across lanes per entry) instead of packed panels: sixteen float
     * vectors. At 16 lanes and conv-4's weight-gradient shape (32 × 288) the two ran equally fast
     * at depth 256 and the dot products 1.5 times as fast at 784.
     */
    static final int DOTS_MIN_DEPTH = 16 * FloatVector.SPECIES_PREFERRED.length();

    /** Creates the kernels; called reflectively by {@link KernelProvider}. */
    public VectorKernels() {
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            Arrays.fill(c, cOff, cOff + m * n, 0.0);
            return;
        }
        if (n == 1 && !transA) {
            // Matrix-vector product: op(B) is a contiguous k-vector whether or not it is transposed.
            for (int i = 0; i < m; i++) {
                c[cOff + i] = dot(a, aOff + i * k, b, bOff, k);
            }
        } else if (m == 1 && !transA && transB) {
            // Row vector times Bᵀ: each output is a dot product of two contiguous rows.
            for (int j = 0; j < n; j++) {
                c[cOff + j] = dot(a, aOff, b, bOff + j * k, k);
            }
        } else if ((long) m * n * k <= SMALL_FLOPS) {
            if (transB) {
                VectorSmallProducts.direct(transA, m, n, k, a, aOff, VectorSmallProducts.transposedB(b, bOff, n, k), 0, c,
                        cOff);
            } else {
                VectorSmallProducts.direct(transA, m, n, k, a, aOff, b, bOff, c, cOff);
            }
        } else {
            VectorBlockedProducts.packed(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
        }
    }

    /** Always the blocked float32 path ({@link VectorSingleProducts}); empty and zero-depth products as {@link #gemm}. */
    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        if (!transA && transB && k >= DOTS_MIN_DEPTH) {
            VectorSingleDots.multiplyTransposed(m, n, k, a, aOff, b, bOff, c, cOff);
            return;
        }
        VectorSingleProducts.packed(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
    }

    @Override
    public double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        int i = 0;
        double s = 0;
        if (n >= L) {
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = DoubleVector.zero(S);
            for (; i <= n - 2 * L; i += 2 * L) {
                s0 = DoubleVector.fromArray(S, a, aOff + i).fma(DoubleVector.fromArray(S, b, bOff + i), s0);
                s1 = DoubleVector.fromArray(S, a, aOff + i + L).fma(DoubleVector.fromArray(S, b, bOff + i + L), s1);
            }
            if (i <= n - L) {
                s0 = DoubleVector.fromArray(S, a, aOff + i).fma(DoubleVector.fromArray(S, b, bOff + i), s0);
                i += L;
            }
            s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /** Four rows at a time (four independent accumulators, one load of {@code a} for four products), then one. */
    @Override
    public void addDotRows(double[] a, int aOff, double[] b, int bOff, int rows, int n, double[] out, int outOff) {
        int bound = n - n % L;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int b0 = bOff + r * n;
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            for (int i = 0; i < bound; i += L) {
                DoubleVector av = DoubleVector.fromArray(S, a, aOff + i);
                s0 = av.fma(DoubleVector.fromArray(S, b, b0 + i), s0);
                s1 = av.fma(DoubleVector.fromArray(S, b, b0 + n + i), s1);
                s2 = av.fma(DoubleVector.fromArray(S, b, b0 + 2 * n + i), s2);
                s3 = av.fma(DoubleVector.fromArray(S, b, b0 + 3 * n + i), s3);
            }
            double t0 = s0.reduceLanes(VectorOperators.ADD);
            double t1 = s1.reduceLanes(VectorOperators.ADD);
            double t2 = s2.reduceLanes(VectorOperators.ADD);
            double t3 = s3.reduceLanes(VectorOperators.ADD);
            for (int i = bound; i < n; i++) {
                double x = a[aOff + i];
                t0 += x * b[b0 + i];
                t1 += x * b[b0 + n + i];
                t2 += x * b[b0 + 2 * n + i];
                t3 += x * b[b0 + 3 * n + i];
            }
            out[outOff + r] += t0;
            out[outOff + r + 1] += t1;
            out[outOff + r + 2] += t2;
            out[outOff + r + 3] += t3;
        }
        for (; r < rows; r++) {
            out[outOff + r] += dot(a, aOff, b, bOff + r * n, n);
        }
    }

    @Override
    public void binary(BinaryOp op, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        if (n < ELEMENTWISE_MIN || !(op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL
                || op == BinaryOp.DIV)) {
            PlainKernels.INSTANCE.binary(op, a, aOff, b, bOff, out, outOff, n);
            return;
        }
        int bound = n - n % L;
        int i = 0;
        switch (op) {
            case ADD -> {
                for (; i < bound; i += L) {
                    DoubleVector.fromArray(S, a, aOff + i).add(DoubleVector.fromArray(S, b, bOff + i))
                            .intoArray(out, outOff + i);
                }
            }
            case SUB -> {
                for (; i < bound; i += L) {
                    DoubleVector.fromArray(S, a, aOff + i).sub(DoubleVector.fromArray(S, b, bOff + i))
                            .intoArray(out, outOff + i);
                }
            }
            case MUL -> {
                for (; i < bound; i += L) {
                    DoubleVector.fromArray(S, a, aOff + i).mul(DoubleVector.fromArray(S, b, bOff + i))
                            .intoArray(out, outOff + i);
                }
            }
            default -> {
                for (; i < bound; i += L) {
                    DoubleVector.fromArray(S, a, aOff + i).div(DoubleVector.fromArray(S, b, bOff + i))
                            .intoArray(out, outOff + i);
                }
            }
        }
        PlainKernels.INSTANCE.binary(op, a, aOff + i, b, bOff + i, out, outOff + i, n - i);
    }

    @Override
    public void binaryScalar(BinaryOp op, double[] a, int aOff, double s, double[] out, int outOff, int n) {
        if (n < ELEMENTWISE_MIN || !(op == BinaryOp.ADD || op == BinaryOp.MUL)) {
            PlainKernels.INSTANCE.binaryScalar(op, a, aOff, s, out, outOff, n);
            return;
        }
        int bound = n - n % L;
        int i = 0;
        DoubleVector sv = DoubleVector.broadcast(S, s);
        if (op == BinaryOp.ADD) {
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, a, aOff + i).add(sv).intoArray(out, outOff + i);
            }
        } else {
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, a, aOff + i).mul(sv).intoArray(out, outOff + i);
            }
        }
        PlainKernels.INSTANCE.binaryScalar(op, a, aOff + i, s, out, outOff + i, n - i);
    }

    @Override
    public void addScaled(double[] a, int aOff, double alpha, double[] b, int bOff, double[] out, int outOff, int n) {
        int i = 0;
        if (n >= ELEMENTWISE_MIN) {
            int bound = n - n % L;
            DoubleVector av = DoubleVector.broadcast(S, alpha);
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, a, aOff + i).add(DoubleVector.fromArray(S, b, bOff + i).mul(av))
                        .intoArray(out, outOff + i);
            }
        }
        PlainKernels.INSTANCE.addScaled(a, aOff + i, alpha, b, bOff + i, out, outOff + i, n - i);
    }

    @Override
    public String name() {
        return "vector";
    }
}
