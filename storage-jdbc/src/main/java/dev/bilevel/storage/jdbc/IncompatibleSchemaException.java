package dev.bilevel.storage.jdbc;

/**
 * The database holds Optuna tables at a schema revision this storage does not read or write (it
 * reads revisions {@code v3.0.0.d} and {@code v3.2.0.a}: Optuna 3.0 to 5.0). The message says what
 * to do: upgrade an older database with {@code optuna storage upgrade}, or use a Bilevel release
 * that knows a newer revision.
 */
public final class IncompatibleSchemaException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the revision found and what to do
   */
  public IncompatibleSchemaException(String message) {
    super(message);
  }
}
