/**
 * Runs the trials of a study on an existing Apache Spark cluster: {@link
 * dev.bilevel.spark.SparkOptimizer} submits each trial as a single-task job in its own job group,
 * cancels it when it overruns its timeout (counted from task start), and keeps a set number of
 * trials in flight; executors share nothing but the JDBC storage.
 */
package dev.bilevel.spark;
