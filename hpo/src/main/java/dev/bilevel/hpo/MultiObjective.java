package dev.bilevel.hpo;

/**
 * A multi-objective function: returns one value per study direction.
 *
 * <pre>{@code
 * MultiObjective objective = trial -> {
 *   double x = trial.suggestFloat("x", 0, 1);
 *   return new double[] {x, 1 - x * x};
 * };
 * }</pre>
 */
@FunctionalInterface
public interface MultiObjective {
  /**
   * Evaluates one trial.
   *
   * @param trial the trial
   * @return one value per objective; a NaN or a wrong count makes the trial FAIL
   * @throws Exception any failure (the trial becomes FAIL)
   */
  double[] evaluate(Trial trial) throws Exception;
}
