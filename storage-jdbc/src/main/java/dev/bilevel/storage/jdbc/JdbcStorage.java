package dev.bilevel.storage.jdbc;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.storage.FrozenStudy;
import dev.bilevel.hpo.storage.OptunaJson;
import dev.bilevel.hpo.storage.Storage;
import dev.bilevel.storage.jdbc.internal.Database;
import dev.bilevel.storage.jdbc.internal.Dialect;
import dev.bilevel.storage.jdbc.internal.Schema;
import dev.bilevel.storage.jdbc.internal.StorageUrl;
import dev.bilevel.storage.jdbc.internal.StudyDao;
import dev.bilevel.storage.jdbc.internal.TrialDao;
import dev.bilevel.storage.jdbc.internal.TrialReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Storage} on Optuna's RDB tables (schema of Optuna 3.0 to 5.0), so that Bilevel workers,
 * Python Optuna workers and optuna-dashboard can share one study.
 *
 * <h2>Contract</h2>
 *
 * Everything in {@link Storage}'s contract, across threads <em>and processes</em>: state changes
 * are compare-and-set on the trial row under a write lock, trial numbers are dense per study
 * (assigned while the study row is locked), and every operation is one transaction, retried as a
 * whole on transient conflicts. Encodings are Optuna's: parameters in internal form (a categorical
 * is its choice index) with the distribution as Optuna's JSON, ±inf as NULL plus a value type
 * (NaN likewise for intermediate values), attributes as Python's {@code json.dumps} text (NaN and
 * Infinity tokens accepted), datetimes as naive UTC with microsecond precision.
 *
 * <h2>Databases</h2>
 *
 * <ul>
 *   <li>{@code sqlite:///path.db}: the embedded default, good for several processes on one
 *       machine (WAL journal, a busy timeout, {@code BEGIN IMMEDIATE} write transactions). Not
 *       for network file systems.
 *   <li>{@code postgresql://user@host:port/db}: for many machines (a HikariCP pool, enum types as
 *       Optuna creates them, row locks with {@code SELECT ... FOR UPDATE}, retries on
 *       serialization failures and deadlocks).
 * </ul>
 *
 * A fresh database gets the tables, the {@code trials(study_id)} index, {@code version_info =
 * (1, 12, <bilevel version>)} and the alembic revision Optuna 5.0 stamps ({@value
 * Schema#HEAD_REVISION}); databases at revisions {@code v3.0.0.d} and {@code v3.2.0.a} are used
 * as they are; others are refused with {@link IncompatibleSchemaException}.
 *
 * <h2>Heartbeats</h2>
 *
 * With {@link JdbcStorageBuilder#heartbeatInterval} set, {@link #recordHeartbeat} (called by
 * {@code Study.ask}) registers the trial with a background thread that refreshes its heartbeat
 * row on the database clock; {@link #failStaleTrials} (called by {@code Study.optimize} before
 * each trial) fails RUNNING trials whose heartbeat is older than the grace period and hands each
 * to the {@link StaleTrialCallback}. {@link #close()} marks this process's RUNNING trials FAIL.
 *
 * <pre>{@code
 * try (JdbcStorage storage = JdbcStorage.open("sqlite:///study.db")) {
 *   Study study = Study.builder().storage(storage).name("demo").createOrLoad();
 *   study.optimize(trial -> Math.pow(trial.suggestFloat("x", -10, 10) - 2, 2), 100);
 * }
 * }</pre>
 */
public final class JdbcStorage implements Storage, AutoCloseable {

  private final Database db;
  private final StudyDao studies;
  private final TrialDao trials;
  private final TrialReader reader;
  private final Duration heartbeatInterval;
  private final double graceSeconds;
  private final StaleTrialCallback staleTrialCallback;
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService beater;
  private final Thread shutdownHook;
  private volatile boolean closed;

  JdbcStorage(JdbcStorageBuilder b) {
    StorageUrl url = StorageUrl.parse(b.url);
    this.db = new Database(url, new Dialect.ConnectionOptions(
        b.poolSize, (int) Math.min(Integer.MAX_VALUE, b.busyTimeout.toMillis()), b.password));
    try {
      Schema.createOrCheck(db, libraryVersion());
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    this.studies = new StudyDao(db.dialect());
    this.trials = new TrialDao(db.dialect(), studies);
    this.reader = new TrialReader(db.dialect());
    this.heartbeatInterval = b.heartbeatInterval;
    Duration grace = b.gracePeriod != null ? b.gracePeriod
        : heartbeatInterval == null ? null : heartbeatInterval.multipliedBy(2);
    this.graceSeconds = grace == null ? 0 : grace.toNanos() / 1e9;
    this.staleTrialCallback = b.staleTrialCallback;
    if (heartbeatInterval != null) {
      beater = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bilevel-heartbeat");
        t.setDaemon(true);
        return t;
      });
      long period = Math.max(1, heartbeatInterval.toMillis());
      beater.scheduleAtFixedRate(this::beatAll, period, period, TimeUnit.MILLISECONDS);
    } else {
      beater = null;
    }
    if (b.shutdownHook) {
      shutdownHook = new Thread(this::close, "bilevel-storage-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } else {
      shutdownHook = null;
    }
  }

  /**
   * Opens a storage with default settings (no heartbeats).
   *
   * @param url {@code sqlite:///path.db} or {@code postgresql://user@host:port/db}
   * @return the storage, to be closed
   */
  public static JdbcStorage open(String url) {
    return builder(url).open();
  }

  /**
   * Starts configuring a storage.
   *
   * @param url {@code sqlite:///path.db} or {@code postgresql://user@host:port/db}
   * @return the builder
   */
  public static JdbcStorageBuilder builder(String url) {
    return new JdbcStorageBuilder(url);
  }

  /**
   * Brings the database at {@code url} to the schema revision this library writes (Optuna's
   * {@code optuna storage upgrade} for revisions {@code v3.0.0.d} → {@code v3.2.0.a}; a database
   * without tables is created at the head). Older revisions need Python Optuna's upgrade first.
   *
   * <pre>{@code
   * SchemaUpgrade u = JdbcStorage.upgrade("sqlite:///old.db");
   * }</pre>
   *
   * @param url {@code sqlite:///path.db} or {@code postgresql://user@host:port/db}
   * @return the revisions before and after
   * @throws IncompatibleSchemaException if the revision cannot be upgraded here, saying what to do
   * @throws StorageAccessException if the database cannot be reached
   */
  public static SchemaUpgrade upgrade(String url) {
    try (Database db = new Database(StorageUrl.parse(url),
        new Dialect.ConnectionOptions(1, 60_000, null))) {
      String[] r = Schema.upgrade(db, libraryVersion());
      return new SchemaUpgrade(r[0], r[1]);
    }
  }

  /**
   * The version written to {@code version_info.library_version} of databases this library
   * creates.
   *
   * @return the Bilevel version
   */
  public static String libraryVersion() {
    try (InputStream in = JdbcStorage.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public long createNewStudy(List<StudyDirection> directions, String studyName) {
    if (directions == null || directions.isEmpty()
        || directions.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("A study needs at least one non-null direction");
    }
    List<StudyDirection> copy = List.copyOf(directions);
    return db.write(c -> studies.create(c, copy, studyName));
  }

  @Override
  public void deleteStudy(long studyId) {
    db.write(c -> {
      studies.delete(c, studyId);
      return null;
    });
  }

  @Override
  public void setStudyUserAttr(long studyId, String key, Object value) {
    setStudyAttr(false, studyId, key, value);
  }

  @Override
  public void setStudySystemAttr(long studyId, String key, Object value) {
    setStudyAttr(true, studyId, key, value);
  }

  private void setStudyAttr(boolean system, long studyId, String key, Object value) {
    Objects.requireNonNull(key, "key");
    String json = OptunaJson.dumps(value);
    db.write(c -> {
      studies.setAttr(c, system, studyId, key, json);
      return null;
    });
  }

  @Override
  public long getStudyIdFromName(String studyName) {
    return db.read(c -> studies.idFromName(c, studyName));
  }

  @Override
  public String getStudyNameFromId(long studyId) {
    return db.read(c -> studies.name(c, studyId));
  }

  @Override
  public List<StudyDirection> getStudyDirections(long studyId) {
    return db.read(c -> studies.directions(c, studyId));
  }

  @Override
  public Map<String, Object> getStudyUserAttrs(long studyId) {
    return db.read(c -> studies.attrs(c, false, studyId));
  }

  @Override
  public Map<String, Object> getStudySystemAttrs(long studyId) {
    return db.read(c -> studies.attrs(c, true, studyId));
  }

  @Override
  public List<FrozenStudy> getAllStudies() {
    return db.read(studies::all);
  }

  @Override
  public long createNewTrial(long studyId, FrozenTrial template) {
    Instant now = Instant.now();
    return db.write(c -> trials.create(c, studyId, template, now));
  }

  @Override
  public void setTrialParam(
      long trialId, String paramName, double internalValue, Distribution distribution) {
    Objects.requireNonNull(paramName, "paramName");
    Objects.requireNonNull(distribution, "distribution");
    db.write(c -> {
      trials.setParam(c, trialId, paramName, internalValue, distribution);
      return null;
    });
  }

  @Override
  public long getTrialIdFromStudyIdTrialNumber(long studyId, int trialNumber) {
    return db.read(c -> {
      studies.require(c, studyId, false);
      return reader.idFromNumber(c, studyId, trialNumber);
    });
  }

  @Override
  public int getTrialNumberFromId(long trialId) {
    return db.read(c -> reader.number(c, trialId));
  }

  @Override
  public boolean setTrialStateValues(long trialId, TrialState state, List<Double> values) {
    Objects.requireNonNull(state, "state");
    if (state == TrialState.WAITING) {
      throw new IllegalArgumentException("A trial cannot be set back to WAITING");
    }
    List<Double> copy = List.copyOf(values == null ? List.of() : values);
    Instant now = Instant.now();
    boolean changed = db.write(c -> trials.setState(c, trialId, state, copy, now));
    if (changed && state.isFinished()) {
      running.remove(trialId);
    }
    return changed;
  }

  @Override
  public void setTrialIntermediateValue(long trialId, int step, double value) {
    db.write(c -> {
      trials.setIntermediate(c, trialId, step, value);
      return null;
    });
  }

  @Override
  public void setTrialUserAttr(long trialId, String key, Object value) {
    setTrialAttr(false, trialId, key, value);
  }

  @Override
  public void setTrialSystemAttr(long trialId, String key, Object value) {
    setTrialAttr(true, trialId, key, value);
  }

  private void setTrialAttr(boolean system, long trialId, String key, Object value) {
    Objects.requireNonNull(key, "key");
    String json = OptunaJson.dumps(value);
    db.write(c -> {
      trials.setAttr(c, system, trialId, key, json);
      return null;
    });
  }

  @Override
  public FrozenTrial getTrial(long trialId) {
    return db.read(c -> reader.trial(c, trialId));
  }

  @Override
  public List<FrozenTrial> getAllTrials(long studyId, Set<TrialState> states) {
    return db.read(c -> {
      studies.require(c, studyId, false);
      return reader.trials(c, studyId, states);
    });
  }

  @Override
  public int getNTrials(long studyId, Set<TrialState> states) {
    return db.read(c -> {
      studies.require(c, studyId, false);
      return reader.count(c, studyId, states);
    });
  }

  /**
   * Registers a trial of this process as running: with heartbeats enabled, writes its heartbeat
   * now (database clock) and keeps refreshing it until the trial is finished through this
   * storage; in any case {@link #close()} will mark it FAIL if it is still running then.
   *
   * @param trialId the trial
   */
  @Override
  public void recordHeartbeat(long trialId) {
    running.add(trialId);
    if (heartbeatInterval != null) {
      db.write(c -> {
        trials.beat(c, List.of(trialId));
        return null;
      });
    }
  }

  private void beatAll() {
    List<Long> ids = new ArrayList<>(running);
    if (ids.isEmpty() || closed) {
      return;
    }
    // Rows locked in one order by every writer (failStaleTrials too): no deadlock cycles.
    ids.sort(null);
    try {
      db.write(c -> {
        trials.beat(c, ids);
        return null;
      });
    } catch (RuntimeException e) {
      // A missed beat is caught up by the next one; a persistent failure makes the trials stale,
      // which is what heartbeats are for.
    }
  }

  /**
   * Fails the study's RUNNING trials whose heartbeat is older than the grace period (database
   * clock), then runs the stale-trial callback for each. Without heartbeats: nothing, empty
   * list.
   *
   * @param studyId the study
   * @return ids of the trials this call failed
   */
  @Override
  public List<Long> failStaleTrials(long studyId) {
    if (heartbeatInterval == null) {
      return List.of();
    }
    Instant now = Instant.now();
    List<Long> failed = db.write(c -> trials.failStale(c, studyId, graceSeconds, now));
    if (staleTrialCallback != null) {
      for (long id : failed) {
        staleTrialCallback.onStaleTrial(this, studyId, getTrial(id));
      }
    }
    return List.copyOf(failed);
  }

  /**
   * Stops the heartbeat thread, marks FAIL the trials of this process that are still RUNNING
   * (a clean shutdown never leaves them for the grace period), and closes the connection pool.
   * Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (beater != null) {
      beater.shutdownNow();
    }
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // The JVM is exiting; the hook is what called us or will find us closed.
      }
    }
    Instant now = Instant.now();
    for (long id : new ArrayList<>(running)) {
      try {
        db.write(c -> trials.setState(c, id, TrialState.FAIL, List.of(), now));
      } catch (RuntimeException e) {
        // Finished elsewhere or the database is gone: nothing left to mark.
      }
    }
    running.clear();
    db.close();
  }
}
