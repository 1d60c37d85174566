package dev.bilevel.hpo.samplers.tpe;

import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import dev.bilevel.hpo.internal.Argsort;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Parzen estimator of TPE: a mixture of product kernels, one kernel per observation plus one
 * for the prior (Bergstra, Bardenet, Bengio and Kégl, "Algorithms for hyper-parameter
 * optimization", NeurIPS 2011; the components as analysed by Watanabe, "Tree-structured Parzen
 * estimator: understanding its algorithm components and their roles for better empirical
 * performance", arXiv:2304.11127, 2023), with the kernel rules of Optuna 5.0.
 *
 * <p>A numeric parameter lives in an <em>internal space</em> {@code [L, H]}: its range widened
 * by half a step on each side when it has a step (integers always do), then logged when it is
 * log-scaled. Kernel {@code k} is a normal {@code N(μ_k, σ_k²)} truncated to {@code [L, H]}; for a
 * stepped parameter the probability of value {@code x} is the kernel's mass on the cell {@code
 * [x − s/2, x + s/2]} (mapped to the internal space). The prior kernel sits at the centre with
 * {@code σ = H − L}. Bandwidth of an observation's kernel: the larger distance to the neighbouring
 * observations, {@code L} and {@code H} counting as neighbours, except that the two extreme
 * observations use their inner neighbour only unless {@code considerEndpoints}; then the magic
 * clip bounds it below by {@code (H − L) / min(100, 1 + K)} ({@code K} the number of kernels, prior
 * included) and above by {@code H − L}. The same rule serves univariate and multivariate TPE.
 *
 * <p>A categorical kernel puts mass {@code (1 + w/K)/(1 + c w/K)} on its observed choice and
 * {@code (w/K)/(1 + c w/K)} on each other one ({@code w} the prior weight, {@code c} the number of
 * choices); the prior kernel is uniform. Mixture weights are the observation weights with the
 * prior weight appended, normalized.
 */
public final class ParzenEstimator {

  /**
   * Estimator settings.
   *
   * @param priorWeight weight of the prior kernel, {@code > 0}
   * @param considerMagicClip whether to clip bandwidths below as described
   * @param considerEndpoints whether the extreme kernels also measure to the domain ends
   */
  public record Parameters(
      double priorWeight, boolean considerMagicClip, boolean considerEndpoints) {
    /** Validates the prior weight. */
    public Parameters {
      if (!(priorWeight > 0) || !Double.isFinite(priorWeight)) {
        throw new IllegalArgumentException("priorWeight must be positive, got " + priorWeight);
      }
    }
  }

  private static final int CONTINUOUS = 0;
  private static final int DISCRETE = 1;
  private static final int CATEGORICAL = 2;
  /** Terms of a log-sum-exp this far below its largest are dropped (see {@link #logSumExp}). */
  private static final double LOG_SUM_CUTOFF = 40;

  private final List<Distribution> space;
  private final int nKernels;
  private final double[] weights;
  private final double[] cumWeights;
  private final int[] kinds;
  private final boolean[] logScale;
  private final double[] lows;
  private final double[] highs;
  private final double[] steps;
  private final double[][] mus;
  private final double[][] sigmas;
  /** Per continuous dimension and kernel: {@code 1/σ}. */
  private final double[][] invSigmas;
  /** Per dimension and kernel: log of the normalizing mass over the (extended) domain. */
  private final double[][] logMass;
  /**
   * Per numeric dimension and kernel, filled on the kernel's first draw ({@code NaN} until then):
   * {@code Φ(a_k)}, {@code Φ(−b_k)} and {@code Φ(b_k) − Φ(a_k)}, for the linear-space quantile.
   */
  private final double[][] lowerTails;
  private final double[][] upperTails;
  private final double[][] masses;
  /** Per categorical dimension: [kernel][choice] probabilities and their logs. */
  private final double[][][] catProbs;
  private final double[][][] catLogProbs;
  /** Per kernel: log weight minus the continuous normalizers. */
  private final double[] base;

