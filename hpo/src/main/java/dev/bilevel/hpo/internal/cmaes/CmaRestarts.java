package dev.bilevel.hpo.internal.cmaes;

import dev.bilevel.hpo.internal.space.UnitSpace;
import dev.bilevel.hpo.samplers.CmaEsSampler.Restart;
import dev.bilevel.hpo.samplers.TrialRandom;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A sequence of CMA-ES runs with restarts, replayed deterministically.
 *
 * <ul>
 *   <li>{@code NONE}: one run;
 *   <li>{@code IPOP} (Auger and Hansen, "A restart CMA evolution strategy with increasing
 *       population size", CEC 2005): after a run stops, a new one starts at a uniform random mean
 *       with {@code λ ← inc·λ} and the initial {@code σ₀};
 *   <li>{@code BIPOP} (Hansen, "Benchmarking a BI-population CMA-ES on the BBOB-2009 function
 *       testbed", GECCO 2009): while the evaluations spent in small-population runs are fewer than
 *       those in large-population runs, a small run with {@code λ = ⌊λ₀·(λ_large/λ₀)^(U²)⌋} and
 *       {@code σ = σ₀·10^(−2U)} ({@code U} uniform) starts; otherwise a large run with the next
 *       {@code λ_large = inc^k·λ₀}.
 * </ul>
 *
 * <p>The random numbers of restart {@code r} come from {@code TrialRandom.of(seed, r,
 * "cma:restart")}, so the runs are a pure function of the seed and the told generations.
 */
public final class CmaRestarts {

  /**
   * The current run.
   *
   * @param restart the restart index (0 for the first run)
   * @param cma the run's state
   */
  public record State(int restart, CmaEs cma) {}

  /**
   * A Gaussian start {@code N(mean, σ²·C)}.
   *
   * @param mean the mean
   * @param sigma the step size
   * @param cov the covariance
   */
  public record WarmStart(double[] mean, double sigma, double[][] cov) {}

  private final UnitSpace space;
  private final long seed;
  private final Restart strategy;
  private final int inc;
  private final int lambda0;
  private final double sigma0;
  private final boolean margin;
  private final boolean separable;
  private State state;
  private long smallEvals;
  private long largeEvals;
  private int largeRuns;
  private boolean currentIsSmall;

  /**
   * Starts the first run.
   *
   * @param space the unit space (discrete coordinates get a margin when enabled)
   * @param seed the seed
   * @param strategy the restart strategy
   * @param inc the population growth factor
   * @param popsize the initial population, or {@code null} for {@code 4 + ⌊3 ln N⌋}
   * @param sigma0 the initial step size
   * @param margin whether discrete coordinates get a margin
   * @param separable whether to use sep-CMA-ES
   * @param warm a warm start for the first run, or {@code null} for the centre and {@code σ₀}
   */
  public CmaRestarts(
      UnitSpace space, long seed, Restart strategy, int inc, Integer popsize, double sigma0,
      boolean margin, boolean separable, WarmStart warm) {
    this.space = space;
    this.seed = seed;
    this.strategy = strategy;
    this.inc = inc;
    int n = space.dim();
    this.lambda0 = popsize != null ? popsize : 4 + (int) Math.floor(3 * Math.log(n));
    this.sigma0 = sigma0;
    this.margin = margin;
    this.separable = separable;
    double[] mean = new double[n];
    java.util.Arrays.fill(mean, 0.5);
    state = warm == null
        ? new State(0, run(mean, sigma0, null, lambda0))
        : new State(0, run(warm.mean(), warm.sigma(), warm.cov(), lambda0));
  }

  private CmaEs run(double[] mean, double sigma, double[][] cov, int lambda) {
    int n = space.dim();
    boolean[] discrete = new boolean[n];
    boolean any = false;
    for (int j = 0; j < n; j++) {
      discrete[j] = margin && space.isDiscrete(j);
      any |= discrete[j];
    }
    return new CmaEs(
        mean, sigma, cov, lambda, separable, discrete, any ? space::cell : null, Double.NaN);
  }

  /**
   * The current run.
   *
   * @return the state
   */
  public State current() {
    return state;
  }

  /**
   * Tells the current run one generation and restarts it if it stopped.
   *
   * @param xs the {@code λ} candidates
   * @param f their values (minimized)
   */
  public void tell(double[][] xs, double[] f) {
    CmaEs cma = state.cma();
    cma.tell(xs, f);
    if (currentIsSmall) {
      smallEvals += cma.lambda();
    } else {
      largeEvals += cma.lambda();
    }
    if (strategy == Restart.NONE || !cma.shouldStop()) {
      return;
    }
    int r = state.restart() + 1;
    SplittableRandom rng = TrialRandom.of(seed, r, "cma:restart");
    double[] mean = new double[space.dim()];
    for (int j = 0; j < mean.length; j++) {
      mean[j] = rng.nextDouble();
    }
    int lambda;
    double sigma = sigma0;
    if (strategy == Restart.BIPOP && smallEvals < largeEvals) {
      double u = rng.nextDouble();
      double largest = lambda0 * Math.pow(inc, largeRuns);
      lambda = Math.max(2, (int) Math.floor(lambda0 * Math.pow(0.5 * largest / lambda0, u * u)));
      sigma = sigma0 * Math.pow(10, -2 * u);
      currentIsSmall = true;
    } else {
      largeRuns++;
      lambda = (int) Math.min(lambda0 * Math.pow(inc, largeRuns), 1 << 20);
      currentIsSmall = false;
    }
    state = new State(r, run(mean, sigma, null, lambda));
  }

  /**
   * The promising distribution of WS-CMA-ES (Nomura et al., AAAI 2021, Eq. 9–10): {@code m} the
   * mean of the best points, {@code Σ = α²I + (1/k)Σ_i (x_i − m)(x_i − m)ᵀ}, returned as {@code σ
   * = det(Σ)^(1/(2N))} and {@code C = Σ/σ²}.
   *
   * @param best the best source points in unit space, at least one
   * @param alpha the prior standard deviation {@code α} (0.1 in the paper)
   * @return the start
   */
  public static WarmStart promisingDistribution(List<double[]> best, double alpha) {
    int n = best.get(0).length;
    double[] mean = new double[n];
    for (double[] x : best) {
      for (int j = 0; j < n; j++) {
        mean[j] += x[j] / best.size();
      }
    }
    double[][] cov = new double[n][n];
    DMatrixRMaj sigmaMat = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = i == j ? alpha * alpha : 0;
        for (double[] x : best) {
          s += (x[i] - mean[i]) * (x[j] - mean[j]) / best.size();
        }
        cov[i][j] = s;
        sigmaMat.set(i, j, s);
      }
    }
    double logDet = Math.log(CommonOps_DDRM.det(sigmaMat));
    double sigma = Math.exp(logDet / (2 * n));
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        cov[i][j] /= sigma * sigma;
      }
    }
    return new WarmStart(mean, sigma, cov);
  }
}
