package dev.bilevel.hpo.samplers.tpe;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.internal.Argsort;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
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
 * {@code O(n·d)} map lookups and a sort per parameter and trial. It also remembers, per parameter
 * and finished trial, the truncation masses of the trial's TPE kernel ({@link #normalizers}).
 *
 * <p>Thread-safe: every access to the cached state holds the cache's monitor.
 */
public final class HistoryCache {
  private final Map<String, Integer> index = new HashMap<>();
  private double[][] rows = new double[64][];
  /** Per column: the cached finished trials' values, sorted by (value, trial number). */
  private double[][] sortedValues = new double[8][];
  private int[][] sortedTrials = new int[8][];
  private int[] sortedSize = new int[8];
  private final BitSet seen = new BitSet();
  /** Per column: kernel normalizers remembered by {@link #normalizers}. */
  private NormalizerMemo[] memos = new NormalizerMemo[8];
  private TreeMap<String, Distribution> intersection;
  /** {@link #intersection} without single-valued parameters; {@code null} until computed. */
  private SortedMap<String, Distribution> searchSpace;

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
   * The observations of the trials that have every column: their values by column and, per
   * column, the order that sorts them by value (ties by trial number).
   *
   * @param columns {@code [d][m]} internal values, in the order of the given trials
   * @param orders per column, the permutation of {@code 0..m−1} sorting the column ascending, or
   *     {@code null} for a column whose order is not known from the cache (RUNNING trials
   *     involved, or a categorical column the caller does not sort)
   * @param trials the {@code m} trials' numbers when every one is a cached finished trial, else
   *     {@code null}
   * @param trialCount {@code m}, the number of observations
   */
  public record Observations(double[][] columns, int[][] orders, int[] trials, int trialCount) {}

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
    int[] kept = new int[all.length];
    int m = 0;
    int maxNumber = -1;
    boolean cached = true;
    boolean byNumber = true;
    for (int i = 0; i < all.length; i++) {
      if (hasAll(all[i], columns)) {
        kept[m++] = i;
        FrozenTrial t = trials.get(i);
        byNumber &= t.number() > maxNumber;
        maxNumber = Math.max(maxNumber, t.number());
        cached &= t.state().isFinished() && t.number() >= 0;
      }
    }
    double[][] values = new double[columns.length][m];
    // Row by row: each trial's row is read once for all columns.
    for (int k = 0; k < m; k++) {
      double[] row = all[kept[k]];
      for (int d = 0; d < columns.length; d++) {
        values[d][k] = row[columns[d]];
      }
    }
    int[][] orders = new int[columns.length][];
    int[] numbers = null;
    if (cached) {
      numbers = new int[m];
      int[] position = new int[maxNumber + 1];
      Arrays.fill(position, -1);
      for (int k = 0; k < m; k++) {
        numbers[k] = trials.get(kept[k]).number();
        position[numbers[k]] = k;
      }
      for (int d = 0; d < columns.length; d++) {
        int c = columns[d];
        int size = c < sortedSize.length ? sortedSize[c] : 0;
        // A few trials of many (the good half) are sorted directly: with the trials in number
        // order, a stable sort breaks ties by number as the cached order does.
        orders[d] = byNumber && 8L * m < size ? Argsort.argsort(values[d], m)
            : cachedOrder(size > 0 ? sortedTrials[c] : null, size, position, maxNumber, m);
      }
    }
    return new Observations(values, orders, numbers, m);
  }

  /** The order of the selected trials read from one column's sorted trials, or null if short. */
  private static int[] cachedOrder(
      int[] sorted, int size, int[] position, int maxNumber, int m) {
    int[] order = new int[m];
    int filled = 0;
    for (int j = 0; j < size && filled < m; j++) {
      int num = sorted[j];
      if (num <= maxNumber && position[num] >= 0) {
        order[filled++] = position[num];
      }
    }
    return filled == m ? order : null;
  }

  /**
   * Kernel normalizers for an estimator fitted to observations of the given cached trials: per
   * column and trial, the last values computed are kept with the kernel centre, bandwidth and
   * domain they were computed for, and reused while all four are unchanged (in a long study, most
   * trials' bandwidths stay the same from one suggestion to the next).
   *
   * @param columns the estimator's column indices from {@link #indices}
   * @param trials the observations' trial numbers ({@link Observations#trials}), or {@code null}
   * @return normalizers for {@link ParzenEstimator}
   */
  public ParzenEstimator.Normalizers normalizers(int[] columns, int[] trials) {
    if (trials == null) {
      return ParzenEstimator.Normalizers.UNCACHED;
    }
    return (dim, low, high, mu, sigma, n, logMass, logNorm) ->
        fillNormalizers(columns[dim], trials, low, high, mu, sigma, n, logMass, logNorm);
  }

  private synchronized void fillNormalizers(int column, int[] trials, double low, double high,
      double[] mu, double[] sigma, int n, double[] logMass, double[] logNorm) {
    if (memos.length <= column) {
      memos = Arrays.copyOf(memos, Math.max(column + 1, 2 * memos.length));
    }
    NormalizerMemo memo = memos[column];
    if (memo == null || memo.low != low || memo.high != high) {
      memo = new NormalizerMemo(low, high, rows.length);
      memos[column] = memo;
    }
    memo.ensure(rows.length);
    double[] norm = logNorm != null ? logNorm : new double[n];
    int[] missed = new int[n];
    int misses = 0;
    for (int k = 0; k < n; k++) {
      int t = trials[k];
      if (memo.mu[t] == mu[k] && memo.sigma[t] == sigma[k]) {
        logMass[k] = memo.logMass[t];
        norm[k] = memo.logNorm[t];
      } else {
        missed[misses++] = k;
      }
    }
    ParzenEstimator.computeNormalizers(low, high, mu, sigma, missed, misses, logMass, norm);
    for (int i = 0; i < misses; i++) {
      int k = missed[i];
      int t = trials[k];
      memo.mu[t] = mu[k];
      memo.sigma[t] = sigma[k];
      memo.logMass[t] = logMass[k];
      memo.logNorm[t] = norm[k];
    }
  }

  /** One column's remembered kernel normalizers, by trial number, for one domain. */
  private static final class NormalizerMemo {
    final double low;
    final double high;
    double[] mu = new double[0];
    double[] sigma = new double[0];
    double[] logMass = new double[0];
    double[] logNorm = new double[0];

    NormalizerMemo(double low, double high, int capacity) {
      this.low = low;
      this.high = high;
      ensure(capacity);
    }

    void ensure(int capacity) {
      int old = mu.length;
      if (old >= capacity) {
        return;
      }
      mu = Arrays.copyOf(mu, capacity);
      sigma = Arrays.copyOf(sigma, capacity);
      logMass = Arrays.copyOf(logMass, capacity);
      logNorm = Arrays.copyOf(logNorm, capacity);
      Arrays.fill(mu, old, capacity, Double.NaN);
    }
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
   * Trials are folded in once each (by number), so the given list must only grow between calls.
   *
   * @param finished the finished trials to intersect over
   * @return name → distribution, sorted by name (unmodifiable)
   */
  public synchronized SortedMap<String, Distribution> intersection(List<FrozenTrial> finished) {
    // Trials already folded in are skipped; counting the new ones lets the scan, from the end
    // where new trials usually are, stop early.
    int fresh = finished.size() - seen.cardinality();
    for (int i = finished.size() - 1; i >= 0 && fresh > 0; i--) {
      FrozenTrial t = finished.get(i);
      int num = t.number();
      if (num < 0 || seen.get(num)) {
        continue;
      }
      fresh--;
      seen.set(num);
      if (intersection == null) {
        intersection = new TreeMap<>(t.distributions());
      } else if (!intersection.isEmpty()) {
        Map<String, Distribution> d = t.distributions();
        intersection.entrySet().removeIf(e -> !e.getValue().equals(d.get(e.getKey())));
      }
      searchSpace = null;
    }
    if (searchSpace == null) {
      TreeMap<String, Distribution> out =
          intersection == null ? new TreeMap<>() : new TreeMap<>(intersection);
      out.entrySet().removeIf(e -> e.getValue().isSingle());
      searchSpace = Collections.unmodifiableSortedMap(out);
    }
    return searchSpace;
  }
}
