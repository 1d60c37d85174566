package dev.bilevel.hpo.internal;

import java.util.Arrays;

/**
 * A stable argsort of {@code double} keys without boxing, in {@code O(n log n)}: the keys are
 * sorted as primitives, then each index, in increasing order, takes the next free slot of its
 * value's run. Ties therefore keep their original order (as numpy's {@code
 * argsort(kind="stable")}); the order is that of {@link Double#compare} (NaN last).
 */
public final class Argsort {
  private Argsort() {}

  /**
   * The permutation that sorts the first {@code n} keys ascending.
   *
   * @param keys the keys (not modified)
   * @param n how many keys to sort, from index 0
   * @return {@code order} with {@code keys[order[0]] ≤ keys[order[1]] ≤ ...}
   */
  public static int[] argsort(double[] keys, int n) {
    double[] sorted = Arrays.copyOf(keys, n);
    Arrays.sort(sorted);
    int[] used = new int[n];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      int p = lowerBound(sorted, keys[i]);
      order[p + used[p]++] = i;
    }
    return order;
  }

  private static int lowerBound(double[] sorted, double key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Double.compare(sorted[mid], key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