  /**
   * The log masses {@code log(Φ(b_k) − Φ(a_k))} of the first {@code n} kernels of one numeric
   * dimension over its internal domain {@code [low, high]} ({@code a_k = (low − μ_k)/σ_k}, {@code
   * b_k = (high − μ_k)/σ_k}) and, for a continuous dimension, their log normalizers {@code log √(2π)
   * + log σ_k + logMass_k}. An implementation may recall values computed for the same kernel
   * centre, bandwidth and domain in an earlier fit instead of recomputing them; they must be
   * exactly those of {@link #UNCACHED}.
   */
  @FunctionalInterface
  public interface Normalizers {
    /** Computes every value afresh. */
    Normalizers UNCACHED = (dim, low, high, mu, sigma, n, logMass, logNorm) ->
        computeNormalizers(low, high, mu, sigma, null, n, logMass, logNorm);

    /**
     * Fills the first {@code n} entries of the outputs.
     *
     * @param dim the dimension (index into the estimator's space)
     * @param low lower end of the internal domain
     * @param high upper end of the internal domain
     * @param mu kernel centres (not modified)
     * @param sigma kernel bandwidths (not modified)
     * @param n how many kernels
     * @param logMass modified: the log masses
     * @param logNorm modified: the log normalizers, or {@code null} for a stepped dimension
     */
    void fill(int dim, double low, double high, double[] mu, double[] sigma, int n,
        double[] logMass, double[] logNorm);
  }

  /**
   * {@link Normalizers} entries of some kernels, computed.
   *
   * @param low lower end of the internal domain
   * @param high upper end of the internal domain
   * @param mu kernel centres
   * @param sigma kernel bandwidths
   * @param kernels the kernels' indices, or {@code null} for {@code 0..count−1}
   * @param count how many kernels
   * @param logMass modified at those indices: the log masses
   * @param logNorm modified at those indices, unless {@code null}: the log normalizers
   */
  static void computeNormalizers(double low, double high, double[] mu, double[] sigma,
      int[] kernels, int count, double[] logMass, double[] logNorm) {
    double lastSigma = Double.NaN;
    double logSigma = Double.NaN;
    for (int i = 0; i < count; i++) {
      int k = kernels == null ? i : kernels[i];
      logMass[k] = TruncNorm.logGaussMass((low - mu[k]) / sigma[k], (high - mu[k]) / sigma[k]);
      if (logNorm != null) {
        // Clipped bandwidths repeat: reuse the last logarithm.
        if (sigma[k] != lastSigma) {
          lastSigma = sigma[k];
          logSigma = Math.log(lastSigma);
        }
        logNorm[k] = TruncNorm.LOG_SQRT_2PI + logSigma + logMass[k];
      }
    }
  }

  /**
   * Fits the estimator.
   *
   * @param space the parameters' distributions, in a fixed order
   * @param observations {@code [n][d]} observed internal values ({@link Distribution#toInternal})
   * @param observationWeights {@code n} non-negative weights of the observations (not all zero
   *     when {@code n > 0})
   * @param parameters the settings
   */
  public ParzenEstimator(
      List<Distribution> space, double[][] observations, double[] observationWeights,
      Parameters parameters) {
    this(space, transpose(observations, space.size()), null, observationWeights, parameters,
        Normalizers.UNCACHED);
  }

