package dev.bilevel.storage.jdbc;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.storage.Storage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-enqueues a stale trial's parameters as a WAITING trial, so that the next {@code ask()} of any
 * worker runs them again (Optuna's {@code RetryFailedTrialCallback}, with the same system
 * attributes, so Python Optuna reads the history the same way).
 *
 * <p>The new trial has the failed trial's params, distributions and user attributes, and its
 * system attributes plus {@code failed_trial} (the number of the first trial of the chain, kept
 * from an earlier retry) and {@code retry_history} (the numbers of all failed attempts, oldest
 * first). With {@code maxRetry = n} a chain is retried at most {@code n} times.
 *
 * <pre>{@code
 * JdbcStorage storage = JdbcStorage.builder("sqlite:///study.db")
 *     .heartbeatInterval(Duration.ofSeconds(10))
 *     .staleTrialCallback(new RetryFailedTrialCallback(2, false))
 *     .open();
 * }</pre>
 */
public final class RetryFailedTrialCallback implements StaleTrialCallback {

  private final Integer maxRetry;
  private final boolean inheritIntermediateValues;

  /**
   * Creates the callback.
   *
   * @param maxRetry the most retries of one trial, or {@code null} for no limit
   * @param inheritIntermediateValues whether the retry starts with the failed trial's reported
   *     values
   */
  public RetryFailedTrialCallback(Integer maxRetry, boolean inheritIntermediateValues) {
    if (maxRetry != null && maxRetry < 0) {
      throw new IllegalArgumentException("maxRetry must be >= 0, got " + maxRetry);
    }
    this.maxRetry = maxRetry;
    this.inheritIntermediateValues = inheritIntermediateValues;
  }

  /**
   * The number of the first trial in a retry chain.
   *
   * @param trial a trial
   * @return its {@code failed_trial} system attribute, or {@code null} if it is not a retry
   */
  public static Integer retriedTrialNumber(FrozenTrial trial) {
    Object n = trial.systemAttrs().get("failed_trial");
    return n instanceof Number num ? num.intValue() : null;
  }

  @Override
  public void onStaleTrial(Storage storage, long studyId, FrozenTrial failed) {
    Map<String, Object> system = new LinkedHashMap<>();
    system.put("failed_trial", (long) failed.number());
    system.put("retry_history", List.of());
    system.putAll(failed.systemAttrs());
    List<Object> history = new ArrayList<>((List<?>) system.get("retry_history"));
    history.add((long) failed.number());
    system.put("retry_history", history);
    if (maxRetry != null && maxRetry < history.size()) {
      return;
    }
    storage.createNewTrial(studyId, FrozenTrial.create(TrialState.WAITING, List.of(),
        failed.params(), failed.distributions(), failed.userAttrs(), system,
        inheritIntermediateValues ? failed.intermediateValues() : null));
  }
}
