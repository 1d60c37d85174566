package dev.bilevel.hpo.pruners;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.SystemAttrWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tolerates a trial that has not improved for {@code patience} steps, then defers to a wrapped
 * pruner (or prunes when none is given); Optuna's {@code PatientPruner}.
 *
 * <p>With the reported steps sorted and split into the earlier ones and the last {@code patience
 * + 1}, a minimizing trial is stagnant iff {@code min(earlier) + minDelta < min(last)} (NaNs
 * ignored; maximizing: {@code max(earlier) − minDelta > max(last)}). Fewer than {@code patience +
 * 2} reports: never stagnant.
 */
public final class PatientPruner implements Pruner {
  private final Pruner wrapped;
  private final int patience;
  private final double minDelta;

  /**
   * Creates the pruner.
   *
   * @param wrapped consulted when the trial is stagnant; {@code null} to prune then
   * @param patience steps without improvement to tolerate, at least 0
   * @param minDelta smallest change counted as improvement, at least 0
   */
  public PatientPruner(Pruner wrapped, int patience, double minDelta) {
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0, got " + patience);
    }
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("minDelta must be >= 0, got " + minDelta);
    }
    this.wrapped = wrapped;
    this.patience = patience;
    this.minDelta = minDelta;
  }

  @Override
  public boolean prune(StudyView study, FrozenTrial trial, SystemAttrWriter attrs) {
    Map<Integer, Double> values = trial.intermediateValues();
    if (values.size() <= patience + 1) {
      return false;
    }
    List<Double> ordered = new ArrayList<>(values.values());
    int split = ordered.size() - patience - 1;
    StudyDirection direction = study.direction();
    double before = PruningSteps.best(ordered.subList(0, split), direction);
    double after = PruningSteps.best(ordered.subList(split, ordered.size()), direction);
    boolean stagnant =
        direction == StudyDirection.MINIMIZE
            ? before + minDelta < after
            : before - minDelta > after;
    if (!stagnant) {
      return false;
    }
    return wrapped == null || wrapped.prune(study, trial, attrs);
  }
}
