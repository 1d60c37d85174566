package dev.bilevel.hpo.pruners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Promotions checked against the ASHA rule traced by hand (Li et al. 2020, Algorithm 2, as Optuna
 * implements it): rung k ends at step r·η^(s+k); a trial is promoted iff its value is within the
 * best ⌊n/η⌋ (at least the best one) of the n values recorded at that rung.
 */
class SuccessiveHalvingPrunerTest extends PrunerContract {

  @Override
  protected Pruner createPruner() {
    return new SuccessiveHalvingPruner(1, 2, 0, 0);
  }

  @Test
  void handTracedPromotionsWithEtaTwo() {
    Study study = study(new SuccessiveHalvingPruner(1, 2, 0, 0), StudyDirection.MINIMIZE);
    List<Trial> t = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      t.add(study.ask());
    }
    // Rung 0 ends at step 1, rung 1 at step 2, rung 2 at step 4.
    assertThat(report(t.get(0), 0.5, 1)).isFalse(); // rung 0: [0.5] → best, promoted
    assertThat(report(t.get(0), 0.4, 2)).isFalse(); // rung 1: [0.4] → promoted
    assertThat(report(t.get(1), 0.7, 1)).isTrue(); // rung 0: [0.5, 0.7], top ⌊2/2⌋=1 is 0.5
    assertThat(report(t.get(2), 0.3, 1)).isFalse(); // [0.5, 0.7, 0.3]: top 1 is 0.3
    assertThat(report(t.get(3), 0.6, 1)).isTrue(); // [.., 0.6]: top 2 are 0.3, 0.5
    assertThat(report(t.get(4), 0.45, 1)).isFalse(); // 5 values: top 2 are 0.3, 0.45
    assertThat(report(t.get(2), 0.35, 2)).isFalse(); // rung 1: [0.4, 0.35] → 0.35 best
    assertThat(report(t.get(4), 0.5, 2)).isTrue(); // rung 1: [0.4, 0.35, 0.5] → top 1 is 0.35
    // A trial first reporting at step 4 passes rungs 0, 1 and 2 in one call.
    assertThat(report(t.get(5), 0.1, 4)).isFalse();
    assertThat(t.get(5).snapshot().systemAttrs())
        .containsEntry("completed_rung_0", 0.1)
        .containsEntry("completed_rung_1", 0.1)
        .containsEntry("completed_rung_2", 0.1)
        .doesNotContainKey("completed_rung_3");
    FrozenTrial stored = study.storage().getTrial(t.get(1).trialId());
    assertThat(stored.systemAttrs()).containsEntry("completed_rung_0", 0.7);
  }

  @Test
  void maximizationPromotesTheLargest() {
    Study study = study(new SuccessiveHalvingPruner(1, 2, 0, 0), StudyDirection.MAXIMIZE);
    assertThat(report(study.ask(), 0.5, 1)).isFalse();
    assertThat(report(study.ask(), 0.4, 1)).isTrue();
    assertThat(report(study.ask(), 0.9, 1)).isFalse();
  }

  @Test
  void minEarlyStoppingRateDelaysTheFirstRung() {
    Study study = study(new SuccessiveHalvingPruner(1, 2, 1, 0), StudyDirection.MINIMIZE);
    assertThat(report(study.ask(), 0.1, 2)).isFalse();
    Trial late = study.ask();
    assertThat(report(late, 9.0, 1)).isFalse(); // rung 0 ends at 1·2^1 = 2
    assertThat(report(late, 9.0, 2)).isTrue();
  }

  @Test
  void bootstrapCountPrunesUntilTheRungHasEnoughValues() {
    Study study = study(new SuccessiveHalvingPruner(1, 2, 0, 2), StudyDirection.MINIMIZE);
    assertThat(report(study.ask(), 0.1, 1)).isTrue();
    assertThat(report(study.ask(), 0.2, 1)).isTrue();
    assertThat(report(study.ask(), 0.05, 1)).isFalse();
  }

  @Test
  void nanIsPrunedAtARungEnd() {
    Study study = study(new SuccessiveHalvingPruner(1, 2, 0, 0), StudyDirection.MINIMIZE);
    assertThat(report(study.ask(), Double.NaN, 1)).isTrue();
  }

  @Test
  void automaticMinResourceWaitsForACompleteTrial() {
    SuccessiveHalvingPruner pruner = new SuccessiveHalvingPruner();
    Study study = study(pruner, StudyDirection.MINIMIZE);
    assertThat(report(study.ask(), 5.0, 1)).isFalse();
    assertThat(study.ask().snapshot().systemAttrs()).isEmpty();
    study.addTrial(completedCurve(0.0, 251)); // last step 250 → r = max(250/100, 1) = 2
    Trial first = study.ask();
    assertThat(report(first, 1.0, 1)).isFalse(); // rung 0 ends at 2
    assertThat(first.snapshot().systemAttrs()).isEmpty();
    assertThat(report(first, 1.0, 2)).isFalse();
    assertThat(first.snapshot().systemAttrs()).containsOnlyKeys("completed_rung_0");
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThatThrownBy(() -> new SuccessiveHalvingPruner(0, 4, 0, 0)).hasMessageContaining("minResource");
    assertThatThrownBy(() -> new SuccessiveHalvingPruner(1, 1, 0, 0)).hasMessageContaining("reductionFactor");
    assertThatThrownBy(() -> new SuccessiveHalvingPruner(1, 4, -1, 0)).hasMessageContaining("minEarlyStoppingRate");
    assertThatThrownBy(() -> new SuccessiveHalvingPruner(null, 4, 0, 1)).hasMessageContaining("bootstrapCount");
  }

  static boolean report(Trial trial, double value, int step) {
    trial.report(value, step);
    return trial.shouldPrune();
  }

  static Map<String, Object> attrs(Trial trial) {
    return trial.snapshot().systemAttrs();
  }
}
