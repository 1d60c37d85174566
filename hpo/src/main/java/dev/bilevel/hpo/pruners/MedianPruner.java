package dev.bilevel.hpo.pruners;

/**
 * The median stopping rule (Golovin et al., "Google Vizier", KDD 2017): prune a trial whose best
 * intermediate value is worse than the median of COMPLETE trials' values at the same step. A
 * {@link PercentilePruner} with q = 50 (Optuna's {@code MedianPruner}).
 */
public final class MedianPruner extends PercentilePruner {

  /**
   * Creates the pruner.
   *
   * @param nStartupTrials no pruning until this many trials are COMPLETE
   * @param nWarmupSteps no pruning before this step
   * @param intervalSteps steps between pruning checks
   */
  public MedianPruner(int nStartupTrials, int nWarmupSteps, int intervalSteps) {
    super(50.0, nStartupTrials, nWarmupSteps, intervalSteps, 1);
  }

  /** Optuna's defaults: 5 startup trials, no warmup, interval 1. */
  public MedianPruner() {
    this(5, 0, 1);
  }
}
