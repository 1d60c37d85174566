package dev.bilevel.hpo.internal.gp;

/**
 * A Gaussian-process regressor with a zero prior mean and the Matérn-5/2 ARD kernel
 *
 * <pre>
 *   k(x, x') = s·(1 + √5 r + 5r²/3)·exp(−√5 r),   r² = Σ_j λ_j δ_j(x, x')²
 * </pre>
 *
 * <p>where {@code δ_j = x_j − x'_j} for numeric coordinates and {@code [x_j ≠ x'_j]} for
 * categorical ones (Hamming). Posterior of the latent function at {@code x} (Rasmussen and
 * Williams 2006, Eq. 2.25–2.26): {@code μ = k*ᵀα}, {@code σ² = s − k*ᵀK⁻¹k*}, with {@code K =
 * s·M + σ²_noise·I = LLᵀ} factorized once ({@link CholeskyFactor}) and {@code α = K⁻¹y}.
 *
 * <p>Immutable after construction; {@link #posterior} and {@link #posteriorWithGradient} use only
 * caller-provided buffers, so one instance may serve several threads.
 */
public final class GaussianProcess {
  private static final int POSTERIOR_BLOCK = 64;

  private final int n;
  private final int d;
  private final double[] x;
  private final double[] xScaled;
  private final double[] sqrtLambda;
  private final boolean anyCategorical;
  private final boolean[] categorical;
  private final double[] lambda;
  private final double scale;
  private final double[] alpha;
  private final double[] lower;
  private final double[][] kinvRows;
  private final KernelParams params;

  /**
   * Conditions the process on data.
   *
   * @param x {@code n × d} inputs, row-major (copied)
   * @param n the number of points
   * @param d the dimension
   * @param categorical which coordinates are categorical
   * @param y targets (copied)
   * @param params the kernel hyperparameters
   * @throws IllegalStateException if the kernel matrix is not numerically positive definite
   */
  public GaussianProcess(
      double[] x, int n, int d, boolean[] categorical, double[] y, KernelParams params) {
    this(x, n, d, categorical, params, Factors.of(x, n, d, categorical, y, params));
  }

  /**
   * Conditions the process on data whose factorization is already known (from {@link
   * MarginalLikelihood#fittedProcess}).
   *
   * @param x inputs (copied)
   * @param n the number of points
   * @param d the dimension
   * @param categorical the categorical mask
   * @param params the kernel hyperparameters
   * @param factors the Cholesky factor of {@code K}, {@code α = K⁻¹y} and {@code K⁻¹} (kept)
   */
  GaussianProcess(
      double[] x, int n, int d, boolean[] categorical, KernelParams params, Factors factors) {
    this.params = params;
    this.n = n;
    this.d = d;
    this.x = x.clone();
    this.categorical = categorical.clone();
    this.lambda = params.inverseSquaredLengthscales();
    this.scale = params.kernelScale();
    this.sqrtLambda = new double[d];
    boolean cat = false;
    for (int j = 0; j < d; j++) {
      sqrtLambda[j] = Math.sqrt(lambda[j]);
      cat |= categorical[j];
    }
    this.anyCategorical = cat;
    this.xScaled = scaled(this.x, n);
    this.lower = factors.lower();
    this.alpha = factors.alpha();
    this.kinvRows = new double[n][];
    for (int i = 0; i < n; i++) {
      kinvRows[i] = java.util.Arrays.copyOfRange(factors.kinv(), i * n, i * n + n);
    }
  }

  /**
   * The factorization of a kernel matrix.
   *
   * @param lower the Cholesky factor {@code L}, row-major
   * @param alpha {@code K⁻¹y}
   * @param kinv {@code K⁻¹}, row-major
   */
  record Factors(double[] lower, double[] alpha, double[] kinv) {

    static Factors of(
        double[] x, int n, int d, boolean[] categorical, double[] y, KernelParams params) {
      CholeskyFactor chol = kernelFactor(x, n, d, categorical, params);
      if (chol == null) {
        throw new IllegalStateException("GP kernel matrix is not positive definite: " + params);
      }
      double[] alpha = new double[n];
      chol.solve(y, alpha);
      double[] kinv = new double[n * n];
      chol.inverse(kinv);
      return new Factors(chol.lower().clone(), alpha, kinv);
    }
  }

