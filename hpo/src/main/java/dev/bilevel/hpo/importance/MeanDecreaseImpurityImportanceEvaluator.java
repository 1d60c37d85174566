package dev.bilevel.hpo.importance;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.internal.forest.RandomForest;
import dev.bilevel.hpo.internal.forest.RegressionTree;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Mean-decrease-impurity importance (Breiman, "Random forests", 2001; Louppe et al.,
 * "Understanding variable importances in forests of randomized trees", NeurIPS 2013), as Optuna's
 * {@code MeanDecreaseImpurityImportanceEvaluator}: a random forest (64 trees, depth ≤ 64) is
 * fitted on the trials in unit space; in each tree the weighted decreases of squared error of all
 * splits on a parameter are summed and normalized to sum 1; the shares are averaged over the trees
 * and normalized again. Deterministic for a seed.
 */
public final class MeanDecreaseImpurityImportanceEvaluator implements ImportanceEvaluator {
  private final ForestSettings forest;

  /**
   * An evaluator with 64 trees of depth at most 64.
   *
   * @param seed the forest's seed
   */
  public MeanDecreaseImpurityImportanceEvaluator(long seed) {
    this(64, 64, seed);
  }

  /**
   * An evaluator with a given forest size.
   *
   * @param nTrees the number of trees, at least 1
   * @param maxDepth the depth limit, at least 1
   * @param seed the forest's seed
   */
  public MeanDecreaseImpurityImportanceEvaluator(int nTrees, int maxDepth, long seed) {
    this.forest = new ForestSettings(nTrees, maxDepth, seed);
  }

  @Override
  public Map<String, Double> evaluate(
      List<FrozenTrial> trials, List<String> params, ToDoubleFunction<FrozenTrial> target) {
    ImportanceData data = ImportanceData.of(trials, params, target);
    int d = data.d;
    RandomForest fitted = forest.fit(data);
    double[] sum = new double[d];
    for (RegressionTree tree : fitted.trees()) {
      double[] perTree = new double[d];
      double total = 0;
      for (int node = 0; node < tree.nodeCount(); node++) {
        int f = tree.feature(node);
        if (f >= 0) {
          perTree[f] += tree.weightedImpurityDecrease(node);
          total += tree.weightedImpurityDecrease(node);
        }
      }
      if (total > 0) {
        for (int j = 0; j < d; j++) {
          sum[j] += perTree[j] / total;
        }
      }
    }
    return data.ranked(sum);
  }
}
