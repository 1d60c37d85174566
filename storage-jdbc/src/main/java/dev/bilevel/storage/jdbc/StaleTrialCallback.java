package dev.bilevel.storage.jdbc;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.storage.Storage;

/**
 * Called by {@link JdbcStorage#failStaleTrials} for each trial it has just marked FAIL because its
 * worker stopped sending heartbeats (Optuna's {@code heartbeat_stale_trial_callback}). Exactly one
 * process fails a given trial, so the callback runs once per stale trial across all workers.
 */
@FunctionalInterface
public interface StaleTrialCallback {

  /**
   * Reacts to a stale trial, e.g. by enqueuing a retry ({@link RetryFailedTrialCallback}).
   *
   * @param storage the storage, to write through
   * @param studyId the study
   * @param failedTrial the trial, already FAIL
   */
  void onStaleTrial(Storage storage, long studyId, FrozenTrial failedTrial);
}
