package dev.bilevel.hpo.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto tools on loss vectors (every objective minimized; callers negate maximized ones):
 * non-domination ranks, crowding distance, hypervolume, and greedy hypervolume subset selection.
 *
 * <p>Vector {@code a} dominates {@code b} if {@code a ≤ b} componentwise with at least one strict
 * inequality. Rank 0 is the non-dominated set; rank {@code r + 1} is the non-dominated set of what
 * remains after ranks {@code 0..r} (Deb, Pratap, Agarwal and Meyarivan, "A fast and elitist
 * multiobjective genetic algorithm: NSGA-II", IEEE TEVC 6(2), 2002).
 */
public final class Pareto {
  private Pareto() {}

  /**
   * Whether {@code a} dominates {@code b}.
   *
   * @param a a loss vector
   * @param b a loss vector of the same length
   * @return {@code true} if {@code a} is no worse everywhere and better somewhere
   */
  public static boolean dominates(double[] a, double[] b) {
    boolean strict = false;
    for (int i = 0; i < a.length; i++) {
      if (a[i] > b[i]) {
        return false;
      }
      if (a[i] < b[i]) {
        strict = true;
      }
    }
    return strict;
  }

  /**
   * Non-domination ranks. Two objectives take {@code O(n log n)} (a sweep by the first objective
   * with a binary search over the fronts' last points); more take {@code O(m n²)}, stopping once
   * at least {@code enough} points are ranked.
   *
   * @param losses {@code [n][m]} loss vectors
   * @param enough stop once this many points are ranked (the rest get rank {@code
   *     Integer.MAX_VALUE}); pass {@code n} or more for a full ranking
   * @return the rank of each point
   */
  public static int[] ranks(double[][] losses, int enough) {
    int n = losses.length;
    int[] rank = new int[n];
    if (n == 0) {
      return rank;
    }
    if (losses[0].length == 2) {
      return ranks2d(losses);
    }
    Arrays.fill(rank, Integer.MAX_VALUE);
    boolean[] done = new boolean[n];
    int ranked = 0;
    for (int r = 0; ranked < Math.min(enough, n); r++) {
      List<Integer> front = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (done[i]) {
          continue;
        }
        boolean dominated = false;
        for (int j = 0; j < n && !dominated; j++) {
          dominated = !done[j] && j != i && dominates(losses[j], losses[i]);
        }
        if (!dominated) {
          front.add(i);
        }
      }
      for (int i : front) {
        rank[i] = r;
        done[i] = true;
      }
      ranked += front.size();
    }
    return rank;
  }

  private static int[] ranks2d(double[][] losses) {
    int n = losses.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> losses[i][0])
        .thenComparingDouble(i -> losses[i][1]));
    int[] rank = new int[n];
    List<double[]> lastOfFront = new ArrayList<>();
    for (int idx : order) {
      double[] p = losses[idx];
      int lo = 0;
      int hi = lastOfFront.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (dominates(lastOfFront.get(mid), p)) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      rank[idx] = lo;
      if (lo == lastOfFront.size()) {
        lastOfFront.add(p);
      } else {
        lastOfFront.set(lo, p);
      }
    }
    return rank;
  }

  /**
   * Crowding distances within one front (Deb et al. 2002, with Optuna 5.0's tie rule): for each
   * objective with a non-zero range {@code w}, the points sorted by it add {@code (next − previous)
   * / w}, where the first point's previous and the last point's next are infinite (so the extreme
   * points get infinity) and the gap counts as 0 when previous and next are equal.
   *
   * @param losses {@code [n][m]} loss vectors of one front
   * @return the crowding distance of each point
   */
  public static double[] crowdingDistance(double[][] losses) {
    int n = losses.length;
    double[] dist = new double[n];
    if (n == 0) {
      return dist;
    }
    for (int obj = 0; obj < losses[0].length; obj++) {
      final int o = obj;
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingDouble(i -> losses[i][o]));
      double width = losses[order[n - 1]][o] - losses[order[0]][o];
      if (width == 0) {
        continue;
      }
      for (int j = 0; j < n; j++) {
        double prev = j == 0 ? Double.NEGATIVE_INFINITY : losses[order[j - 1]][o];
        double next = j == n - 1 ? Double.POSITIVE_INFINITY : losses[order[j + 1]][o];
        dist[order[j]] += prev == next ? 0 : (next - prev) / width;
      }
    }
    return dist;
  }

  /**
   * The hypervolume dominated by the points and bounded by the reference point: the Lebesgue
   * measure of {@code ∪_i [p_i, ref]}. Two objectives by a sweep ({@code O(n log n)}); more by
   * slicing along the last objective (exact, for the small sets TPE and NSGA-II pass).
   *
   * @param points {@code [n][m]} loss vectors; points not strictly better than {@code ref} in
   *     every objective contribute nothing
   * @param ref the reference point
   * @return the hypervolume
   */
  public static double hypervolume(double[][] points, double[] ref) {
    List<double[]> inside = new ArrayList<>();
    for (double[] p : points) {
      boolean ok = true;
      for (int i = 0; i < ref.length; i++) {
        ok &= p[i] < ref[i];
      }
      if (ok) {
        inside.add(p);
      }
    }
    return hv(inside, ref, ref.length);
  }

  private static double hv(List<double[]> pts, double[] ref, int m) {
    if (pts.isEmpty()) {
      return 0;
    }
    if (m == 1) {
      double best = Double.POSITIVE_INFINITY;
      for (double[] p : pts) {
        best = Math.min(best, p[0]);
      }
      return ref[0] - best;
    }
    if (m == 2) {
      List<double[]> sorted = new ArrayList<>(pts);
      sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
      double vol = 0;
      double lastY = ref[1];
      for (double[] p : sorted) {
        if (p[1] < lastY) {
          vol += (ref[0] - p[0]) * (lastY - p[1]);
          lastY = p[1];
        }
      }
      return vol;
    }
    List<double[]> sorted = new ArrayList<>(pts);
    sorted.sort(Comparator.comparingDouble(p -> p[m - 1]));
    double vol = 0;
    List<double[]> slice = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      slice.add(sorted.get(i));
      double top = i + 1 < sorted.size() ? sorted.get(i + 1)[m - 1] : ref[m - 1];
      double depth = top - sorted.get(i)[m - 1];
      if (depth > 0) {
        vol += depth * hv(slice, ref, m - 1);
      }
    }
    return vol;
  }

  /**
   * Greedy hypervolume subset selection: repeatedly adds the point whose hypervolume contribution
   * to the selected set is largest (the greedy HSSP solution used by Optuna's MOTPE; within a
   * factor {@code 1 − 1/e} of optimal since hypervolume is submodular).
   *
   * @param points {@code [n][m]} candidate loss vectors
   * @param size how many to select, at most {@code n}
   * @param ref the reference point
   * @return the indices selected, in selection order
   */
  public static int[] greedySubset(double[][] points, int size, double[] ref) {
    int n = points.length;
    boolean[] taken = new boolean[n];
    int[] chosen = new int[size];
    List<double[]> selected = new ArrayList<>();
    double current = 0;
    for (int s = 0; s < size; s++) {
      int best = -1;
      double bestGain = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        if (taken[i]) {
          continue;
        }
        selected.add(points[i]);
        double gain = hypervolume(selected.toArray(new double[0][]), ref) - current;
        selected.remove(selected.size() - 1);
        if (gain > bestGain) {
          bestGain = gain;
          best = i;
        }
      }
      taken[best] = true;
      chosen[s] = best;
      selected.add(points[best]);
      current += bestGain;
    }
    return chosen;
  }

  /**
   * A reference point a little worse than the worst point: {@code max(1.1 w, 0.9 w)} per
   * objective ({@code w} the worst value), zeros replaced by a tiny positive number, as Optuna.
   *
   * @param points {@code [n][m]} loss vectors, {@code n ≥ 1}
   * @return the reference point
   */
  public static double[] referencePoint(double[][] points) {
    int m = points[0].length;
    double[] ref = new double[m];
    Arrays.fill(ref, Double.NEGATIVE_INFINITY);
    for (double[] p : points) {
      for (int i = 0; i < m; i++) {
        ref[i] = Math.max(ref[i], p[i]);
      }
    }
    for (int i = 0; i < m; i++) {
      ref[i] = Math.max(1.1 * ref[i], 0.9 * ref[i]);
      if (ref[i] == 0) {
        ref[i] = 1e-12;
      }
    }
    return ref;
  }
}
