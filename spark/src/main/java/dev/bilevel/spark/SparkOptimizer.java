package dev.bilevel.spark;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.samplers.RandomSampler;
import dev.bilevel.spark.internal.TaskStartTracker;
import dev.bilevel.spark.internal.TrialTask;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs {@code optimize} on an existing Apache Spark cluster: each trial is one single-task Spark
 * job in a job group of its own, evaluated on an executor that reads and writes the study
 * through the shared {@link JdbcStorage} (so the storage URL must be reachable from executors:
 * PostgreSQL for a cluster, an SQLite file for {@code local[*]} or one machine).
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>At most {@link #parallelism(int) parallelism} trials are in flight; {@code nTrials} trials
 *       are started in all.
 *   <li>A trial whose task has run longer than {@link #trialTimeout(Duration)}, counted from the
 *       moment the task started on an executor, is cancelled ({@code cancelJobGroup}, the task
 *       interrupted) and marked FAIL; the other trials go on.
 *   <li>Objective exceptions make their trial FAIL (recorded in the storage) without failing the
 *       job. Infrastructure failures (a lost executor, an unreachable storage) are rethrown as
 *       {@link IllegalStateException} after the other trials finish.
 *   <li>The objective and the sampler factory are serialized to executors.
 * </ul>
 *
 * <pre>{@code
 * JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("tuning"));
 * SparkOptimizer.Outcome out = new SparkOptimizer(sc, "postgresql://bilevel@db:5432/studies", "demo")
 *     .parallelism(16)
 *     .trialTimeout(Duration.ofMinutes(30))
 *     .optimize(trial -> train(trial.suggestFloat("lr", 1e-5, 1e-1, true)), 200);
 * }</pre>
 */
public final class SparkOptimizer {

  /**
   * What an {@link #optimize} call ran.
   *
   * @param trialNumbers numbers of the trials that ran to an end (any state), in finishing order
   * @param timedOut how many trials were cancelled for overrunning their timeout
   */
  public record Outcome(List<Integer> trialNumbers, int timedOut) {
    /**
     * Copies the list.
     *
     * @param trialNumbers see the record component
     * @param timedOut see the record component
     */
    public Outcome {
      trialNumbers = List.copyOf(trialNumbers);
    }
  }

  private final JavaSparkContext sc;
  private final String storageUrl;
  private final String studyName;
  private int parallelism;
  private Duration trialTimeout;
  private SamplerFactory samplerFactory = RandomSampler::new;
  private Duration heartbeatInterval = Duration.ofSeconds(10);

  /**
   * A runner for one study (which must exist in the storage).
   *
   * @param sc the Spark context
   * @param storageUrl the shared storage, reachable from the executors
   * @param studyName the study
   */
  public SparkOptimizer(JavaSparkContext sc, String storageUrl, String studyName) {
    this.sc = Objects.requireNonNull(sc, "sc");
    this.storageUrl = Objects.requireNonNull(storageUrl, "storageUrl");
    this.studyName = Objects.requireNonNull(studyName, "studyName");
    this.parallelism = sc.defaultParallelism();
  }

  /**
   * How many trials run at once (default: Spark's default parallelism).
   *
   * @param value at least 1
   * @return this runner
   */
  public SparkOptimizer parallelism(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + value);
    }
    this.parallelism = value;
    return this;
  }

  /**
   * The longest a trial's task may run, from its start on an executor (default: no limit).
   *
   * @param value a positive duration, or {@code null} for none
   * @return this runner
   */
  public SparkOptimizer trialTimeout(Duration value) {
    if (value != null && (value.isNegative() || value.isZero())) {
      throw new IllegalArgumentException("trialTimeout must be positive, got " + value);
    }
    this.trialTimeout = value;
    return this;
  }

  /**
   * The sampler each trial uses (default: {@link RandomSampler} with a per-trial seed).
   *
   * @param value the factory
   * @return this runner
   */
  public SparkOptimizer sampler(SamplerFactory value) {
    this.samplerFactory = Objects.requireNonNull(value, "value");
    return this;
  }

  /**
   * The heartbeat interval of the executors' storage (default 10 s), so that trials of a lost
   * executor turn stale (see {@link dev.bilevel.storage.jdbc.JdbcStorageBuilder}).
   *
   * @param value a positive interval
   * @return this runner
   */
  public SparkOptimizer heartbeatInterval(Duration value) {
    this.heartbeatInterval = Objects.requireNonNull(value, "value");
    return this;
  }

  /**
   * Runs {@code nTrials} trials on the cluster and waits for them.
   *
   * @param objective the objective, serializable
   * @param nTrials how many trials to start
   * @return what ran
   * @throws IllegalStateException if a trial's job failed for a reason other than its timeout
   */
  public Outcome optimize(SparkObjective objective, int nTrials) {
    Objects.requireNonNull(objective, "objective");
    TaskStartTracker tracker = new TaskStartTracker();
    sc.sc().addSparkListener(tracker);
    Set<String> active = ConcurrentHashMap.newKeySet();
    Set<String> cancelled = ConcurrentHashMap.newKeySet();
    List<Integer> numbers = Collections.synchronizedList(new ArrayList<>());
    List<Exception> errors = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    long baseSeed = new SplittableRandom().nextLong();
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bilevel-spark-watchdog");
      t.setDaemon(true);
      return t;
    });
    if (trialTimeout != null) {
      watchdog.scheduleAtFixedRate(() -> {
        long now = System.currentTimeMillis();
        for (String group : active) {
          Long started = tracker.started(group);
          if (started != null && now - started > trialTimeout.toMillis() && cancelled.add(group)) {
            sc.cancelJobGroup(group);
          }
        }
      }, 50, 50, TimeUnit.MILLISECONDS);
    }
    ExecutorService drivers = Executors.newFixedThreadPool(parallelism);
    try (JdbcStorage storage = JdbcStorage.open(storageUrl)) {
      long studyId = storage.getStudyIdFromName(studyName);
      List<Future<?>> futures = new ArrayList<>();
      for (int d = 0; d < parallelism; d++) {
        futures.add(drivers.submit(() -> {
          for (int i = next.getAndIncrement(); i < nTrials; i = next.getAndIncrement()) {
            String group = "bilevel-" + UUID.randomUUID();
            active.add(group);
            sc.setJobGroup(group, "Bilevel trial of study " + studyName, true);
            try {
              TrialTask task = new TrialTask(storageUrl, studyName, objective, samplerFactory,
                  baseSeed + i, group, heartbeatInterval.toMillis());
              numbers.add(sc.parallelize(List.of(i), 1).map(task).collect().get(0));
            } catch (Exception e) {
              if (cancelled.contains(group)) {
                failCancelled(storage, studyId, group);
              } else {
                errors.add(e);
              }
            } finally {
              sc.clearJobGroup();
              active.remove(group);
              tracker.forget(group);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for trials", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("A driver thread failed", e.getCause());
    } finally {
      drivers.shutdownNow();
      watchdog.shutdownNow();
      sc.sc().removeSparkListener(tracker);
    }
    if (!errors.isEmpty()) {
      IllegalStateException failure = new IllegalStateException(
          errors.size() + " trial job(s) failed; first: " + errors.get(0), errors.get(0));
      errors.stream().skip(1).forEach(failure::addSuppressed);
      throw failure;
    }
    return new Outcome(numbers, cancelled.size());
  }

  /** Marks FAIL the trial a cancelled job was running, unless its executor already did. */
  private void failCancelled(JdbcStorage storage, long studyId, String group) {
    for (FrozenTrial t : storage.getAllTrials(studyId, EnumSet.of(TrialState.RUNNING))) {
      if (group.equals(t.systemAttrs().get(TrialTask.JOB_GROUP_KEY))) {
        try {
          storage.setTrialSystemAttr(t.trialId(), Study.FAIL_REASON_KEY,
              "Cancelled: the trial overran its timeout of " + trialTimeout);
          storage.setTrialStateValues(t.trialId(), TrialState.FAIL, null);
        } catch (IllegalStateException finishedMeanwhile) {
          // The executor told FAIL first (UpdateFinishedTrialException): nothing to do.
        }
      }
    }
  }
}
