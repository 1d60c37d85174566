package dev.bilevel.hpo.pruners;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.SystemAttrWriter;
import dev.bilevel.hpo.TrialState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Asynchronous successive halving, ASHA (Li et al., "A System for Massively Parallel
 * Hyperparameter Tuning", MLSys 2020), as Optuna's {@code SuccessiveHalvingPruner}.
 *
 * <p>Rung {@code k} ends at step {@code r·η^(s+k)} ({@code r} = min resource, {@code η} =
 * reduction factor, {@code s} = min early-stopping rate). When a trial reports a step at or past
 * the end of its current rung {@code k}, its value there is recorded in its system attribute
 * {@code completed_rung_k}, and it is promoted (continues) iff the value is among the best {@code
 * ⌊n/η⌋} of the {@code n} values recorded for rung {@code k} by all trials of the study, itself
 * included (the best one while {@code n < η}, since trials cannot be paused); otherwise it is
 * pruned. A promoted trial is checked against the next rung in the same call. A NaN value is
 * pruned; while fewer than {@code bootstrapCount + 1} values are recorded for a rung, trials
 * reaching it are pruned.
 *
 * <p>With {@code minResource == null} ("auto"), {@code r = max(1, ⌊last step / 100⌋)} of the
 * longest COMPLETE trial, fixed at the first estimate; nothing is pruned before a trial completes.
 */
public final class SuccessiveHalvingPruner implements Pruner {
  private final int reductionFactor;
  private final int minEarlyStoppingRate;
  private final int bootstrapCount;
  private volatile Integer minResource;

  /**
   * Creates the pruner.
   *
   * @param minResource {@code r ≥ 1}, or {@code null} to estimate it
   * @param reductionFactor {@code η ≥ 2}
   * @param minEarlyStoppingRate {@code s ≥ 0}
   * @param bootstrapCount values a rung needs before anyone is promoted (requires a given
   *     minResource when {@code > 0})
   */
  public SuccessiveHalvingPruner(
      Integer minResource, int reductionFactor, int minEarlyStoppingRate, int bootstrapCount) {
    if (minResource != null && minResource < 1) {
      throw new IllegalArgumentException(
          "minResource must be >= 1 (or null for auto), got " + minResource);
    }
    if (reductionFactor < 2) {
      throw new IllegalArgumentException("reductionFactor must be >= 2, got " + reductionFactor);
    }
    if (minEarlyStoppingRate < 0) {
      throw new IllegalArgumentException(
          "minEarlyStoppingRate must be >= 0, got " + minEarlyStoppingRate);
    }
    if (bootstrapCount < 0) {
      throw new IllegalArgumentException("bootstrapCount must be >= 0, got " + bootstrapCount);
    }
    if (bootstrapCount > 0 && minResource == null) {
      throw new IllegalArgumentException("bootstrapCount > 0 needs an explicit minResource");
    }
    this.minResource = minResource;
    this.reductionFactor = reductionFactor;
    this.minEarlyStoppingRate = minEarlyStoppingRate;
    this.bootstrapCount = bootstrapCount;
  }

  /** Optuna's defaults: automatic min resource, η = 4, s = 0, no bootstrap. */
  public SuccessiveHalvingPruner() {
    this(null, 4, 0, 0);
  }

  /**
   * The system attribute recording a trial's value at the end of rung {@code k}.
   *
   * @param rung the rung
   * @return {@code "completed_rung_" + rung}
   */
  public static String completedRungKey(int rung) {
    return "completed_rung_" + rung;
  }

  @Override
  public boolean prune(StudyView study, FrozenTrial trial, SystemAttrWriter attrs) {
    if (trial.lastStep().isEmpty()) {
      return false;
    }
    int step = trial.lastStep().getAsInt();
    double value = trial.intermediateValues().get(step);
    int rung = 0;
    while (trial.systemAttrs().containsKey(completedRungKey(rung))) {
      rung++;
    }
    List<FrozenTrial> trials = null;
    while (true) {
      Integer r = minResource;
      if (r == null) {
        trials = study.trials();
        r = estimateMinResource(trials);
        if (r == null) {
          return false;
        }
        minResource = r;
      }
      double promotionStep = r * Math.pow(reductionFactor, minEarlyStoppingRate + rung);
      if (step < promotionStep) {
        return false;
      }
      if (Double.isNaN(value)) {
        return true;
      }
      if (trials == null) {
        trials = study.trials();
      }
      String key = completedRungKey(rung);
      attrs.set(key, value);
      List<Double> competing = new ArrayList<>();
      for (FrozenTrial t : trials) {
        if (t.number() != trial.number() && t.systemAttrs().get(key) instanceof Number n) {
          competing.add(n.doubleValue());
        }
      }
      competing.add(value);
      if (competing.size() <= bootstrapCount) {
        return true;
      }
      if (!isPromotable(value, competing, study.direction())) {
        return true;
      }
      rung++;
    }
  }

  private boolean isPromotable(double value, List<Double> competing, StudyDirection direction) {
    int index = competing.size() / reductionFactor - 1;
    if (index < 0) {
      index = 0;
    }
    Collections.sort(competing);
    if (direction == StudyDirection.MAXIMIZE) {
      return value >= competing.get(competing.size() - 1 - index);
    }
    return value <= competing.get(index);
  }

  private static Integer estimateMinResource(List<FrozenTrial> trials) {
    int lastStep = -1;
    for (FrozenTrial t : trials) {
      if (t.state() == TrialState.COMPLETE && t.lastStep().isPresent()) {
        lastStep = Math.max(lastStep, t.lastStep().getAsInt());
      }
    }
    return lastStep < 0 ? null : Math.max(lastStep / 100, 1);
  }
}
