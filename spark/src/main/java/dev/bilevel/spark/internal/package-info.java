/** Implementation of the Spark runner: the executor-side task and the task-start tracker. */
package dev.bilevel.spark.internal;
