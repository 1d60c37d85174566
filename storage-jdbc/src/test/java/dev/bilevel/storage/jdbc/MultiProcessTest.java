package dev.bilevel.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 worker JVMs × 125 trials on one database: 1,000 COMPLETE trials numbered 0..999 exactly once,
 * every worker exits cleanly.
 */
@ExtendWith(PostgresServer.class)
class MultiProcessTest {

  private static final int WORKERS = 8;
  private static final int TRIALS_EACH = 125;

  @TempDir Path logs;

  @Test
  void eightSqliteWorkersShareOneFile() throws Exception {
    runWorkers(TempDbs.sqliteUrl());
  }

  @Test
  void eightPostgresWorkersShareOneDatabase() throws Exception {
    runWorkers(PostgresServer.freshSchemaUrl());
  }

  private void runWorkers(String url) throws Exception {
    long studyId;
    try (JdbcStorage storage = JdbcStorage.open(url)) {
      studyId = storage.createNewStudy(List.of(StudyDirection.MINIMIZE), "shared");
    }
    List<Process> processes = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      processes.add(Workers.start(logs.resolve("w" + w + ".log"), url, "shared",
          Integer.toString(TRIALS_EACH), "1000"));
    }
    for (int w = 0; w < WORKERS; w++) {
      Process p = processes.get(w);
      assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("worker %d finished", w).isTrue();
      assertThat(p.exitValue()).as("worker %d output:%n%s", w,
          Workers.output(logs.resolve("w" + w + ".log"))).isZero();
    }
    try (JdbcStorage storage = JdbcStorage.open(url)) {
      List<FrozenTrial> trials = storage.getAllTrials(studyId, null);
      assertThat(trials).hasSize(WORKERS * TRIALS_EACH);
      assertThat(trials).allMatch(t -> t.state() == TrialState.COMPLETE);
      assertThat(trials.stream().map(FrozenTrial::number).collect(Collectors.toList()))
          .isEqualTo(IntStream.range(0, WORKERS * TRIALS_EACH).boxed().collect(Collectors.toList()));
      assertThat(trials).allMatch(t -> t.params().keySet().containsAll(List.of("x", "n")));
    }
  }
}
