package dev.bilevel.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.Trial;
import dev.bilevel.hpo.TrialState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heartbeats on the database clock, stale trials, retries, and clean shutdown. */
class HeartbeatTest {

  private static final Duration INTERVAL = Duration.ofMillis(300);
  private static final Duration GRACE = Duration.ofMillis(1500);

  /** Each test's worker log, deleted by JUnit afterwards. */
  @TempDir Path logs;

  @Test
  void workerKilledMidTrialIsFailedWithinTheGracePeriodAndRetriedOnce() throws Exception {
    String url = TempDbs.sqliteUrl();
    try (JdbcStorage storage = JdbcStorage.builder(url).heartbeatInterval(INTERVAL)
        .gracePeriod(GRACE).staleTrialCallback(new RetryFailedTrialCallback(1, false)).open()) {
      long studyId = storage.createNewStudy(List.of(StudyDirection.MINIMIZE), "hb");
      Path log = logs.resolve("worker.log");
      Process worker = Workers.start(log, url, "hb", "10", Long.toString(INTERVAL.toMillis()), "3");
      FrozenTrial hung = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (hung == null && System.nanoTime() < deadline) {
        // Completed count first: a RUNNING trial read afterwards is the one the worker hangs in.
        int complete = storage.getNTrials(studyId, EnumSet.of(TrialState.COMPLETE));
        List<FrozenTrial> running = storage.getAllTrials(studyId, EnumSet.of(TrialState.RUNNING));
        if (complete == 3 && !running.isEmpty() && running.get(0).params().size() == 2) {
          hung = running.get(0);
        }
        Thread.sleep(50);
      }
      assertThat(hung).as("worker output:%n%s", Workers.output(log)).isNotNull();
      // Alive and beating: not stale even after more than the grace period.
      Thread.sleep(GRACE.toMillis() + 500);
      assertThat(storage.failStaleTrials(studyId)).isEmpty();

      worker.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long killedAt = System.nanoTime();
      List<Long> failed = List.of();
      while (failed.isEmpty() && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(30)) {
        Thread.sleep(100);
        failed = storage.failStaleTrials(studyId);
      }
      double seconds = (System.nanoTime() - killedAt) / 1e9;
      assertThat(failed).containsExactly(hung.trialId());
      assertThat(seconds).isLessThan((GRACE.plus(INTERVAL).toMillis() + 1500) / 1000.0);
      assertThat(storage.getTrial(hung.trialId()).state()).isEqualTo(TrialState.FAIL);

      Study study = Study.builder().storage(storage).name("hb").load();
      study.optimize(trial -> {
        double x = trial.suggestFloat("x", -10, 10);
        return x * x + trial.suggestInt("n", 1, 5);
      }, 2);
      List<FrozenTrial> all = storage.getAllTrials(studyId, null);
      List<FrozenTrial> retries = all.stream()
          .filter(t -> RetryFailedTrialCallback.retriedTrialNumber(t) != null).toList();
      assertThat(retries).hasSize(1);
      FrozenTrial retry = retries.get(0);
      assertThat(retry.state()).isEqualTo(TrialState.COMPLETE);
      assertThat(retry.params()).isEqualTo(hung.params());
      assertThat(retry.systemAttrs()).containsEntry("failed_trial", (long) hung.number())
          .containsEntry("retry_history", List.of((long) hung.number()));
      assertThat(all.stream().filter(t -> t.state() == TrialState.COMPLETE)).hasSize(5);
      assertThat(all.stream().filter(t -> t.state() == TrialState.FAIL)).hasSize(1);
    }
  }

