package dev.bilevel.storage.jdbc;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link JdbcStorage}; obtained from {@link JdbcStorage#builder(String)}.
 *
 * <pre>{@code
 * try (JdbcStorage storage = JdbcStorage.builder("postgresql://bilevel@db.example:5432/studies")
 *     .password(System.getenv("PGPASSWORD"))
 *     .heartbeatInterval(Duration.ofSeconds(30))
 *     .staleTrialCallback(new RetryFailedTrialCallback(3, false))
 *     .open()) {
 *   ...
 * }
 * }</pre>
 */
public final class JdbcStorageBuilder {

  final String url;
  String password;
  int poolSize = 8;
  Duration busyTimeout = Duration.ofSeconds(60);
  Duration heartbeatInterval;
  Duration gracePeriod;
  StaleTrialCallback staleTrialCallback;
  boolean shutdownHook;

  JdbcStorageBuilder(String url) {
    this.url = Objects.requireNonNull(url, "url");
  }

  /**
   * The database password, when it is not in the URL.
   *
   * @param value the password
   * @return this builder
   */
  public JdbcStorageBuilder password(String value) {
    this.password = value;
    return this;
  }

  /**
   * The most connections the pool holds (default 8).
   *
   * @param value at least 1
   * @return this builder
   */
  public JdbcStorageBuilder poolSize(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("poolSize must be >= 1, got " + value);
    }
    this.poolSize = value;
    return this;
  }

  /**
   * How long an SQLite writer waits for another process's write lock before the attempt counts
   * as busy (default 60 s; busy attempts are also retried).
   *
   * @param value a positive duration
   * @return this builder
   */
  public JdbcStorageBuilder busyTimeout(Duration value) {
    this.busyTimeout = positive(value, "busyTimeout");
    return this;
  }

  /**
   * Enables heartbeats: each RUNNING trial of this process gets a heartbeat row refreshed every
   * {@code value} on the database clock, and {@link JdbcStorage#failStaleTrials} fails trials
   * whose heartbeat is older than the grace period. Off by default, as in Optuna.
   *
   * @param value a positive interval
   * @return this builder
   */
  public JdbcStorageBuilder heartbeatInterval(Duration value) {
    this.heartbeatInterval = positive(value, "heartbeatInterval");
    return this;
  }

  /**
   * How old a heartbeat may be before its trial counts as stale (default: twice the heartbeat
   * interval, as in Optuna).
   *
   * @param value a positive duration
   * @return this builder
   */
  public JdbcStorageBuilder gracePeriod(Duration value) {
    this.gracePeriod = positive(value, "gracePeriod");
    return this;
  }

  /**
   * What to do with each trial just failed as stale, e.g. {@link RetryFailedTrialCallback}.
   *
   * @param value the callback, or {@code null} for none
   * @return this builder
   */
  public JdbcStorageBuilder staleTrialCallback(StaleTrialCallback value) {
    this.staleTrialCallback = value;
    return this;
  }

  /**
   * Whether to {@link JdbcStorage#close()} the storage from a JVM shutdown hook, so that a
   * worker stopped by SIGTERM or Ctrl-C marks its running trials FAIL at once (default off).
   *
   * @param value {@code true} to register the hook
   * @return this builder
   */
  public JdbcStorageBuilder closeOnShutdown(boolean value) {
    this.shutdownHook = value;
    return this;
  }

  /**
   * Opens the storage: connects, and creates Optuna's tables in an empty database or checks the
   * schema revision of an existing one.
   *
   * @return the storage, to be closed
   * @throws IncompatibleSchemaException if the database is at a revision Bilevel cannot use
   * @throws StorageAccessException if the database cannot be reached
   */
  public JdbcStorage open() {
    if (gracePeriod != null && heartbeatInterval == null) {
      throw new IllegalStateException("gracePeriod needs heartbeatInterval");
    }
    return new JdbcStorage(this);
  }

  private static Duration positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }
}
