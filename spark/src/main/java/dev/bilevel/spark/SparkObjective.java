package dev.bilevel.spark;

import dev.bilevel.hpo.Objective;
import java.io.Serializable;

/**
 * An objective that Spark can ship to executors: a serializable {@link Objective}. Whatever it
 * captures must be serializable too; it runs once per trial on some executor, where it should
 * respond to interruption (a timed-out or cancelled trial's task is interrupted).
 *
 * <pre>{@code
 * SparkObjective objective = trial -> {
 *   double x = trial.suggestFloat("x", -10, 10);
 *   return (x - 2) * (x - 2);
 * };
 * }</pre>
 */
@FunctionalInterface
public interface SparkObjective extends Objective, Serializable {}
