package dev.bilevel.hpo.pruners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import org.junit.jupiter.api.Test;

class NopPrunerTest extends PrunerContract {
  @Override
  protected Pruner createPruner() {
    return new NopPruner();
  }

  @Override
  protected boolean prunesHopelessTrials() {
    return false;
  }

  @Test
  void nopNeverPrunesEvenNaN() {
    Study study = study(new NopPruner(), StudyDirection.MINIMIZE);
    var trial = study.ask();
    trial.report(Double.NaN, 0);
    assertThat(trial.shouldPrune()).isFalse();
  }
}
