package dev.bilevel.tensor.internal;

/**
 * The compute kernels behind {@code Tensor}'s heavy operations. Two implementations give the
 * same results (to rounding): {@link PlainKernels}, plain Java loops, and a Vector API
 * implementation used only when the {@code jdk.incubator.vector} module is present at run time
 * (see {@link KernelProvider}).
 *
 * <p>Kernels take explicit output arrays and offsets. Modified: only {@code c}. Not modified: the
 * inputs.
 */
public interface Kernels {

    /**
     * {@code C = op(A) · op(B)}, overwriting the m×n block of {@code c} at {@code cOff}
     * (row-major, leading dimension n). {@code op(A)} is m×k: A is stored m×k, or k×m when
     * {@code transA}; likewise {@code op(B)} is k×n, stored k×n, or n×k when {@code transB}.
     * Transposed operands are read in place, never copied.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              double[] a, int aOff, double[] b, int bOff, double[] c, int cOff);

    /**
     * {@link #gemm} in single precision: {@code C = op(A) · op(B)} on float32 operands with float32
     * products and sums, in any order of summation, so each entry is within
     * {@code k·2⁻²⁴·(|op(A)|·|op(B)|)ᵢⱼ} (to first order) of the exact product of the given floats.
     * Layouts and transposes as in {@link #gemm}. Modified: only {@code c}.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float[] a, int aOff, float[] b, int bOff, float[] c, int cOff);

    /** {@code sum_i a[aOff+i] * b[bOff+i]} for i in [0, n). */
    double dot(double[] a, int aOff, double[] b, int bOff, int n);

    /**
     * {@code out[outOff+r] += sum_i a[aOff+i] * b[bOff + r·n + i]} for r in [0, rows): one vector
     * against {@code rows} consecutive rows of length n (a product with a handful of columns, where
     * sharing the loads of {@code a} between rows pays). Modified: only {@code out}.
     */
    void addDotRows(double[] a, int aOff, double[] b, int bOff, int rows, int n, double[] out, int outOff);

    /**
     * {@code out[outOff+i] = op(a[aOff+i], b[bOff+i])} for i in [0, n). Every implementation gives
     * bit-identical results (each element is one IEEE operation, or {@link BinaryOp#apply}).
     * Modified: only {@code out} (which may alias an input at the same offset).
     */
    void binary(BinaryOp op, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n);

    /**
     * {@code out[outOff+i] = op(a[aOff+i], s)} for i in [0, n); bit-identical across
     * implementations. Modified: only {@code out}.
     */
    void binaryScalar(BinaryOp op, double[] a, int aOff, double s, double[] out, int outOff, int n);

    /**
     * {@code out[outOff+i] = a[aOff+i] + alpha·b[bOff+i]} for i in [0, n), the product rounded
     * before the sum (no fused multiply-add), so the result is bit-identical to a multiply followed
     * by an add, in every implementation. Modified: only {@code out}.
     */
    void addScaled(double[] a, int aOff, double alpha, double[] b, int bOff, double[] out, int outOff, int n);

    /** A short name for reports, e.g. {@code "vector"} or {@code "plain"}. */
    String name();
}
