package dev.bilevel.storage.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * What differs between the databases Bilevel writes Optuna's schema to: DDL, transactions and
 * locks, the database clock, datetime encoding and which errors are worth a retry. Everything
 * else (the SQL of the DAOs) is shared, written in the common subset (including {@code INSERT
 * ... ON CONFLICT ... DO UPDATE} and {@code RETURNING}).
 */
public interface Dialect {

  /**
   * The DDL of a fresh database at Optuna's schema head (alembic {@value Schema#HEAD_REVISION}),
   * in execution order.
   *
   * @return SQL statements
   */
  List<String> createTables();

  /**
   * Whether the Optuna tables exist (checked inside the schema-setup transaction).
   *
   * @param c the connection
   * @return {@code true} when {@code version_info} exists
   * @throws SQLException on database errors
   */
  boolean tablesExist(Connection c) throws SQLException;

  /**
   * Starts a transaction. Write transactions take the lock that serializes writers where the
   * database has one (SQLite's {@code BEGIN IMMEDIATE}); read transactions see one snapshot.
   *
   * @param c the connection
   * @param write whether the transaction will write
   * @throws SQLException on database errors
   */
  void begin(Connection c, boolean write) throws SQLException;

  /**
   * Commits the transaction begun by {@link #begin}.
   *
   * @param c the connection
   * @throws SQLException on database errors
   */
  void commit(Connection c) throws SQLException;

  /**
   * Rolls back the transaction begun by {@link #begin}, if any; never throws.
   *
   * @param c the connection
   */
  void rollback(Connection c);

  /**
   * Serializes schema creation between processes (inside a write transaction).
   *
   * @param c the connection
   * @throws SQLException on database errors
   */
  void lockSchema(Connection c) throws SQLException;

  /**
   * The row-lock suffix for {@code SELECT}s in write transactions: {@code " FOR UPDATE"} where
   * rows are locked, empty where the write transaction already holds the database.
   *
   * @return the suffix
   */
  String forUpdate();

  /**
   * An SQL expression for the database clock's current UTC time, of the type of Optuna's
   * datetime columns.
   *
   * @return the SQL expression
   */
  String nowUtc();

  /**
   * An SQL condition, with one {@code ?} for seconds, that holds when the datetime column
   * {@code column} is older than that many seconds by the database clock.
   *
   * @param column the column
   * @return the SQL condition
   */
  String olderThanSeconds(String column);

  /**
   * Binds a UTC instant to a datetime column (microsecond precision, as Optuna stores it).
   *
   * @param ps the statement
   * @param index the parameter index
   * @param t the instant, or {@code null}
   * @throws SQLException on database errors
   */
  void setDatetime(PreparedStatement ps, int index, Instant t) throws SQLException;

  /**
   * Reads a datetime column written by Optuna or Bilevel (naive UTC).
   *
   * @param rs the result set
   * @param index the column index
   * @return the instant, or {@code null}
   * @throws SQLException on database errors
   */
  Instant getDatetime(ResultSet rs, int index) throws SQLException;

  /**
   * Whether a failed transaction may succeed when run again (busy database, serialization
   * failure, deadlock, lost connection).
   *
   * @param e the error
   * @return {@code true} to retry
   */
  boolean isRetryable(SQLException e);

  /**
   * Whether an error is a unique-constraint violation.
   *
   * @param e the error
   * @return {@code true} for a duplicate key
   */
  boolean isUniqueViolation(SQLException e);

  /**
   * Opens a connection pool. Two are opened per storage, one for write and one for read
   * transactions, so that per-transaction settings are fixed per pool instead of being switched
   * (a round trip each) on every transaction.
   *
   * @param url the storage URL
   * @param options pool and timeout settings
   * @param write whether the pool serves write transactions
   * @return the data source, to be closed with {@link #close(DataSource)}
   */
  DataSource open(StorageUrl url, ConnectionOptions options, boolean write);

  /**
   * Closes a data source from {@link #open}.
   *
   * @param dataSource the pool
   */
  void close(DataSource dataSource);

  /**
   * Pool and timeout settings.
   *
   * @param poolSize the most connections held
   * @param busyTimeoutMillis how long a writer waits for SQLite's lock
   * @param password a password given apart from the URL, or {@code null}
   */
  record ConnectionOptions(int poolSize, int busyTimeoutMillis, String password) {}

  /**
   * The dialect of a URL.
   *
   * @param url the storage URL
   * @return its dialect
   */
  static Dialect of(StorageUrl url) {
    return url.kind() == StorageUrl.Kind.SQLITE ? new SqliteDialect() : new PostgresDialect();
  }
}
