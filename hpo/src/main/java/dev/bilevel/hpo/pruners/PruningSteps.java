package dev.bilevel.hpo.pruners;

import dev.bilevel.hpo.StudyDirection;
import java.util.Arrays;
import java.util.Collection;

/** Step and statistics rules shared by the percentile-type pruners (Optuna's semantics). */
final class PruningSteps {
  private PruningSteps() {}

  /**
   * Whether {@code step} is the first reported step at or after the latest pruning check point
   * {@code warmup + k·interval <= step}: pruning is checked once per interval, and postponed to
   * the next report when nothing was reported at the check point itself.
   */
  static boolean isFirstInInterval(
      int step, Collection<Integer> reportedSteps, int warmupSteps, int intervalSteps) {
    int nearestLowerCheck = Math.floorDiv(step - warmupSteps, intervalSteps) * intervalSteps
        + warmupSteps;
    int secondLast = -1;
    for (int s : reportedSteps) {
      if (s > secondLast && s != step) {
        secondLast = s;
      }
    }
    return secondLast < nearestLowerCheck;
  }

  /** The best non-NaN value (min or max by direction), NaN if all are NaN. */
  static double best(Collection<Double> values, StudyDirection direction) {
    double best = Double.NaN;
    for (double v : values) {
      if (!Double.isNaN(v) && (Double.isNaN(best) || direction.isBetter(v, best))) {
        best = v;
      }
    }
    return best;
  }

  /**
   * The q-th percentile of the non-NaN values with linear interpolation between order statistics
   * (numpy's {@code nanpercentile} default): rank {@code q/100·(n−1)}. NaN if no value.
   */
  static double nanPercentile(double[] values, double q) {
    double[] finite = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (finite.length == 0) {
      return Double.NaN;
    }
    double rank = q / 100.0 * (finite.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = Math.min(lo + 1, finite.length - 1);
    double frac = rank - lo;
    return finite[lo] + (finite[hi] - finite[lo]) * frac;
  }
}
