package dev.bilevel.hpo.pruners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.Trial;
import org.junit.jupiter.api.Test;

class PatientPrunerTest extends PrunerContract {
  @Override
  protected Pruner createPruner() {
    return new PatientPruner(new MedianPruner(5, 0, 1), 2, 0.0);
  }

  @Override
  protected boolean prunesHopelessTrials() {
    // The scripted curves keep improving, so the patience never runs out.
    return false;
  }

  private static boolean[] decisions(
      PatientPruner pruner, StudyDirection direction, double... values) {
    Study study = study(pruner, direction);
    Trial trial = study.ask();
    boolean[] out = new boolean[values.length];
    for (int s = 0; s < values.length; s++) {
      trial.report(values[s], s);
      out[s] = trial.shouldPrune();
    }
    return out;
  }

  @Test
  void prunesAfterPatienceStepsWithoutImprovement() {
    // Patience 2: needs 4 reports; stagnant when min(earlier) + delta < min(last 3).
    assertThat(decisions(new PatientPruner(null, 2, 0.0), StudyDirection.MINIMIZE,
        5, 4, 4.5, 4.2, 4.1, 3.9))
        .containsExactly(false, false, false, false, true, false);
    // minDelta 0.5: after 4 reports min(1.0, 1.2) + 0.5 < min(1.4, 1.6) is false; after 5,
    // min(1.0, 1.2, 1.4) + 0.5 < min(1.6, 1.8) holds.
    assertThat(decisions(new PatientPruner(null, 1, 0.5), StudyDirection.MINIMIZE,
        1.0, 1.2, 1.4, 1.6, 1.8))
        .containsExactly(false, false, false, false, true);
    assertThat(decisions(new PatientPruner(null, 1, 0.0), StudyDirection.MAXIMIZE,
        1.0, 0.9, 0.8))
        .containsExactly(false, false, true);
  }

  @Test
  void defersToTheWrappedPrunerWhenStagnant() {
    assertThat(decisions(new PatientPruner(new NopPruner(), 0, 0.0), StudyDirection.MINIMIZE,
        1, 2, 3)).containsExactly(false, false, false);
  }
}