  /**
   * The Cholesky factor of the kernel matrix {@code K = s·M + σ²_noise·I} of inputs.
   *
   * @param x {@code n × d} inputs, row-major (not modified)
   * @param n the number of points
   * @param d the dimension
   * @param categorical which coordinates are categorical
   * @param params the kernel hyperparameters
   * @return the factor, or {@code null} if {@code K} is not numerically positive definite
   */
  public static CholeskyFactor kernelFactor(
      double[] x, int n, int d, boolean[] categorical, KernelParams params) {
    double[][] sq = MarginalLikelihood.pairDistances(x, n, d, categorical);
    double[] k = new double[n * n];
    int p = 0;
    for (int a = 0; a < n; a++) {
      k[a * n + a] = params.kernelScale() + params.noiseVar();
      for (int b = a + 1; b < n; b++, p++) {
        double r2 = 0;
        for (int j = 0; j < d; j++) {
          r2 += params.lambda(j) * sq[j][p];
        }
        double v = params.kernelScale() * matern(r2);
        k[a * n + b] = v;
        k[b * n + a] = v;
      }
    }
    CholeskyFactor chol = new CholeskyFactor(n);
    return chol.factorize(k) ? chol : null;
  }

  /**
   * The Matérn-5/2 correlation as a function of {@code r²}.
   *
   * @param r2 the squared scaled distance
   * @return {@code (1 + √5 r + 5r²/3)·exp(−√5 r)}
   */
  public static double matern(double r2) {
    double r = Math.sqrt(5 * r2);
    return (1 + r + r * r / 3) * Math.exp(-r);
  }

  /** Numeric coordinates times √λ_j (categorical ones unchanged), so that r² is a plain sum. */
  private double[] scaled(double[] src, int rows) {
    double[] out = new double[rows * d];
    scale(src, 0, rows, out);
    return out;
  }

  private void scale(double[] src, int first, int rows, double[] out) {
    for (int r = 0; r < rows; r++) {
      int o = r * d;
      int so = (first + r) * d;
      for (int j = 0; j < d; j++) {
        out[o + j] = categorical[j] ? src[so + j] : sqrtLambda[j] * src[so + j];
      }
    }
  }

  /** r² between rows of scaled arrays. */
  private double scaledSqDist(double[] u, int uo, double[] v, int vo) {
    double s = 0;
    if (!anyCategorical) {
      for (int j = 0; j < d; j++) {
        double diff = u[uo + j] - v[vo + j];
        s += diff * diff;
      }
      return s;
    }
    for (int j = 0; j < d; j++) {
      double diff = u[uo + j] - v[vo + j];
      s += categorical[j] ? (diff != 0 ? lambda[j] : 0) : diff * diff;
    }
    return s;
  }

