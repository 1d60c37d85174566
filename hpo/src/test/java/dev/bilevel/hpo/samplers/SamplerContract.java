package dev.bilevel.hpo.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Objective;
import dev.bilevel.hpo.OptimizeOptions;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link Sampler} must satisfy; each sampler's test class extends it and
 * provides {@link #createSampler(long)}. Published in the hpo test-jar.
 */
public abstract class SamplerContract {

  /**
   * Creates the sampler under test.
   *
   * @param seed the seed
   * @return a new sampler
   */
  protected abstract Sampler createSampler(long seed);

  /**
   * The number of trials the sequential tests run; override for samplers whose warm-up is longer.
   *
   * @return the number of trials
   */
  protected int trialCount() {
    return 30;
  }

  /**
   * A study using the sampler under test.
   *
   * @param seed the sampler's seed
   * @param directions the study's directions
   * @return the study
   */
  protected Study study(long seed, StudyDirection... directions) {
    return Study.builder().sampler(createSampler(seed)).directions(directions).create();
  }

  /**
   * Values inside every distribution this suite suggests, by parameter name, for samplers that
   * need the search space up front (a grid sampler).
   */
  public static final Map<String, List<?>> CONTRACT_GRID = Map.ofEntries(
      Map.entry("float", List.of(-5.0, 0.0, 3.0)),
      Map.entry("log", List.of(1e-4, 1.0, 10.0)),
      Map.entry("step", List.of(0.2, 0.5, 1.4)),
      Map.entry("int", List.of(-3, 0, 7)),
      Map.entry("logint", List.of(1, 10, 1000)),
      Map.entry("stepint", List.of(0, 4, 12)),
      Map.entry("cat", List.of("a", "b", "c")),
      Map.entry("mixed", java.util.Arrays.asList(null, true, 2, 2.5, "s")),
      Map.entry("x", List.of(0.25, 0.75)),
      Map.entry("y", List.of(0.1, 0.9)),
      Map.entry("c", List.of("a", "b")),
      Map.entry("n", List.of(1, 4)),
      Map.entry("v", List.of(0.0, 0.5)),
      Map.entry("kind", List.of("lin", "sq")),
      Map.entry("a", List.of(0.0, 1.0)),
      Map.entry("b", List.of(1.0, 2.0)),
      Map.entry("fresh", List.of(0.5)));

  /** An objective that uses every kind of distribution. */
  protected static final Objective ALL_KINDS =
      t -> {
        double x = t.suggestFloat("float", -5.0, 3.0);
        double lg = t.suggestFloat("log", 1e-4, 10.0, true);
        double st = t.suggestFloat("step", 0.2, 1.4, 0.3);
        int i = t.suggestInt("int", -3, 7);
        int li = t.suggestInt("logint", 1, 1000, true);
        int si = t.suggestInt("stepint", 0, 12, 4, false);
        String c = t.suggestCategorical("cat", "a", "b", "c");
        Object mixed = t.suggestCategorical("mixed", java.util.Arrays.asList(null, true, 2, 2.5, "s"));
        return x * x + Math.log(lg) + st + i + li * 1e-3 + si + c.length()
            + (mixed == null ? 0 : 1);
      };

  private static void assertAllParamsContained(List<FrozenTrial> trials) {
    for (FrozenTrial t : trials) {
      for (Map.Entry<String, Distribution> e : t.distributions().entrySet()) {
        assertThat(e.getValue().contains(t.internalParam(e.getKey())))
            .as("trial %d param %s = %s in %s", t.number(), e.getKey(),
                t.params().get(e.getKey()), e.getValue())
            .isTrue();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void samplesLieInTheirDistributions(long seed) {
    Study study = study(seed, StudyDirection.MINIMIZE);
    study.optimize(ALL_KINDS, trialCount());
    List<FrozenTrial> complete = study.trials(TrialState.COMPLETE);
    assertThat(complete).hasSize(trialCount());
    assertAllParamsContained(complete);
    assertThat(complete.get(0).params())
        .containsOnlyKeys("float", "log", "step", "int", "logint", "stepint", "cat", "mixed");
  }

  @Test
  void sameSeedGivesSameSuggestions() {
    Study a = study(7, StudyDirection.MINIMIZE);
    Study b = study(7, StudyDirection.MINIMIZE);
    a.optimize(ALL_KINDS, trialCount());
    b.optimize(ALL_KINDS, trialCount());
    List<FrozenTrial> ta = a.trials();
    List<FrozenTrial> tb = b.trials();
    for (int k = 0; k < ta.size(); k++) {
      assertThat(ta.get(k).params()).isEqualTo(tb.get(k).params());
    }
  }

  @Test
  void enqueuedFixedParamsAreUsedAndOthersSampled() {
    Study study = study(11, StudyDirection.MINIMIZE);
    study.enqueueTrial(Map.of("x", 0.25, "c", "b"));
    study.optimize(
        t -> t.suggestFloat("x", 0, 1) + t.suggestFloat("y", 0, 1)
            + t.suggestCategorical("c", "a", "b").length(),
        5);
    FrozenTrial first = study.trials().get(0);
    assertThat(first.params()).containsEntry("x", 0.25).containsEntry("c", "b");
    assertThat(first.params().get("y")).isInstanceOf(Double.class);
    assertAllParamsContained(study.trials());
  }

  @Test
  void dynamicAndConditionalSearchSpaces() {
    Study study = study(5, StudyDirection.MINIMIZE);
    study.optimize(
        t -> {
          int n = t.suggestInt("n", 1, 4);
          double v = t.suggestFloat("v", -n, n);
          String kind = t.suggestCategorical("kind", "lin", "sq");
          double w = kind.equals("lin") ? t.suggestFloat("a", 0, 1) : t.suggestFloat("b", 1, 2);
          return v + w;
        },
        trialCount());
    List<FrozenTrial> trials = study.trials(TrialState.COMPLETE);
    assertThat(trials).hasSize(trialCount());
    assertAllParamsContained(trials);
    for (FrozenTrial t : trials) {
      FloatDistribution v = (FloatDistribution) t.distributions().get("v");
      assertThat(v.high()).isEqualTo(((Long) t.params().get("n")).doubleValue());
      assertThat(t.params().containsKey("a")).isNotEqualTo(t.params().containsKey("b"));
    }
  }

  @Test
  void singleValuedDistributionsNeedNoSampling() {
    Study study = study(3, StudyDirection.MINIMIZE);
    study.optimize(
        t -> t.suggestFloat("f", 2, 2) + t.suggestInt("i", 5, 5)
            + t.suggestCategorical("c", "only").length(),
        3);
    for (FrozenTrial t : study.trials()) {
      assertThat(t.params()).containsEntry("f", 2.0).containsEntry("i", 5L)
          .containsEntry("c", "only");
    }
  }

  @Test
  void samplingDoesNotChangeTheStudy() {
    Study study = study(13, StudyDirection.MINIMIZE);
    study.optimize(ALL_KINDS, trialCount() / 2);
    List<FrozenTrial> before = study.trials();
    Sampler sampler = study.sampler();
    FrozenTrial probe = before.get(before.size() - 1);
    Map<String, Distribution> space = sampler.inferRelativeSearchSpace(study, probe);
    if (!space.isEmpty()) {
      sampler.sampleRelative(study, probe, space);
    }
    sampler.sampleIndependent(study, probe, "fresh", FloatDistribution.uniform(0, 1));
    assertThat(study.trials()).isEqualTo(before);
  }

  @Test
  void multiThreadedOptimizeCompletesEveryTrial() {
    Study study = study(17, StudyDirection.MINIMIZE);
    int n = Math.max(24, trialCount());
    study.optimize(ALL_KINDS, OptimizeOptions.trials(n).withThreads(4));
    List<FrozenTrial> trials = study.trials();
    assertThat(trials).hasSize(n);
    assertThat(trials).allMatch(t -> t.state() == TrialState.COMPLETE);
    assertThat(trials).extracting(FrozenTrial::number).doesNotHaveDuplicates();
    assertAllParamsContained(trials);
  }

  @Test
  void worksForMultiObjectiveStudies() {
    Study study = study(19, StudyDirection.MINIMIZE, StudyDirection.MAXIMIZE);
    study.optimizeMulti(
        t -> {
          double x = t.suggestFloat("x", 0, 1);
          return new double[] {x, x * x};
        },
        OptimizeOptions.trials(Math.min(trialCount(), 20)));
    assertThat(study.trials(TrialState.COMPLETE)).hasSize(Math.min(trialCount(), 20));
    assertThat(study.bestTrials()).isNotEmpty();
  }
}
