package dev.bilevel.hpo;

/**
 * Wraps a checked exception thrown by an objective and not listed in {@link
 * OptimizeOptions#catches()}; it ends {@link Study#optimize} after the trial was stored as FAIL.
 * Unchecked exceptions and errors are rethrown as they are.
 */
public final class OptimizationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param trialNumber the trial whose objective threw
   * @param cause the objective's exception
   */
  public OptimizationException(int trialNumber, Throwable cause) {
    super("Objective failed in trial " + trialNumber + ": " + cause, cause);
  }
}
