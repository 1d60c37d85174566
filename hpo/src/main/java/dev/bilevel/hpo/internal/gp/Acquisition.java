package dev.bilevel.hpo.internal.gp;

import dev.bilevel.hpo.internal.math.StandardNormal;
import java.util.List;

/**
 * The acquisition function maximized by the GP sampler, on standardized scores that are to be
 * <em>maximized</em>:
 *
 * <pre>
 *   a(x) = log EI(x) + Σ_c log P(c(x) ≤ t_c)
 *   log EI(x)         = log σ(x) + log h((μ(x) − f*)/σ(x)),    h(z) = φ(z) + zΦ(z)
 *   σ²(x)             = posterior variance + 1e-12 (Optuna's stabilizing noise)
 *   log P(c(x) ≤ t_c) = log Φ((t_c − μ_c(x))/σ_c(x))
 * </pre>
 *
 * <p>{@code f*} is the incumbent chosen by the caller (the GP sampler takes the largest feasible
 * score, as Optuna). Log-EI follows Ament
 * et al., "Unexpected improvements to expected improvement for Bayesian optimization", NeurIPS
 * 2023; the feasibility term follows Gardner et al., "Bayesian optimization with inequality
 * constraints", ICML 2014 (constraint GPs on standardized constraint values, threshold {@code t_c}
 * the standardized 0). With constraints but no feasible trial yet, the EI term is dropped and the
 * probability of feasibility alone is maximized, as Optuna does. Immutable; thread-safe.
 */
public final class Acquisition {
  /** Added to the posterior variance of the objective, as Optuna's {@code LogEI}. */
  static final double STABILIZING_NOISE = 1e-12;

  private final GaussianProcess objective;
  private final double best;
  private final List<GaussianProcess> constraints;
  private final double[] thresholds;
  private final int d;

  /**
   * Builds the acquisition.
   *
   * @param objective the GP on standardized scores, or {@code null} to maximize feasibility only
   * @param best the incumbent {@code f*} on the standardized scale (ignored without objective)
   * @param constraints GPs on standardized constraint values (may be empty)
   * @param thresholds the standardized zero of each constraint
   * @param d the dimension
   */
  public Acquisition(
      GaussianProcess objective, double best, List<GaussianProcess> constraints,
      double[] thresholds, int d) {
    this.objective = objective;
    this.best = best;
    this.constraints = List.copyOf(constraints);
    this.thresholds = thresholds.clone();
    this.d = d;
  }

  /**
   * Evaluates the acquisition at {@code m} points.
   *
   * @param xs {@code m × d} points, row-major (not modified)
   * @param m the number of points
   * @param out receives the values (modified)
   */
  public void evaluate(double[] xs, int m, double[] out) {
    double[] mean = new double[m];
    double[] var = new double[m];
    java.util.Arrays.fill(out, 0, m, 0.0);
    if (objective != null) {
      objective.posterior(xs, m, mean, var);
      for (int c = 0; c < m; c++) {
        double sd = Math.sqrt(var[c] + STABILIZING_NOISE);
        out[c] += Math.log(sd) + StandardNormal.logH((mean[c] - best) / sd);
      }
    }
    for (int k = 0; k < constraints.size(); k++) {
      constraints.get(k).posterior(xs, m, mean, var);
      for (int c = 0; c < m; c++) {
        out[c] += StandardNormal.logCdf((thresholds[k] - mean[c]) / Math.sqrt(var[c]));
      }
    }
  }

  /**
   * A reusable evaluator of the value and gradient at one point (holds buffers; one per thread).
   *
   * @return a new evaluator
   */
  public Evaluator evaluator() {
    return new Evaluator();
  }

  /** The acquisition with its gradient at one point, using preallocated buffers. */
  public final class Evaluator {
    private final double[] gm = new double[d];
    private final double[] gv = new double[d];
    private final double[] mv = new double[2];
    private final double[][] work;

    private Evaluator() {
      int n = objective != null ? objective.size() : constraints.get(0).size();
      work = new double[3][n];
    }

    /**
     * Evaluates {@code a(x)} and writes {@code ∇a(x)}.
     *
     * @param x the point (not modified)
     * @param grad receives the gradient (modified)
     * @return {@code a(x)}
     */
    public double valueAndGradient(double[] x, double[] grad) {
      java.util.Arrays.fill(grad, 0.0);
      double value = 0;
      if (objective != null) {
        objective.posteriorWithGradient(x, gm, gv, work, mv);
        double sd = Math.sqrt(mv[1] + STABILIZING_NOISE);
        double z = (mv[0] - best) / sd;
        double dlogh = StandardNormal.dLogH(z);
        value += Math.log(sd) + StandardNormal.logH(z);
        for (int j = 0; j < d; j++) {
          double dsd = gv[j] / (2 * sd);
          double dz = (gm[j] - z * dsd) / sd;
          grad[j] += dsd / sd + dlogh * dz;
        }
      }
      for (int k = 0; k < constraints.size(); k++) {
        constraints.get(k).posteriorWithGradient(x, gm, gv, work, mv);
        double sd = Math.sqrt(mv[1]);
        double z = (thresholds[k] - mv[0]) / sd;
        double dl = StandardNormal.dLogCdf(z);
        value += StandardNormal.logCdf(z);
        for (int j = 0; j < d; j++) {
          double dsd = gv[j] / (2 * sd);
          grad[j] += dl * (-gm[j] - z * dsd) / sd;
        }
      }
      return value;
    }
  }
}
