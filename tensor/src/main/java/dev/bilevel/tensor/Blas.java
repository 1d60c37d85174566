package dev.bilevel.tensor;

import dev.bilevel.tensor.internal.KernelProvider;

/**
 * The matrix product behind {@link Tensor#matmul}, and {@code y + α·x}, on plain row-major arrays,
 * for hot loops that keep their own buffers (in the manner of EJML's {@code CommonOps_DDRM}: explicit outputs, no
 * allocation). Same kernels, hence the same bits, as {@link Tensor#matmul} for the same operands.
 *
 * <pre>{@code
 * double[] c = new double[m * n];
 * Blas.gemm(false, true, m, n, k, a, 0, b, 0, c, 0);   // C = A·Bᵀ
 * }</pre>
 */
public final class Blas {
    private Blas() {
    }

    /**
     * {@code C = op(A)·op(B)}, overwriting the m×n block of {@code c} at {@code cOff} (row-major,
     * leading dimension n); {@code op(A)} is m×k, stored m×k or, when {@code transA}, k×m; likewise
     * {@code op(B)} is k×n, stored k×n or, when {@code transB}, n×k. Modified: only {@code c}. Not
     * modified: {@code a}, {@code b} (which must not overlap {@code c}'s block).
     *
     * @throws IllegalArgumentException on a negative dimension
     * @throws IndexOutOfBoundsException when a block does not fit its array
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, double[] b,
            int bOff, double[] c, int cOff) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative dimension m=" + m + ", n=" + n + ", k=" + k);
        }
        check("gemm", "A", a, aOff, m * k);
        check("gemm", "B", b, bOff, k * n);
        check("gemm", "C", c, cOff, m * n);
        KernelProvider.get().gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
    }

    /**
     * {@code y ← y + alpha·x} on the n-element blocks of {@code y} at {@code yOff} and {@code x}
     * at {@code xOff}: each element rounded as alpha·x, then the sum (no fused multiply-add), so
     * alpha = 1 gives exactly the elementwise sums. Vectorized where the kernels are, whatever the
     * offsets. Modified: only {@code y}. Not modified: {@code x} (which must not overlap {@code y}'s
     * block, unless it is that very block).
     *
     * <pre>{@code
     * Blas.axpy(3, 1.0, grad, 0, sum, 40);   // sum[40..42] += grad[0..2]
     * }</pre>
     *
     * @throws IllegalArgumentException on a negative n
     * @throws IndexOutOfBoundsException when a block does not fit its array
     */
    public static void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        if (n < 0) {
            throw new IllegalArgumentException("axpy: negative length " + n);
        }
        check("axpy", "x", x, xOff, n);
        check("axpy", "y", y, yOff, n);
        KernelProvider.get().addScaled(y, yOff, alpha, x, xOff, y, yOff, n);
    }

    private static void check(String op, String name, double[] x, int off, int size) {
        if (off < 0 || off + size > x.length) {
            throw new IndexOutOfBoundsException(op + ": " + name + " block [" + off + ", " + (off + size)
                    + ") outside an array of " + x.length);
        }
    }
}
