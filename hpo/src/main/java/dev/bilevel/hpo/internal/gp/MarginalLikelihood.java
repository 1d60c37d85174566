package dev.bilevel.hpo.internal.gp;

import dev.bilevel.hpo.internal.math.Lbfgsb;

/**
 * The negative log posterior of the kernel hyperparameters, {@code −(log p(y | X, θ) + log p(θ))},
 * and its analytic gradient, as a function of the raw parameters {@code p = (ln λ_1, …, ln λ_d, ln
 * s, ln(σ² − σ²_min))} (the last one absent when the noise is fixed at {@code σ²_min}).
 *
 * <p>With {@code K = s·M + σ²I}, {@code α = K⁻¹y} (Rasmussen and Williams, "Gaussian Processes for
 * Machine Learning", 2006, Eq. 5.8–5.9):
 *
 * <pre>
 *   log p(y | X, θ) = −½ yᵀα − Σ ln L_ii − (n/2) ln 2π,            K = LLᵀ
 *   ∂/∂θ_k          = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ_k)
 *   ∂K_ab/∂ln λ_j   = s·m'(r²_ab)·λ_j·δ_abj²,   m'(r²) = −(5/6)(1 + √5 r) e^(−√5 r)
 *   ∂K/∂ln s        = s·M,        ∂K/∂ln(σ² − σ²_min) = (σ² − σ²_min)·I
 * </pre>
 *
 * <p>Priors as Optuna's GP sampler ({@code optuna/_gp/prior.py}): {@code −Σ_j (0.1/λ_j + 0.1·λ_j)}
 * on the lengthscales, Gamma(2, 1) on {@code s}, Gamma(1.1, 30) on {@code σ²}. The Cholesky
 * factor comes from {@link CholeskyFactor}; a matrix that is not numerically positive
 * definite gives {@code +∞}, from which {@link Lbfgsb}'s line search backs away. Not
 * thread-safe (preallocated buffers).
 */
public final class MarginalLikelihood implements Lbfgsb.Objective {
  /** The first step changes no hyperparameter by more than a factor e^0.1: fits start warm. */
  private static final double FIRST_MOVE = 0.1;
  private static final double LOG_2PI = Math.log(2 * Math.PI);

  private final int n;
  private final int d;
  private final double[][] sq;
  private final double[] y;
  private final double minNoise;
  private final boolean fixedNoise;
  private final double[] r2;
  private final double[] m;
  private final double[] dm;
  private final double[] k;
  private final double[] kinv;
  private final double[] alpha;
  private final CholeskyFactor chol;
  private final double[] lastRaw;
  private boolean lastValid;
  private KernelParams fitted;

  /**
   * Prepares the objective for a data set.
   *
   * @param x {@code n × d} inputs, row-major (not modified, not retained)
   * @param n the number of points
   * @param d the dimension
   * @param categorical which coordinates use the Hamming distance {@code δ = [x ≠ x']}
   * @param y the (standardized) targets, length {@code n} (copied)
   * @param minNoise the noise floor {@code σ²_min > 0}
   * @param fixedNoise whether the noise is fixed at {@code σ²_min} (a deterministic objective)
   */
  public MarginalLikelihood(
      double[] x, int n, int d, boolean[] categorical, double[] y, double minNoise,
      boolean fixedNoise) {
    this.n = n;
    this.d = d;
    this.y = y.clone();
    this.minNoise = minNoise;
    this.fixedNoise = fixedNoise;
    int pairs = n * (n - 1) / 2;
    sq = pairDistances(x, n, d, categorical);
    r2 = new double[pairs];
    m = new double[pairs];
    dm = new double[pairs];
    k = new double[n * n];
    kinv = new double[n * n];
    alpha = new double[n];
    chol = new CholeskyFactor(n);
    lastRaw = new double[parameterCount()];
  }

