package dev.bilevel.hpo;

/**
 * Constraint values of a finished trial: the trial is feasible iff every value is {@code <= 0}.
 * When a study has one, the values are stored in the trial's system attribute {@value
 * StudyView#CONSTRAINTS_KEY} after each COMPLETE or PRUNED trial, as Optuna's constrained samplers
 * do, and best trials ignore infeasible ones.
 */
@FunctionalInterface
public interface ConstraintsFunction {
  /**
   * Computes the constraint values.
   *
   * @param trial the trial, with its params, values and attributes
   * @return the constraint values (none may be NaN)
   */
  double[] evaluate(FrozenTrial trial);
}
