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
 * IntersectionSearchSpace}, updated only with trials not seen before). This keeps the per-trial
 * cost of reading the history at {@code O(n)} array accesses instead of {@code O(n·d)} map lookups.
 *
 * <p>Thread-safe: every method is synchronized.
 */
public final class HistoryCache {
  private final Map<String, Integer> index = new HashMap<>();
  private double[][] rows = new double[64][];
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
