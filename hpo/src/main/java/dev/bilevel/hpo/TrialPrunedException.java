package dev.bilevel.hpo;

/**
 * Thrown by an objective to stop the current trial as {@link TrialState#PRUNED}, normally right
 * after {@link Trial#shouldPrune()} returned {@code true}. {@link Study#optimize} catches it
 * always; the last reported intermediate value (if finite, single-objective) becomes the trial's
 * value, as in Optuna.
 */
public final class TrialPrunedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a default message. */
  public TrialPrunedException() {
    super("Trial was pruned");
  }

  /**
   * Creates the exception.
   *
   * @param message why the trial was pruned
   */
  public TrialPrunedException(String message) {
    super(message);
  }
}