  /**
   * Fits the estimator from observations stored by column, reusing known value orders and
   * kernel normalizers.
   *
   * @param space the parameters' distributions, in a fixed order
   * @param columns {@code [d][n]} observed internal values ({@link Distribution#toInternal}), one
   *     array of the same length per parameter
   * @param orders per dimension, the permutation sorting that column ascending, or {@code null}
   *     (entirely or per dimension) to sort here
   * @param observationWeights at least {@code n} non-negative weights of the observations (the
   *     first {@code n} are used; not all zero when {@code n > 0})
   * @param parameters the settings
   * @param normalizers how the observations' kernel normalizers are obtained
   */
  public ParzenEstimator(
      List<Distribution> space, double[][] columns, int[][] orders,
      double[] observationWeights, Parameters parameters, Normalizers normalizers) {
    int dims = space.size();
    int n = dims > 0 ? columns[0].length : 0;
    this.space = List.copyOf(space);
    this.nKernels = n + 1;
    weights = new double[nKernels];
    if (n == 0) {
      weights[0] = 1.0;
    } else {
      System.arraycopy(observationWeights, 0, weights, 0, n);
      weights[n] = parameters.priorWeight();
    }
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    cumWeights = new double[nKernels];
    double acc = 0;
    for (int k = 0; k < nKernels; k++) {
      weights[k] /= total;
      acc += weights[k];
      cumWeights[k] = acc;
    }
    kinds = new int[dims];
    logScale = new boolean[dims];
    lows = new double[dims];
    highs = new double[dims];
    steps = new double[dims];
    mus = new double[dims][];
    sigmas = new double[dims][];
    invSigmas = new double[dims][];
    logMass = new double[dims][];
    lowerTails = new double[dims][];
    upperTails = new double[dims][];
    masses = new double[dims][];
    catProbs = new double[dims][][];
    catLogProbs = new double[dims][][];
    base = new double[nKernels];
    for (int k = 0; k < nKernels; k++) {
      base[k] = Math.log(weights[k]);
    }
    for (int d = 0; d < dims; d++) {
      double[] obs = n == 0 ? new double[0] : columns[d];
      Distribution dist = space.get(d);
      if (dist instanceof CategoricalDistribution c) {
        kinds[d] = CATEGORICAL;
        fitCategorical(d, obs, n, c.choices().size(), parameters.priorWeight());
      } else {
        fitNumeric(d, obs, n, orders == null ? null : orders[d], dist, parameters, normalizers);
      }
    }
  }

  private static double[][] transpose(double[][] rows, int dims) {
    double[][] out = new double[dims][rows.length];
    for (int i = 0; i < rows.length; i++) {
      for (int d = 0; d < dims; d++) {
        out[d][i] = rows[i][d];
      }
    }
    return out;
  }

  private void fitCategorical(int d, double[] obs, int n, int nChoices, double priorWeight) {
    double[][] p = new double[nKernels][nChoices];
    for (int k = 0; k < nKernels; k++) {
      if (k < n) {
        Arrays.fill(p[k], priorWeight / nKernels);
        p[k][(int) obs[k]] += 1.0;
        double s = 1.0 + priorWeight * nChoices / nKernels;
        for (int c = 0; c < nChoices; c++) {
          p[k][c] /= s;
        }
      } else {
        Arrays.fill(p[k], 1.0 / nChoices);
      }
    }
    double[][] lp = new double[nKernels][nChoices];
    for (int k = 0; k < nKernels; k++) {
      for (int c = 0; c < nChoices; c++) {
        lp[k][c] = Math.log(p[k][c]);
      }
    }
    catProbs[d] = p;
    catLogProbs[d] = lp;
  }

