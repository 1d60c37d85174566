package dev.bilevel.tensor.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorKernels#sgemm} for {@code C = A·Bᵀ} with long rows: every entry of C is the dot
 * product of a row of A and a row of B, both contiguous, so the operands are read in place with no
 * packing. A register tile of 4 × 4 entries keeps 16 vector partial sums over the depth, loading
 * 8 vectors per 16 fused multiply-adds, and reduces each across lanes once at the end (the
 * depth beyond the last whole vector is added in scalar arithmetic).
 *
 * <p>This is the shape of a convolution's weight gradient, {@code dW = G·colsᵀ} with depth the
 * output positions of a batch (hundreds to thousands): there the packed product spent as long
 * transposing the columns into panels as multiplying them (conv-4's 14×14 layer).
 *
 * <p>The tiles run down A for each group of B's rows, so that those four rows stay in the cache
 * while all of A, the smaller operand there (32 gradient rows against 288 column rows), passes
 * by: on that shape at depth 4,900 this ran at 94 GFLOP/s, against 83 the other way round, which
 * read every row of B from beyond the L2 cache once per group of A's rows.
 */
final class VectorSingleDots {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of A and of B in a register tile. */
    private static final int T = 4;

    private VectorSingleDots() {
    }

    /**
     * {@code c[cOff + i·n + j] = Σ_p a[aOff + i·k + p] · b[bOff + j·k + p]} for i &lt; m, j &lt; n.
     * Modified: {@code c}.
     */
    static void multiplyTransposed(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        int mt = m - m % T;
        int nt = n - n % T;
        for (int j = 0; j < nt; j += T) {
            for (int i = 0; i < mt; i += T) {
                tile(k, a, aOff + i * k, b, bOff + j * k, c, cOff + i * n + j, n);
            }
        }
        for (int i = 0; i < mt; i += T) {
            for (int j = nt; j < n; j++) {
                for (int r = 0; r < T; r++) {
                    c[cOff + (i + r) * n + j] = dot(k, a, aOff + (i + r) * k, b, bOff + j * k);
                }
            }
        }
        for (int i = mt; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * n + j] = dot(k, a, aOff + i * k, b, bOff + j * k);
            }
        }
    }

    /** The 4 × 4 entries of C at {@code co} (row stride {@code ldc}) from rows at {@code ao} and {@code bo}. */
    private static void tile(int k, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc) {
        FloatVector s00 = FloatVector.zero(S);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        int kv = k - k % L;
        for (int p = 0; p < kv; p += L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo + p);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + k + p);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * k + p);
            FloatVector b3 = FloatVector.fromArray(S, b, bo + 3 * k + p);
            FloatVector a0 = FloatVector.fromArray(S, a, ao + p);
            s00 = a0.fma(b0, s00);
            s01 = a0.fma(b1, s01);
            s02 = a0.fma(b2, s02);
            s03 = a0.fma(b3, s03);
            FloatVector a1 = FloatVector.fromArray(S, a, ao + k + p);
            s10 = a1.fma(b0, s10);
            s11 = a1.fma(b1, s11);
            s12 = a1.fma(b2, s12);
            s13 = a1.fma(b3, s13);
            FloatVector a2 = FloatVector.fromArray(S, a, ao + 2 * k + p);
            s20 = a2.fma(b0, s20);
            s21 = a2.fma(b1, s21);
            s22 = a2.fma(b2, s22);
            s23 = a2.fma(b3, s23);
            FloatVector a3 = FloatVector.fromArray(S, a, ao + 3 * k + p);
            s30 = a3.fma(b0, s30);
            s31 = a3.fma(b1, s31);
            s32 = a3.fma(b2, s32);
            s33 = a3.fma(b3, s33);
        }
        // Vectors are never passed to helper methods: a call that is not inlined would box them.
        c[co] = s00.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao, b, bo);
        c[co + 1] = s01.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao, b, bo + k);
        c[co + 2] = s02.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao, b, bo + 2 * k);
        c[co + 3] = s03.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao, b, bo + 3 * k);
        c[co + ldc] = s10.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao + k, b, bo);
        c[co + ldc + 1] = s11.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao + k, b, bo + k);
        c[co + ldc + 2] = s12.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao + k, b, bo + 2 * k);
        c[co + ldc + 3] = s13.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao + k, b, bo + 3 * k);
        int r2 = co + 2 * ldc;
        c[r2] = s20.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao + 2 * k, b, bo);
        c[r2 + 1] = s21.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao + 2 * k, b, bo + k);
        c[r2 + 2] = s22.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao + 2 * k, b, bo + 2 * k);
        c[r2 + 3] = s23.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao + 2 * k, b, bo + 3 * k);
        int r3 = co + 3 * ldc;
        c[r3] = s30.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao + 3 * k, b, bo);
        c[r3 + 1] = s31.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao + 3 * k, b, bo + k);
        c[r3 + 2] = s32.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao + 3 * k, b, bo + 2 * k);
        c[r3 + 3] = s33.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao + 3 * k, b, bo + 3 * k);
    }

    /** {@code Σ_{from ≤ p < k} a[ao + p]·b[bo + p]}: the depth beyond the last whole vector. */
    private static float tail(int from, int k, float[] a, int ao, float[] b, int bo) {
        float s = 0;
        for (int p = from; p < k; p++) {
            s += a[ao + p] * b[bo + p];
        }
        return s;
    }

    /** One dot product of length k, for rows and columns outside whole tiles. */
    private static float dot(int k, float[] a, int ao, float[] b, int bo) {
        FloatVector s = FloatVector.zero(S);
        int kv = k - k % L;
        for (int p = 0; p < kv; p += L) {
            s = FloatVector.fromArray(S, a, ao + p).fma(FloatVector.fromArray(S, b, bo + p), s);
        }
        return s.reduceLanes(VectorOperators.ADD) + tail(kv, k, a, ao, b, bo);
    }
}
