package dev.bilevel.hpo.internal.gp;

import dev.bilevel.hpo.internal.SobolSequence;
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
 *   <li>score {@code m} scrambled Sobol points (discrete coordinates snapped to their grid,
 *       categorical ones mapped to a choice) plus the given incumbents, in one batch; {@code m =
 *       nCandidates} up to 100 training points and {@code nCandidates·(100/n)²} (at least 1/4 of
 *       it) beyond, so that this stage's {@code O(m·n²)} cost stays bounded as the study grows;
 *   <li>from the incumbents, the best candidate and further candidates drawn without
 *       replacement with probability {@code ∝ exp(a(x) − max a)} (roulette selection, as Optuna;
 *       {@code nLocal} starts in all), run bounded
 *       {@link Lbfgsb} on the numeric coordinates of the unit cube (discrete ones relaxed),
 *       scaled by the inverse lengthscales as Optuna does, categorical coordinates held;
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
   * @param nLocal local searches in all (incumbents included)
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
   * @param rng the generator for the scramble and the roulette
   * @param trainingPoints the GP's number of training points (sets the candidate budget)
   * @param scales the inverse lengthscales {@code √λ_j} that precondition the local search
   * @return the best point found, in unit space, discrete coordinates snapped
   */
  public double[] maximize(
      Acquisition acq, UnitSpace space, List<double[]> incumbents, SplittableRandom rng,
      int trainingPoints, double[] scales) {
    int d = space.dim();
    double shrink = trainingPoints <= 100 ? 1 : Math.pow(100.0 / trainingPoints, 2);
    int nRandom = (int) Math.max(Math.ceil(nCandidates / 4.0), Math.ceil(nCandidates * shrink));
    int nInc = incumbents.size();
    int m = nRandom + nInc;
    double[] xs = new double[m * d];
    for (int c = 0; c < nInc; c++) {
      System.arraycopy(incumbents.get(c), 0, xs, c * d, d);
    }
    SobolSequence sobol = d <= SobolSequence.MAX_DIMENSION
        ? new SobolSequence(d, rng.nextLong()) : null;
    for (int c = 0; c < nRandom; c++) {
      double[] u = sobol != null ? sobol.point(c) : null;
      for (int j = 0; j < d; j++) {
        double v = u != null ? u[j] : rng.nextDouble();
        xs[(nInc + c) * d + j] = space.isCategorical(j)
            ? Math.min(Math.floor(v * space.choices(j)), space.choices(j) - 1)
            : space.snap(j, v);
      }
    }
    double[] values = new double[m];
    acq.evaluate(xs, m, values);
    int bestIndex = 0;
    for (int c = 1; c < m; c++) {
      if (finite(values[c]) > finite(values[bestIndex])) {
        bestIndex = c;
      }
    }
    double[] best = Arrays.copyOfRange(xs, bestIndex * d, bestIndex * d + d);
    double bestValue = values[bestIndex];
    int[] starts = roulette(values, nInc, Math.min(Math.max(nLocal - nInc, 1), nRandom), rng);

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
    double[] z = new double[d];
    double[] xz = new double[d];
    for (int start : starts) {
      System.arraycopy(xs, start * d, x, 0, d);
      if (anyNumeric) {
        // Search in z = x·√λ (x over the lengthscale), where the acquisition is about isotropic.
        for (int j = 0; j < d; j++) {
          double sc = space.isCategorical(j) ? 1 : scales[j];
          z[j] = x[j] * sc;
          lower[j] = space.isCategorical(j) ? x[j] : 0;
          upper[j] = space.isCategorical(j) ? x[j] : sc;
        }
        lbfgs.minimize(
            (p, g) -> {
              for (int j = 0; j < d; j++) {
                xz[j] = space.isCategorical(j) ? p[j] : p[j] / scales[j];
              }
              double v = eval.valueAndGradient(xz, g);
              for (int j = 0; j < d; j++) {
                g[j] = space.isCategorical(j) ? 0 : -g[j] / scales[j];
              }
              return Double.isFinite(v) ? -v : Double.POSITIVE_INFINITY;
            },
            z, lower, upper, maxIter, 1e-2);
        for (int j = 0; j < d; j++) {
          x[j] = space.isCategorical(j) ? z[j] : Math.min(Math.max(z[j] / scales[j], 0), 1);
        }
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

  /**
   * The incumbents (indices below {@code nInc}), the best candidate, and {@code k − 1} further
   * candidates drawn without replacement with probability proportional to {@code exp(v − max v)}
   * (fewer when the remaining weights underflow to 0: the search has converged).
   */
  private static int[] roulette(double[] values, int nInc, int k, SplittableRandom rng) {
    int m = values.length;
    double max = Double.NEGATIVE_INFINITY;
    for (int c = nInc; c < m; c++) {
      max = Math.max(max, finite(values[c]));
    }
    double[] weight = new double[m];
    for (int c = nInc; c < m; c++) {
      double v = finite(values[c]);
      weight[c] = max == Double.NEGATIVE_INFINITY ? 1 : Math.exp(v - max);
    }
    int[] out = new int[nInc + k];
    for (int c = 0; c < nInc; c++) {
      out[c] = c;
    }
    int argmax = nInc;
    for (int c = nInc + 1; c < m; c++) {
      if (finite(values[c]) > finite(values[argmax])) {
        argmax = c;
      }
    }
    out[nInc] = argmax;
    weight[argmax] = 0;
    for (int s = 1; s < k; s++) {
      double total = 0;
      for (int c = nInc; c < m; c++) {
        total += weight[c];
      }
      int pick = -1;
      if (total > 0) {
        double r = rng.nextDouble() * total;
        for (int c = nInc; c < m && pick < 0; c++) {
          r -= weight[c];
          if (r < 0 && weight[c] > 0) {
            pick = c;
          }
        }
      }
      if (pick < 0) {
        for (int c = m - 1; c >= nInc && pick < 0; c--) {
          if (weight[c] > 0) {
            pick = c;
          }
        }
      }
      if (pick < 0) {
        return Arrays.copyOf(out, nInc + s);
      }
      out[nInc + s] = pick;
      weight[pick] = 0;
    }
    return out;
  }

  private static double finite(double v) {
    return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
  }
}