  private void fitNumeric(int d, double[] obs, int n, int[] order, Distribution dist,
      Parameters par, Normalizers normalizers) {
    boolean log;
    double low;
    double high;
    double step;
    if (dist instanceof FloatDistribution f) {
      log = f.log();
      step = f.step() == null ? 0 : f.step();
      low = f.low() - step / 2;
      high = f.high() + step / 2;
    } else {
      IntDistribution i = (IntDistribution) dist;
      log = i.log();
      step = i.step();
      low = i.low() - step / 2;
      high = i.high() + step / 2;
    }
    if (log) {
      low = Math.log(low);
      high = Math.log(high);
    }
    logScale[d] = log;
    lows[d] = low;
    highs[d] = high;
    steps[d] = step;
    kinds[d] = step > 0 ? DISCRETE : CONTINUOUS;
    double[] mu = new double[nKernels];
    for (int i = 0; i < n; i++) {
      mu[i] = log ? Math.log(obs[i]) : obs[i];
    }
    double width = high - low;
    double[] sigma = new double[nKernels];
    if (n > 0) {
      bandwidths(mu, n, order, sigma, low, high, par.considerEndpoints());
      double minSigma = par.considerMagicClip() ? width / Math.min(100.0, 1.0 + nKernels) : 1e-12;
      for (int i = 0; i < n; i++) {
        sigma[i] = Math.min(Math.max(sigma[i], minSigma), width);
      }
    }
    mu[n] = 0.5 * (low + high);
    sigma[n] = width;
    double[] lm = new double[nKernels];
    double[] norm = step == 0 ? new double[nKernels] : null;
    normalizers.fill(d, low, high, mu, sigma, n, lm, norm);
    computeNormalizers(low, high, mu, sigma, new int[] {n}, 1, lm, norm);
    if (norm != null) {
      double[] inv = new double[nKernels];
      for (int k = 0; k < nKernels; k++) {
        base[k] -= norm[k];
        inv[k] = 1.0 / sigma[k];
      }
      invSigmas[d] = inv;
    }
    mus[d] = mu;
    sigmas[d] = sigma;
    logMass[d] = lm;
  }

  /**
   * Bandwidths of the first {@code n} kernel centres: the larger distance to the neighbouring
   * centres, the domain ends counting as neighbours (the extreme centres use only their inner
   * neighbour unless {@code considerEndpoints}).
   */
  private static void bandwidths(
      double[] mu, int n, int[] knownOrder, double[] sigma, double lo, double hi,
      boolean considerEndpoints) {
    int[] order = knownOrder != null ? knownOrder : Argsort.argsort(mu, n);
    double[] s = new double[n + 2];
    s[0] = lo;
    for (int i = 0; i < n; i++) {
      s[i + 1] = mu[order[i]];
    }
    s[n + 1] = hi;
    double[] sorted = new double[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = Math.max(s[i + 1] - s[i], s[i + 2] - s[i + 1]);
    }
    if (!considerEndpoints && n + 2 >= 4) {
      sorted[0] = s[2] - s[1];
      sorted[n - 1] = s[n] - s[n - 1];
    }
    for (int i = 0; i < n; i++) {
      sigma[order[i]] = sorted[i];
    }
  }

  /**
   * Draws points: a kernel by its weight, then each coordinate from that kernel; numeric draws go
   * through the truncated-normal quantile function, stepped ones are rounded to the grid, and all
   * are mapped back from the internal space.
   *
   * @param rng the generator
   * @param size the number of points
   * @return {@code [size][d]} internal values contained in the distributions
   */
  public double[][] sample(SplittableRandom rng, int size) {
    int dims = space.size();
    double[][] out = new double[size][dims];
    for (int i = 0; i < size; i++) {
      double u = rng.nextDouble();
      int k = Arrays.binarySearch(cumWeights, u);
      k = Math.min(k >= 0 ? k + 1 : -k - 1, nKernels - 1);
      for (int d = 0; d < dims; d++) {
        out[i][d] = sampleDim(rng, d, k);
      }
    }
    return out;
  }

  private double sampleDim(SplittableRandom rng, int d, int k) {
    if (kinds[d] == CATEGORICAL) {
      double[] p = catProbs[d][k];
      double u = rng.nextDouble();
      double acc = 0;
      for (int c = 0; c < p.length; c++) {
        acc += p[c];
        if (u < acc) {
          return c;
        }
      }
      return p.length - 1;
    }
    double lo = lows[d];
    double hi = highs[d];
    double mu = mus[d][k];
    double sigma = sigmas[d][k];
    double a = (lo - mu) / sigma;
    double b = (hi - mu) / sigma;
    if (masses[d] == null) {
      masses[d] = new double[nKernels];
      Arrays.fill(masses[d], Double.NaN);
      lowerTails[d] = new double[nKernels];
      upperTails[d] = new double[nKernels];
    }
    if (Double.isNaN(masses[d][k])) {
      masses[d][k] = Math.exp(logMass[d][k]);
      lowerTails[d][k] = TruncNorm.ndtr(a);
      upperTails[d][k] = TruncNorm.ndtr(-b);
    }
    double z = TruncNorm.ppf(rng.nextDouble(), a, b, logMass[d][k], lowerTails[d][k],
        upperTails[d][k], masses[d][k]);
    double x = Math.min(Math.max(mu + sigma * z, lo), hi);
    return toInternal(d, logScale[d] ? Math.exp(x) : x);
  }

