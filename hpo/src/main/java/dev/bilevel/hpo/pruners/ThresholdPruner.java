package dev.bilevel.hpo.pruners;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.SystemAttrWriter;

/**
 * Prunes a trial whose latest intermediate value is NaN or leaves {@code [lower, upper]} (Optuna's
 * {@code ThresholdPruner}), checked after {@code nWarmupSteps} once per {@code intervalSteps}.
 */
public final class ThresholdPruner implements Pruner {
  private final double lower;
  private final double upper;
  private final int nWarmupSteps;
  private final int intervalSteps;

  /**
   * Creates the pruner.
   *
   * @param lower lower bound ({@code Double.NEGATIVE_INFINITY} for none)
   * @param upper upper bound ({@code Double.POSITIVE_INFINITY} for none)
   * @param nWarmupSteps no pruning before this step
   * @param intervalSteps steps between checks
   */
  public ThresholdPruner(double lower, double upper, int nWarmupSteps, int intervalSteps) {
    if (Double.isNaN(lower) || Double.isNaN(upper)) {
      throw new IllegalArgumentException("Bounds must not be NaN");
    }
    if (lower == Double.NEGATIVE_INFINITY && upper == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("Give at least one finite bound");
    }
    if (lower > upper) {
      throw new IllegalArgumentException(
          "lower must be <= upper, got lower=" + lower + ", upper=" + upper);
    }
    if (nWarmupSteps < 0 || intervalSteps < 1) {
      throw new IllegalArgumentException(
          "Need nWarmupSteps >= 0 and intervalSteps >= 1, got " + nWarmupSteps + ", "
              + intervalSteps);
    }
    this.lower = lower;
    this.upper = upper;
    this.nWarmupSteps = nWarmupSteps;
    this.intervalSteps = intervalSteps;
  }

  /**
   * Bounds only, checked at every step.
   *
   * @param lower lower bound
   * @param upper upper bound
   */
  public ThresholdPruner(double lower, double upper) {
    this(lower, upper, 0, 1);
  }

  @Override
  public boolean prune(StudyView study, FrozenTrial trial, SystemAttrWriter attrs) {
    if (trial.lastStep().isEmpty()) {
      return false;
    }
    int step = trial.lastStep().getAsInt();
    if (step < nWarmupSteps
        || !PruningSteps.isFirstInInterval(
            step, trial.intermediateValues().keySet(), nWarmupSteps, intervalSteps)) {
      return false;
    }
    double latest = trial.intermediateValues().get(step);
    return Double.isNaN(latest) || latest < lower || latest > upper;
  }
}
