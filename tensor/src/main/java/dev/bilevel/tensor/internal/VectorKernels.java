package dev.bilevel.tensor.internal;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
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
 * and a register-blocked micro-kernel accumulates an {@value #MR} × 3-vector tile of C with
 * fused multiply-adds. Packing is where the four transpose combinations are handled: the
 * micro-kernel never sees a stride. Products too small to repay blocking (see
 * {@link #SMALL_FLOPS}) run a direct register-accumulating loop instead.
 *
 * <p>Same-shape elementwise sums, differences, products and quotients, and {@code a + α·b}, are
 * vectorized too; each element is one IEEE operation, so they are bit-identical to the plain loops.
 *
 * <p>Thread safety: stateless apart from per-thread scratch buffers; safe for concurrent use.
 */
public final class VectorKernels implements Kernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the register tile of C. */
    static final int MR = 4;
    /** Columns of the register tile of C: three vectors. */
    static final int NR = 3 * L;
    /** Depth of a packed block: a KC × NR micro-panel of B stays in the L1 cache. */
    static final int KC = 256;
    /**
     * Depths up to which the whole of k is one block: one pass over each tile of C instead of a
     * second, short one (a convolution's c·3·3 = 288 would otherwise split into 256 + 32).
     */
    static final int KC_ONE_BLOCK = 384;
    /** Rows of a packed block of A (MC × KC stays in the L2 cache). */
    static final int MC = 128;
    /** Columns of a packed block of B. */
    static final int NC = 2048;
    /**
     * Up to this many multiply-adds ({@code m·n·k}) a direct loop is faster than the blocked path
     * (a transposed B is first packed whole into scratch, k × n): at these sizes packing into
     * micro-panels and zero-padded edge tiles cost more than the micro-kernel saves.
     */
    static final long SMALL_FLOPS = 63L * 63 * 63;
    /**
     * Whether {@link #direct} may use tiles five vectors wide (4 × 5 vectors: twenty accumulators,
     * five loads of B and a broadcast live at once): only with 512-bit vectors, whose instruction
     * set has 32 vector registers; with sixteen the tile would spill.
     */
    static final boolean FIVE_WIDE = S.vectorBitSize() >= 512;
    /** Below this length, elementwise loops stay scalar: vector set-up would cost more than it saves. */
    static final int ELEMENTWISE_MIN = 32;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

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
                direct(transA, m, n, k, a, aOff, transposedB(b, bOff, n, k), 0, c, cOff);
            } else {
                direct(transA, m, n, k, a, aOff, b, bOff, c, cOff);
            }
        } else {
            packed(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
        }
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

    // ------------------------------------------------------------------ direct (small) path

    /**
     * {@code C = op(A)·B} for B not transposed, without packing: four rows of C at a time (then
     * two, then one) are built five vectors of columns at a time where {@link #FIVE_WIDE} allows
     * ({@link #fourRowsFiveVectors}, {@link #twoRowsFiveVectors}, {@link #oneRowFiveVectors}:
     * a row of 40 doubles in one sweep over k), then three ({@link #fourRowsThreeVectors},
     * {@link #twoRowsThreeVectors}), then two, accumulated over k in registers
     * (each load of B feeds four fused multiply-adds, so the loads do not limit the arithmetic);
     * leftover columns are done one vector or one scalar at a time. Every element is the same
     * chain of fused multiply-adds over p = 0…k−1, whichever block computes it.
     */
    private static void direct(boolean transA, int m, int n, int k,
                               double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
        int aRow = transA ? 1 : k;
        int aCol = transA ? m : 1;
        int nv = n - n % L;
        int i = 0;
        for (; i + 3 < m; i += 4) {
            int a0 = aOff + i * aRow;
            int c0 = cOff + i * n;
            int j = 0;
            if (FIVE_WIDE) {
                for (; j <= nv - 5 * L; j += 5 * L) {
                    fourRowsFiveVectors(k, a, a0, aRow, aCol, b, bOff + j, n, c, c0 + j);
                }
            }
            for (; j <= nv - 3 * L; j += 3 * L) {
                fourRowsThreeVectors(k, a, a0, aRow, aCol, b, bOff + j, n, c, c0 + j);
            }
            for (; j <= nv - 2 * L; j += 2 * L) {
                DoubleVector r00 = DoubleVector.zero(S);
                DoubleVector r01 = r00;
                DoubleVector r10 = r00;
                DoubleVector r11 = r00;
                DoubleVector r20 = r00;
                DoubleVector r21 = r00;
                DoubleVector r30 = r00;
                DoubleVector r31 = r00;
                for (int p = 0, ap = a0, bp = bOff + j; p < k; p++, ap += aCol, bp += n) {
                    DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
                    DoubleVector b1 = DoubleVector.fromArray(S, b, bp + L);
                    DoubleVector x0 = DoubleVector.broadcast(S, a[ap]);
                    r00 = x0.fma(b0, r00);
                    r01 = x0.fma(b1, r01);
                    DoubleVector x1 = DoubleVector.broadcast(S, a[ap + aRow]);
                    r10 = x1.fma(b0, r10);
                    r11 = x1.fma(b1, r11);
                    DoubleVector x2 = DoubleVector.broadcast(S, a[ap + 2 * aRow]);
                    r20 = x2.fma(b0, r20);
                    r21 = x2.fma(b1, r21);
                    DoubleVector x3 = DoubleVector.broadcast(S, a[ap + 3 * aRow]);
                    r30 = x3.fma(b0, r30);
                    r31 = x3.fma(b1, r31);
                }
                r00.intoArray(c, c0 + j);
                r01.intoArray(c, c0 + j + L);
                r10.intoArray(c, c0 + n + j);
                r11.intoArray(c, c0 + n + j + L);
                r20.intoArray(c, c0 + 2 * n + j);
                r21.intoArray(c, c0 + 2 * n + j + L);
                r30.intoArray(c, c0 + 3 * n + j);
                r31.intoArray(c, c0 + 3 * n + j + L);
            }
            for (; j < nv; j += L) {
                DoubleVector r0 = DoubleVector.zero(S);
                DoubleVector r1 = r0;
                DoubleVector r2 = r0;
                DoubleVector r3 = r0;
                for (int p = 0, ap = a0, bp = bOff + j; p < k; p++, ap += aCol, bp += n) {
                    DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
                    r0 = DoubleVector.broadcast(S, a[ap]).fma(b0, r0);
                    r1 = DoubleVector.broadcast(S, a[ap + aRow]).fma(b0, r1);
                    r2 = DoubleVector.broadcast(S, a[ap + 2 * aRow]).fma(b0, r2);
                    r3 = DoubleVector.broadcast(S, a[ap + 3 * aRow]).fma(b0, r3);
                }
                r0.intoArray(c, c0 + j);
                r1.intoArray(c, c0 + n + j);
                r2.intoArray(c, c0 + 2 * n + j);
                r3.intoArray(c, c0 + 3 * n + j);
            }
            for (; j < n; j++) {
                for (int r = 0; r < 4; r++) {
                    double s = 0;
                    for (int p = 0, ap = a0 + r * aRow, bp = bOff + j; p < k; p++, ap += aCol, bp += n) {
                        s = Math.fma(a[ap], b[bp], s);
                    }
                    c[c0 + r * n + j] = s;
                }
            }
        }
        for (; i + 1 < m; i += 2) {
            int a0 = aOff + i * aRow;
            int a1 = a0 + aRow;
            int c0 = cOff + i * n;
            int c1 = c0 + n;
            int j = 0;
            if (FIVE_WIDE) {
                for (; j <= nv - 5 * L; j += 5 * L) {
                    twoRowsFiveVectors(k, a, a0, a1, aCol, b, bOff + j, n, c, c0 + j, c1 + j);
                }
            }
            for (; j <= nv - 3 * L; j += 3 * L) {
                twoRowsThreeVectors(k, a, a0, a1, aCol, b, bOff + j, n, c, c0 + j, c1 + j);
            }
            for (; j <= nv - 2 * L; j += 2 * L) {
                DoubleVector r00 = DoubleVector.zero(S);
                DoubleVector r01 = r00;
                DoubleVector r10 = r00;
                DoubleVector r11 = r00;
                for (int p = 0, ap = 0, bp = bOff + j; p < k; p++, ap += aCol, bp += n) {
                    DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
                    DoubleVector b1 = DoubleVector.fromArray(S, b, bp + L);
                    DoubleVector x0 = DoubleVector.broadcast(S, a[a0 + ap]);
                    DoubleVector x1 = DoubleVector.broadcast(S, a[a1 + ap]);
                    r00 = x0.fma(b0, r00);
                    r01 = x0.fma(b1, r01);
                    r10 = x1.fma(b0, r10);
                    r11 = x1.fma(b1, r11);
                }
                r00.intoArray(c, c0 + j);
                r01.intoArray(c, c0 + j + L);
                r10.intoArray(c, c1 + j);
                r11.intoArray(c, c1 + j + L);
            }
            for (; j < nv; j += L) {
                DoubleVector r0 = DoubleVector.zero(S);
                DoubleVector r1 = r0;
                for (int p = 0, ap = 0, bp = bOff + j; p < k; p++, ap += aCol, bp += n) {
                    DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
                    r0 = DoubleVector.broadcast(S, a[a0 + ap]).fma(b0, r0);
                    r1 = DoubleVector.broadcast(S, a[a1 + ap]).fma(b0, r1);
                }
                r0.intoArray(c, c0 + j);
                r1.intoArray(c, c1 + j);
            }
            for (; j < n; j++) {
                double s0 = 0;
                double s1 = 0;
                for (int p = 0, ap = 0, bp = bOff + j; p < k; p++, ap += aCol, bp += n) {
                    s0 = Math.fma(a[a0 + ap], b[bp], s0);
                    s1 = Math.fma(a[a1 + ap], b[bp], s1);
                }
                c[c0 + j] = s0;
                c[c1 + j] = s1;
            }
        }
        if (i < m) {
            int ai = aOff + i * aRow;
            int ci = cOff + i * n;
            int j = 0;
            if (FIVE_WIDE) {
                for (; j <= nv - 5 * L; j += 5 * L) {
                    oneRowFiveVectors(k, a, ai, aCol, b, bOff + j, n, c, ci + j);
                }
            }
            for (; j < nv; j += L) {
                DoubleVector acc = DoubleVector.zero(S);
                for (int p = 0, ap = ai, bp = bOff + j; p < k; p++, ap += aCol, bp += n) {
                    acc = DoubleVector.broadcast(S, a[ap]).fma(DoubleVector.fromArray(S, b, bp), acc);
                }
                acc.intoArray(c, ci + j);
            }
            for (; j < n; j++) {
                double s = 0;
                for (int p = 0, ap = ai, bp = bOff + j; p < k; p++, ap += aCol, bp += n) {
                    s = Math.fma(a[ap], b[bp], s);
                }
                c[ci + j] = s;
            }
        }
    }

    /**
     * The 4 × 3L tile of C at {@code c0} (rows {@code n} apart) of {@link #direct}: twelve
     * accumulators, so each k-step's three loads of B and four broadcasts of A feed twelve fused
     * multiply-adds; the same chain over p = 0…k−1 for every element as the narrower tiles.
     */
    private static void fourRowsThreeVectors(int k, double[] a, int a0, int aRow, int aCol, double[] b, int b0, int n,
                                             double[] c, int c0) {
        DoubleVector r00 = DoubleVector.zero(S);
        DoubleVector r01 = r00;
        DoubleVector r02 = r00;
        DoubleVector r10 = r00;
        DoubleVector r11 = r00;
        DoubleVector r12 = r00;
        DoubleVector r20 = r00;
        DoubleVector r21 = r00;
        DoubleVector r22 = r00;
        DoubleVector r30 = r00;
        DoubleVector r31 = r00;
        DoubleVector r32 = r00;
        for (int p = 0, ap = a0, bp = b0; p < k; p++, ap += aCol, bp += n) {
            DoubleVector b0v = DoubleVector.fromArray(S, b, bp);
            DoubleVector b1v = DoubleVector.fromArray(S, b, bp + L);
            DoubleVector b2v = DoubleVector.fromArray(S, b, bp + 2 * L);
            DoubleVector x = DoubleVector.broadcast(S, a[ap]);
            r00 = x.fma(b0v, r00);
            r01 = x.fma(b1v, r01);
            r02 = x.fma(b2v, r02);
            x = DoubleVector.broadcast(S, a[ap + aRow]);
            r10 = x.fma(b0v, r10);
            r11 = x.fma(b1v, r11);
            r12 = x.fma(b2v, r12);
            x = DoubleVector.broadcast(S, a[ap + 2 * aRow]);
            r20 = x.fma(b0v, r20);
            r21 = x.fma(b1v, r21);
            r22 = x.fma(b2v, r22);
            x = DoubleVector.broadcast(S, a[ap + 3 * aRow]);
            r30 = x.fma(b0v, r30);
            r31 = x.fma(b1v, r31);
            r32 = x.fma(b2v, r32);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r02.intoArray(c, c0 + 2 * L);
        r10.intoArray(c, c0 + n);
        r11.intoArray(c, c0 + n + L);
        r12.intoArray(c, c0 + n + 2 * L);
        r20.intoArray(c, c0 + 2 * n);
        r21.intoArray(c, c0 + 2 * n + L);
        r22.intoArray(c, c0 + 2 * n + 2 * L);
        r30.intoArray(c, c0 + 3 * n);
        r31.intoArray(c, c0 + 3 * n + L);
        r32.intoArray(c, c0 + 3 * n + 2 * L);
    }

    /**
     * The 4 × 5L tile of C at {@code c0} (rows {@code n} apart) of {@link #direct}: twenty
     * accumulators, so each k-step's five loads of B and four broadcasts of A feed twenty fused
     * multiply-adds; the same chain over p = 0…k−1 for every element as the narrower tiles.
     */
    private static void fourRowsFiveVectors(int k, double[] a, int a0, int aRow, int aCol, double[] b, int b0, int n,
                                            double[] c, int c0) {
        DoubleVector r00 = DoubleVector.zero(S);
        DoubleVector r01 = r00;
        DoubleVector r02 = r00;
        DoubleVector r03 = r00;
        DoubleVector r04 = r00;
        DoubleVector r10 = r00;
        DoubleVector r11 = r00;
        DoubleVector r12 = r00;
        DoubleVector r13 = r00;
        DoubleVector r14 = r00;
        DoubleVector r20 = r00;
        DoubleVector r21 = r00;
        DoubleVector r22 = r00;
        DoubleVector r23 = r00;
        DoubleVector r24 = r00;
        DoubleVector r30 = r00;
        DoubleVector r31 = r00;
        DoubleVector r32 = r00;
        DoubleVector r33 = r00;
        DoubleVector r34 = r00;
        for (int p = 0, ap = a0, bp = b0; p < k; p++, ap += aCol, bp += n) {
            DoubleVector b0v = DoubleVector.fromArray(S, b, bp);
            DoubleVector b1v = DoubleVector.fromArray(S, b, bp + L);
            DoubleVector b2v = DoubleVector.fromArray(S, b, bp + 2 * L);
            DoubleVector b3v = DoubleVector.fromArray(S, b, bp + 3 * L);
            DoubleVector b4v = DoubleVector.fromArray(S, b, bp + 4 * L);
            DoubleVector x = DoubleVector.broadcast(S, a[ap]);
            r00 = x.fma(b0v, r00);
            r01 = x.fma(b1v, r01);
            r02 = x.fma(b2v, r02);
            r03 = x.fma(b3v, r03);
            r04 = x.fma(b4v, r04);
            x = DoubleVector.broadcast(S, a[ap + aRow]);
            r10 = x.fma(b0v, r10);
            r11 = x.fma(b1v, r11);
            r12 = x.fma(b2v, r12);
            r13 = x.fma(b3v, r13);
            r14 = x.fma(b4v, r14);
            x = DoubleVector.broadcast(S, a[ap + 2 * aRow]);
            r20 = x.fma(b0v, r20);
            r21 = x.fma(b1v, r21);
            r22 = x.fma(b2v, r22);
            r23 = x.fma(b3v, r23);
            r24 = x.fma(b4v, r24);
            x = DoubleVector.broadcast(S, a[ap + 3 * aRow]);
            r30 = x.fma(b0v, r30);
            r31 = x.fma(b1v, r31);
            r32 = x.fma(b2v, r32);
            r33 = x.fma(b3v, r33);
            r34 = x.fma(b4v, r34);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r02.intoArray(c, c0 + 2 * L);
        r03.intoArray(c, c0 + 3 * L);
        r04.intoArray(c, c0 + 4 * L);
        r10.intoArray(c, c0 + n);
        r11.intoArray(c, c0 + n + L);
        r12.intoArray(c, c0 + n + 2 * L);
        r13.intoArray(c, c0 + n + 3 * L);
        r14.intoArray(c, c0 + n + 4 * L);
        r20.intoArray(c, c0 + 2 * n);
        r21.intoArray(c, c0 + 2 * n + L);
        r22.intoArray(c, c0 + 2 * n + 2 * L);
        r23.intoArray(c, c0 + 2 * n + 3 * L);
        r24.intoArray(c, c0 + 2 * n + 4 * L);
        r30.intoArray(c, c0 + 3 * n);
        r31.intoArray(c, c0 + 3 * n + L);
        r32.intoArray(c, c0 + 3 * n + 2 * L);
        r33.intoArray(c, c0 + 3 * n + 3 * L);
        r34.intoArray(c, c0 + 3 * n + 4 * L);
    }

    /**
     * The 2 × 5L tile of C (rows at {@code c0} and {@code c1}) of {@link #direct}, as
     * {@link #fourRowsFiveVectors} does four rows.
     */
    private static void twoRowsFiveVectors(int k, double[] a, int a0, int a1, int aCol, double[] b, int b0, int n,
                                           double[] c, int c0, int c1) {
        DoubleVector r00 = DoubleVector.zero(S);
        DoubleVector r01 = r00;
        DoubleVector r02 = r00;
        DoubleVector r03 = r00;
        DoubleVector r04 = r00;
        DoubleVector r10 = r00;
        DoubleVector r11 = r00;
        DoubleVector r12 = r00;
        DoubleVector r13 = r00;
        DoubleVector r14 = r00;
        for (int p = 0, ap = 0, bp = b0; p < k; p++, ap += aCol, bp += n) {
            DoubleVector b0v = DoubleVector.fromArray(S, b, bp);
            DoubleVector b1v = DoubleVector.fromArray(S, b, bp + L);
            DoubleVector b2v = DoubleVector.fromArray(S, b, bp + 2 * L);
            DoubleVector b3v = DoubleVector.fromArray(S, b, bp + 3 * L);
            DoubleVector b4v = DoubleVector.fromArray(S, b, bp + 4 * L);
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + ap]);
            r00 = x.fma(b0v, r00);
            r01 = x.fma(b1v, r01);
            r02 = x.fma(b2v, r02);
            r03 = x.fma(b3v, r03);
            r04 = x.fma(b4v, r04);
            x = DoubleVector.broadcast(S, a[a1 + ap]);
            r10 = x.fma(b0v, r10);
            r11 = x.fma(b1v, r11);
            r12 = x.fma(b2v, r12);
            r13 = x.fma(b3v, r13);
            r14 = x.fma(b4v, r14);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r02.intoArray(c, c0 + 2 * L);
        r03.intoArray(c, c0 + 3 * L);
        r04.intoArray(c, c0 + 4 * L);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + L);
        r12.intoArray(c, c1 + 2 * L);
        r13.intoArray(c, c1 + 3 * L);
        r14.intoArray(c, c1 + 4 * L);
    }

    /**
     * The 1 × 5L tile of C at {@code c0} of {@link #direct}: five independent chains, so the
     * latency of one fused multiply-add hides behind the other four.
     */
    private static void oneRowFiveVectors(int k, double[] a, int a0, int aCol, double[] b, int b0, int n,
                                          double[] c, int c0) {
        DoubleVector r0 = DoubleVector.zero(S);
        DoubleVector r1 = r0;
        DoubleVector r2 = r0;
        DoubleVector r3 = r0;
        DoubleVector r4 = r0;
        for (int p = 0, ap = a0, bp = b0; p < k; p++, ap += aCol, bp += n) {
            DoubleVector x = DoubleVector.broadcast(S, a[ap]);
            r0 = x.fma(DoubleVector.fromArray(S, b, bp), r0);
            r1 = x.fma(DoubleVector.fromArray(S, b, bp + L), r1);
            r2 = x.fma(DoubleVector.fromArray(S, b, bp + 2 * L), r2);
            r3 = x.fma(DoubleVector.fromArray(S, b, bp + 3 * L), r3);
            r4 = x.fma(DoubleVector.fromArray(S, b, bp + 4 * L), r4);
        }
        r0.intoArray(c, c0);
        r1.intoArray(c, c0 + L);
        r2.intoArray(c, c0 + 2 * L);
        r3.intoArray(c, c0 + 3 * L);
        r4.intoArray(c, c0 + 4 * L);
    }

    /**
     * The 2 × 3L tile of C (rows at {@code c0} and {@code c1}) of {@link #direct}, as
     * {@link #fourRowsThreeVectors} does four rows.
     */
    private static void twoRowsThreeVectors(int k, double[] a, int a0, int a1, int aCol, double[] b, int b0, int n,
                                            double[] c, int c0, int c1) {
        DoubleVector r00 = DoubleVector.zero(S);
        DoubleVector r01 = r00;
        DoubleVector r02 = r00;
        DoubleVector r10 = r00;
        DoubleVector r11 = r00;
        DoubleVector r12 = r00;
        for (int p = 0, ap = 0, bp = b0; p < k; p++, ap += aCol, bp += n) {
            DoubleVector b0v = DoubleVector.fromArray(S, b, bp);
            DoubleVector b1v = DoubleVector.fromArray(S, b, bp + L);
            DoubleVector b2v = DoubleVector.fromArray(S, b, bp + 2 * L);
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + ap]);
            r00 = x.fma(b0v, r00);
            r01 = x.fma(b1v, r01);
            r02 = x.fma(b2v, r02);
            x = DoubleVector.broadcast(S, a[a1 + ap]);
            r10 = x.fma(b0v, r10);
            r11 = x.fma(b1v, r11);
            r12 = x.fma(b2v, r12);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r02.intoArray(c, c0 + 2 * L);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + L);
        r12.intoArray(c, c1 + 2 * L);
    }

    /**
     * {@code op(B)} for a transposed B (stored n × k) packed row-major (k × n) into this thread's
     * scratch buffer, which is returned; only for small products (at most {@link #SMALL_FLOPS}).
     */
    private static double[] transposedB(double[] b, int bOff, int n, int k) {
        double[] bt = SCRATCH.get().b(k * n);
        for (int p = 0; p < k; p++) {
            for (int j = 0, dst = p * n, src = bOff + p; j < n; j++, src += k) {
                bt[dst + j] = b[src];
            }
        }
        return bt;
    }

    // ------------------------------------------------------------------ packed (blocked) path

    /** The blocked path: {@code C = op(A)·op(B)} through packed panels (loop order jc, pc, ic, jr, ir). */
    private static void packed(boolean transA, boolean transB, int m, int n, int k,
                               double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
        Scratch s = SCRATCH.get();
        int ncMax = Math.min(NC, n);
        int depth = k <= KC_ONE_BLOCK ? k : KC;
        int kcMax = Math.min(depth, k);
        int mcMax = Math.min(MC, m);
        double[] bp = s.b(kcMax * roundUp(ncMax, NR));
        double[] ap = s.a(kcMax * roundUp(mcMax, MR));
        double[] tile = s.tile;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += depth) {
                int kc = Math.min(depth, k - pc);
                Packing.packB(transB, b, bOff, n, k, pc, kc, jc, nc, NR, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    Packing.packA(transA, a, aOff, m, k, ic, mc, pc, kc, MR, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int bo = (jr / NR) * kc * NR;
                        int cols = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int co = cOff + (ic + ir) * n + jc + jr;
                            kernel(kc, ap, (ir / MR) * kc * MR, bp, bo, c, co, n,
                                    Math.min(MR, mc - ir), cols, tile, pc > 0);
                        }
                    }
                }
            }
        }
    }

    /**
     * The micro-kernel: an MR × NR tile of C, {@code C = Ap·Bp} (or {@code C += Ap·Bp} when
     * {@code accumulate}, for the depth blocks after the first) over depth kc, where Ap is
     * kc × MR (row r of the tile at {@code ap[ao + p·MR + r]}) and Bp is kc × NR. A tile cut by
     * the edge of C ({@code rows < MR} or {@code cols < NR}) is computed whole (the panels are
     * zero-padded) and only its valid part stored. Modified: {@code c}, {@code tile}.
     */
    private static void kernel(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                               int rows, int cols, double[] tile, boolean accumulate) {
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = c00;
        DoubleVector c02 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c12 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c22 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c32 = c00;
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bo);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bo + L);
            DoubleVector b2 = DoubleVector.fromArray(S, bp, bo + 2 * L);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[ao]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
        }
        // Vectors are never passed to helper methods: a call that is not inlined would box them.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c12.intoArray(tile, NR + 2 * L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c22.intoArray(tile, 2 * NR + 2 * L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c32.intoArray(tile, 3 * NR + 2 * L);
        int full = cols - cols % L;
        for (int r = 0, cr = co, tr = 0; r < rows; r++, cr += ldc, tr += NR) {
            int j = 0;
            if (accumulate) {
                for (; j < full; j += L) {
                    DoubleVector.fromArray(S, tile, tr + j).add(DoubleVector.fromArray(S, c, cr + j))
                            .intoArray(c, cr + j);
                }
                for (; j < cols; j++) {
                    c[cr + j] += tile[tr + j];
                }
            } else {
                System.arraycopy(tile, tr, c, cr, cols);
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** Per-thread packing buffers, grown on demand and kept for the thread's life. */
    private static final class Scratch {
        private double[] a = new double[0];
        private double[] b = new double[0];
        private final double[] tile = new double[MR * NR];

        double[] a(int size) {
            if (a.length < size) {
                a = new double[size];
            }
            return a;
        }

        double[] b(int size) {
            if (b.length < size) {
                b = new double[size];
            }
            return b;
        }
    }
}