  /** Rounds a drawn value to its distribution's grid and range. */
  private double toInternal(int d, double v) {
    Distribution dist = space.get(d);
    if (dist instanceof IntDistribution i) {
      double r = i.low() + Math.rint((v - i.low()) / i.step()) * i.step();
      return Math.min(Math.max(r, i.low()), i.high());
    }
    FloatDistribution f = (FloatDistribution) dist;
    if (f.step() != null) {
      double r = f.low() + Math.rint((v - f.low()) / f.step()) * f.step();
      return Math.min(Math.max(r, f.low()), f.high());
    }
    return Math.min(Math.max(v, f.low()), f.high());
  }

  /**
   * The log density of the mixture at each point: {@code log Σ_k w_k Π_d p_kd(x_d)}.
   *
   * @param points {@code [m][d]} internal values
   * @return {@code m} log densities
   */
  public double[] logPdf(double[][] points) {
    int m = points.length;
    double[] out = new double[m];
    double[] row = new double[nKernels];
    for (int i = 0; i < m; i++) {
      System.arraycopy(base, 0, row, 0, nKernels);
      double[] point = points[i];
      for (int d = 0; d < space.size(); d++) {
        if (!addLogKernels(d, point[d], row)) {
          break;
        }
      }
      out[i] = logSumExp(row);
    }
    return out;
  }

  /**
   * Adds each kernel's log density (or log mass) of dimension {@code d} at internal value {@code
   * v} to {@code row}; returns false, with {@code row} set to {@code −∞}, when {@code v} lies
   * outside a continuous domain.
   */
  private boolean addLogKernels(int d, double v, double[] row) {
    if (kinds[d] == CATEGORICAL) {
      double[][] clp = catLogProbs[d];
      int c = (int) v;
      for (int k = 0; k < nKernels; k++) {
        row[k] += clp[k][c];
      }
      return true;
    }
    double[] mu = mus[d];
    if (kinds[d] == CONTINUOUS) {
      double x = logScale[d] ? Math.log(v) : v;
      if (x < lows[d] || x > highs[d]) {
        Arrays.fill(row, Double.NEGATIVE_INFINITY);
        return false;
      }
      double[] inv = invSigmas[d];
      for (int k = 0; k < nKernels; k++) {
        double z = (x - mu[k]) * inv[k];
        row[k] -= 0.5 * z * z;
      }
      return true;
    }
    double[] sigma = sigmas[d];
    double half = steps[d] / 2;
    double left = logScale[d] ? Math.log(v - half) : v - half;
    double right = logScale[d] ? Math.log(v + half) : v + half;
    double[] lm = logMass[d];
    for (int k = 0; k < nKernels; k++) {
      row[k] += TruncNorm.logGaussMass((left - mu[k]) / sigma[k], (right - mu[k]) / sigma[k])
          - lm[k];
    }
    return true;
  }

  private static double logSumExp(double[] v) {
    // A compare and branch rather than Math.max: the running maximum rarely changes, so the
    // branch predicts well and the loop carries no latency chain.
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      if (!(x <= max)) {
        if (Double.isNaN(x)) {
          return x;
        }
        max = x;
      }
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double s = 0;
    for (double x : v) {
      // A term below e^−40 of the largest changes the sum by less than 4.3e-18 of it (and all
      // of them together by less than n·4.3e-18): skipping saves the exp.
      if (x - max > -LOG_SUM_CUTOFF) {
        s += Math.exp(x - max);
      }
    }
    return max + Math.log(s);
  }
}
