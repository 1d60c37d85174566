package dev.bilevel.spark.internal;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.OptimizeOptions;
import dev.bilevel.hpo.Study;
import dev.bilevel.spark.SamplerFactory;
import dev.bilevel.spark.SparkObjective;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.Function;

/**
 * The body of one trial's Spark task, run on an executor: load the study from the shared storage,
 * ask a trial (tagging it with the job group, so the driver can fail it after a cancellation),
 * evaluate the objective, tell. Objective exceptions make the trial FAIL and are not rethrown
 * (a task failure would make Spark retry the task, i.e. run a second trial). One storage (one
 * connection pool, heartbeats on) per executor JVM and URL, closed at JVM exit.
 */
public final class TrialTask implements Function<Integer, Integer> {

  private static final long serialVersionUID = 1L;

  /** The trial system attribute holding the Spark job group of the trial. */
  public static final String JOB_GROUP_KEY = "spark_job_group";

  private static final Map<String, JdbcStorage> STORAGES = new ConcurrentHashMap<>();

  private final String storageUrl;
  private final String studyName;
  private final SparkObjective objective;
  private final SamplerFactory samplerFactory;
  private final long seed;
  private final String jobGroup;
  private final long heartbeatMillis;

  /**
   * Creates the task.
   *
   * @param storageUrl the shared storage
   * @param studyName the study
   * @param objective the objective
   * @param samplerFactory creates the trial's sampler
   * @param seed the trial's sampler seed
   * @param jobGroup the job group of the task
   * @param heartbeatMillis heartbeat interval of the executor's storage
   */
  public TrialTask(String storageUrl, String studyName, SparkObjective objective,
      SamplerFactory samplerFactory, long seed, String jobGroup, long heartbeatMillis) {
    this.storageUrl = storageUrl;
    this.studyName = studyName;
    this.objective = objective;
    this.samplerFactory = samplerFactory;
    this.seed = seed;
    this.jobGroup = jobGroup;
    this.heartbeatMillis = heartbeatMillis;
  }

  private JdbcStorage storage() {
    return STORAGES.computeIfAbsent(storageUrl, url -> JdbcStorage.builder(url).poolSize(2)
        .heartbeatInterval(Duration.ofMillis(heartbeatMillis)).closeOnShutdown(true).open());
  }

  /**
   * Runs one trial.
   *
   * @param ignored the task's single element
   * @return the trial's number
   */
  @Override
  public Integer call(Integer ignored) {
    JdbcStorage storage = storage();
    Study study = Study.builder().storage(storage).name(studyName)
        .sampler(samplerFactory.create(seed)).load();
    FrozenTrial[] finished = new FrozenTrial[1];
    study.optimize(trial -> {
      storage.setTrialSystemAttr(trial.trialId(), JOB_GROUP_KEY, jobGroup);
      try {
        return objective.evaluate(trial);
      } catch (InterruptedException e) {
        // Cancelled by the driver: clear the flag so that telling FAIL can use the database.
        Thread.interrupted();
        throw new IllegalStateException("Trial cancelled by Spark (job group " + jobGroup + ")");
      }
    }, OptimizeOptions.trials(1).withCatch(Exception.class)
        .withCallbacks((s, t) -> finished[0] = t));
    return finished[0] == null ? -1 : finished[0].number();
  }
}
