package dev.bilevel.hpo.storage;

/**
 * An attempt to change a trial that is already finished (COMPLETE, PRUNED or FAIL); Optuna's
 * {@code UpdateFinishedTrialError}. The stored trial is left unchanged.
 */
public final class UpdateFinishedTrialException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param trialId the trial's id
   * @param number the trial's number
   * @param state its (finished) state
   */
  public UpdateFinishedTrialException(long trialId, int number, Object state) {
    super(
        "Trial #" + number + " (id " + trialId + ") has already finished with state " + state
            + " and cannot be updated");
  }
}
