package dev.bilevel.hpo.storage;

/** A study with the requested name already exists (Optuna's {@code DuplicatedStudyError}). */
public final class DuplicatedStudyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param studyName the name in use
   */
  public DuplicatedStudyException(String studyName) {
    super("A study named '" + studyName + "' already exists");
  }
}
