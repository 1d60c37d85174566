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

  /**
   * The first {@code k} entries of {@link #argsort(double[], int) argsort(keys, n)}, that is, the
   * indices of the {@code k} smallest keys in the same stable order, in {@code O(n)} when {@code k}
   * is small: a sorted buffer of the best {@code k} so far, which a key enters only when strictly
   * smaller than its last entry (so an equal key of a later index stays behind, as in the stable
   * sort). Larger {@code k} falls back to the full sort.
   *
   * @param keys the keys (not modified)
   * @param n how many keys to consider, from index 0
   * @param k how many indices to return; clipped to {@code [0, n]}
   * @return {@code min(max(k, 0), n)} indices, equal to the prefix of the full stable argsort
   */
  public static int[] smallest(double[] keys, int n, int k) {
    int m = Math.max(0, Math.min(k, n));
    if (m > 64) {
      return Arrays.copyOf(argsort(keys, n), m);
    }
    int[] idx = new int[m];
    double[] vals = new double[m];
    int size = 0;
    for (int i = 0; i < n && m > 0; i++) {
      double v = keys[i];
      if (size == m && Double.compare(v, vals[size - 1]) >= 0) {
        continue;
      }
      int p = size;
      while (p > 0 && Double.compare(vals[p - 1], v) > 0) {
        p--;
      }
      int last = Math.min(size, m - 1);
      System.arraycopy(vals, p, vals, p + 1, last - p);
      System.arraycopy(idx, p, idx, p + 1, last - p);
      vals[p] = v;
      idx[p] = i;
      size = Math.min(size + 1, m);
    }
    return idx;
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
