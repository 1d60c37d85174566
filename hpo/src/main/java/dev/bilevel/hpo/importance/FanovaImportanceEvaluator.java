package dev.bilevel.hpo.importance;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.internal.forest.Fanova;
import dev.bilevel.hpo.internal.forest.RandomForest;
import dev.bilevel.hpo.internal.forest.RegressionTree;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * fANOVA importance (Hutter, Hoos and Leyton-Brown, "An efficient approach for assessing
 * hyperparameter importance", ICML 2014), as Optuna's {@code FanovaImportanceEvaluator}: a random
 * forest (64 trees, depth ≤ 64, bootstrap, all features per split) is fitted on the trials in unit
 * space; for each tree the variance of each parameter's main effect is computed exactly from the
 * tree's partition under the uniform measure on the search space, as a fraction of the tree's total
 * variance; the fractions are averaged over the trees and normalized to sum 1.
 *
 * <p>Categorical parameters enter as choice indices, each choice with measure {@code 1/n}.
 * Deterministic for a seed.
 */
public final class FanovaImportanceEvaluator implements ImportanceEvaluator {
  private final ForestSettings forest;

  /**
   * An evaluator with 64 trees of depth at most 64.
   *
   * @param seed the forest's seed
   */
  public FanovaImportanceEvaluator(long seed) {
    this(64, 64, seed);
  }

  /**
   * An evaluator with a given forest size.
   *
   * @param nTrees the number of trees, at least 1
   * @param maxDepth the depth limit, at least 1
   * @param seed the forest's seed
   */
  public FanovaImportanceEvaluator(int nTrees, int maxDepth, long seed) {
    this.forest = new ForestSettings(nTrees, maxDepth, seed);
  }

  @Override
  public Map<String, Double> evaluate(
      List<FrozenTrial> trials, List<String> params, ToDoubleFunction<FrozenTrial> target) {
    ImportanceData data = ImportanceData.of(trials, params, target);
    int d = data.d;
    RandomForest fitted = forest.fit(data);
    double[] lower = new double[d];
    double[] upper = new double[d];
    for (int j = 0; j < d; j++) {
      lower[j] = data.lower(j);
      upper[j] = data.upper(j);
    }
    double[] sum = new double[d];
    int used = 0;
    for (RegressionTree tree : fitted.trees()) {
      double[] fractions = Fanova.mainEffectFractions(tree, lower, upper);
      if (fractions != null) {
        used++;
        for (int j = 0; j < d; j++) {
          sum[j] += fractions[j];
        }
      }
    }
    if (used > 0) {
      for (int j = 0; j < d; j++) {
        sum[j] /= used;
      }
    }
    return data.ranked(sum);
  }
}
