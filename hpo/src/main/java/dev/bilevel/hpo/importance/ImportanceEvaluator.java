package dev.bilevel.hpo.importance;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.TrialState;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Hyperparameter importance: how much of the variation of a target (by default the objective
 * value) each parameter explains, from finished trials (Optuna's {@code BaseImportanceEvaluator}).
 *
 * <p>Contract: only COMPLETE trials that have every evaluated parameter (within the distribution
 * of the trials' intersection search space) and a finite target are used; the result maps each
 * evaluated parameter to a non-negative importance, the importances sum to 1 (equal shares when the
 * target does not vary), ordered from most to least important (ties by name); equal inputs and
 * seed give equal results.
 *
 * <pre>{@code
 * Map<String, Double> imp = new FanovaImportanceEvaluator(0).evaluate(study);
 * }</pre>
 */
public interface ImportanceEvaluator {

  /**
   * Evaluates the importance of parameters over a list of trials.
   *
   * @param trials the trials (non-COMPLETE ones are ignored)
   * @param params the parameters to evaluate, or {@code null} for the whole intersection search
   *     space of the complete trials
   * @param target the target per trial, or {@code null} for the single objective value
   * @return parameter → importance, ordered by decreasing importance, unmodifiable
   * @throws IllegalArgumentException if no trial qualifies, a parameter is not in the
   *     intersection search space, or the target is omitted for multi-objective trials
   */
  Map<String, Double> evaluate(
      List<FrozenTrial> trials, List<String> params, ToDoubleFunction<FrozenTrial> target);

  /**
   * Evaluates the importance of parameters over a study's complete trials.
   *
   * @param study the study
   * @param params the parameters, or {@code null} for all
   * @param target the target, or {@code null} for the objective value
   * @return parameter → importance, ordered by decreasing importance
   */
  default Map<String, Double> evaluate(
      StudyView study, List<String> params, ToDoubleFunction<FrozenTrial> target) {
    return evaluate(study.trials(TrialState.COMPLETE), params, target);
  }

  /**
   * Evaluates the importance of every parameter for the objective value of a single-objective
   * study.
   *
   * @param study the study
   * @return parameter → importance, ordered by decreasing importance
   */
  default Map<String, Double> evaluate(StudyView study) {
    return evaluate(study, null, null);
  }
}