  /**
   * Squared per-coordinate distances of all pairs {@code a < b}, packed row by row.
   *
   * @param x inputs, row-major
   * @param n the number of points
   * @param d the dimension
   * @param categorical Hamming coordinates
   * @return {@code [j][pair]}
   */
  static double[][] pairDistances(double[] x, int n, int d, boolean[] categorical) {
    double[][] out = new double[d][n * (n - 1) / 2];
    int p = 0;
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++, p++) {
        for (int j = 0; j < d; j++) {
          double diff = x[a * d + j] - x[b * d + j];
          out[j][p] = categorical[j] ? (diff != 0 ? 1 : 0) : diff * diff;
        }
      }
    }
    return out;
  }

  /**
   * The number of raw parameters.
   *
   * @return {@code d + 2}, or {@code d + 1} with fixed noise
   */
  public int parameterCount() {
    return fixedNoise ? d + 1 : d + 2;
  }

  /**
   * Raw parameters of a kernel setting.
   *
   * @param p the setting
   * @return {@code (ln λ, ln s[, ln(σ² − σ²_min)])}
   */
  public double[] toRaw(KernelParams p) {
    double[] raw = new double[parameterCount()];
    for (int j = 0; j < d; j++) {
      raw[j] = Math.log(p.lambda(j));
    }
    raw[d] = Math.log(p.kernelScale());
    if (!fixedNoise) {
      raw[d + 1] = Math.log(Math.max(p.noiseVar() - minNoise, 1e-12));
    }
    return raw;
  }

  /**
   * The kernel setting of raw parameters.
   *
   * @param raw raw parameters
   * @return the setting
   */
  public KernelParams fromRaw(double[] raw) {
    double[] l = new double[d];
    for (int j = 0; j < d; j++) {
      l[j] = Math.exp(raw[j]);
    }
    double noise = fixedNoise ? minNoise : minNoise + Math.exp(raw[d + 1]);
    return new KernelParams(l, Math.exp(raw[d]), noise);
  }

  @Override
  public double valueAndGradient(double[] raw, double[] grad) {
    lastValid = false;
    double s = Math.exp(raw[d]);
    double noiseExcess = fixedNoise ? 0 : Math.exp(raw[d + 1]);
    double noise = minNoise + noiseExcess;
    double[] lambda = new double[d];
    for (int j = 0; j < d; j++) {
      lambda[j] = Math.exp(raw[j]);
      if (!Double.isFinite(lambda[j]) || lambda[j] > 1e12) {
        return Double.POSITIVE_INFINITY;
      }
    }
    if (!Double.isFinite(s) || !Double.isFinite(noise) || s > 1e12) {
      return Double.POSITIVE_INFINITY;
    }
    java.util.Arrays.fill(r2, 0);
    for (int j = 0; j < d; j++) {
      double lj = lambda[j];
      double[] sj = sq[j];
      for (int p = 0; p < r2.length; p++) {
        r2[p] += lj * sj[p];
      }
    }
    double[] kd = k;
    int p = 0;
    for (int a = 0; a < n; a++) {
      kd[a * n + a] = s + noise;
      for (int b = a + 1; b < n; b++, p++) {
        double r = Math.sqrt(5 * r2[p]);
        double e = Math.exp(-r);
        m[p] = (1 + r + r * r / 3) * e;
        dm[p] = -(5.0 / 6.0) * (1 + r) * e;
        kd[a * n + b] = kd[b * n + a] = s * m[p];
      }
    }
    if (!chol.factorize(k)) {
      return Double.POSITIVE_INFINITY;
    }
    double logDet = chol.logDet();
    chol.solve(y, alpha);
    double[] al = alpha;
    double fit = 0;
    for (int a = 0; a < n; a++) {
      fit += y[a] * al[a];
    }
    if (!Double.isFinite(fit) || !Double.isFinite(logDet)) {
      return Double.POSITIVE_INFINITY;
    }
    double logLik = -0.5 * fit - 0.5 * logDet - 0.5 * n * LOG_2PI;
    double logPrior = 0;
    for (int j = 0; j < d; j++) {
      logPrior -= 0.1 / lambda[j] + 0.1 * lambda[j];
    }
    logPrior += Math.log(s) - s;
    logPrior += 0.1 * Math.log(noise) - 30 * noise;

    chol.inverse(kinv);
    double[] ki = kinv;
    // W = ααᵀ − K⁻¹; the off-diagonal sums run over a < b and count each pair twice.
    double traceW = 0;
    double scaleGrad = 0;
    for (int a = 0; a < n; a++) {
      double w = al[a] * al[a] - ki[a * n + a];
      traceW += w;
      scaleGrad += 0.5 * w * s;
    }
    double[] wdm = r2;
    p = 0;
    for (int a = 0; a < n; a++) {
      double aa = al[a];
      int row = a * n;
      for (int b = a + 1; b < n; b++, p++) {
        double w = aa * al[b] - ki[row + b];
        scaleGrad += w * s * m[p];
        wdm[p] = w * s * dm[p];
      }
    }
    for (int j = 0; j < d; j++) {
      double acc = 0;
      double[] sj = sq[j];
      for (int q = 0; q < wdm.length; q++) {
        acc += wdm[q] * sj[q];
      }
      grad[j] = -(acc * lambda[j] + (0.1 / lambda[j] - 0.1 * lambda[j]));
    }
    grad[d] = -(scaleGrad + 1 - s);
    if (!fixedNoise) {
      grad[d + 1] = -(0.5 * traceW * noiseExcess + (0.1 / noise - 30) * noiseExcess);
    }
    System.arraycopy(raw, 0, lastRaw, 0, lastRaw.length);
    lastValid = true;
    return -(logLik + logPrior);
  }

  /**
   * Fits the hyperparameters by maximizing the log posterior with {@link Lbfgsb} from {@code
   * start}.
   *
   * @param start the starting setting (e.g. the previous fit, or {@link KernelParams#defaults})
   * @param maxIter the iteration limit
   * @param gtol the gradient tolerance on the raw parameters
   * @param ftol the relative decrease per iteration below which the fit stops (scipy's L-BFGS-B,
   *     which Optuna uses, stops at {@code factr·ε ≈ 2.2e-9}; 1e-6 is as good for the GP's
   *     predictions at a third of the cost)
   * @return the fitted setting, or {@code start} if no finite value was reached
   */
  public KernelParams fit(KernelParams start, int maxIter, double gtol, double ftol) {
    double[] raw = toRaw(start);
    if (!fixedNoise) {
      // Optuna starts the noise 1% of the floor above the given one, so that a start at the floor
      // (a previous fit there) is not at ln 0 = −∞.
      raw[d + 1] = Math.log(start.noiseVar() - 0.99 * minNoise);
    }
    double f = new Lbfgsb(10, FIRST_MOVE).minimize(this, raw, null, null, maxIter, gtol, ftol);
    fitted = Double.isFinite(f) ? fromRaw(raw) : start;
    if (!(lastValid && java.util.Arrays.equals(raw, lastRaw))) {
      lastValid = Double.isFinite(valueAndGradient(toRaw(fitted), new double[raw.length]));
    }
    return fitted;
  }

  /**
   * The GP conditioned on this data set with the parameters of the last {@link #fit}, reusing
   * that fit's Cholesky factor, {@code α} and {@code K⁻¹} (no refactorization).
   *
   * @param x the inputs this objective was built from (copied)
   * @param categorical the categorical mask it was built with
   * @return the fitted GP
   * @throws IllegalStateException if {@link #fit} has not run or ended at a singular matrix
   */
  public GaussianProcess fittedProcess(double[] x, boolean[] categorical) {
    if (fitted == null || !lastValid) {
      throw new IllegalStateException("fittedProcess needs a successful fit first");
    }
    return new GaussianProcess(x, n, d, categorical, fitted,
        new GaussianProcess.Factors(chol.lower().clone(), alpha.clone(), kinv.clone()));
  }
}
