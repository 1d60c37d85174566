package dev.bilevel.hpo;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only view of a study: what samplers, pruners and callbacks may look at. Every method
 * returns immutable snapshots; nothing here changes the study.
 *
 * <p>Best trials ignore <em>infeasible</em> trials: those whose system attribute {@value
 * #CONSTRAINTS_KEY} (a list of numbers, written by a constrained sampler) has an element {@code >
 * 0}, as Optuna does.
 */
public interface StudyView {

  /** The system attribute holding a trial's constraint values (feasible iff all ≤ 0). */
  String CONSTRAINTS_KEY = "constraints";

  /**
   * The study's unique name.
   *
   * @return the name
   */
  String studyName();

  /**
   * One direction per objective.
   *
   * @return the directions, unmodifiable
   */
  List<StudyDirection> directions();

  /**
   * Trials in the given states, ordered by number.
   *
   * @param states the states to keep; all trials when empty
   * @return an unmodifiable list of snapshots
   */
  List<FrozenTrial> trials(Set<TrialState> states);

  /**
   * The study's user attributes.
   *
   * @return an unmodifiable map
   */
  Map<String, Object> userAttrs();

  /**
   * The study's system attributes.
   *
   * @return an unmodifiable map
   */
  Map<String, Object> systemAttrs();

  /**
   * All trials, ordered by number.
   *
   * @return an unmodifiable list
   */
  default List<FrozenTrial> trials() {
    return trials(EnumSet.noneOf(TrialState.class));
  }

  /**
   * Trials in the given states, ordered by number.
   *
   * @param first a state
   * @param rest further states
   * @return an unmodifiable list
   */
  default List<FrozenTrial> trials(TrialState first, TrialState... rest) {
    return trials(EnumSet.of(first, rest));
  }

  /**
   * The direction of a single-objective study.
   *
   * @return the direction
   * @throws IllegalStateException for a multi-objective study
   */
  default StudyDirection direction() {
    List<StudyDirection> d = directions();
    if (d.size() != 1) {
      throw new IllegalStateException(
          "direction() is for single-objective studies; this study has " + d.size()
              + " objectives, use directions()");
    }
    return d.get(0);
  }

  /**
   * Whether the study has more than one objective.
   *
   * @return {@code directions().size() > 1}
   */
  default boolean isMultiObjective() {
    return directions().size() > 1;
  }

  /**
   * The best feasible COMPLETE trial of a single-objective study (the lowest number among ties).
   *
   * @return the best trial
   * @throws IllegalStateException for a multi-objective study or when no feasible trial is complete
   */
  default FrozenTrial bestTrial() {
    StudyDirection direction = direction();
    FrozenTrial best = null;
    for (FrozenTrial t : trials(TrialState.COMPLETE)) {
      if (isFeasible(t) && (best == null || direction.isBetter(t.value(), best.value()))) {
        best = t;
      }
    }
    if (best == null) {
      throw new IllegalStateException(
          "No feasible complete trial in study '" + studyName() + "' yet");
    }
    return best;
  }

  /**
   * The objective value of {@link #bestTrial()}.
   *
   * @return the best value
   * @throws IllegalStateException as {@link #bestTrial()}
   */
  default double bestValue() {
    return bestTrial().value();
  }

  /**
   * The parameters of {@link #bestTrial()}.
   *
   * @return name → external value
   * @throws IllegalStateException as {@link #bestTrial()}
   */
  default Map<String, Object> bestParams() {
    return bestTrial().params();
  }

  /**
   * The Pareto front: feasible COMPLETE trials not dominated by another one (for a
   * single-objective study, all trials sharing the best value). Trial {@code a} dominates {@code
   * b} if it is no worse in every objective and better in at least one.
   *
   * @return the front, ordered by number
   */
  default List<FrozenTrial> bestTrials() {
    List<StudyDirection> dirs = directions();
    List<FrozenTrial> feasible = new ArrayList<>();
    for (FrozenTrial t : trials(TrialState.COMPLETE)) {
      if (isFeasible(t)) {
        feasible.add(t);
      }
    }
    List<FrozenTrial> front = new ArrayList<>();
    for (FrozenTrial candidate : feasible) {
      boolean dominated = false;
      for (FrozenTrial other : feasible) {
        if (other != candidate && dominates(dirs, other.values(), candidate.values())) {
          dominated = true;
          break;
        }
      }
      if (!dominated) {
        front.add(candidate);
      }
    }
    return List.copyOf(front);
  }

  /**
   * Whether a trial satisfies its recorded constraints (trials without the {@value
   * #CONSTRAINTS_KEY} attribute are feasible).
   *
   * @param trial the trial
   * @return {@code true} if feasible
   */
  static boolean isFeasible(FrozenTrial trial) {
    Object c = trial.systemAttrs().get(CONSTRAINTS_KEY);
    if (!(c instanceof List<?> list)) {
      return true;
    }
    for (Object v : list) {
      if (v instanceof Number n && n.doubleValue() > 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Pareto dominance of objective vectors.
   *
   * @param directions one per objective
   * @param a values of the first trial
   * @param b values of the second trial
   * @return whether {@code a} is no worse than {@code b} everywhere and better somewhere
   */
  static boolean dominates(List<StudyDirection> directions, List<Double> a, List<Double> b) {
    boolean strictly = false;
    for (int i = 0; i < directions.size(); i++) {
      double x = a.get(i);
      double y = b.get(i);
      if (directions.get(i).isBetter(y, x)) {
        return false;
      }
      if (directions.get(i).isBetter(x, y)) {
        strictly = true;
      }
    }
    return strictly;
  }
}
