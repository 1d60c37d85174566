package dev.bilevel.hpo.pruners;

import static dev.bilevel.hpo.pruners.SuccessiveHalvingPrunerTest.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.Trial;
import dev.bilevel.hpo.samplers.RandomSampler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HyperbandPrunerTest extends PrunerContract {

  @Override
  protected Pruner createPruner() {
    return new HyperbandPruner(1, 20, 3, 0);
  }

  @Test
  void bracketsAndAssignmentMatchOptuna() {
    // Oracle from CPython: brackets floor(log(81)/log(3)) + 1 = 5, shares [81, 34, 15, 8, 5],
    // bracket of trial k = walk of binascii.crc32(f"hb_{k}") % 143.
    HyperbandPruner pruner = new HyperbandPruner(1, 81, 3, 0);
    assertThat(pruner.bracketCount()).isEqualTo(5);
    int[] expected = {0, 1, 0, 3, 0, 0, 0, 1, 1, 1, 1, 0, 3, 3, 0, 0, 0, 2, 0, 0};
    for (int k = 0; k < expected.length; k++) {
      assertThat(pruner.bracketOf("hb", k)).as("trial %d", k).isEqualTo(expected[k]);
    }
    // CPython: math.log(243, 3) == 4.999999999999999, so Optuna makes 5 brackets, not 6.
    assertThat(new HyperbandPruner(1, 243, 3, 0).bracketCount()).isEqualTo(5);
    assertThat(new HyperbandPruner(1, 1000, 10, 0).bracketCount()).isEqualTo(3);
  }

  @Test
  void trialsCompeteOnlyWithinTheirBracket() {
    Study study = Study.builder().name("hb").sampler(new RandomSampler(0))
        .pruner(new HyperbandPruner(1, 81, 3, 0)).create();
    List<Trial> t = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      t.add(study.ask());
    }
    // Trials 0 and 2 are in bracket 0 (rung 0 ends at step 1), trial 1 in bracket 1 (step 3).
    assertThat(report(t.get(0), 0.1, 1)).isFalse();
    assertThat(report(t.get(1), 5.0, 1)).isFalse();
    assertThat(report(t.get(1), 5.0, 3)).isFalse(); // alone in bracket 1: promoted
    assertThat(report(t.get(2), 5.0, 1)).isTrue(); // loses to trial 0 in bracket 0
  }

  @Test
  void automaticMaxResourceWaitsForACompleteTrial() {
    HyperbandPruner pruner = new HyperbandPruner();
    Study study = Study.builder().name("auto").sampler(new RandomSampler(0)).pruner(pruner)
        .directions(StudyDirection.MINIMIZE).create();
    assertThat(report(study.ask(), 1e9, 5)).isFalse();
    assertThat(pruner.bracketCount()).isZero();
    study.addTrial(completedCurve(0.0, 81)); // last step 80 → R = 81
    report(study.ask(), 1.0, 0);
    assertThat(pruner.bracketCount()).isEqualTo(5);
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThatThrownBy(() -> new HyperbandPruner(0, 10, 3, 0)).hasMessageContaining("minResource");
    assertThatThrownBy(() -> new HyperbandPruner(5, 4, 3, 0)).hasMessageContaining("maxResource");
    assertThatThrownBy(() -> new HyperbandPruner(1, null, 3, 2)).hasMessageContaining("bootstrapCount");
    assertThatThrownBy(() -> new HyperbandPruner().bracketOf("x", 0))
        .isInstanceOf(IllegalStateException.class);
  }
}
