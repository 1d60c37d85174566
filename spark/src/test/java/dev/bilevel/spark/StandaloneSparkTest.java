package dev.bilevel.spark;

import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SparkOptimizer} on a Spark standalone master and worker (started by {@link
 * SparkStandaloneCluster} on 127.0.0.1 and stopped by process id), executors in their own JVMs,
 * sharing an SQLite file with the driver.
 */
class StandaloneSparkTest {

  @Test
  void runsTrialsOnAStandaloneClusterAndCancelsTheOneOverrunningItsTimeout(@TempDir Path dir) throws Exception {
    String opens = System.getProperty("bilevel.spark.opens", "");
    try (SparkStandaloneCluster cluster = SparkStandaloneCluster.start(opens)) {
      SparkConf conf = new SparkConf().setMaster(cluster.masterUrl())
          .setAppName("bilevel-standalone-test")
          .set("spark.ui.enabled", "false")
          .set("spark.driver.host", "127.0.0.1")
          .set("spark.executor.memory", "512m")
          .set("spark.cores.max", "2")
          .set("spark.executor.extraClassPath", cluster.directoryClassPath())
          .set("spark.task.reaper.enabled", "true");
      try (JavaSparkContext sc = new JavaSparkContext(conf)) {
        SparkOptimizerChecks.runTwentyTrialsOneOverrunning(sc, "sqlite:///" + dir.resolve("s.db"));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("Spark standalone run failed; cluster logs:\n" + cluster.logs(), e);
      }
    }
  }
}
