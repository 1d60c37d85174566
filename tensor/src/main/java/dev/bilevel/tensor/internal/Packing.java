package dev.bilevel.tensor.internal;


/**
 * Packing of matrix blocks into the micro-panel order a register-blocked gemm micro-kernel reads
 * (GotoBLAS/BLIS). This is where transposed operands are handled: a panel is gathered from the
 * operand in place, whatever its storage order, so the micro-kernel only ever reads unit strides.
 * Edge panels are zero-padded to full width.
 *
 * <p>Modified: only the destination panel array. Not modified: the operands.
 */
final class Packing {
    private Packing() {
    }

    /**
     * Packs rows {@code [ic, ic+mc)} and columns {@code [pc, pc+kc)} of {@code op(A)} (m × k;
     * stored m × k, or k × m when {@code transA}) into panels of {@code mr} rows: element (r, p)
     * of panel q lands at {@code dst[q·kc·mr + p·mr + r]}.
     */
    static void packA(boolean transA, double[] a, int aOff, int m, int k, int ic, int mc, int pc, int kc,
                      int mr, double[] dst) {
        for (int ir = 0; ir < mc; ir += mr) {
            int base = (ir / mr) * kc * mr;
            int rows = Math.min(mr, mc - ir);
            if (transA) {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * m + ic + ir;
                    int d = base + p * mr;
                    for (int r = 0; r < rows; r++) {
                        dst[d + r] = a[src + r];
                    }
                    for (int r = rows; r < mr; r++) {
                        dst[d + r] = 0.0;
                    }
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (ic + ir + r) * k + pc;
                    for (int p = 0, d = base + r; p < kc; p++, d += mr) {
                        dst[d] = a[src + p];
                    }
                }
                for (int r = rows; r < mr; r++) {
                    for (int p = 0, d = base + r; p < kc; p++, d += mr) {
                        dst[d] = 0.0;
                    }
                }
            }
        }
    }

    /**
     * Packs rows {@code [pc, pc+kc)} and columns {@code [jc, jc+nc)} of {@code op(B)} (k × n;
     * stored k × n, or n × k when {@code transB}) into panels of {@code nr} columns: element
     * (p, c) of panel q lands at {@code dst[q·kc·nr + p·nr + c]}.
     */
    static void packB(boolean transB, double[] b, int bOff, int n, int k, int pc, int kc, int jc, int nc,
                      int nr, double[] dst) {
        for (int jr = 0; jr < nc; jr += nr) {
            int base = (jr / nr) * kc * nr;
            int cols = Math.min(nr, nc - jr);
            if (transB) {
                for (int col = 0; col < cols; col++) {
                    int src = bOff + (jc + jr + col) * k + pc;
                    for (int p = 0, d = base + col; p < kc; p++, d += nr) {
                        dst[d] = b[src + p];
                    }
                }
                for (int col = cols; col < nr; col++) {
                    for (int p = 0, d = base + col; p < kc; p++, d += nr) {
                        dst[d] = 0.0;
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int d = base + p * nr;
                    System.arraycopy(b, bOff + (pc + p) * n + jc + jr, dst, d, cols);
                    for (int col = cols; col < nr; col++) {      // the edge panel's padding: a loop, not a call per row
                        dst[d + col] = 0.0;
                    }
                }
            }
        }
    }

    /** {@link #packA(boolean, double[], int, int, int, int, int, int, int, int, double[])} for float32 operands. */
    static void packA(boolean transA, float[] a, int aOff, int m, int k, int ic, int mc, int pc, int kc,
                      int mr, float[] dst) {
        for (int ir = 0; ir < mc; ir += mr) {
            int base = (ir / mr) * kc * mr;
            int rows = Math.min(mr, mc - ir);
            if (transA) {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * m + ic + ir;
                    int d = base + p * mr;
                    for (int r = 0; r < rows; r++) {
                        dst[d + r] = a[src + r];
                    }
                    for (int r = rows; r < mr; r++) {
                        dst[d + r] = 0f;
                    }
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (ic + ir + r) * k + pc;
                    for (int p = 0, d = base + r; p < kc; p++, d += mr) {
                        dst[d] = a[src + p];
                    }
                }
                for (int r = rows; r < mr; r++) {
                    for (int p = 0, d = base + r; p < kc; p++, d += mr) {
                        dst[d] = 0f;
                    }
                }
            }
        }
    }

    /** {@link #packB(boolean, double[], int, int, int, int, int, int, int, int, double[])} for float32 operands. */
    static void packB(boolean transB, float[] b, int bOff, int n, int k, int pc, int kc, int jc, int nc,
                      int nr, float[] dst) {
        for (int jr = 0; jr < nc; jr += nr) {
            int base = (jr / nr) * kc * nr;
            int cols = Math.min(nr, nc - jr);
            if (transB) {
                for (int col = 0; col < cols; col++) {
                    int src = bOff + (jc + jr + col) * k + pc;
                    for (int p = 0, d = base + col; p < kc; p++, d += nr) {
                        dst[d] = b[src + p];
                    }
                }
                for (int col = cols; col < nr; col++) {
                    for (int p = 0, d = base + col; p < kc; p++, d += nr) {
                        dst[d] = 0f;
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int d = base + p * nr;
                    System.arraycopy(b, bOff + (pc + p) * n + jc + jr, dst, d, cols);
                    for (int col = cols; col < nr; col++) {      // the edge panel's padding: a loop, not a call per row
                        dst[d + col] = 0f;
                    }
                }
            }
        }
    }
}
