package dev.bilevel.hpo.internal.gp;

/**
 * The Cholesky factorization {@code K = LLᵀ} of a symmetric positive-definite matrix (the gaxpy
 * Cholesky of Golub and Van Loan, "Matrix Computations", 4th ed., Alg. 4.2.1, computed by rows of
 * {@code U = Lᵀ}), with the solves and the inverse the GP needs, all written
 * as row-oriented {@code axpy} loops over separate row arrays that the JIT vectorizes.
 *
 * <p>{@code K⁻¹ = L⁻ᵀL⁻¹} costs about {@code n³/3} flops: {@code X = L⁻¹} row by row ({@code
 * X_i = (e_i − Σ_{k<i} L_ik X_k)/L_ii}), then {@code K⁻¹ = Σ_i X_iᵀX_i}. Not thread-safe: one
 * instance holds preallocated buffers for repeated factorizations of the same size.
 */
public final class CholeskyFactor {
  private final int n;
  private final double[][] upper;
  private final double[][] linv;
  private final double[][] accumulator;
  private final double[] lower;

  /**
   * Buffers for {@code n × n} matrices.
   *
   * @param n the size
   */
  public CholeskyFactor(int n) {
    this.n = n;
    this.upper = new double[n][n];
    this.lower = new double[n * n];
    this.linv = new double[n][n];
    this.accumulator = new double[n][n];
  }

  /**
   * Factorizes {@code k}.
   *
   * @param k a row-major {@code n × n} symmetric matrix (not modified)
   * @return {@code false} if it is not numerically positive definite
   */
  public boolean factorize(double[] k) {
    // Row-oriented (left-looking) K = UᵀU, U = Lᵀ: U_i = (K_i − Σ_{k<i} U_ki U_k)/U_ii on the
    // columns j ≥ i, four rows k per pass so that each load and store of U_i serves four updates.
    double[][] u = upper;
    for (int i = 0; i < n; i++) {
      double[] ui = u[i];
      System.arraycopy(k, i * n + i, ui, i, n - i);
      int q = 0;
      for (; q + 3 < i; q += 4) {
        axpy4From(i, u[q][i], u[q], u[q + 1][i], u[q + 1], u[q + 2][i], u[q + 2],
            u[q + 3][i], u[q + 3], ui);
      }
      for (; q < i; q++) {
        double c = u[q][i];
        double[] uq = u[q];
        for (int j = i; j < n; j++) {
          ui[j] -= c * uq[j];
        }
      }
      double diag = ui[i];
      if (!(diag > 0) || !Double.isFinite(diag)) {
        return false;
      }
      double root = Math.sqrt(diag);
      double inv = 1 / root;
      ui[i] = root;
      for (int j = i + 1; j < n; j++) {
        ui[j] *= inv;
      }
    }
    for (int i = 0; i < n; i++) {
      int row = i * n;
      for (int j = 0; j <= i; j++) {
        lower[row + j] = u[j][i];
      }
    }
    return true;
  }

  /** {@code y_j −= a0·x0_j + a1·x1_j + a2·x2_j + a3·x3_j} for {@code from ≤ j < n}. */
  private void axpy4From(
      int from, double a0, double[] x0, double a1, double[] x1, double a2, double[] x2,
      double a3, double[] x3, double[] y) {
    for (int j = from; j < n; j++) {
      y[j] -= a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
    }
  }

  /**
   * The factor {@code L}, row-major; only the lower triangle is meaningful. Valid until the next
   * {@link #factorize}.
   *
   * @return the internal array (not a copy)
   */
  public double[] lower() {
    return lower;
  }

  /**
   * {@code log det K = 2 Σ ln L_ii}.
   *
   * @return the log-determinant
   */
  public double logDet() {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.log(lower[i * n + i]);
    }
    return 2 * s;
  }

  /**
   * Solves {@code Kx = b} by forward and back substitution.
   *
   * @param b the right-hand side (not modified)
   * @param x receives the solution (modified; may not alias {@code b})
   */
  public void solve(double[] b, double[] x) {
    for (int i = 0; i < n; i++) {
      double s = b[i];
      int row = i * n;
      for (int k = 0; k < i; k++) {
        s -= lower[row + k] * x[k];
      }
      x[i] = s / lower[row + i];
    }
    for (int i = n - 1; i >= 0; i--) {
      double s = x[i];
      for (int k = i + 1; k < n; k++) {
        s -= lower[k * n + i] * x[k];
      }
      x[i] = s / lower[i * n + i];
    }
  }

  /**
   * The quadratic form {@code bᵀK⁻¹b = ‖L⁻¹b‖²}, by forward substitution only.
   *
   * @param b the vector (not modified)
   * @return {@code bᵀK⁻¹b}
   */
  public double inverseQuadraticForm(double[] b) {
    double[] z = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double s = b[i];
      int row = i * n;
      for (int k = 0; k < i; k++) {
        s -= lower[row + k] * z[k];
      }
      z[i] = s / lower[row + i];
      sum += z[i] * z[i];
    }
    return sum;
  }

  /**
   * Writes {@code K⁻¹} (full, symmetric).
   *
   * @param inv receives the inverse, row-major {@code n × n} (modified)
   */
  public void inverse(double[] inv) {
    // One array per row so that the JIT vectorizes the row axpys (no same-array aliasing).
    double[][] x = linv;
    for (int i = 0; i < n; i++) {
      double[] xi = x[i];
      java.util.Arrays.fill(xi, 0, i + 1, 0);
      int row = i * n;
      int k = 0;
      // Four rows per pass (each load and store of X_i serves four updates); rows of X are zero
      // beyond their diagonal, so the common length k + 4 is exact.
      for (; k + 3 < i; k += 4) {
        GaussianProcess.axpy4(lower[row + k], x[k], lower[row + k + 1], x[k + 1],
            lower[row + k + 2], x[k + 2], lower[row + k + 3], x[k + 3], xi, k + 4);
      }
      for (; k < i; k++) {
        double c = lower[row + k];
        if (c != 0) {
          axpy(-c, x[k], xi, k + 1);
        }
      }
      double invDiag = 1 / lower[row + i];
      for (int j = 0; j < i; j++) {
        xi[j] *= invDiag;
      }
      xi[i] = invDiag;
    }
    // (K⁻¹)_ab = Σ_{i ≥ a} X_ia X_ib for b ≤ a, accumulated one row a at a time, four i per pass.
    double[][] acc = accumulator;
    for (int a = 0; a < n; a++) {
      double[] out = acc[a];
      java.util.Arrays.fill(out, 0, a + 1, 0);
      int i = a;
      for (; i + 3 < n; i += 4) {
        GaussianProcess.axpy4(-x[i][a], x[i], -x[i + 1][a], x[i + 1],
            -x[i + 2][a], x[i + 2], -x[i + 3][a], x[i + 3], out, a + 1);
      }
      for (; i < n; i++) {
        double c = x[i][a];
        if (c != 0) {
          axpy(c, x[i], out, a + 1);
        }
      }
    }
    for (int a = 0; a < n; a++) {
      double[] row = acc[a];
      for (int b = 0; b <= a; b++) {
        inv[a * n + b] = row[b];
        inv[b * n + a] = row[b];
      }
    }
  }

  private static void axpy(double a, double[] x, double[] y, int len) {
    for (int j = 0; j < len; j++) {
      y[j] += a * x[j];
    }
  }
}
