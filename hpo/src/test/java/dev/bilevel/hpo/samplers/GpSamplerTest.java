package dev.bilevel.hpo.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.TrialState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GpSamplerTest extends SamplerContract {

  @Override
  protected Sampler createSampler(long seed) {
    return new GpSampler(seed);
  }

  @Override
  protected int trialCount() {
    return 16;
  }

  /** The optimum point itself is reached to 1e-2 in each coordinate (regret below 2e-4). */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void reachesTheOptimumOfA2dQuadraticWithin100Trials(long seed) {
    Study study = Study.builder().sampler(new GpSampler(seed)).create();
    study.optimize(
        t -> {
          double x = t.suggestFloat("x", -5, 5);
          double y = t.suggestFloat("y", -5, 5);
          return (x - 1.3) * (x - 1.3) + (y + 2.1) * (y + 2.1);
        },
        100);
    FrozenTrial best = study.bestTrial();
    assertThat(Math.abs((Double) best.params().get("x") - 1.3)).isLessThan(1e-2);
    assertThat(Math.abs((Double) best.params().get("y") + 2.1)).isLessThan(1e-2);
  }

  @Test
  void maximizesAndHandlesIntegerAndCategoricalParameters() {
    Study study =
        Study.builder().sampler(new GpSampler(3)).directions(StudyDirection.MAXIMIZE).create();
    study.optimize(
        t -> {
          double x = t.suggestFloat("x", 1e-3, 1e3, true);
          int k = t.suggestInt("k", 0, 20);
          String c = t.suggestCategorical("c", "bad", "good", "ugly");
          double lx = Math.log10(x) - 1;
          return -lx * lx - 0.1 * (k - 7) * (k - 7) + (c.equals("good") ? 1 : 0);
        },
        40);
    FrozenTrial best = study.bestTrial();
    assertThat(best.params()).containsEntry("c", "good").containsEntry("k", 7L);
    assertThat(Math.abs(Math.log10((Double) best.params().get("x")) - 1)).isLessThan(0.2);
    assertThat(study.trials(TrialState.COMPLETE).get(39).systemAttrs())
        .containsKey(GpSampler.KERNEL_PARAMS_KEY);
  }

  @Test
  void constrainedOptimizationFindsTheFeasibleOptimum() {
    // Minimize (x-2)² + (y-2)² subject to x + y <= 2: optimum at (1, 1), value 2.
    Study study =
        Study.builder()
            .sampler(new GpSampler(5))
            .constraints(t -> new double[] {
                (Double) t.params().get("x") + (Double) t.params().get("y") - 2})
            .create();
    study.optimize(
        t -> {
          double x = t.suggestFloat("x", -3, 3);
          double y = t.suggestFloat("y", -3, 3);
          return (x - 2) * (x - 2) + (y - 2) * (y - 2);
        },
        40);
    FrozenTrial best = study.bestTrial();
    assertThat(StudyView.isFeasible(best)).isTrue();
    assertThat(best.value()).isLessThan(2.1);
    List<FrozenTrial> late = study.trials().subList(20, 40);
    long feasible = late.stream().filter(StudyView::isFeasible).count();
    assertThat(feasible).isGreaterThanOrEqualTo(10);
  }

  @Test
  void deterministicObjectiveFixesTheNoiseAtItsFloor() {
    Study study = Study.builder()
        .sampler(GpSampler.builder().seed(4).deterministicObjective(true).nStartupTrials(5).build())
        .create();
    study.optimize(t -> Math.sin(3 * t.suggestFloat("x", 0, 2)), 8);
    List<?> fit = (List<?>) study.trials().get(7).systemAttrs().get(GpSampler.KERNEL_PARAMS_KEY);
    assertThat(fit).hasSize(3);
    assertThat(((Number) fit.get(2)).doubleValue()).isEqualTo(1e-6);
    assertThat(study.trials().get(4).systemAttrs()).doesNotContainKey(GpSampler.KERNEL_PARAMS_KEY);
  }
}
