package dev.bilevel.hpo.samplers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.OptimizeOptions;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomSamplerTest extends SamplerContract {

  @Override
  protected Sampler createSampler(long seed) {
    return new RandomSampler(seed);
  }

  /** Chi-square statistic of counts against equal expected frequencies. */
  private static double chiSquare(int[] counts, int n) {
    double expected = (double) n / counts.length;
    double chi = 0;
    for (int c : counts) {
      chi += (c - expected) * (c - expected) / expected;
    }
    return chi;
  }

  @Test
  void integersAndCategoriesAreUniform() {
    SplittableRandom rng = new SplittableRandom(1);
    int n = 5000;
    int[] ints = new int[10];
    int[] cats = new int[4];
    int[] steps = new int[5];
    for (int k = 0; k < n; k++) {
      ints[(int) RandomSampler.sample(rng, IntDistribution.of(0, 9))]++;
      cats[(int) RandomSampler.sample(rng, CategoricalDistribution.of("a", "b", "c", "d"))]++;
      double s = RandomSampler.sample(rng, FloatDistribution.stepped(0.0, 1.0, 0.25));
      steps[(int) Math.round(s / 0.25)]++;
    }
    // 99.9% quantiles of chi-square with 9, 3 and 4 degrees of freedom.
    assertThat(chiSquare(ints, n)).isLessThan(27.88);
    assertThat(chiSquare(cats, n)).isLessThan(16.27);
    assertThat(chiSquare(steps, n)).isLessThan(18.47);
  }

  @Test
  void logScalesFollowTheirLaws() {
    SplittableRandom rng = new SplittableRandom(2);
    int n = 20000;
    int belowGeometricMean = 0;
    int ones = 0;
    for (int k = 0; k < n; k++) {
      if (RandomSampler.sample(rng, FloatDistribution.logUniform(1e-4, 1.0)) < 1e-2) {
        belowGeometricMean++;
      }
      if (RandomSampler.sample(rng, new IntDistribution(1, 8, true, 1)) == 1.0) {
        ones++;
      }
    }
    // Log-uniform: P(x < sqrt(low*high)) = 1/2. Log-int on [1, 8]: P(1) = ln(1.5/0.5)/ln(8.5/0.5).
    double sigma = Math.sqrt(0.25 / n);
    assertThat(belowGeometricMean / (double) n).isCloseTo(0.5, within(4 * sigma));
    double p1 = Math.log(3) / Math.log(17);
    assertThat(ones / (double) n).isCloseTo(p1, within(4 * Math.sqrt(p1 * (1 - p1) / n)));
  }

  @Test
  void suggestionsDependOnlyOnSeedAndTrialNumberWhateverTheThreads() {
    Study sequential = Study.builder().sampler(new RandomSampler(99)).create();
    Study parallel = Study.builder().sampler(new RandomSampler(99)).create();
    sequential.optimize(ALL_KINDS, 40);
    parallel.optimize(ALL_KINDS, OptimizeOptions.trials(40).withThreads(4));
    List<FrozenTrial> a = sequential.trials();
    List<FrozenTrial> b = parallel.trials();
    for (int k = 0; k < 40; k++) {
      assertThat(b.get(k).params()).isEqualTo(a.get(k).params());
    }
  }

  @Test
  void differentSeedsDiffer() {
    Study a = Study.builder().sampler(new RandomSampler(1)).create();
    Study b = Study.builder().sampler(new RandomSampler(2)).create();
    a.optimize(t -> t.suggestFloat("x", 0, 1), 5);
    b.optimize(t -> t.suggestFloat("x", 0, 1), 5);
    assertThat(a.trials().get(0).params()).isNotEqualTo(b.trials().get(0).params());
  }

  @Test
  void findsTheMinimumOfAQuadratic() {
    Study study = Study.builder().sampler(new RandomSampler(3))
        .directions(StudyDirection.MINIMIZE).create();
    study.optimize(t -> Math.pow(t.suggestFloat("x", -10, 10) - 2, 2), 200);
    // P(no draw within 0.3 of the optimum in 200 uniform draws) = 0.97^200 < 0.003.
    assertThat(study.bestValue()).isLessThan(0.09);
    assertThat((Double) study.bestTrial().params().get("x")).isCloseTo(2.0, within(0.3));
  }
}
