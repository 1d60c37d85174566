package dev.bilevel.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.DistributionJson;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import dev.bilevel.hpo.storage.OptunaJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An extra check beyond the committed fixtures: a study written by Bilevel is read back and
 * continued by Python Optuna, and Optuna's trials are read back by Bilevel (skipped where {@code
 * python3} with {@code optuna} is not installed).
 */
class OptunaReadBackTest {

  private static boolean pythonOptuna() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import optuna").redirectErrorStream(true)
          .start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void pythonOptunaReadsAndContinuesAStudyWrittenByBilevel() throws Exception {
    assumeTrue(pythonOptuna(), "python3 with optuna is not installed");
    String url = TempDbs.sqliteUrl();
    Map<String, Distribution> dists = Map.of("x", FloatDistribution.uniform(-10, 10),
        "n", new IntDistribution(1, 9, false, 2),
        "opt", CategoricalDistribution.of("adam", null, 2.5));
    try (JdbcStorage storage = JdbcStorage.open(url)) {
      long s = storage.createNewStudy(List.of(StudyDirection.MINIMIZE), "from-java");
      storage.setStudyUserAttr(s, "weights", List.of(0.5, Double.POSITIVE_INFINITY));
      storage.createNewTrial(s, FrozenTrial.create(TrialState.COMPLETE,
          List.of(Double.NEGATIVE_INFINITY), Map.of("x", 1.5, "n", 3L, "opt", 2.5), dists,
          Map.of("note", "é", "nan", Double.NaN), Map.of("sys", 1L),
          Map.of(0, Double.NaN, 1, Double.POSITIVE_INFINITY, 2, 0.25)));
      long running = storage.createNewTrial(s, null);
      storage.setTrialParam(running, "opt", 1.0, dists.get("opt"));
      storage.createNewStudy(List.of(StudyDirection.MAXIMIZE, StudyDirection.MINIMIZE), "mo");
    }
    Path script = Path.of("src/test/resources/fixtures/read_back.py").toAbsolutePath();
    Process p = new ProcessBuilder("python3", script.toString(), url, "2").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("python stderr:%n%s", err).isZero();
    Map<String, Object> read = (Map<String, Object>) OptunaJson.loads(out.trim());
    List<Map<String, Object>> studies = (List<Map<String, Object>>) read.get("studies");
    assertThat(studies).extracting(m -> m.get("name")).containsExactly("from-java", "mo");
    assertThat(studies.get(1).get("directions")).isEqualTo(List.of("MAXIMIZE", "MINIMIZE"));
    Map<String, Object> study = studies.get(0);
    assertThat(study.get("user_attrs"))
        .isEqualTo(Map.of("weights", List.of(0.5, Double.POSITIVE_INFINITY)));
    List<Map<String, Object>> trials = (List<Map<String, Object>>) study.get("trials");
    assertThat(trials).hasSize(2);
    Map<String, Object> t0 = trials.get(0);
    assertThat(t0.get("state")).isEqualTo("COMPLETE");
    assertThat(t0.get("values")).isEqualTo(List.of(Double.NEGATIVE_INFINITY));
    assertThat(t0.get("params")).isEqualTo(Map.of("x", 1.5, "n", 3L, "opt", 2.5));
    Map<String, Object> pyDists = (Map<String, Object>) t0.get("distributions");
    for (var e : dists.entrySet()) {
      assertThat(DistributionJson.fromJson((String) pyDists.get(e.getKey())))
          .isEqualTo(e.getValue());
    }
    Map<String, Object> iv = (Map<String, Object>) t0.get("intermediate");
    assertThat((Double) iv.get("0")).isNaN();
    assertThat(iv.get("1")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(iv.get("2")).isEqualTo(0.25);
    Map<String, Object> user = (Map<String, Object>) t0.get("user_attrs");
    assertThat(user.get("note")).isEqualTo("é");
    assertThat((Double) user.get("nan")).isNaN();
    assertThat(t0.get("system_attrs")).isEqualTo(Map.of("sys", 1L));
    Map<String, Object> t1 = trials.get(1);
    assertThat(t1.get("state")).isEqualTo("RUNNING");
    assertThat(t1.get("has_start")).isEqualTo(true);
    assertThat((Map<String, Object>) t1.get("params")).containsEntry("opt", null);

    try (JdbcStorage storage = JdbcStorage.open(url)) {
      long s = storage.getStudyIdFromName("from-java");
      List<FrozenTrial> after = storage.getAllTrials(s, null);
      assertThat(after).extracting(FrozenTrial::number).containsExactly(0, 1, 2, 3);
      for (FrozenTrial t : after.subList(2, 4)) {
        assertThat(t.state()).isEqualTo(TrialState.COMPLETE);
        assertThat(t.distributions()).isEqualTo(Map.of("x", dists.get("x"), "n", dists.get("n")));
        double x = (Double) t.params().get("x");
        assertThat(t.value()).isCloseTo(x * x + (Long) t.params().get("n"), within(1e-9));
      }
    }
  }
}