  private double sqDist(double[] u, int uo, double[] v, int vo) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      double diff = u[uo + j] - v[vo + j];
      s += categorical[j] ? (diff != 0 ? lambda[j] : 0) : lambda[j] * diff * diff;
    }
    return s;
  }

  /**
   * The kernel hyperparameters.
   *
   * @return the parameters the process was conditioned with
   */
  public KernelParams params() {
    return params;
  }

  /**
   * The number of training points.
   *
   * @return {@code n}
   */
  public int size() {
    return n;
  }

  /**
   * Posterior mean and latent variance at {@code m} points at once; the variance comes from one
   * forward substitution {@code V = L⁻¹K*ᵀ} with all points as right-hand sides.
   *
   * @param xs {@code m × d} points, row-major (not modified)
   * @param m the number of points
   * @param mean receives the means, length ≥ {@code m} (modified)
   * @param var receives the variances, clamped at 1e-30, length ≥ {@code m} (modified)
   */
  public void posterior(double[] xs, int m, double[] mean, double[] var) {
    // Column blocks keep the n × BLOCK slab of L⁻¹K*ᵀ in cache; one array per row lets the JIT
    // vectorize the row updates (no aliasing within one array).
    int block = Math.min(m, POSTERIOR_BLOCK);
    double[][] kt = new double[n][block];
    double[] qs = new double[block * d];
    for (int c0 = 0; c0 < m; c0 += block) {
      int w = Math.min(block, m - c0);
      scale(xs, c0, w, qs);
      for (int c = 0; c < w; c++) {
        mean[c0 + c] = 0;
        var[c0 + c] = scale;
      }
      for (int i = 0; i < n; i++) {
        double[] row = kt[i];
        double ai = alpha[i];
        for (int c = 0; c < w; c++) {
          row[c] = scale * matern(scaledSqDist(xScaled, i * d, qs, c * d));
          mean[c0 + c] += ai * row[c];
        }
      }
      for (int i = 0; i < n; i++) {
        double[] row = kt[i];
        int lrow = i * n;
        int j = 0;
        // Four rows per pass: each load and store of the target row serves four updates.
        for (; j + 3 < i; j += 4) {
          axpy4(lower[lrow + j], kt[j], lower[lrow + j + 1], kt[j + 1],
              lower[lrow + j + 2], kt[j + 2], lower[lrow + j + 3], kt[j + 3], row, w);
        }
        for (; j < i; j++) {
          axpy(-lower[lrow + j], kt[j], row, w);
        }
        double inv = 1 / lower[lrow + i];
        for (int c = 0; c < w; c++) {
          double v = row[c] * inv;
          row[c] = v;
          var[c0 + c] -= v * v;
        }
      }
    }
    for (int c = 0; c < m; c++) {
      var[c] = Math.max(var[c], 1e-30);
    }
  }

  /** {@code y −= a0·x0 + a1·x1 + a2·x2 + a3·x3} over {@code len} entries. */
  static void axpy4(
      double a0, double[] x0, double a1, double[] x1, double a2, double[] x2, double a3,
      double[] x3, double[] y, int len) {
    for (int c = 0; c < len; c++) {
      y[c] -= a0 * x0[c] + a1 * x1[c] + a2 * x2[c] + a3 * x3[c];
    }
  }

  private static void axpy(double a, double[] x, double[] y, int len) {
    for (int c = 0; c < len; c++) {
      y[c] += a * x[c];
    }
  }

  /**
   * Posterior mean and latent variance at one point with their gradients with respect to the
   * numeric coordinates ({@code ∂k/∂x_j = 2·s·m'(r²)·λ_j·(x_j − x_ij)}, {@code ∂σ²/∂x = −2
   * (K⁻¹k*)ᵀ (∂k* / ∂x)}); categorical coordinates get a zero gradient.
   *
   * @param xq the point, length {@code d} (not modified)
   * @param gradMean receives {@code ∂μ/∂x} (modified)
   * @param gradVar receives {@code ∂σ²/∂x} (modified; zero where the variance is clamped)
   * @param work three buffers of length ≥ {@code n} (modified)
   * @param out receives {@code [μ, σ²]} (modified)
   */
  public void posteriorWithGradient(
      double[] xq, double[] gradMean, double[] gradVar, double[][] work, double[] out) {
    double[] ks = work[0];
    double[] dks = work[1];
    double[] g = work[2];
    for (int i = 0; i < n; i++) {
      double r2 = sqDist(x, i * d, xq, 0);
      double r = Math.sqrt(5 * r2);
      double e = Math.exp(-r);
      ks[i] = scale * (1 + r + r * r / 3) * e;
      dks[i] = scale * (-(5.0 / 6.0) * (1 + r) * e);
    }
    // g = K⁻¹k* as a sum of rows of the symmetric K⁻¹ (axpy form, which the JIT vectorizes).
    java.util.Arrays.fill(g, 0, n, 0);
    double mu = 0;
    for (int i = 0; i < n; i++) {
      mu += alpha[i] * ks[i];
      axpy(ks[i], kinvRows[i], g, n);
    }
    double quad = 0;
    for (int i = 0; i < n; i++) {
      quad += g[i] * ks[i];
    }
    double var = scale - quad;
    boolean clamped = var < 1e-30;
    for (int j = 0; j < d; j++) {
      gradMean[j] = 0;
      gradVar[j] = 0;
    }
    for (int i = 0; i < n; i++) {
      double cm = 2 * dks[i] * alpha[i];
      double cv = -4 * dks[i] * g[i];
      int off = i * d;
      for (int j = 0; j < d; j++) {
        if (!categorical[j]) {
          double t = lambda[j] * (xq[j] - x[off + j]);
          gradMean[j] += cm * t;
          gradVar[j] += cv * t;
        }
      }
    }
    if (clamped) {
      java.util.Arrays.fill(gradVar, 0, d, 0);
    }
    out[0] = mu;
    out[1] = Math.max(var, 1e-30);
  }
}
