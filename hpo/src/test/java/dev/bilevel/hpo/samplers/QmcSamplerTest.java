package dev.bilevel.hpo.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.internal.SobolSequence;
import java.util.List;
import org.junit.jupiter.api.Test;

class QmcSamplerTest extends SamplerContract {

  @Override
  protected Sampler createSampler(long seed) {
    return new QmcSampler(seed);
  }

  @Test
  void trialsAfterTheFirstFollowTheSobolPoints() {
    Study study = Study.builder().sampler(new QmcSampler(9, false)).create();
    study.optimize(t -> t.suggestFloat("x", 0, 8) + t.suggestFloat("y", -1, 1), 33);
    SobolSequence sobol = new SobolSequence(2, null);
    List<FrozenTrial> trials = study.trials();
    for (int n = 1; n < trials.size(); n++) {
      double[] p = sobol.point(n);
      assertThat((Double) trials.get(n).params().get("x")).isEqualTo(8 * p[0]);
      assertThat((Double) trials.get(n).params().get("y")).isEqualTo(-1 + 2 * p[1]);
    }
  }

  @Test
  void scrambledPointsStratifyEachAxis() {
    Study study = Study.builder().sampler(new QmcSampler(4)).create();
    study.enqueueTrial(java.util.Map.of("x", 0.5, "y", 0.5));
    study.optimize(t -> t.suggestFloat("x", 0, 1) + t.suggestFloat("y", 0, 1), 64);
    // Points 0..63 of a scrambled (0, m, 2)-net: each of the 64 cells of each axis holds exactly
    // one point among trials 0..63, except the enqueued trial 0 which did not use point 0.
    for (String axis : new String[] {"x", "y"}) {
      int[] cells = new int[64];
      for (FrozenTrial t : study.trials().subList(1, 64)) {
        cells[(int) ((Double) t.params().get(axis) * 64)]++;
      }
      assertThat(java.util.Arrays.stream(cells).filter(c -> c == 1).count()).isEqualTo(63);
    }
  }

  @Test
  void suggestionsDoNotDependOnTheNumberOfThreads() {
    Study sequential = Study.builder().sampler(new QmcSampler(21)).create();
    Study parallel = Study.builder().sampler(new QmcSampler(21)).create();
    dev.bilevel.hpo.Objective objective = t -> t.suggestFloat("x", 0, 1)
        + t.suggestInt("k", 1, 64, true) + t.suggestCategorical("c", "a", "b").length();
    sequential.optimize(objective, 32);
    parallel.optimize(objective, dev.bilevel.hpo.OptimizeOptions.trials(32).withThreads(4));
    // Trials after the first completed one use Sobol point n for trial n, whatever the order.
    int firstComplete = parallel.trials(dev.bilevel.hpo.TrialState.COMPLETE).stream()
        .mapToInt(FrozenTrial::number).min().orElseThrow();
    for (int n = firstComplete + 4; n < 32; n++) {
      assertThat(parallel.trials().get(n).params()).isEqualTo(sequential.trials().get(n).params());
    }
  }
}
