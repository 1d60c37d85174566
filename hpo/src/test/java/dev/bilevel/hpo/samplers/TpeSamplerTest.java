package dev.bilevel.hpo.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.OptimizeOptions;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TpeSamplerTest extends SamplerContract {

  @Override
  protected Sampler createSampler(long seed) {
    return TpeSampler.builder().seed(seed).nStartupTrials(5).build();
  }

  private static double quadratic(double x, double y) {
    return (x - 1.3) * (x - 1.3) + (y + 2.1) * (y + 2.1);
  }

  /**
   * Issue 3: TPE reaches the optimum of a 2-D quadratic to 1e-2 within 100 trials. Checked: with
   * default settings (multivariate, 10 startup trials) and seeds 1, 2, 3, the best value after 100
   * trials is at most 1e-2. (Optuna 5.0 itself gets there in 7 of seeds 1..10.)
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void reachesTheOptimumOfAQuadraticWithin100Trials(long seed) {
    Study study = Study.builder().sampler(TpeSampler.builder().seed(seed).build()).create();
    study.optimize(t -> quadratic(t.suggestFloat("x", -5, 5), t.suggestFloat("y", -5, 5)), 100);
    assertThat(study.bestValue()).isLessThanOrEqualTo(1e-2);
  }

  /** Univariate TPE: the median best value over seeds 1..5 after 100 trials is at most 2e-2. */
  @Test
  void univariateTpeGetsCloseOnTheQuadratic() {
    double[] best = new double[5];
    for (int seed = 1; seed <= 5; seed++) {
      Study study = Study.builder()
          .sampler(TpeSampler.builder().seed(seed).multivariate(false).build())
          .create();
      study.optimize(t -> quadratic(t.suggestFloat("x", -5, 5), t.suggestFloat("y", -5, 5)), 100);
      best[seed - 1] = study.bestValue();
    }
    java.util.Arrays.sort(best);
    assertThat(best[2]).isLessThanOrEqualTo(2e-2);
  }

  @Test
  void defaultGammaAndWeightsAreOptunas() {
    assertThat(TpeSampler.defaultGamma(1)).isEqualTo(1);
    assertThat(TpeSampler.defaultGamma(100)).isEqualTo(10);
    assertThat(TpeSampler.defaultGamma(1000)).isEqualTo(25);
    assertThat(TpeSampler.defaultWeights(3)).containsExactly(1, 1, 1);
    double[] w = TpeSampler.defaultWeights(30);
    assertThat(w[0]).isEqualTo(1.0 / 30);
    assertThat(w[4]).isEqualTo(1.0);
    assertThat(w[2]).isGreaterThan(w[1]);
    assertThat(w[29]).isEqualTo(1.0);
  }

  private static Study constrained(Sampler sampler) {
    Study study = Study.builder()
        .sampler(sampler)
        .constraints(t -> new double[] {1 - (Double) t.params().get("x")})
        .create();
    study.optimize(t -> {
      double x = t.suggestFloat("x", -5, 5);
      double y = t.suggestFloat("y", -5, 5);
      return x * x + y * y;
    }, 100);
    return study;
  }

  /**
   * Constraints (feasible iff {@code x ≥ 1}) on {@code min x² + y²} over {@code [−5, 5]²}: the
   * constrained optimum is 1 at (1, 0). Checked for seeds 1..3 with 100 trials: the best feasible
   * value is at most 1.3 and below random search's, and at least 28 of trials 50..99 are feasible
   * (random search: 16 to 22).
   */
  @Test
  void constraintsSteerTowardsTheFeasibleOptimum() {
    for (long seed = 1; seed <= 3; seed++) {
      Study tpe = constrained(TpeSampler.builder().seed(seed).build());
      Study random = constrained(new RandomSampler(seed));
      assertThat(tpe.bestValue()).as("seed %d", seed)
          .isLessThanOrEqualTo(1.3).isLessThan(random.bestValue());
      assertThat((Double) tpe.bestTrial().params().get("x")).isGreaterThanOrEqualTo(1.0);
      long feasible = tpe.trials().subList(50, 100).stream()
          .filter(StudyView::isFeasible).count();
      assertThat(feasible).as("seed %d", seed).isGreaterThanOrEqualTo(28);
    }
  }

  /**
   * Mean distance to 1.3 of five proposals made while ten enqueued trials at x = 1.3 are still
   * running, after 30 finished trials of {@code (x − 1.3)²}.
   */
  private static double distanceFromPendingOptimum(boolean liar, long seed) {
    Study study = Study.builder()
        .sampler(TpeSampler.builder().seed(seed).constantLiar(liar).build())
        .create();
    study.optimize(t -> Math.pow(t.suggestFloat("x", -5, 5) - 1.3, 2), 30);
    for (int k = 0; k < 10; k++) {
      study.enqueueTrial(Map.of("x", 1.3));
    }
    for (int k = 0; k < 10; k++) {
      study.ask().suggestFloat("x", -5, 5);
    }
    double d = 0;
    for (int k = 0; k < 5; k++) {
      d += Math.abs(study.ask().suggestFloat("x", -5, 5) - 1.3);
    }
    return d / 5;
  }

  /**
   * Constant liar: running trials count as bad ones, so new proposals avoid the points pending
   * trials evaluate. Checked for seeds 2 and 5 (where, without the liar, the proposals stay within
   * 1 of the optimum): with the liar they move at least 2 away on average.
   */
  @Test
  void constantLiarAvoidsPendingPoints() {
    for (long seed : new long[] {2, 5}) {
      assertThat(distanceFromPendingOptimum(false, seed)).as("seed %d", seed).isLessThan(1.0);
      assertThat(distanceFromPendingOptimum(true, seed)).as("seed %d", seed).isGreaterThan(2.0);
    }
  }

  /** A parallel run (4 threads, constant liar) still gets within 5e-2 of the optimum in 100. */
  @Test
  void parallelRunWithConstantLiarConverges() {
    Study study = Study.builder().sampler(TpeSampler.builder().seed(6).build()).create();
    study.optimize(
        t -> quadratic(t.suggestFloat("x", -5, 5), t.suggestFloat("y", -5, 5)),
        OptimizeOptions.trials(100).withThreads(4));
    assertThat(study.trials(TrialState.COMPLETE)).hasSize(100);
    assertThat(study.bestValue()).isLessThanOrEqualTo(5e-2);
  }

  /**
   * Group decomposition on a conditional space: "kind" selects either (a, b) or (c). The
   * intersection space holds only "kind"; the group space holds all four, so the conditional
   * parameters are sampled jointly within their group. Checked: the inferred space, and the best
   * value after 80 trials is below 0.05 (optimum 0 at kind = lin, a = 0.3, b = 0.6).
   */
  @Test
  void groupDecompositionModelsConditionalParameters() {
    Study study = Study.builder()
        .sampler(TpeSampler.builder().seed(2).group(true).build())
        .create();
    study.optimize(t -> {
      String kind = t.suggestCategorical("kind", "lin", "sq");
      if (kind.equals("lin")) {
        double a = t.suggestFloat("a", 0, 1);
        double b = t.suggestFloat("b", 0, 1);
        return (a - 0.3) * (a - 0.3) + (b - 0.6) * (b - 0.6);
      }
      double c = t.suggestFloat("c", 0, 1);
      return 0.5 + c;
    }, 80);
    FrozenTrial last = study.trials().get(79);
    Map<String, Distribution> space = study.sampler().inferRelativeSearchSpace(study, last);
    assertThat(space).containsOnlyKeys("kind", "a", "b", "c");
    assertThat(TpeSampler.builder().seed(2).build().inferRelativeSearchSpace(study, last))
        .containsOnlyKeys("kind");
    assertThat(study.bestValue()).isLessThan(0.05);
  }

  /**
   * Multi-objective TPE on {@code (x², (x − 2)²)}, whose Pareto set is {@code x ∈ [0, 2]}.
   * Checked (seed 3, 60 trials): at least 20 Pareto trials, at least 90% of them with x in [0, 2]
   * (a finite sample's front may hold points just outside), and at least half of trials 30..59
   * inside [0, 2] (a random point on [−5, 5]: 20%).
   */
  @Test
  void multiObjectiveConcentratesOnTheParetoSet() {
    Study study = Study.builder()
        .directions(StudyDirection.MINIMIZE, StudyDirection.MINIMIZE)
        .sampler(TpeSampler.builder().seed(3).build())
        .create();
    study.optimizeMulti(t -> {
      double x = t.suggestFloat("x", -5, 5);
      return new double[] {x * x, (x - 2) * (x - 2)};
    }, OptimizeOptions.trials(60));
    List<FrozenTrial> front = study.bestTrials();
    assertThat(front.size()).isGreaterThanOrEqualTo(20);
    long frontInside = front.stream()
        .filter(t -> (Double) t.params().get("x") >= 0 && (Double) t.params().get("x") <= 2)
        .count();
    assertThat(frontInside).isGreaterThanOrEqualTo((long) Math.ceil(0.9 * front.size()));
    long inside = study.trials().subList(30, 60).stream()
        .filter(t -> (Double) t.params().get("x") >= 0 && (Double) t.params().get("x") <= 2)
        .count();
    assertThat(inside).isGreaterThanOrEqualTo(15);
  }
}
