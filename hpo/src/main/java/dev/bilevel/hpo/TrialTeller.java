package dev.bilevel.hpo;

import dev.bilevel.hpo.storage.Storage;
import java.util.ArrayList;
import java.util.List;

/**
 * The tell half of a trial, shared by {@link Study#tell} and {@link Study#optimize}: validates the
 * outcome, records constraints, lets the sampler see the trial, and stores the final state
 * (Optuna's {@code _tell_with_warning}).
 */
final class TrialTeller {
  private final Study study;

  TrialTeller(Study study) {
    this.study = study;
  }

  /**
   * @param trialId the trial
   * @param trial the live trial object, if any (its snapshot is kept in sync)
   * @param values values to tell (COMPLETE requested) or {@code null}
   * @param requested PRUNED or FAIL, or {@code null} when values are told
   * @param reason a failure reason to store, or {@code null}
   */
  FrozenTrial tell(
      long trialId, Trial trial, List<Double> values, TrialState requested, String reason) {
    return tell(trialId, trial, values, requested, reason, false);
  }

  /**
   * As above; with {@code skipIfFinished}, a trial that is already finished (e.g. failed as stale
   * by another worker of a heartbeat storage) is returned unchanged instead of raising.
   */
  FrozenTrial tell(
      long trialId,
      Trial trial,
      List<Double> values,
      TrialState requested,
      String reason,
      boolean skipIfFinished) {
    Storage storage = study.storage();
    FrozenTrial current = storage.getTrial(trialId);
    if (skipIfFinished && current.state().isFinished()) {
      return current;
    }
    if (current.state() != TrialState.RUNNING) {
      throw new IllegalStateException(
          "Cannot tell trial " + current.number() + ": it is " + current.state()
              + ", not RUNNING");
    }
    TrialState state;
    List<Double> toStore;
    String failReason = reason;
    if (requested == null || requested == TrialState.COMPLETE) {
      if (values == null) {
        if (failReason == null) {
          throw new IllegalArgumentException(
              "No values were told; values are required for a COMPLETE trial");
        }
        state = TrialState.FAIL;
        toStore = List.of();
      } else {
        String problem = checkValues(values);
        state = problem == null ? TrialState.COMPLETE : TrialState.FAIL;
        toStore = problem == null ? values : List.of();
        failReason = problem == null ? failReason : problem;
      }
    } else if (requested == TrialState.PRUNED) {
      state = TrialState.PRUNED;
      toStore = prunedValue(current);
    } else if (requested == TrialState.FAIL) {
      state = TrialState.FAIL;
      toStore = List.of();
    } else {
      throw new IllegalArgumentException(
          "A trial can be told COMPLETE, PRUNED or FAIL, not " + requested);
    }
    SystemAttrWriter attrs =
        (key, value) -> {
          if (trial != null) {
            trial.setSystemAttr(key, value);
          } else {
            storage.setTrialSystemAttr(trialId, key, value);
          }
        };
    if (failReason != null) {
      attrs.set(Study.FAIL_REASON_KEY, failReason);
    }
    ConstraintsFunction constraints = study.constraints();
    if (constraints != null && (state == TrialState.COMPLETE || state == TrialState.PRUNED)) {
      String problem = recordConstraints(constraints, storage.getTrial(trialId), attrs);
      if (problem != null) {
        state = TrialState.FAIL;
        toStore = List.of();
        attrs.set(Study.FAIL_REASON_KEY, problem);
      }
    }
    try {
      study.sampler().afterTrial(study.view(), storage.getTrial(trialId), state, toStore, attrs);
    } finally {
      storage.setTrialStateValues(trialId, state, toStore);
    }
    return storage.getTrial(trialId);
  }

  private String checkValues(List<Double> values) {
    int n = study.directions().size();
    if (values.size() != n) {
      return "The number of the values " + values.size()
          + " did not match the number of the objectives " + n + ".";
    }
    for (double v : values) {
      if (Double.isNaN(v)) {
        return "The objective function returned " + values + ", which contains NaN.";
      }
    }
    return null;
  }

  private List<Double> prunedValue(FrozenTrial trial) {
    if (study.directions().size() != 1 || trial.intermediateValues().isEmpty()) {
      return List.of();
    }
    double last = trial.intermediateValues().get(trial.intermediateValues().lastKey());
    return Double.isNaN(last) ? List.of() : List.of(last);
  }

  private static String recordConstraints(
      ConstraintsFunction fn, FrozenTrial trial, SystemAttrWriter attrs) {
    double[] c;
    try {
      c = fn.evaluate(trial);
    } catch (RuntimeException e) {
      return "The constraints function threw " + e;
    }
    List<Double> list = new ArrayList<>(c.length);
    for (double v : c) {
      if (Double.isNaN(v)) {
        return "The constraints function returned NaN";
      }
      list.add(v);
    }
    attrs.set(StudyView.CONSTRAINTS_KEY, list);
    return null;
  }
}
