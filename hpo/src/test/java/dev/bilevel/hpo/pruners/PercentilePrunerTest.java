package dev.bilevel.hpo.pruners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.Trial;
import dev.bilevel.hpo.TrialState;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PercentilePrunerTest extends PrunerContract {

  @Override
  protected Pruner createPruner() {
    return new MedianPruner(5, 0, 1);
  }

  private static FrozenTrial completed(Map<Integer, Double> curve) {
    return FrozenTrial.create(TrialState.COMPLETE, List.of(1.0), Map.of(), Map.of(), null, null,
        new TreeMap<>(curve));
  }

  /** Completed trials reporting 1, 2, 3, 4 at step 0 (and 10, 20, 30, 40 at step 1). */
  private static Study fourTrials(Pruner pruner, StudyDirection direction) {
    Study study = study(pruner, direction);
    for (int k = 1; k <= 4; k++) {
      study.addTrial(completed(Map.of(0, (double) k, 1, 10.0 * k)));
    }
    return study;
  }

  private static boolean decide(Study study, Map<Integer, Double> reports) {
    Trial trial = study.ask();
    reports.forEach((step, v) -> trial.report(v, step));
    boolean prune = trial.shouldPrune();
    study.tell(trial, TrialState.FAIL);
    return prune;
  }

  // numpy.nanpercentile([1, 2, 3, 4], q): q=25 → 1.75, q=50 → 2.5, q=75 → 3.25.
  @ParameterizedTest
  @CsvSource({"25, 1.74, false", "25, 1.76, true", "50, 2.5, false", "50, 2.51, true",
    "75, 3.25, false", "75, 3.26, true"})
  void minimizingPrunesAboveTheInterpolatedPercentile(double q, double value, boolean prune) {
    Study study = fourTrials(new PercentilePruner(q, 1, 0, 1, 1), StudyDirection.MINIMIZE);
    assertThat(decide(study, Map.of(0, value))).isEqualTo(prune);
  }

  // Maximizing uses the (100 − q)-th percentile: q=25 → P75 = 3.25.
  @ParameterizedTest
  @CsvSource({"25, 3.25, false", "25, 3.24, true", "50, 2.5, false", "50, 2.49, true"})
  void maximizingPrunesBelowTheMirroredPercentile(double q, double value, boolean prune) {
    Study study = fourTrials(new PercentilePruner(q, 1, 0, 1, 1), StudyDirection.MAXIMIZE);
    assertThat(decide(study, Map.of(0, value))).isEqualTo(prune);
  }

  @Test
  void usesTheBestValueOfTheTrialSoFar() {
    Study study = fourTrials(new MedianPruner(1, 0, 1), StudyDirection.MINIMIZE);
    // Median at step 1 is 25; the trial's best so far (step 0: 1.0) is below it.
    assertThat(decide(study, Map.of(0, 1.0, 1, 100.0))).isFalse();
  }

  @Test
  void startupWarmupIntervalAndMinTrials() {
    assertThat(decide(fourTrials(new MedianPruner(5, 0, 1), StudyDirection.MINIMIZE),
        Map.of(0, 99.0))).isFalse();
    assertThat(decide(fourTrials(new MedianPruner(4, 1, 1), StudyDirection.MINIMIZE),
        Map.of(0, 99.0))).isFalse();
    assertThat(decide(fourTrials(new MedianPruner(4, 1, 1), StudyDirection.MINIMIZE),
        Map.of(0, 99.0, 1, 99.0))).isTrue();
    // Interval 2 from warmup 0: check points 0, 2, 4...; step 1 follows a report at 0 → no check.
    assertThat(decide(fourTrials(new MedianPruner(1, 0, 2), StudyDirection.MINIMIZE),
        Map.of(0, 0.5, 1, 99.0))).isFalse();
    // A check postponed because nothing was reported at check point 0 happens at step 1.
    assertThat(decide(fourTrials(new MedianPruner(1, 0, 2), StudyDirection.MINIMIZE),
        Map.of(1, 99.0))).isTrue();
    assertThat(decide(fourTrials(new PercentilePruner(50, 1, 0, 1, 5), StudyDirection.MINIMIZE),
        Map.of(0, 99.0))).isFalse();
    // No complete trial reported step 7: no decision.
    assertThat(decide(fourTrials(new MedianPruner(1, 0, 1), StudyDirection.MINIMIZE),
        Map.of(7, 99.0))).isFalse();
  }

  @Test
  void allNaNValuesArePruned() {
    assertThat(decide(fourTrials(new MedianPruner(1, 0, 1), StudyDirection.MINIMIZE),
        Map.of(0, Double.NaN))).isTrue();
  }

  @Test
  void percentileHelperMatchesNumpy() {
    // numpy.nanpercentile([1, nan, 3, 10], 50) == 3.0; ([5, 1, 4, 2, 3], 75) == 4.0
    assertThat(PruningSteps.nanPercentile(new double[] {1, Double.NaN, 3, 10}, 50)).isEqualTo(3.0);
    assertThat(PruningSteps.nanPercentile(new double[] {5, 1, 4, 2, 3}, 75)).isEqualTo(4.0);
    assertThat(PruningSteps.nanPercentile(new double[] {Double.NaN}, 50)).isNaN();
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThatThrownBy(() -> new PercentilePruner(101)).hasMessageContaining("percentile");
    assertThatThrownBy(() -> new MedianPruner(-1, 0, 1)).hasMessageContaining("nStartupTrials");
    assertThatThrownBy(() -> new MedianPruner(0, 0, 0)).hasMessageContaining("intervalSteps");
  }
}
