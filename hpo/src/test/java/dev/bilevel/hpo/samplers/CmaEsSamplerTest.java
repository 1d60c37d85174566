package dev.bilevel.hpo.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Objective;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.TrialState;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CmaEsSamplerTest extends SamplerContract {

  private static final Objective QUADRATIC =
      t -> {
        double x = t.suggestFloat("x", -5, 5);
        double y = t.suggestFloat("y", -5, 5);
        return (x - 1.3) * (x - 1.3) + (y + 2.1) * (y + 2.1);
      };

  @Override
  protected Sampler createSampler(long seed) {
    return new CmaEsSampler(seed);
  }

  private static Study study(Sampler sampler) {
    return Study.builder().sampler(sampler).create();
  }

  private static int attr(FrozenTrial t, String key) {
    return ((Number) t.systemAttrs().get(key)).intValue();
  }

  /** The optimum value 0 is reached to 1e-2 (regret), i.e. the point to within 0.1. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void reachesTheOptimumOfA2dQuadraticWithin100Trials(long seed) {
    Study study = study(new CmaEsSampler(seed));
    study.optimize(QUADRATIC, 100);
    assertThat(study.bestValue()).isLessThan(1e-2);
  }

  @Test
  void separableVariantReachesTheOptimumToo() {
    Study study = study(CmaEsSampler.builder().seed(2).separable(true).build());
    study.optimize(QUADRATIC, 100);
    assertThat(study.bestValue()).isLessThan(1e-3);
  }

  @Test
  void ipopRestartsWithADoubledPopulationWhenTheFitnessIsFlat() {
    Study study = study(CmaEsSampler.builder().seed(3)
        .restartStrategy(CmaEsSampler.Restart.IPOP).build());
    study.optimize(t -> t.suggestFloat("x", 0, 1) * 0 + t.suggestFloat("y", 0, 1) * 0, 150);
    List<FrozenTrial> trials = study.trials(TrialState.COMPLETE);
    long firstRun = trials.stream().filter(t -> t.systemAttrs().containsKey(
        CmaEsSampler.RESTART_KEY) && attr(t, CmaEsSampler.RESTART_KEY) == 0
        && attr(t, CmaEsSampler.GENERATION_KEY) == 0).count();
    long secondRun = trials.stream().filter(t -> t.systemAttrs().containsKey(
        CmaEsSampler.RESTART_KEY) && attr(t, CmaEsSampler.RESTART_KEY) == 1
        && attr(t, CmaEsSampler.GENERATION_KEY) == 0).count();
    assertThat(firstRun).isEqualTo(6);
    assertThat(secondRun).isEqualTo(12);
  }

  @Test
  void bipopRestartsToo() {
    Study study = study(CmaEsSampler.builder().seed(4)
        .restartStrategy(CmaEsSampler.Restart.BIPOP).build());
    study.optimize(t -> t.suggestFloat("x", 0, 1) * 0 + t.suggestFloat("y", 0, 1) * 0, 140);
    int maxRestart = study.trials(TrialState.COMPLETE).stream()
        .filter(t -> t.systemAttrs().containsKey(CmaEsSampler.RESTART_KEY))
        .mapToInt(t -> attr(t, CmaEsSampler.RESTART_KEY)).max().orElse(0);
    assertThat(maxRestart).isGreaterThanOrEqualTo(1);
  }

  @Test
  void marginKeepsIntegerParametersMoving() {
    Study study = study(new CmaEsSampler(5));
    study.optimize(
        t -> {
          double x = t.suggestFloat("x", -3, 3);
          int k = t.suggestInt("k", 0, 10);
          return (x - 0.3) * (x - 0.3) + (k - 3) * (k - 3);
        },
        200);
    FrozenTrial best = study.bestTrial();
    assertThat(best.params()).containsEntry("k", 3L);
    Set<Object> late = new HashSet<>();
    for (FrozenTrial t : study.trials().subList(100, 200)) {
      late.add(t.params().get("k"));
    }
    assertThat(late).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void warmStartCentresTheFirstGenerationOnTheSourceOptimum() {
    Study source = study(new RandomSampler(6));
    source.optimize(
        t -> {
          double x = t.suggestFloat("x", -5, 5);
          double y = t.suggestFloat("y", -5, 5);
          return (x - 3) * (x - 3) + (y + 3) * (y + 3);
        },
        100);
    Study target = study(CmaEsSampler.builder().seed(7).sourceTrials(source.trials()).build());
    target.optimize(QUADRATIC, 7);
    double mx = 0;
    double my = 0;
    List<FrozenTrial> gen0 = target.trials().subList(1, 7);
    for (FrozenTrial t : gen0) {
      assertThat(attr(t, CmaEsSampler.GENERATION_KEY)).isZero();
      mx += (Double) t.params().get("x") / gen0.size();
      my += (Double) t.params().get("y") / gen0.size();
    }
    // Without a warm start the first generation is centred at (0, 0) with σ = 10/6.
    assertThat(Math.hypot(mx - 3, my + 3)).isLessThan(1.5);
  }

  @Test
  void maximizesToo() {
    Study study = Study.builder().sampler(new CmaEsSampler(8))
        .directions(dev.bilevel.hpo.StudyDirection.MAXIMIZE).create();
    study.optimize(t -> -Math.pow(t.suggestFloat("x", -5, 5) - 1, 2)
        - Math.pow(t.suggestFloat("y", 1e-2, 1e2, true) - 10, 2), 100);
    assertThat(study.bestValue()).isGreaterThan(-1e-2);
  }
}
