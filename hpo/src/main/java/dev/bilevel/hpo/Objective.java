package dev.bilevel.hpo;

/**
 * A single-objective function to optimize, written define-by-run: it asks the trial for its
 * parameters ({@link Trial#suggestFloat}, ...) and returns the objective value.
 *
 * <pre>{@code
 * Objective objective = trial -> {
 *   double x = trial.suggestFloat("x", -10, 10);
 *   return (x - 2) * (x - 2);
 * };
 * }</pre>
 */
@FunctionalInterface
public interface Objective {
  /**
   * Evaluates one trial.
   *
   * @param trial the trial, to suggest parameters and report intermediate values
   * @return the objective value; NaN makes the trial FAIL
   * @throws Exception any failure; the trial becomes FAIL with the message stored, and {@link
   *     TrialPrunedException} makes it PRUNED
   */
  double evaluate(Trial trial) throws Exception;
}
