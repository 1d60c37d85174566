package dev.bilevel.spark;

import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SparkOptimizer} in {@code local[2]} mode on an SQLite file. */
class LocalSparkTest {

  @Test
  void runsTrialsAsJobsAndCancelsTheOneOverrunningItsTimeout(@TempDir Path dir) throws Exception {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("bilevel-local-test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.task.reaper.enabled", "true");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      SparkOptimizerChecks.runTwentyTrialsOneOverrunning(sc, "sqlite:///" + dir.resolve("s.db"));
    }
  }
}
