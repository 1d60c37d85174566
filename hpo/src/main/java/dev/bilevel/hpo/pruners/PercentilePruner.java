package dev.bilevel.hpo.pruners;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.SystemAttrWriter;
import dev.bilevel.hpo.TrialState;
import java.util.ArrayList;
import java.util.List;

/**
 * Prunes a trial whose best intermediate value so far is worse than the given percentile of the
 * values that COMPLETE trials reported at the same step (Optuna's {@code PercentilePruner}; the
 * median stopping rule of Golovin et al., "Google Vizier", KDD 2017, generalized).
 *
 * <p>Rule at the trial's last step {@code s}: no decision (keep) while fewer than {@code
 * nStartupTrials} trials are COMPLETE, before {@code nWarmupSteps}, between interval check points,
 * or when fewer than {@code nMinTrials} COMPLETE trials reported step {@code s}; prune if all the
 * trial's values are NaN; otherwise, minimizing, prune iff {@code best > P_q}, where {@code P_q}
 * is the linearly interpolated q-th percentile of the others' values at {@code s} (maximizing:
 * iff {@code best < P_(100−q)}).
 */
public sealed class PercentilePruner implements Pruner permits MedianPruner {
  private final double percentile;
  private final int nStartupTrials;
  private final int nWarmupSteps;
  private final int intervalSteps;
  private final int nMinTrials;

  /**
   * Creates the pruner.
   *
   * @param percentile q in [0, 100]; lower is more aggressive when minimizing
   * @param nStartupTrials no pruning until this many trials are COMPLETE
   * @param nWarmupSteps no pruning before this step
   * @param intervalSteps steps between pruning checks, counted from the warmup
   * @param nMinTrials least number of COMPLETE trials that reported the step
   */
  public PercentilePruner(
      double percentile, int nStartupTrials, int nWarmupSteps, int intervalSteps, int nMinTrials) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
    }
    if (nStartupTrials < 0) {
      throw new IllegalArgumentException("nStartupTrials must be >= 0, got " + nStartupTrials);
    }
    if (nWarmupSteps < 0) {
      throw new IllegalArgumentException("nWarmupSteps must be >= 0, got " + nWarmupSteps);
    }
    if (intervalSteps < 1) {
      throw new IllegalArgumentException("intervalSteps must be >= 1, got " + intervalSteps);
    }
    if (nMinTrials < 1) {
      throw new IllegalArgumentException("nMinTrials must be >= 1, got " + nMinTrials);
    }
    this.percentile = percentile;
    this.nStartupTrials = nStartupTrials;
    this.nWarmupSteps = nWarmupSteps;
    this.intervalSteps = intervalSteps;
    this.nMinTrials = nMinTrials;
  }

  /**
   * Optuna's defaults: 5 startup trials, no warmup, interval 1, 1 trial per step.
   *
   * @param percentile q in [0, 100]
   */
  public PercentilePruner(double percentile) {
    this(percentile, 5, 0, 1, 1);
  }

  @Override
  public boolean prune(StudyView study, FrozenTrial trial, SystemAttrWriter attrs) {
    List<FrozenTrial> completed = study.trials(TrialState.COMPLETE);
    if (completed.isEmpty() || completed.size() < nStartupTrials || trial.lastStep().isEmpty()) {
      return false;
    }
    int step = trial.lastStep().getAsInt();
    if (step < nWarmupSteps
        || !PruningSteps.isFirstInInterval(
            step, trial.intermediateValues().keySet(), nWarmupSteps, intervalSteps)) {
      return false;
    }
    StudyDirection direction = study.direction();
    double best = PruningSteps.best(trial.intermediateValues().values(), direction);
    if (Double.isNaN(best)) {
      return true;
    }
    List<Double> atStep = new ArrayList<>();
    for (FrozenTrial t : completed) {
      Double v = t.intermediateValues().get(step);
      if (v != null) {
        atStep.add(v);
      }
    }
    if (atStep.size() < nMinTrials) {
      return false;
    }
    double q = direction == StudyDirection.MAXIMIZE ? 100 - percentile : percentile;
    double p =
        PruningSteps.nanPercentile(atStep.stream().mapToDouble(Double::doubleValue).toArray(), q);
    if (Double.isNaN(p)) {
      return false;
    }
    return direction == StudyDirection.MAXIMIZE ? best < p : best > p;
  }
}
