package dev.bilevel.tensor.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The small-product path of {@link VectorKernels#gemm}: products up to
 * {@link VectorKernels#SMALL_FLOPS} multiply-adds, computed without packing by register tiles that
 * accumulate whole rows of C over k.
 */
final class VectorSmallProducts {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Whether {@link #direct} may use tiles five vectors wide (4 × 5 vectors: twenty accumulators,
     * five loads of B and a broadcast live at once): only with 512-bit vectors, whose instruction
     * set has 32 vector registers; with sixteen the tile would spill.
     */
    static final boolean FIVE_WIDE = S.vectorBitSize() >= 512;

    private VectorSmallProducts() {
    }

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
    static void direct(boolean transA, int m, int n, int k,
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
    static double[] transposedB(double[] b, int bOff, int n, int k) {
        double[] bt = VectorBlockedProducts.scratch().b(k * n);
        for (int p = 0; p < k; p++) {
            for (int j = 0, dst = p * n, src = bOff + p; j < n; j++, src += k) {
                bt[dst + j] = b[src];
            }
        }
        return bt;
    }
}
