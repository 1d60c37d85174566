package dev.bilevel.hpo.samplers.tpe;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.distributions.Distribution;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a model-based sampler reads from one study's finished trials, kept incrementally: each
 * finished trial's internal parameter values as a row indexed by parameter (a finished trial never
 * changes, so its row is built once), and the intersection search space (Optuna's {@code
 * IntersectionSearchSpace}, updated only with trials not seen before), and per parameter the
 * finished trials sorted by value, kept by insertion. A sampler then reads the history and the
 * value order of any subset of it in {@code O(n)} array accesses per parameter, instead of
 * {@code O(n·d)} map lookups and a sort per parameter and trial.
 *
 * <p>Thread-safe: every method is synchronized.
 */
public final class HistoryCache {
  private final Map<String, Integer> index = new HashMap<>();
  private double[][] rows = new double[64][];
  /** Per column: the cached finished trials' values, sorted by (value, trial number). */
  private double[][] sortedValues = new double[8][];
  private int[][] sortedTrials = new int[8][];
  private int[] sortedSize = new int[8];
  private final BitSet seen = new BitSet();
  private TreeMap<String, Distribution> intersection;

  /** Creates an empty cache. */
  public HistoryCache() {}

  /**
   * The column index of each name, registering new names.
   *
   * @param names parameter names
   * @return their indices
   */
  public synchronized int[] indices(List<String> names) {
    int[] out = new int[names.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = index.computeIfAbsent(names.get(i), k -> index.size());
    }
    return out;
  }

  /**
   * Rows of internal values, {@code NaN} where a trial lacks the parameter. Rows of finished
   * trials are cached by trial number; others (RUNNING, for the constant liar) are built afresh.
   *
   * @param trials the trials
   * @return one row per trial, indexed by {@link #indices}
   */
  public synchronized double[][] rows(List<FrozenTrial> trials) {
    double[][] out = new double[trials.size()][];
    for (int i = 0; i < out.length; i++) {
      FrozenTrial t = trials.get(i);
      int num = t.number();
      if (!t.state().isFinished() || num < 0) {
        out[i] = build(t);
        continue;
      }
      if (num >= rows.length) {
        rows = Arrays.copyOf(rows, Math.max(rows.length * 2, num + 1));
      }
      if (rows[num] == null) {
        rows[num] = build(t);
        insertSorted(num, rows[num]);
      }
      out[i] = rows[num];
    }
    return out;
  }

  private double[] build(FrozenTrial t) {
    for (String name : t.distributions().keySet()) {
      index.computeIfAbsent(name, k -> index.size());
    }
    double[] row = new double[index.size()];
    Arrays.fill(row, Double.NaN);
    for (Map.Entry<String, Distribution> e : t.distributions().entrySet()) {
      row[index.get(e.getKey())] = e.getValue().toInternal(t.params().get(e.getKey()));
    }
    return row;
  }

  private void insertSorted(int number, double[] row) {
    if (sortedValues.length < row.length) {
      int n = Math.max(row.length, 2 * sortedValues.length);
      sortedValues = Arrays.copyOf(sortedValues, n);
      sortedTrials = Arrays.copyOf(sortedTrials, n);
      sortedSize = Arrays.copyOf(sortedSize, n);
    }
    for (int c = 0; c < row.length; c++) {
      double v = row[c];
      if (Double.isNaN(v)) {
        continue;
      }
      int size = sortedSize[c];
      if (sortedValues[c] == null || sortedValues[c].length == size) {
        int cap = Math.max(16, 2 * size);
        sortedValues[c] = sortedValues[c] == null ? new double[cap]
            : Arrays.copyOf(sortedValues[c], cap);
        sortedTrials[c] = sortedTrials[c] == null ? new int[cap]
            : Arrays.copyOf(sortedTrials[c], cap);
      }
      double[] vals = sortedValues[c];
      int[] nums = sortedTrials[c];
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        int cmp = Double.compare(vals[mid], v);
        if (cmp < 0 || (cmp == 0 && nums[mid] < number)) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      System.arraycopy(vals, lo, vals, lo + 1, size - lo);
      System.arraycopy(nums, lo, nums, lo + 1, size - lo);
      vals[lo] = v;
      nums[lo] = number;
      sortedSize[c] = size + 1;
    }
  }

