package dev.bilevel.hpo.importance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.samplers.RandomSampler;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ImportanceEvaluatorTest {
  static Study synthetic;

  static Stream<LongFunction<ImportanceEvaluator>> evaluators() {
    return Stream.of(FanovaImportanceEvaluator::new, MeanDecreaseImpurityImportanceEvaluator::new);
  }

  /** f = x0² + 0.01·x1 with an unused x2 and an unused categorical, 200 random trials. */
  static synchronized Study synthetic() {
    if (synthetic == null) {
      synthetic = Study.builder().sampler(new RandomSampler(1)).create();
      synthetic.optimize(
          t -> {
            double x0 = t.suggestFloat("x0", -1, 1);
            double x1 = t.suggestFloat("x1", -1, 1);
            t.suggestFloat("x2", 1e-3, 1, true);
            t.suggestCategorical("c", "a", "b", "c");
            return x0 * x0 + 0.01 * x1;
          },
          200);
    }
    return synthetic;
  }

  @ParameterizedTest
  @MethodSource("evaluators")
  void findsTheOneImportantDimension(LongFunction<ImportanceEvaluator> make) {
    Map<String, Double> imp = make.apply(0).evaluate(synthetic());
    assertThat(imp.keySet()).containsExactlyInAnyOrder("x0", "x1", "x2", "c");
    assertThat(imp.keySet().iterator().next()).isEqualTo("x0");
    assertThat(imp.get("x0")).isGreaterThan(0.9);
    assertThat(imp.values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1, within(1e-12));
    assertThat(imp.values()).allMatch(v -> v >= 0);
  }

  @ParameterizedTest
  @MethodSource("evaluators")
  void isDeterministicForASeed(LongFunction<ImportanceEvaluator> make) {
    Map<String, Double> a = make.apply(7).evaluate(synthetic());
    Map<String, Double> b = make.apply(7).evaluate(synthetic());
    assertThat(a).isEqualTo(b);
    assertThat(List.copyOf(a.keySet())).isEqualTo(List.copyOf(b.keySet()));
  }

  @ParameterizedTest
  @MethodSource("evaluators")
  void findsAnImportantCategoricalAndHonoursParamsAndTarget(
      LongFunction<ImportanceEvaluator> make) {
    Study study = Study.builder().sampler(new RandomSampler(2)).create();
    study.optimize(
        t -> {
          double x = t.suggestFloat("x", 0, 1);
          String c = t.suggestCategorical("c", "low", "mid", "high");
          return 0.05 * x + (c.equals("high") ? 10 : c.equals("mid") ? 5 : 0);
        },
        100);
    Map<String, Double> imp = make.apply(1).evaluate(study);
    assertThat(imp.get("c")).isGreaterThan(0.9);
    Map<String, Double> onlyX = make.apply(1).evaluate(study, List.of("x"), null);
    assertThat(onlyX).containsOnlyKeys("x").containsEntry("x", 1.0);
    Map<String, Double> byX = make.apply(1).evaluate(
        study, null, t -> (Double) t.params().get("x"));
    assertThat(byX.get("x")).isGreaterThan(0.9);
    assertThatThrownBy(() -> make.apply(1).evaluate(study, List.of("nope"), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
  }
}
