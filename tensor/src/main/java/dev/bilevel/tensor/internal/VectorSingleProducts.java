package dev.bilevel.tensor.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorKernels#sgemm}: the GotoBLAS/BLIS decomposition of {@link VectorBlockedProducts}
 * on float32 panels, whose vectors hold twice the lanes of a double vector. The register tile is
 * {@value #MR} rows by three vectors (12 accumulators, within AVX2's 16 vector registers; eight rows,
 * filling AVX-512's 32, ran no faster on conv-4); edge tiles are computed whole on zero-padded
 * panels and only their valid part stored.
 *
 * <p>A product with at most {@value #MC} rows and B not transposed reads B's whole column panels
 * in place, row after row, instead of packing them: with so few rows each element of B feeds only
 * m/{@value #MR} micro-kernel calls, and copying it cost a fifth of the product. On a convolution's
 * shape (32 × 288 · 288 × 4,900, one thread, AVX-512) this took the product from 80 to 102 GFLOP/s,
 * against 117 for fused multiply-adds on registers alone.
 */
final class VectorSingleProducts {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the register tile of C. */
    static final int MR = 4;
    /** Columns of the register tile of C: three vectors. */
    static final int NR = 3 * L;
    /** Depth of a packed block (a KC × NR micro-panel of B: 96 KiB at 512-bit vectors). */
    static final int KC = 512;
    /** Rows of a packed block of A. */
    static final int MC = 128;
    /** Columns of a packed block of B. */
    static final int NC = 2048;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private VectorSingleProducts() {
    }

    /**
     * {@code C = op(A)·op(B)} through packed float32 panels (loop order jc, pc, ic, jr, ir), B's whole
     * panels read in place when {@link #readsBInPlace}.
     */
    static void packed(boolean transA, boolean transB, int m, int n, int k,
                       float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        Scratch s = SCRATCH.get();
        int kcMax = Math.min(KC, k);
        boolean inPlace = readsBInPlace(transB, m);
        float[] bp = s.b(kcMax * (inPlace ? NR : roundUp(Math.min(NC, n), NR)));
        float[] ap = s.a(kcMax * roundUp(Math.min(MC, m), MR));
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                if (!inPlace) {
                    Packing.packB(transB, b, bOff, n, k, pc, kc, jc, nc, NR, bp);
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    Packing.packA(transA, a, aOff, m, k, ic, mc, pc, kc, MR, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        float[] panel = bp;
                        int bo = (jr / NR) * kc * NR;
                        int ldb = NR;
                        if (inPlace && cols == NR) {
                            panel = b;
                            bo = bOff + pc * n + jc + jr;
                            ldb = n;
                        } else if (inPlace) {                    // the zero-padded edge panel
                            Packing.packB(false, b, bOff, n, k, pc, kc, jc + jr, cols, NR, bp);
                            bo = 0;
                        }
                        for (int ir = 0; ir < mc; ir += MR) {
                            kernel(kc, ap, (ir / MR) * kc * MR, panel, bo, ldb, c, cOff + (ic + ir) * n + jc + jr, n,
                                    Math.min(MR, mc - ir), cols, s.tile, pc > 0);
                        }
                    }
                }
            }
        }
    }

    /** Whether {@link #packed} reads B's whole panels in place: B not transposed and at most {@value #MC} rows. */
    private static boolean readsBInPlace(boolean transB, int m) {
        return !transB && m <= MC;
    }

    /**
     * The micro-kernel: an MR × NR tile of C, {@code C = Ap·Bp} (or {@code C += Ap·Bp} when
     * {@code accumulate}) over depth kc; A's panel laid out as in {@link VectorBlockedProducts}, row
     * p of B's panel at {@code bp[bo + p·ldb]} (ldb = NR for a packed panel, B's row length in
     * place). Modified: {@code c}, {@code tile}.
     */
    private static void kernel(int kc, float[] ap, int ao, float[] bp, int bo, int ldb, float[] c, int co, int ldc,
                               int rows, int cols, float[] tile, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * ldb;
            int ai = ao + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
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
                    FloatVector.fromArray(S, tile, tr + j).add(FloatVector.fromArray(S, c, cr + j)).intoArray(c, cr + j);
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
        private float[] a = new float[0];
        private float[] b = new float[0];
        private final float[] tile = new float[MR * NR];

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }
}
