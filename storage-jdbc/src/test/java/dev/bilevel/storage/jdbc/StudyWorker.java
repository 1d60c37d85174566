package dev.bilevel.storage.jdbc;

import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.samplers.RandomSampler;
import java.time.Duration;

/**
 * A worker process for the multi-process tests: loads a study from a storage URL and runs trials
 * of a trivial objective, like a user's worker script would.
 *
 * <p>Arguments: {@code URL STUDY N_TRIALS HEARTBEAT_MS [HANG_AFTER]}. With {@code HANG_AFTER = k}
 * the worker completes {@code k} trials and then blocks inside the next one (to be killed). The
 * storage closes on JVM shutdown (SIGTERM), which marks the running trial FAIL. Exit status 0
 * when all trials ran.
 */
public final class StudyWorker {

  private StudyWorker() {}

  /**
   * Runs the worker.
   *
   * @param args see the class comment
   * @throws Exception on any failure (non-zero exit status)
   */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String studyName = args[1];
    int nTrials = Integer.parseInt(args[2]);
    long heartbeatMs = Long.parseLong(args[3]);
    int hangAfter = args.length > 4 ? Integer.parseInt(args[4]) : Integer.MAX_VALUE;
    JdbcStorageBuilder builder = JdbcStorage.builder(url).poolSize(2).closeOnShutdown(true);
    if (heartbeatMs > 0) {
      builder.heartbeatInterval(Duration.ofMillis(heartbeatMs))
          .staleTrialCallback(new RetryFailedTrialCallback(1, false));
    }
    try (JdbcStorage storage = builder.open()) {
      Study study = Study.builder().storage(storage).name(studyName)
          .sampler(new RandomSampler(ProcessHandle.current().pid())).load();
      int[] done = {0};
      study.optimize(trial -> {
        double x = trial.suggestFloat("x", -10, 10);
        int n = trial.suggestInt("n", 1, 5);
        if (done[0]++ >= hangAfter) {
          Thread.sleep(Long.MAX_VALUE);
        }
        return x * x + n;
      }, nTrials);
    }
  }
}
