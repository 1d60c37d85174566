package dev.bilevel.hpo;

import java.util.EnumSet;
import java.util.Set;

/**
 * Stops optimization once the study (all workers together, also in other processes sharing the
 * storage) holds {@code nTrials} trials in the given states; Optuna's {@code MaxTrialsCallback}.
 *
 * @param nTrials the number of trials at which to stop
 * @param states the states counted (Optuna's default: COMPLETE only)
 */
public record MaxTrialsCallback(int nTrials, Set<TrialState> states) implements StudyCallback {

  /**
   * Copies the state set.
   *
   * @param nTrials see the record component of the same name
   * @param states see the record component of the same name
   */
  public MaxTrialsCallback {
    if (nTrials < 0) {
      throw new IllegalArgumentException("nTrials must be >= 0, got " + nTrials);
    }
    states = Set.copyOf(states);
  }

  /**
   * Counts COMPLETE trials.
   *
   * @param nTrials the number of trials at which to stop
   */
  public MaxTrialsCallback(int nTrials) {
    this(nTrials, EnumSet.of(TrialState.COMPLETE));
  }

  @Override
  public void afterTrial(Study study, FrozenTrial trial) {
    if (study.storage().getNTrials(study.studyId(), states) >= nTrials) {
      study.stop();
    }
  }
}
