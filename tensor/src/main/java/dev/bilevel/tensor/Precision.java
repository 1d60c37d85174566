package dev.bilevel.tensor;

/**
 * The arithmetic an operation may use, in the manner of the {@code precision} argument of JAX's
 * {@code lax.conv_general_dilated} and {@code lax.dot_general}: tensors hold float64 either way;
 * this says whether a heavy operation may compute in float32 where that is faster.
 *
 * <p>A sum of k products computed in float32 is within about {@code (k + 2)·2⁻²⁴·Σ|aᵢ·bᵢ|} of the
 * float64 sum (the operands' rounding plus the usual dot-product bound; Higham, "Accuracy and
 * Stability of Numerical Algorithms", 2002, §3.1); transforms such as Winograd's add a small constant
 * factor. That is the arithmetic PyTorch and TensorFlow use by default on CPUs. Results stay
 * deterministic: the same inputs on the same kernels give the same bits.
 */
public enum Precision {
    /** IEEE double precision throughout (the default everywhere). */
    FLOAT64,
    /**
     * Operands rounded to float32, products and sums in float32 where the operation has a float32
     * path (the rest stays in float64), results widened to float64. Twice the vector lanes and half
     * the memory traffic of float64.
     */
    FLOAT32
}
