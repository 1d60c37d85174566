package dev.bilevel.hpo.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.OptimizeOptions;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.TrialState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartialFixedSamplerTest extends SamplerContract {

  @Override
  protected Sampler createSampler(long seed) {
    return new PartialFixedSampler(Map.of("int", 3, "cat", "b"), new QmcSampler(seed));
  }

  @Test
  void fixedParamsAreUsedInEveryTrialAndOthersVary() {
    Study study = Study.builder()
        .sampler(new PartialFixedSampler(Map.of("x", 0.25), new RandomSampler(1))).create();
    study.optimize(t -> t.suggestFloat("x", 0, 1) + t.suggestFloat("y", 0, 1), 10);
    assertThat(study.trials()).allMatch(t -> t.params().get("x").equals(0.25));
    assertThat(study.trials().stream().map(t -> t.params().get("y")).distinct().count())
        .isEqualTo(10);
  }

  @Test
  void fixedNumberOutsideTheRangeIsUsedButAnInvalidChoiceFails() {
    Study study = Study.builder()
        .sampler(new PartialFixedSampler(Map.of("x", 5.0, "c", "nope"), new RandomSampler(1)))
        .create();
    study.optimize(t -> t.suggestFloat("x", 0, 1), 1);
    assertThat(study.trials().get(0).params()).containsEntry("x", 5.0);
    study.optimize(t -> t.suggestCategorical("c", "a", "b").length(),
        OptimizeOptions.trials(1).withCatch(IllegalArgumentException.class));
    assertThat(study.trials().get(1).state()).isEqualTo(TrialState.FAIL);
  }
}
