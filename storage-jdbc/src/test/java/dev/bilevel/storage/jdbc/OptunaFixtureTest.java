package dev.bilevel.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import dev.bilevel.hpo.samplers.RandomSampler;
import dev.bilevel.hpo.storage.FrozenStudy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads the databases written by Python Optuna 3.1 and 5.0 ({@code fixtures/make_fixtures.py})
 * and continues their studies.
 */
class OptunaFixtureTest {

  private static final Map<String, Object> FIRST_PARAMS =
      Map.of("x", 1.25, "lr", 0.001, "n", 3L, "opt", "sgd");

  @ParameterizedTest
  @ValueSource(strings = {"optuna-3.1.0.db", "optuna-5.0.0.db"})
  void readsEverythingOptunaWrote(String fixture) {
    Path db = TempDbs.fixtureCopy(fixture);
    try (JdbcStorage storage = JdbcStorage.open("sqlite:///" + db)) {
      List<FrozenStudy> studies = storage.getAllStudies();
      assertThat(studies).extracting(FrozenStudy::studyName).containsExactly("fixture", "fixture-mo");
      FrozenStudy study = studies.get(0);
      assertThat(study.directions()).containsExactly(StudyDirection.MINIMIZE);
      assertThat(study.userAttrs()).containsEntry("dataset", "mnist");
      List<?> weights = (List<?>) study.userAttrs().get("weights");
      assertThat(weights.get(0)).isEqualTo(0.5);
      assertThat(weights.get(1)).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat((Double) weights.get(2)).isNaN();
      assertThat(study.systemAttrs().get("origin")).isInstanceOf(Map.class);

      List<FrozenTrial> trials = storage.getAllTrials(study.studyId(), null);
      assertThat(trials).extracting(FrozenTrial::number).containsExactly(0, 1, 2, 3, 4, 5, 6);
      assertThat(trials).extracting(FrozenTrial::state).containsExactly(TrialState.COMPLETE,
          TrialState.COMPLETE, TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL,
          TrialState.RUNNING, TrialState.WAITING);

      FrozenTrial first = trials.get(0);
      assertThat(first.params()).isEqualTo(FIRST_PARAMS);
      assertThat(first.params().keySet()).containsExactly("x", "lr", "n", "opt");
      assertThat(first.distributions()).containsEntry("x", FloatDistribution.uniform(-10, 10))
          .containsEntry("lr", new FloatDistribution(1e-5, 1.0, true, null))
          .containsEntry("n", new IntDistribution(1, 9, false, 2))
          .containsEntry("opt", CategoricalDistribution.of("adam", "sgd", null, 2.5));
      assertThat(first.values()).containsExactly(1.5);
      assertThat(first.intermediateValues().keySet()).containsExactly(0, 1, 2, 3);
      assertThat(first.intermediateValues().get(0)).isEqualTo(3.0);
      assertThat(first.intermediateValues().get(1)).isNaN();
      assertThat(first.intermediateValues().get(2)).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat(first.intermediateValues().get(3)).isEqualTo(Double.NEGATIVE_INFINITY);
      assertThat(first.userAttrs()).containsEntry("note", "first")
          .containsEntry("nested", Map.of("a", Arrays.asList(1L, 2.5, null, true)));
      assertThat((Double) first.userAttrs().get("nan")).isNaN();
      assertThat(first.systemAttrs()).containsEntry("sys", "s");
      assertThat(first.datetimeStart()).isBetween(Instant.parse("2026-01-01T00:00:00Z"),
          Instant.now().plus(Duration.ofDays(1)));

      assertThat(trials.get(1).values()).containsExactly(Double.POSITIVE_INFINITY);
      assertThat(trials.get(1).params()).containsEntry("opt", null).containsEntry("n", 9L);
      assertThat(trials.get(2).values()).containsExactly(Double.NEGATIVE_INFINITY);
      assertThat(trials.get(2).params()).containsEntry("opt", 2.5).containsEntry("lr", 1e-5);
      assertThat(trials.get(3).intermediateValues().get(5)).isNaN();
      assertThat(trials.get(3).values()).isEmpty();
      assertThat(trials.get(5).intermediateValues()).containsEntry(0, 0.25);
      assertThat(trials.get(5).datetimeComplete()).isNull();
      assertThat(trials.get(6).datetimeStart()).isNull();
      assertThat(trials.get(6).systemAttrs().get("fixed_params"))
          .isEqualTo(Map.of("x", 7.5, "lr", 0.01, "n", 5L, "opt", "adam"));

      FrozenStudy mo = studies.get(1);
      assertThat(mo.directions()).containsExactly(StudyDirection.MINIMIZE, StudyDirection.MAXIMIZE);
      List<FrozenTrial> moTrials = storage.getAllTrials(mo.studyId(), null);
      assertThat(moTrials.get(0).values()).containsExactly(1.0, Double.NEGATIVE_INFINITY);
      assertThat(moTrials.get(1).values()).containsExactly(0.5, 3.0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"optuna-3.1.0.db", "optuna-5.0.0.db"})
  void continuesOptunasStudy(String fixture) {
    Path db = TempDbs.fixtureCopy(fixture);
    try (JdbcStorage storage = JdbcStorage.open("sqlite:///" + db)) {
      Study study = Study.builder().storage(storage).name("fixture")
          .sampler(new RandomSampler(7)).load();
      study.tell(5, 0.125);
      study.optimize(trial -> {
        double x = trial.suggestFloat("x", -10, 10);
        double lr = trial.suggestFloat("lr", 1e-5, 1.0, true);
        int n = trial.suggestInt("n", 1, 9, 2, false);
        Object opt = trial.suggestCategorical("opt", Arrays.asList("adam", "sgd", null, 2.5));
        return x * x + lr + n + (opt == null ? 1 : 0);
      }, 3);
      List<FrozenTrial> trials = study.trials(null);
      assertThat(trials).extracting(FrozenTrial::number)
          .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
      assertThat(trials.get(5).state()).isEqualTo(TrialState.COMPLETE);
      assertThat(trials.get(5).value()).isEqualTo(0.125);
      FrozenTrial enqueued = trials.get(6);
      assertThat(enqueued.state()).isEqualTo(TrialState.COMPLETE);
      assertThat(enqueued.params()).isEqualTo(Map.of("x", 7.5, "lr", 0.01, "n", 5L, "opt", "adam"));
      assertThat(enqueued.value()).isCloseTo(7.5 * 7.5 + 0.01 + 5, within(1e-12));
      assertThat(trials.subList(7, 9)).allMatch(t -> t.state() == TrialState.COMPLETE);
      assertThat(storage.getBestTrial(study.studyId()).number()).isEqualTo(2);
    }
  }
}
