package dev.bilevel.hpo.importance;

import dev.bilevel.hpo.internal.forest.RandomForest;

/**
 * The random forest both importance evaluators fit: its size, depth limit and seed.
 *
 * @param nTrees the number of trees, at least 1
 * @param maxDepth the depth limit, at least 1
 * @param seed the forest's seed
 */
record ForestSettings(int nTrees, int maxDepth, long seed) {
  /** Validates the sizes. */
  ForestSettings {
    if (nTrees < 1 || maxDepth < 1) {
      throw new IllegalArgumentException(
          "nTrees and maxDepth must be >= 1, got " + nTrees + ", " + maxDepth);
    }
  }

  /** A forest fitted to {@code data}, every feature a split candidate at every node. */
  RandomForest fit(ImportanceData data) {
    return new RandomForest(data.x, data.n, data.d, data.y, nTrees, maxDepth, data.d, seed);
  }
}
