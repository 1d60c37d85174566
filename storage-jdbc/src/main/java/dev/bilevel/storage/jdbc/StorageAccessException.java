package dev.bilevel.storage.jdbc;

/**
 * The database could not be reached or refused an operation for a reason other than the Storage
 * contract (a contract violation throws the exception the contract names). Transient conflicts
 * (busy SQLite database, PostgreSQL serialization failures and deadlocks) are retried before this
 * is thrown.
 */
public final class StorageAccessException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, with the (password-masked) storage URL
   * @param cause the driver's error
   */
  public StorageAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
