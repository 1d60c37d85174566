package dev.bilevel.autodiff.linalg;

/**
 * Stopping rules shared by the iterative solvers: stop when the residual norm ‖b − Ax‖ is at most
 * max(rtol·‖b‖, atol), or after {@code maxIterations} iterations (as SciPy's
 * {@code scipy.sparse.linalg.cg}).
 *
 * @param rtol          relative tolerance, ≥ 0
 * @param atol          absolute tolerance, ≥ 0
 * @param maxIterations the iteration limit, &gt; 0
 */
public record SolverOptions(double rtol, double atol, int maxIterations) {

    /** @throws IllegalArgumentException on a negative or NaN tolerance, or a non-positive limit */
    public SolverOptions {
        if (!(rtol >= 0) || !(atol >= 0)) {
            throw new IllegalArgumentException("SolverOptions: tolerances must be >= 0, got rtol " + rtol
                    + ", atol " + atol);
        }
        if (maxIterations <= 0) {
            throw new IllegalArgumentException("SolverOptions: maxIterations must be > 0, got " + maxIterations);
        }
    }

    /** rtol = 1e-10, atol = 0, at most 1000 iterations. */
    public static SolverOptions defaults() {
        return new SolverOptions(1e-10, 0.0, 1000);
    }

    /** These options with another relative tolerance. */
    public SolverOptions withRtol(double value) {
        return new SolverOptions(value, atol, maxIterations);
    }

    /** These options with another absolute tolerance. */
    public SolverOptions withAtol(double value) {
        return new SolverOptions(rtol, value, maxIterations);
    }

    /** These options with another iteration limit. */
    public SolverOptions withMaxIterations(int value) {
        return new SolverOptions(rtol, atol, value);
    }

    /** The threshold max(rtol·‖b‖, atol) for a right-hand side of norm {@code bNorm}. */
    public double threshold(double bNorm) {
        return Math.max(rtol * bNorm, atol);
    }
}
