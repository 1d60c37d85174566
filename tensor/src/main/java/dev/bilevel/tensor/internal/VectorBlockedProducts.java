package dev.bilevel.tensor.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The blocked path of {@link VectorKernels#gemm} (GotoBLAS/BLIS; see {@link VectorKernels}):
 * packed micro-panels and a register-blocked micro-kernel.
 */
final class VectorBlockedProducts {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the register tile of C. */
    static final int MR = 4;
    /** Columns of the register tile of C: three vectors. */
    static final int NR = 3 * L;
    /** Depth of a packed block: a KC × NR micro-panel of B is streamed past each MR-row panel of A. */
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
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private VectorBlockedProducts() {
    }

    /** This thread's packing buffers (also lent to {@link VectorSmallProducts} for a transposed B). */
    static Scratch scratch() {
        return SCRATCH.get();
    }

    /** The blocked path: {@code C = op(A)·op(B)} through packed panels (loop order jc, pc, ic, jr, ir). */
    static void packed(boolean transA, boolean transB, int m, int n, int k,
                       double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
        Scratch s = scratch();
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
    static final class Scratch {
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
