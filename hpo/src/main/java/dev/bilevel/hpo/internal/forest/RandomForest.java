package dev.bilevel.hpo.internal.forest;

import dev.bilevel.hpo.samplers.TrialRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random forest of {@link RegressionTree}s (Breiman, "Random forests", Machine Learning 45,
 * 2001): each tree grows on a bootstrap sample of the rows, trying {@code maxFeatures} random
 * features per split. Tree {@code k} draws from {@code TrialRandom.of(seed, k, "forest")}, so a
 * forest is a pure function of its data and seed.
 */
public final class RandomForest {
  private final List<RegressionTree> trees;

  /**
   * Fits the forest.
   *
   * @param x {@code n × d} inputs, row-major
   * @param n the number of rows
   * @param d the number of features
   * @param y targets
   * @param nTrees the number of trees
   * @param maxDepth depth limit of each tree
   * @param maxFeatures features tried per split
   * @param seed the seed
   */
  public RandomForest(
      double[] x, int n, int d, double[] y, int nTrees, int maxDepth, int maxFeatures, long seed) {
    List<RegressionTree> out = new ArrayList<>(nTrees);
    for (int k = 0; k < nTrees; k++) {
      SplittableRandom rng = TrialRandom.of(seed, k, "forest");
      int[] rows = new int[n];
      for (int i = 0; i < n; i++) {
        rows[i] = rng.nextInt(n);
      }
      out.add(new RegressionTree(x, d, y, rows, maxDepth, 2, 1, maxFeatures, rng));
    }
    trees = List.copyOf(out);
  }

  /**
   * The trees.
   *
   * @return an unmodifiable list
   */
  public List<RegressionTree> trees() {
    return trees;
  }

  /**
   * The mean prediction of the trees.
   *
   * @param point the features
   * @return the forest's prediction
   */
  public double predict(double[] point) {
    double s = 0;
    for (RegressionTree t : trees) {
      s += t.predict(point);
    }
    return s / trees.size();
  }
}
