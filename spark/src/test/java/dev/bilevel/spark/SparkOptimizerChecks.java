package dev.bilevel.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The scenario both Spark tests run: 20 trials with parallelism 2 and a 3 s timeout, trial 3
 * overrunning it: it is cancelled and FAIL while the 19 others complete.
 */
final class SparkOptimizerChecks {

  static final int TRIALS = 20;
  static final int SLOW_TRIAL = 3;

  private SparkOptimizerChecks() {}

  static void runTwentyTrialsOneOverrunning(JavaSparkContext sc, String url) {
    try (JdbcStorage storage = JdbcStorage.open(url)) {
      Study.builder().storage(storage).name("spark").directions(StudyDirection.MINIMIZE).create();
    }
    long t0 = System.nanoTime();
    SparkOptimizer.Outcome outcome = new SparkOptimizer(sc, url, "spark")
        .parallelism(2)
        .trialTimeout(Duration.ofSeconds(3))
        .heartbeatInterval(Duration.ofSeconds(1))
        .optimize(trial -> {
          double x = trial.suggestFloat("x", -10, 10);
          if (trial.number() == SLOW_TRIAL) {
            Thread.sleep(120_000);
          }
          return x * x;
        }, TRIALS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(seconds).isLessThan(100);
    assertThat(outcome.timedOut()).isEqualTo(1);
    try (JdbcStorage storage = JdbcStorage.open(url)) {
      List<FrozenTrial> trials = storage.getAllTrials(storage.getStudyIdFromName("spark"), null);
      assertThat(trials).extracting(FrozenTrial::number)
          .containsExactlyElementsOf(IntStream.range(0, TRIALS).boxed().collect(Collectors.toList()));
      FrozenTrial slow = trials.get(SLOW_TRIAL);
      assertThat(slow.state()).isEqualTo(TrialState.FAIL);
      assertThat(String.valueOf(slow.systemAttrs().get(Study.FAIL_REASON_KEY)))
          .containsAnyOf("cancelled", "Cancelled");
      assertThat(trials.stream().filter(t -> t.state() == TrialState.COMPLETE)).hasSize(TRIALS - 1);
      assertThat(trials).allMatch(t -> t.params().containsKey("x"));
      assertThat(outcome.trialNumbers()).hasSize(TRIALS - 1).doesNotContain(SLOW_TRIAL);
    }
  }
}