  @Test
  void onlyRunningTrialsWhoseLastBeatIsOlderThanTheGraceByTheDatabaseClockGoStale()
      throws Exception {
    String url = TempDbs.sqliteUrl();
    // The worker's beater never fires within the test: its beats are the ones recordHeartbeat writes.
    try (JdbcStorage worker = JdbcStorage.builder(url).heartbeatInterval(Duration.ofHours(1)).open();
        JdbcStorage checker = JdbcStorage.builder(url).heartbeatInterval(INTERVAL)
            .gracePeriod(Duration.ofSeconds(5)).open()) {
      long studyId = worker.createNewStudy(List.of(StudyDirection.MINIMIZE), "clock");
      long stale = worker.createNewTrial(studyId, null);
      long done = worker.createNewTrial(studyId, null);
      long never = worker.createNewTrial(studyId, null);
      long fresh = worker.createNewTrial(studyId, null);
      worker.recordHeartbeat(stale);
      worker.recordHeartbeat(done);
      worker.setTrialStateValues(done, TrialState.COMPLETE, List.of(1.0));
      try (Connection c = DriverManager.getConnection(
              "jdbc:sqlite:" + url.substring("sqlite:///".length()));
          Statement s = c.createStatement()) {
        // Last beats 10 s ago by the database clock, the format SQLAlchemy writes.
        s.executeUpdate("UPDATE trial_heartbeats SET heartbeat = "
            + "strftime('%Y-%m-%d %H:%M:%f', 'now', '-10 seconds') || '000'");
      }
      worker.recordHeartbeat(fresh);
      try (Connection c = DriverManager.getConnection(
              "jdbc:sqlite:" + url.substring("sqlite:///".length()));
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT trial_id, heartbeat FROM trial_heartbeats "
              + "ORDER BY trial_id")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(2)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
      }
      assertThat(checker.failStaleTrials(studyId)).containsExactly(stale);
      assertThat(checker.failStaleTrials(studyId)).isEmpty();
      assertThat(checker.getTrial(stale).state()).isEqualTo(TrialState.FAIL);
      assertThat(checker.getTrial(done).state()).isEqualTo(TrialState.COMPLETE);
      assertThat(checker.getTrial(never).state()).isEqualTo(TrialState.RUNNING);
      assertThat(checker.getTrial(fresh).state()).isEqualTo(TrialState.RUNNING);
    }
  }

  @Test
  void sigtermedWorkerMarksItsRunningTrialFailAtOnce() throws Exception {
    String url = TempDbs.sqliteUrl();
    try (JdbcStorage storage = JdbcStorage.open(url)) {
      long studyId = storage.createNewStudy(List.of(StudyDirection.MINIMIZE), "term");
      Path log = logs.resolve("worker.log");
      Process worker = Workers.start(log, url, "term", "10", "0", "1");
      FrozenTrial hung = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (hung == null && System.nanoTime() < deadline) {
        int complete = storage.getNTrials(studyId, EnumSet.of(TrialState.COMPLETE));
        List<FrozenTrial> running = storage.getAllTrials(studyId, EnumSet.of(TrialState.RUNNING));
        if (complete == 1 && !running.isEmpty() && running.get(0).params().size() == 2) {
          hung = running.get(0);
        }
        Thread.sleep(50);
      }
      assertThat(hung).as("worker output:%n%s", Workers.output(log)).isNotNull();
      worker.destroy(); // SIGTERM: shutdown hooks run
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // No heartbeats configured and no failStaleTrials call: the worker failed it itself.
      assertThat(storage.getTrial(hung.trialId()).state()).isEqualTo(TrialState.FAIL);
      assertThat(storage.getNTrials(studyId, EnumSet.of(TrialState.COMPLETE))).isEqualTo(1);
    }
  }

  @Test
  void closeMarksThisProcesssRunningTrialsFail() {
    String url = TempDbs.sqliteUrl();
    long trialId;
    long finishedId;
    try (JdbcStorage storage = JdbcStorage.open(url)) {
      Study study = Study.builder().storage(storage).name("close")
          .directions(StudyDirection.MINIMIZE).create();
      Trial finished = study.ask();
      study.tell(finished, 1.0);
      finishedId = finished.trialId();
      trialId = study.ask().trialId();
    }
    try (JdbcStorage storage = JdbcStorage.open(url)) {
      assertThat(storage.getTrial(trialId).state()).isEqualTo(TrialState.FAIL);
      assertThat(storage.getTrial(trialId).datetimeComplete()).isNotNull();
      assertThat(storage.getTrial(finishedId).state()).isEqualTo(TrialState.COMPLETE);
    }
  }
}
