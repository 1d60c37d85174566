package dev.bilevel.hpo.pruners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.Trial;
import org.junit.jupiter.api.Test;

class ThresholdPrunerTest extends PrunerContract {
  @Override
  protected Pruner createPruner() {
    return new ThresholdPruner(Double.NEGATIVE_INFINITY, 50.0);
  }

  private static boolean[] decisions(ThresholdPruner pruner, double... values) {
    Study study = study(pruner, StudyDirection.MINIMIZE);
    Trial trial = study.ask();
    boolean[] out = new boolean[values.length];
    for (int s = 0; s < values.length; s++) {
      trial.report(values[s], s);
      out[s] = trial.shouldPrune();
    }
    return out;
  }

  @Test
  void prunesOutsideTheBoundsAndOnNaN() {
    assertThat(decisions(new ThresholdPruner(0.0, 1.0), 0.5, 1.0, 1.01, -0.1, Double.NaN))
        .containsExactly(false, false, true, true, true);
  }

  @Test
  void respectsWarmupAndInterval() {
    assertThat(decisions(new ThresholdPruner(0.0, 1.0, 2, 2), 9, 9, 9, 9, 9))
        .containsExactly(false, false, true, false, true);
  }

  @Test
  void rejectsInvalidBounds() {
    assertThatThrownBy(() -> new ThresholdPruner(2, 1)).hasMessageContaining("lower must be");
    assertThatThrownBy(
            () -> new ThresholdPruner(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY))
        .hasMessageContaining("finite bound");
  }
}