  /**
   * The observations of the trials that have every column: their values and, per column, the
   * order that sorts them by value (ties by trial number).
   *
   * @param values {@code [m][d]} internal values, in the order of the given trials
   * @param orders per column, the permutation of {@code 0..m−1} sorting the column ascending, or
   *     {@code null} for a column whose order is not known from the cache (RUNNING trials
   *     involved, or a categorical column the caller does not sort)
   */
  public record Observations(double[][] values, int[][] orders) {}

  /**
   * Reads the observations of the given trials for the given columns.
   *
   * @param trials the trials, e.g. one half of a split
   * @param columns column indices from {@link #indices}
   * @return the observations, with value orders taken from the sorted columns when every selected
   *     trial is finished
   */
  public synchronized Observations observations(List<FrozenTrial> trials, int[] columns) {
    double[][] all = rows(trials);
    boolean[] keep = new boolean[all.length];
    int[] numbers = new int[all.length];
    int m = 0;
    int maxNumber = -1;
    boolean cached = true;
    for (int i = 0; i < all.length; i++) {
      keep[i] = hasAll(all[i], columns);
      if (keep[i]) {
        m++;
        FrozenTrial t = trials.get(i);
        numbers[i] = t.number();
        maxNumber = Math.max(maxNumber, t.number());
        cached &= t.state().isFinished() && t.number() >= 0;
      }
    }
    double[][] values = new double[m][columns.length];
    int[] position = cached ? new int[maxNumber + 1] : null;
    if (position != null) {
      Arrays.fill(position, -1);
    }
    int k = 0;
    for (int i = 0; i < all.length; i++) {
      if (keep[i]) {
        for (int d = 0; d < columns.length; d++) {
          values[k][d] = all[i][columns[d]];
        }
        if (position != null) {
          position[numbers[i]] = k;
        }
        k++;
      }
    }
    int[][] orders = new int[columns.length][];
    if (position != null) {
      for (int d = 0; d < columns.length; d++) {
        int c = columns[d];
        int[] order = new int[m];
        int filled = 0;
        int size = c < sortedSize.length ? sortedSize[c] : 0;
        int[] nums = size > 0 ? sortedTrials[c] : null;
        for (int j = 0; j < size && filled < m; j++) {
          int num = nums[j];
          if (num <= maxNumber && position[num] >= 0) {
            order[filled++] = position[num];
          }
        }
        orders[d] = filled == m ? order : null;
      }
    }
    return new Observations(values, orders);
  }

  /**
   * Whether a row has every given column.
   *
   * @param row a row from {@link #rows}
   * @param columns column indices
   * @return {@code true} if none is missing
   */
  public static boolean hasAll(double[] row, int[] columns) {
    for (int c : columns) {
      if (c >= row.length || Double.isNaN(row[c])) {
        return false;
      }
    }
    return true;
  }

  /**
   * The parameters every given trial has with the same distribution, single-valued ones left out.
   * Trials are folded in once each (by number), so the given list should only grow between calls.
   *
   * @param finished the finished trials to intersect over
   * @return name → distribution, sorted by name
   */
  public synchronized SortedMap<String, Distribution> intersection(List<FrozenTrial> finished) {
    for (FrozenTrial t : finished) {
      int num = t.number();
      if (num < 0 || seen.get(num)) {
        continue;
      }
      seen.set(num);
      if (intersection == null) {
        intersection = new TreeMap<>(t.distributions());
      } else if (!intersection.isEmpty()) {
        Map<String, Distribution> d = t.distributions();
        intersection.entrySet().removeIf(e -> !e.getValue().equals(d.get(e.getKey())));
      }
    }
    TreeMap<String, Distribution> out =
        intersection == null ? new TreeMap<>() : new TreeMap<>(intersection);
    out.entrySet().removeIf(e -> e.getValue().isSingle());
    return out;
  }
}
