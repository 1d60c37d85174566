package dev.bilevel.hypergrad;

/**
 * Gaussian elimination with partial pivoting (Golub &amp; Van Loan, <i>Matrix Computations</i>,
 * 4th ed., Alg. 3.4.1) for the small dense systems of the exact implicit solve.
 */
final class DenseSolve {
    private DenseSolve() {}

    /**
     * Solves M·x = b; M and b are not modified.
     *
     * @return x, or null when a pivot is zero or non-finite (M singular to working precision)
     */
    static double[] solve(double[][] m, double[] b) {
        int n = b.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = m[i].clone();
        }
        double[] x = b.clone();
        double scale = 0;
        for (double[] row : a) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int k = 0; k < n; k++) {
            int p = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(a[i][k]) > Math.abs(a[p][k])) {
                    p = i;
                }
            }
            double pivot = a[p][k];
            if (!(Math.abs(pivot) > 1e-14 * scale) || !Double.isFinite(pivot)) {
                return null;
            }
            double[] tr = a[p];
            a[p] = a[k];
            a[k] = tr;
            double tb = x[p];
            x[p] = x[k];
            x[k] = tb;
            for (int i = k + 1; i < n; i++) {
                double f = a[i][k] / pivot;
                if (f != 0) {
                    for (int j = k; j < n; j++) {
                        a[i][j] -= f * a[k][j];
                    }
                    x[i] -= f * x[k];
                }
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = x[i];
            for (int j = i + 1; j < n; j++) {
                s -= a[i][j] * x[j];
            }
            x[i] = s / a[i][i];
        }
        return x;
    }
}
