package dev.bilevel.hpo.storage;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Persistence of studies and trials: the one thing workers share. Modelled on Optuna's {@code
 * BaseStorage}, so that a JDBC implementation on Optuna's RDB schema can implement it (ids are
 * {@code long} database keys; trial numbers are dense, 0-based, per study, in creation order).
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Thread safety.</b> Every method is safe to call concurrently from several threads, and
 *       (for shared back ends) from several processes.
 *   <li><b>Compare-and-set state changes.</b> {@link #setTrialStateValues} is atomic: claiming a
 *       WAITING trial ({@code state == RUNNING}) succeeds for exactly one caller, the others get
 *       {@code false}; finishing a RUNNING trial succeeds once, later attempts throw {@link
 *       UpdateFinishedTrialException}. So workers need no coordinator.
 *   <li><b>Finished trials are final.</b> Any change to a COMPLETE, PRUNED or FAIL trial (state,
 *       params, intermediate values, attributes) throws {@link UpdateFinishedTrialException} and
 *       changes nothing.
 *   <li><b>Copies.</b> Returned values ({@link FrozenTrial}, {@link FrozenStudy}, lists, maps) are
 *       immutable snapshots; later writes do not change them, and the storage keeps no reference to
 *       caller-owned objects (arguments are copied).
 *   <li><b>Datetimes</b> are kept to at least microsecond precision (the precision of Optuna's RDB
 *       schema); a storage may truncate finer digits.
 *   <li><b>Attribute values</b> are JSON values ({@link OptunaJson#freeze}); anything else is
 *       rejected with {@link IllegalArgumentException}.
 *   <li><b>Unknown ids or names</b> throw {@link NoSuchElementException} naming the id.
 *   <li><b>Distributions.</b> Within a study a parameter name keeps a compatible distribution
 *       ({@link Distribution#checkCompatibility}); an incompatible one is rejected with {@link
 *       IllegalArgumentException} and nothing is stored.
 * </ul>
 */
public interface Storage {

  /**
   * Creates a study.
   *
   * @param directions one per objective, at least one
   * @param studyName a unique name, or {@code null} to generate one
   * @return the new study's id
   * @throws DuplicatedStudyException if the name is taken
   */
  long createNewStudy(List<StudyDirection> directions, String studyName);

  /**
   * Deletes a study and all its trials.
   *
   * @param studyId the study
   * @throws NoSuchElementException if unknown
   */
  void deleteStudy(long studyId);

  /**
   * Sets a study user attribute.
   *
   * @param studyId the study
   * @param key the name
   * @param value a JSON value
   */
  void setStudyUserAttr(long studyId, String key, Object value);

  /**
   * Sets a study system attribute.
   *
   * @param studyId the study
   * @param key the name
   * @param value a JSON value
   */
  void setStudySystemAttr(long studyId, String key, Object value);

  /**
   * Looks a study up by name.
   *
   * @param studyName the name
   * @return its id
   * @throws NoSuchElementException if no study has that name
   */
  long getStudyIdFromName(String studyName);

  /**
   * The name of a study.
   *
   * @param studyId the study
   * @return its name
   */
  String getStudyNameFromId(long studyId);

  /**
   * The directions of a study.
   *
   * @param studyId the study
   * @return unmodifiable list, one per objective
   */
  List<StudyDirection> getStudyDirections(long studyId);

  /**
   * A study's user attributes.
   *
   * @param studyId the study
   * @return unmodifiable snapshot
   */
  Map<String, Object> getStudyUserAttrs(long studyId);

  /**
   * A study's system attributes.
   *
   * @param studyId the study
   * @return unmodifiable snapshot
   */
  Map<String, Object> getStudySystemAttrs(long studyId);

  /**
   * Every study, ordered by id.
   *
   * @return unmodifiable list of snapshots
   */
  List<FrozenStudy> getAllStudies();

  /**
   * Creates a trial with the next number of the study.
   *
   * @param studyId the study
   * @param template {@code null} for a fresh RUNNING trial started now; otherwise a trial whose
   *     state, values, datetimes, params, distributions, attributes and intermediate values are
   *     copied (its number and id are ignored)
   * @return the new trial's id
   * @throws NoSuchElementException if the study is unknown
   * @throws IllegalArgumentException if the template's distributions are incompatible with the
   *     study's
   */
  long createNewTrial(long studyId, FrozenTrial template);

  /**
   * Sets (or overwrites) a parameter of an unfinished trial.
   *
   * @param trialId the trial
   * @param paramName the name
   * @param internalValue the value in internal form
   * @param distribution its distribution
   * @throws UpdateFinishedTrialException if the trial is finished
   * @throws IllegalArgumentException if the distribution is incompatible with one used earlier
   *     for the name in the study
   */
  void setTrialParam(long trialId, String paramName, double internalValue, Distribution distribution);

  /**
   * The id of the trial with a given number.
   *
   * @param studyId the study
   * @param trialNumber the number
   * @return the trial id
   * @throws NoSuchElementException if there is no such trial
   */
  long getTrialIdFromStudyIdTrialNumber(long studyId, int trialNumber);

  /**
   * The number of a trial.
   *
   * @param trialId the trial
   * @return its number
   */
  int getTrialNumberFromId(long trialId);

  /**
   * Atomically changes a trial's state (compare-and-set).
   *
   * <ul>
   *   <li>{@code state == RUNNING}: claims a WAITING trial and sets its start time; returns {@code
   *       false} and changes nothing if the trial is not WAITING any more.
   *   <li>{@code state} finished: finishes a RUNNING trial, storing state, values and completion
   *       time, and returns {@code true}; returns {@code false} and changes nothing if the trial
   *       is WAITING (it must be claimed first).
   *   <li>{@code state == WAITING} is not a valid target: {@link IllegalArgumentException}.
   *   <li>COMPLETE needs one non-NaN value per objective; for any state, non-empty values must
   *       have one entry per objective: otherwise {@link IllegalArgumentException}, nothing
   *       changed.
   * </ul>
   *
   * @param trialId the trial
   * @param state the new state
   * @param values objective values ({@code null} or empty for none)
   * @return whether the change was made
   * @throws UpdateFinishedTrialException if the trial is already finished
   */
  boolean setTrialStateValues(long trialId, TrialState state, List<Double> values);

  /**
   * Records (or overwrites) the value reported at a step.
   *
   * @param trialId the trial
   * @param step the step
   * @param value the value (NaN allowed)
   * @throws UpdateFinishedTrialException if the trial is finished
   */
  void setTrialIntermediateValue(long trialId, int step, double value);

  /**
   * Sets a trial user attribute.
   *
   * @param trialId the trial
   * @param key the name
   * @param value a JSON value
   * @throws UpdateFinishedTrialException if the trial is finished
   */
  void setTrialUserAttr(long trialId, String key, Object value);

  /**
   * Sets a trial system attribute.
   *
   * @param trialId the trial
   * @param key the name
   * @param value a JSON value
   * @throws UpdateFinishedTrialException if the trial is finished
   */
  void setTrialSystemAttr(long trialId, String key, Object value);

  /**
   * A snapshot of a trial.
   *
   * @param trialId the trial
   * @return the snapshot
   * @throws NoSuchElementException if unknown
   */
  FrozenTrial getTrial(long trialId);

  /**
   * Snapshots of a study's trials, ordered by number.
   *
   * @param studyId the study
   * @param states the states to keep; {@code null} or empty for all
   * @return an unmodifiable list
   */
  List<FrozenTrial> getAllTrials(long studyId, Set<TrialState> states);

  /**
   * Counts a study's trials.
   *
   * @param studyId the study
   * @param states the states to count; {@code null} or empty for all
   * @return the count
   */
  default int getNTrials(long studyId, Set<TrialState> states) {
    return getAllTrials(studyId, states).size();
  }

  /**
   * The best COMPLETE trial of a single-objective study (lowest number among ties). Constraints
   * are not considered here; {@link dev.bilevel.hpo.StudyView#bestTrial()} does.
   *
   * @param studyId the study
   * @return the best trial
   * @throws IllegalStateException if the study is multi-objective or has no complete trial
   */
  default FrozenTrial getBestTrial(long studyId) {
    List<StudyDirection> directions = getStudyDirections(studyId);
    if (directions.size() != 1) {
      throw new IllegalStateException(
          "Best trial is only defined for single-objective studies; study " + studyId + " has "
              + directions.size() + " objectives");
    }
    FrozenTrial best = null;
    for (FrozenTrial t : getAllTrials(studyId, Set.of(TrialState.COMPLETE))) {
      if (best == null || directions.get(0).isBetter(t.value(), best.value())) {
        best = t;
      }
    }
    if (best == null) {
      throw new IllegalStateException("Study " + studyId + " has no complete trial");
    }
    return best;
  }

  /**
   * Records that a running trial is alive (for storages that detect dead workers). {@link
   * dev.bilevel.hpo.Study#ask()} calls it when a trial starts and {@link
   * dev.bilevel.hpo.Trial#report} on each report. Default: nothing.
   *
   * @param trialId the trial
   */
  default void recordHeartbeat(long trialId) {}

  /**
   * Marks as FAIL the RUNNING trials of a study whose worker stopped sending heartbeats, and
   * returns their ids. {@link dev.bilevel.hpo.Study#optimize} calls it before each trial. Default:
   * no heartbeats, nothing is stale, empty list.
   *
   * @param studyId the study
   * @return ids of the trials just failed
   */
  default List<Long> failStaleTrials(long studyId) {
    return List.of();
  }
}
