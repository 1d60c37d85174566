package dev.bilevel.hpo.internal.cmaes;

import dev.bilevel.hpo.internal.math.StandardNormal;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The state of one CMA-ES run on the box {@code [0, 1]^N}, following Hansen, "The CMA evolution
 * strategy: a tutorial", arXiv:1604.00772 (2016), with its default parameters and negative
 * ("active") recombination weights, and two variants:
 *
 * <ul>
 *   <li><b>separable</b> (sep-CMA-ES, Ros and Hansen, PPSN 2008): a diagonal covariance, learning
 *       rates {@code c_1, c_μ} scaled by {@code (N + 2)/3};
 *   <li><b>margin</b> for discrete coordinates (CMA-ES with Margin, Hamano et al., GECCO 2022):
 *       samples are {@code x = m + σ·A∘(BDz)} with a diagonal {@code A ≥ 1}; after each update,
 *       for each discrete coordinate whose cell {@code [ℓ, u]} (the points rounding to the value
 *       nearest the mean) has neighbours on both sides, {@code A_j} is set so that the marginal
 *       probability of leaving the cell on either side is at least {@code α/2}; at the edge of the
 *       range the mean is moved towards the open side so that the probability of crossing it is at
 *       least {@code α}; {@code α = 1/(Nλ)} by default.
 * </ul>
 *
 * <p>Usage: {@link #sample} candidates (a pure function of the state and the generator), then
 * {@link #tell} exactly {@code λ} evaluated candidates; {@link #shouldStop} reports the
 * termination criteria used for restarts (flat fitness over {@code 10 + ⌈30N/λ⌉} generations,
 * {@code σ·√C_ii} and {@code σ·p_c} below {@code tolX}, condition number above {@code 1e14}).
 * Mutable and not thread-safe; the sampler rebuilds it by replaying the stored generations.
 */
public final class CmaEs {
  private static final double EPS = 1e-30;

  private final int n;
  private final int lambda;
  private final int mu;
  private final double[] weights;
  private final double muEff;
  private final double cc;
  private final double cSigma;
  private final double c1;
  private final double cMu;
  private final double dSigma;
  private final double chiN;
  private final boolean separable;
  private final boolean[] discrete;
  private final double margin;
  private final double tolX;
  private final double[] cellBuffer = new double[2];
  private final CellFunction cells;

  private final double[] mean;
  private double sigma;
  private final double[][] c;
  private final double[][] b;
  private final double[] dDiag;
  private final double[] pSigma;
  private final double[] pc;
  private final double[] a;
  private int generation;
  private final double[] bestHistory;
  private double lastMin;
  private double lastMax;

  /** The cell {@code [lo, hi]} of the discrete value nearest to a unit coordinate. */
  @FunctionalInterface
  public interface CellFunction {
    /**
     * Writes the cell of {@code u} in coordinate {@code j}.
     *
     * @param j the coordinate
     * @param u the unit coordinate
     * @param out receives {@code lo, hi} (modified)
     */
    void cell(int j, double u, double[] out);
  }

  /**
   * Starts a run.
   *
   * @param mean the initial mean (copied)
   * @param sigma the initial step size
   * @param cov the initial covariance (copied), or {@code null} for the identity
   * @param lambda the population size, at least 2
   * @param separable whether to use sep-CMA-ES
   * @param discrete which coordinates get a margin (none when {@code cells} is {@code null})
   * @param cells the cells of discrete coordinates, or {@code null} for no margin
   * @param margin {@code α}, or {@code NaN} for {@code 1/(Nλ)}
   */
  public CmaEs(
      double[] mean, double sigma, double[][] cov, int lambda, boolean separable,
      boolean[] discrete, CellFunction cells, double margin) {
    this.n = mean.length;
    this.lambda = lambda;
    this.mu = lambda / 2;
    this.separable = separable;
    this.discrete = discrete.clone();
    this.cells = cells;
    this.margin = Double.isNaN(margin) ? 1.0 / (n * lambda) : margin;
    this.mean = mean.clone();
    this.sigma = sigma;
    this.tolX = 1e-12 * sigma;
    double[] raw = new double[lambda];
    double sumPos = 0;
    double sumPos2 = 0;
    double sumNeg = 0;
    double sumNeg2 = 0;
    for (int i = 0; i < lambda; i++) {
      raw[i] = Math.log((lambda + 1) / 2.0) - Math.log(i + 1);
      if (raw[i] > 0) {
        sumPos += raw[i];
        sumPos2 += raw[i] * raw[i];
      } else {
        sumNeg -= raw[i];
        sumNeg2 += raw[i] * raw[i];
      }
    }
    muEff = sumPos * sumPos / sumPos2;
    double muEffNeg = sumNeg2 > 0 ? sumNeg * sumNeg / sumNeg2 : 0;
    cSigma = (muEff + 2) / (n + muEff + 5);
    dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
    cc = (4 + muEff / n) / (n + 4 + 2 * muEff / n);
    double alphaCov = 2;
    double c1Full = alphaCov / ((n + 1.3) * (n + 1.3) + muEff);
    double cMuFull = Math.min(1 - c1Full,
        alphaCov * (muEff - 2 + 1 / muEff) / ((n + 2) * (n + 2) + alphaCov * muEff / 2));
    double scale = separable ? (n + 2) / 3.0 : 1;
    c1 = Math.min(1, c1Full * scale);
    cMu = Math.min(1 - c1, cMuFull * scale);
    double alphaMuNeg = 1 + c1 / cMu;
    double alphaMuEffNeg = 1 + 2 * muEffNeg / (muEff + 2);
    double alphaPosDef = (1 - c1 - cMu) / (n * cMu);
    double negScale = Math.min(alphaMuNeg, Math.min(alphaMuEffNeg, alphaPosDef));
    weights = new double[lambda];
    for (int i = 0; i < lambda; i++) {
      weights[i] = raw[i] >= 0 ? raw[i] / sumPos : negScale * raw[i] / sumNeg;
    }
    chiN = Math.sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n));
    c = new double[n][n];
    b = new double[n][n];
    dDiag = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        c[i][j] = cov == null ? (i == j ? 1 : 0) : cov[i][j];
      }
    }
    pSigma = new double[n];
    pc = new double[n];
    a = new double[n];
    Arrays.fill(a, 1);
    bestHistory = new double[10 + (int) Math.ceil(30.0 * n / lambda)];
    Arrays.fill(bestHistory, Double.NaN);
    decompose();
  }

  /**
   * The population size {@code λ}.
   *
   * @return {@code λ}
   */
  public int lambda() {
    return lambda;
  }

  /**
   * The number of completed generations.
   *
   * @return the generation counter
   */
  public int generation() {
    return generation;
  }

  /**
   * The step size.
   *
   * @return {@code σ}
   */
  public double sigma() {
    return sigma;
  }

  /**
   * The mean (a copy).
   *
   * @return {@code m}
   */
  public double[] mean() {
    return mean.clone();
  }

  /**
   * The margin scaling of coordinate {@code j}.
   *
   * @param j the coordinate
   * @return {@code A_j ≥ 1}
   */
  public double marginScale(int j) {
    return a[j];
  }

  /**
   * The marginal standard deviation of coordinate {@code j} of the sampling distribution.
   *
   * @param j the coordinate
   * @return {@code σ·A_j·√C_jj}
   */
  public double marginalStd(int j) {
    return sigma * a[j] * Math.sqrt(c[j][j]);
  }

  /**
   * The covariance matrix (a copy).
   *
   * @return {@code C}
   */
  public double[][] covariance() {
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      out[i] = c[i].clone();
    }
    return out;
  }

  /**
   * Draws a candidate in {@code [0, 1]^N}: up to 100 draws of {@code m + σ·A∘(BDz)}, the first
   * inside the box, else the last one clipped to it.
   *
   * @param rng the generator
   * @return the candidate
   */
  public double[] sample(SplittableRandom rng) {
    double[] x = new double[n];
    double[] z = new double[n];
    for (int attempt = 0; attempt < 100; attempt++) {
      for (int i = 0; i < n; i++) {
        z[i] = gaussian(rng) * dDiag[i];
      }
      boolean inside = true;
      for (int i = 0; i < n; i++) {
        double y = 0;
        for (int k = 0; k < n; k++) {
          y += b[i][k] * z[k];
        }
        x[i] = mean[i] + sigma * a[i] * y;
        inside &= x[i] >= 0 && x[i] <= 1;
      }
      if (inside) {
        return x;
      }
    }
    for (int i = 0; i < n; i++) {
      x[i] = Math.min(Math.max(x[i], 0), 1);
    }
    return x;
  }

  /**
   * Updates the distribution with one generation (Hansen 2016, Eq. 39–47 with negative weights).
   *
   * @param xs the {@code λ} candidates
   * @param f their objective values (minimized)
   * @throws IllegalArgumentException unless exactly {@code λ} candidates are given
   */
  public void tell(double[][] xs, double[] f) {
    if (xs.length != lambda || f.length != lambda) {
      throw new IllegalArgumentException(
          "tell needs exactly lambda=" + lambda + " solutions, got " + xs.length);
    }
    Integer[] order = new Integer[lambda];
    for (int i = 0; i < lambda; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (p, q) -> Double.compare(f[p], f[q]));
    generation++;
    bestHistory[(generation - 1) % bestHistory.length] = f[order[0]];
    lastMin = f[order[0]];
    lastMax = f[order[lambda - 1]];

    double[][] y = new double[lambda][n];
    double[] yw = new double[n];
    for (int r = 0; r < lambda; r++) {
      double[] x = xs[order[r]];
      for (int i = 0; i < n; i++) {
        y[r][i] = (x[i] - mean[i]) / (sigma * a[i]);
      }
      if (r < mu) {
        for (int i = 0; i < n; i++) {
          yw[i] += weights[r] * y[r][i];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      mean[i] += sigma * a[i] * yw[i];
    }
    double[] cInvHalfYw = invSqrtTimes(yw);
    double norm = 0;
    double k1 = Math.sqrt(cSigma * (2 - cSigma) * muEff);
    for (int i = 0; i < n; i++) {
      pSigma[i] = (1 - cSigma) * pSigma[i] + k1 * cInvHalfYw[i];
      norm += pSigma[i] * pSigma[i];
    }
    norm = Math.sqrt(norm);
    // Safeguard: the exponent is capped at 1 so that one generation with an
    // unusually long path cannot blow σ up by more than a factor e.
    sigma *= Math.exp(Math.min(1, (cSigma / dSigma) * (norm / chiN - 1)));
    double hSigmaLhs = norm / Math.sqrt(1 - Math.pow(1 - cSigma, 2.0 * generation));
    boolean hSigma = hSigmaLhs < (1.4 + 2.0 / (n + 1)) * chiN;
    double k2 = Math.sqrt(cc * (2 - cc) * muEff);
    for (int i = 0; i < n; i++) {
      pc[i] = (1 - cc) * pc[i] + (hSigma ? k2 * yw[i] : 0);
    }
    double delta = (hSigma ? 0 : 1) * cc * (2 - cc);
    double sumW = 0;
    double[] wCirc = new double[lambda];
    for (int r = 0; r < lambda; r++) {
      sumW += weights[r];
      if (weights[r] >= 0) {
        wCirc[r] = weights[r];
      } else {
        double[] v = invSqrtTimes(y[r]);
        double q = 0;
        for (double vi : v) {
          q += vi * vi;
        }
        wCirc[r] = weights[r] * n / Math.max(q, EPS);
      }
    }
    double decay = 1 + c1 * delta - c1 - cMu * sumW;
    for (int i = 0; i < n; i++) {
      for (int j = separable ? i : 0; j < (separable ? i + 1 : n); j++) {
        double rankMu = 0;
        for (int r = 0; r < lambda; r++) {
          rankMu += wCirc[r] * y[r][i] * y[r][j];
        }
        c[i][j] = decay * c[i][j] + c1 * pc[i] * pc[j] + cMu * rankMu;
      }
    }
    decompose();
    if (cells != null) {
      applyMargin();
    }
  }

  /**
   * Whether the run should stop (and a restart begin).
   *
   * @return {@code true} when a termination criterion holds
   */
  public boolean shouldStop() {
    if (generation >= bestHistory.length) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double v : bestHistory) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      lo = Math.min(lo, lastMin);
      hi = Math.max(hi, lastMax);
      if (hi - lo < 1e-12) {
        return true;
      }
    }
    boolean small = true;
    double maxD = 0;
    double minD = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      small &= sigma * Math.sqrt(c[i][i]) < tolX && sigma * Math.abs(pc[i]) < tolX;
      maxD = Math.max(maxD, dDiag[i]);
      minD = Math.min(minD, dDiag[i]);
    }
    if (small) {
      return true;
    }
    return (maxD / minD) * (maxD / minD) > 1e14 || !Double.isFinite(sigma);
  }

  /** C^(−1/2)·v = B D⁻¹ Bᵀ v. */
  private double[] invSqrtTimes(double[] v) {
    double[] t = new double[n];
    for (int k = 0; k < n; k++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += b[i][k] * v[i];
      }
      t[k] = s / dDiag[k];
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < n; k++) {
        s += b[i][k] * t[k];
      }
      out[i] = s;
    }
    return out;
  }

  /** Symmetrizes C and computes C = B·diag(D²)·Bᵀ with EJML (diagonal: trivially). */
  private void decompose() {
    if (separable) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          b[i][j] = i == j ? 1 : 0;
          if (i != j) {
            c[i][j] = 0;
          }
        }
        c[i][i] = Math.max(c[i][i], EPS);
        dDiag[i] = Math.sqrt(c[i][i]);
      }
      return;
    }
    DMatrixRMaj m = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double v = 0.5 * (c[i][j] + c[j][i]);
        c[i][j] = v;
        m.set(i, j, v);
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(m)) {
      throw new IllegalStateException("CMA-ES: eigendecomposition of C failed");
    }
    for (int k = 0; k < n; k++) {
      double ev = Math.max(eig.getEigenvalue(k).getReal(), EPS);
      dDiag[k] = Math.sqrt(ev);
      DMatrixRMaj v = eig.getEigenVector(k);
      for (int i = 0; i < n; i++) {
        b[i][k] = v.get(i, 0);
      }
    }
    // C = B D² Bᵀ with the clamped eigenvalues, so that later updates start from a valid matrix.
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += b[i][k] * dDiag[k] * dDiag[k] * b[j][k];
        }
        c[i][j] = s;
      }
    }
  }

  private void applyMargin() {
    double zBoth = StandardNormal.inverseCdf(1 - margin / 2);
    double zOne = StandardNormal.inverseCdf(1 - margin);
    for (int j = 0; j < n; j++) {
      if (!discrete[j]) {
        continue;
      }
      double base = sigma * Math.sqrt(c[j][j]);
      cells.cell(j, mean[j], cellBuffer);
      double lo = cellBuffer[0];
      double hi = cellBuffer[1];
      boolean hasLow = lo > 0;
      boolean hasHigh = hi < 1;
      if (hasLow && hasHigh) {
        double need = Math.max(mean[j] - lo, hi - mean[j]) / (zBoth * base);
        a[j] = Math.max(1, need);
      } else {
        a[j] = 1;
        double s = base;
        if (hasHigh && hi - mean[j] > zOne * s) {
          mean[j] = hi - zOne * s;
        } else if (hasLow && mean[j] - lo > zOne * s) {
          mean[j] = lo + zOne * s;
        }
      }
    }
  }

  /** A standard normal deviate by the polar method (deterministic for the generator). */
  static double gaussian(SplittableRandom rng) {
    while (true) {
      double u = 2 * rng.nextDouble() - 1;
      double v = 2 * rng.nextDouble() - 1;
      double s = u * u + v * v;
      if (s > 0 && s < 1) {
        return u * Math.sqrt(-2 * Math.log(s) / s);
      }
    }
  }
}
