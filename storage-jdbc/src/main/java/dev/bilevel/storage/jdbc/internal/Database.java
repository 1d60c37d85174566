package dev.bilevel.storage.jdbc.internal;

import dev.bilevel.storage.jdbc.StorageAccessException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Runs units of work in transactions on a pooled connection, retrying the whole unit when the
 * database reports a transient conflict (SQLite busy, PostgreSQL serialization failure or
 * deadlock), with randomized exponential back-off. A unit must therefore be free of side effects
 * outside the database. Runtime exceptions thrown by a unit (contract violations) roll it back
 * and propagate unchanged; other {@link SQLException}s become {@link StorageAccessException}.
 */
public final class Database implements AutoCloseable {

  /** A unit of work on one connection inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    /**
     * Does the work.
     *
     * @param c the connection, inside a transaction
     * @return the result
     * @throws SQLException on database errors
     */
    T run(Connection c) throws SQLException;
  }

  private static final int MAX_ATTEMPTS = 12;

  private final Dialect dialect;
  private final DataSource writePool;
  private final DataSource readPool;
  private final StorageUrl url;

  /**
   * Opens the pool.
   *
   * @param url the storage URL
   * @param options pool settings
   */
  public Database(StorageUrl url, Dialect.ConnectionOptions options) {
    this.url = url;
    this.dialect = Dialect.of(url);
    try {
      this.writePool = dialect.open(url, options, true);
    } catch (RuntimeException e) {
      throw new StorageAccessException(
          "Cannot connect to " + url.redacted() + ": " + e.getMessage(), e);
    }
    try {
      this.readPool = dialect.open(url, options, false);
    } catch (RuntimeException e) {
      dialect.close(writePool);
      throw new StorageAccessException(
          "Cannot connect to " + url.redacted() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The dialect of this database.
   *
   * @return the dialect
   */
  public Dialect dialect() {
    return dialect;
  }

  /**
   * Runs a unit that writes, in a write transaction.
   *
   * @param work the unit
   * @param <T> the result type
   * @return its result
   */
  public <T> T write(Work<T> work) {
    return run(work, true);
  }

  /**
   * Runs a read-only unit in a read transaction (one snapshot).
   *
   * @param work the unit
   * @param <T> the result type
   * @return its result
   */
  public <T> T read(Work<T> work) {
    return run(work, false);
  }

  private <T> T run(Work<T> work, boolean write) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = (write ? writePool : readPool).getConnection()) {
        dialect.begin(c, write);
        try {
          T result = work.run(c);
          dialect.commit(c);
          return result;
        } catch (SQLException | RuntimeException e) {
          dialect.rollback(c);
          throw e;
        }
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && dialect.isRetryable(e)) {
          long ceilingMicros = Math.min(200_000L, 1_000L << attempt);
          LockSupport.parkNanos(1_000L * ThreadLocalRandom.current().nextLong(ceilingMicros / 2,
              ceilingMicros + 1));
          continue;
        }
        throw new StorageAccessException(
            "Database error on " + url.redacted() + " (attempt " + attempt + "): "
                + e.getMessage(), e);
      }
    }
  }

  @Override
  public void close() {
    dialect.close(readPool);
    dialect.close(writePool);
  }
}
