package dev.bilevel.spark.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Records, per job group, when its first task started on an executor (from Spark's listener bus),
 * so that trial timeouts count from task start, not from submission: a trial waiting for a free
 * core is not timed.
 */
public final class TaskStartTracker extends SparkListener {

  private final Map<Integer, String> groupOfStage = new ConcurrentHashMap<>();
  private final Map<String, Long> startMillis = new ConcurrentHashMap<>();

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    String group = jobStart.properties() == null ? null
        : jobStart.properties().getProperty("spark.jobGroup.id");
    if (group == null) {
      return;
    }
    for (Object stage : CollectionConverters.asJava(jobStart.stageIds())) {
      groupOfStage.put((Integer) stage, group);
    }
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart taskStart) {
    String group = groupOfStage.get(taskStart.stageId());
    if (group != null) {
      startMillis.putIfAbsent(group, taskStart.taskInfo().launchTime());
    }
  }

  /**
   * When the group's task started.
   *
   * @param group the job group
   * @return epoch milliseconds, or {@code null} if not started (or not yet reported)
   */
  public Long started(String group) {
    return startMillis.get(group);
  }

  /**
   * Forgets a finished group.
   *
   * @param group the job group
   */
  public void forget(String group) {
    startMillis.remove(group);
    groupOfStage.values().removeIf(group::equals);
  }
}
