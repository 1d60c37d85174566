package dev.bilevel.hpo.internal.gp;

import dev.bilevel.hpo.internal.math.Lbfgsb;
import dev.bilevel.hpo.internal.space.UnitSpace;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Maximizes an {@link Acquisition} over a {@link UnitSpace} from many starts, in the manner of
 * Optuna's {@code optim_mixed}:
 *
 * <ol>
 *   <li>score {@code nCandidates} uniform random points (discrete coordinates snapped to their
 *       grid, categorical ones drawn uniformly) plus the given incumbents, in one batch;
 *   <li>from the {@code nLocal} best of them, run bounded {@link Lbfgsb} on the numeric
 *       coordinates of the unit cube (discrete ones relaxed), categorical coordinates held;
 *   <li>snap discrete coordinates, then sweep each categorical coordinate once over its choices;
 *   <li>return the best point seen.
 * </ol>
 *
 * <p>Deterministic for a given generator.
 */
public final class AcquisitionOptimizer {
  private final int nCandidates;
  private final int nLocal;
  private final int maxIter;

  /**
   * Configures the search.
   *
   * @param nCandidates random candidates scored in the first stage
   * @param nLocal local searches started from the best candidates
   * @param maxIter iteration limit of each local search
   */
  public AcquisitionOptimizer(int nCandidates, int nLocal, int maxIter) {
    this.nCandidates = nCandidates;
    this.nLocal = nLocal;
    this.maxIter = maxIter;
  }

  /**
   * Finds a maximizer.
   *
   * @param acq the acquisition
   * @param space the space (its coordinate kinds)
   * @param incumbents unit-space points always considered as starts (e.g. the best trial)
   * @param rng the generator for the random candidates
   * @return the best point found, in unit space, discrete coordinates snapped
   */
  public double[] maximize(
      Acquisition acq, UnitSpace space, List<double[]> incumbents, SplittableRandom rng) {
    int d = space.dim();
    int m = nCandidates + incumbents.size();
    double[] xs = new double[m * d];
    for (int c = 0; c < incumbents.size(); c++) {
      System.arraycopy(incumbents.get(c), 0, xs, c * d, d);
    }
    for (int c = incumbents.size(); c < m; c++) {
      for (int j = 0; j < d; j++) {
        xs[c * d + j] = space.isCategorical(j)
            ? rng.nextInt(space.choices(j))
            : space.snap(j, rng.nextDouble());
      }
    }
    double[] values = new double[m];
    acq.evaluate(xs, m, values);
    Integer[] order = new Integer[m];
    for (int c = 0; c < m; c++) {
      order[c] = c;
    }
    Arrays.sort(order, (p, q) -> Double.compare(finite(values[q]), finite(values[p])));
    double[] best = Arrays.copyOfRange(xs, order[0] * d, order[0] * d + d);
    double bestValue = values[order[0]];

    Acquisition.Evaluator eval = acq.evaluator();
    Lbfgsb lbfgs = new Lbfgsb(10);
    double[] lower = new double[d];
    double[] upper = new double[d];
    double[] x = new double[d];
    double[] one = new double[1];
    boolean anyNumeric = false;
    for (int j = 0; j < d; j++) {
      anyNumeric |= !space.isCategorical(j);
    }
    for (int s = 0; s < Math.min(nLocal, m); s++) {
      System.arraycopy(xs, order[s] * d, x, 0, d);
      if (anyNumeric) {
        for (int j = 0; j < d; j++) {
          lower[j] = space.isCategorical(j) ? x[j] : 0;
          upper[j] = space.isCategorical(j) ? x[j] : 1;
        }
        lbfgs.minimize(
            (p, g) -> {
              double v = eval.valueAndGradient(p, g);
              for (int j = 0; j < d; j++) {
                g[j] = -g[j];
              }
              return Double.isFinite(v) ? -v : Double.POSITIVE_INFINITY;
            },
            x, lower, upper, maxIter, 1e-5);
        for (int j = 0; j < d; j++) {
          x[j] = space.snap(j, x[j]);
        }
      }
      acq.evaluate(x, 1, one);
      double v = one[0];
      for (int j = 0; j < d; j++) {
        if (!space.isCategorical(j)) {
          continue;
        }
        double keep = x[j];
        for (int c = 0; c < space.choices(j); c++) {
          x[j] = c;
          acq.evaluate(x, 1, one);
          if (one[0] > v) {
            v = one[0];
            keep = c;
          }
        }
        x[j] = keep;
      }
      if (finite(v) > finite(bestValue)) {
        bestValue = v;
        best = x.clone();
      }
    }
    return best;
  }

  private static double finite(double v) {
    return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
  }
}
