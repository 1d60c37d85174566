package dev.bilevel.hpo.samplers.tpe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.FloatDistribution;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialSplitTest {

  private static FrozenTrial trial(
      int number, TrialState state, List<Double> values, Map<Integer, Double> intermediate,
      List<Double> constraints) {
    return new FrozenTrial(number, number, state, values, null, null,
        Map.of("x", 0.5), Map.of("x", FloatDistribution.uniform(0, 1)), Map.of(),
        constraints == null ? Map.of() : Map.of(StudyView.CONSTRAINTS_KEY, constraints),
        intermediate == null ? null : new java.util.TreeMap<>(intermediate));
  }

  private static List<Integer> numbers(List<FrozenTrial> l) {
    return l.stream().map(FrozenTrial::number).toList();
  }

  /**
   * Optuna's order: feasible complete by value, then pruned by (later step, better value), then
   * infeasible by violation; running trials always above; both halves by number.
   */
  @Test
  void ordersCompleteThenPrunedThenInfeasible() {
    List<FrozenTrial> trials = new ArrayList<>();
    trials.add(trial(0, TrialState.COMPLETE, List.of(3.0), null, List.of(-1.0)));
    trials.add(trial(1, TrialState.COMPLETE, List.of(1.0), null, List.of(0.5)));
    trials.add(trial(2, TrialState.PRUNED, List.of(), Map.of(1, 0.1, 5, 2.0), List.of(0.0)));
    trials.add(trial(3, TrialState.PRUNED, List.of(), Map.of(5, 1.0), List.of(0.0)));
    trials.add(trial(4, TrialState.RUNNING, List.of(), null, null));
    trials.add(trial(5, TrialState.COMPLETE, List.of(2.0), null, List.of(0.0, 3.0)));
    trials.add(trial(6, TrialState.PRUNED, List.of(), Map.of(2, 0.0), List.of(0.0)));
    List<StudyDirection> min = List.of(StudyDirection.MINIMIZE);
    TrialSplit s = TrialSplit.of(min, trials, 3, true);
    assertThat(numbers(s.below())).containsExactly(0, 2, 3);
    assertThat(numbers(s.above())).containsExactly(1, 4, 5, 6);
    TrialSplit t = TrialSplit.of(min, trials, 5, true);
    assertThat(numbers(t.below())).containsExactly(0, 1, 2, 3, 6);
    TrialSplit u = TrialSplit.of(min, trials, 1, false);
    assertThat(numbers(u.below())).containsExactly(1);
  }

  /**
   * The constant liar's RUNNING trials may follow the finished ones instead of sitting among them
   * by number: the split, halves ordered by number, is the same (the finished trials have tied
   * values, taken in number order either way).
   */
  @Test
  void runningTrialsAppendedSplitAsMergedByNumber() {
    FrozenTrial running1 = trial(1, TrialState.RUNNING, List.of(), null, null);
    FrozenTrial running4 = trial(4, TrialState.RUNNING, List.of(), null, null);
    List<FrozenTrial> finished = List.of(
        trial(0, TrialState.COMPLETE, List.of(2.0), null, null),
        trial(2, TrialState.COMPLETE, List.of(1.0), null, null),
        trial(3, TrialState.COMPLETE, List.of(1.0), null, null),
        trial(5, TrialState.COMPLETE, List.of(1.0), null, null));
    List<FrozenTrial> merged = List.of(finished.get(0), running1, finished.get(1),
        finished.get(2), running4, finished.get(3));
    List<FrozenTrial> appended = new ArrayList<>(finished);
    appended.add(running4);
    appended.add(running1);
    List<StudyDirection> min = List.of(StudyDirection.MINIMIZE);
    TrialSplit a = TrialSplit.of(min, merged, 2, true);
    TrialSplit b = TrialSplit.of(min, appended, 2, true);
    assertThat(numbers(a.below())).containsExactly(2, 3);
    assertThat(numbers(a.above())).containsExactly(0, 1, 4, 5);
    assertThat(b).isEqualTo(a);
  }

  @Test
  void maximizationReversesTheOrder() {
    List<FrozenTrial> trials = List.of(
        trial(0, TrialState.COMPLETE, List.of(3.0), null, null),
        trial(1, TrialState.COMPLETE, List.of(1.0), null, null),
        trial(2, TrialState.COMPLETE, List.of(2.0), null, null));
    TrialSplit s = TrialSplit.of(List.of(StudyDirection.MAXIMIZE), trials, 2, true);
    assertThat(numbers(s.below())).containsExactly(0, 2);
  }

  /**
   * Two objectives: rank 0 is {0, 1, 2} (a trade-off curve), rank 1 is {3}. With 2 below, the
   * greedy hypervolume subset of rank 0 (reference point 1.1 × worst = (4.4, 4.4)) first takes
   * trial 1 at (2, 2), contributing 2.4² = 5.76 against 0.4·4.4 = 1.76 for each extreme, then
   * one of the extremes.
   */
  @Test
  void multiObjectiveUsesRanksThenHypervolume() {
    List<FrozenTrial> trials = List.of(
        trial(0, TrialState.COMPLETE, List.of(0.0, 4.0), null, null),
        trial(1, TrialState.COMPLETE, List.of(2.0, 2.0), null, null),
        trial(2, TrialState.COMPLETE, List.of(4.0, 0.0), null, null),
        trial(3, TrialState.COMPLETE, List.of(4.0, 4.0), null, null));
    List<StudyDirection> min = List.of(StudyDirection.MINIMIZE, StudyDirection.MINIMIZE);
    TrialSplit s = TrialSplit.of(min, trials, 2, false);
    assertThat(numbers(s.below())).hasSize(2).contains(1).doesNotContain(3);
    assertThat(numbers(TrialSplit.of(min, trials, 3, false).below())).containsExactly(0, 1, 2);
  }
}
