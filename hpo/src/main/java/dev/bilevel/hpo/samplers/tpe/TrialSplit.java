package dev.bilevel.hpo.samplers.tpe;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.internal.Argsort;
import dev.bilevel.hpo.internal.Pareto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * TPE's split of the history into the {@code n_below} "good" trials and the rest, as Optuna's
 * {@code _split_trials} (Watanabe 2023, arXiv:2304.11127, section 3.1):
 *
 * <ol>
 *   <li>feasible COMPLETE trials first: single-objective by value; multi-objective by
 *       non-domination rank, the last rank that does not fit being cut by greedy hypervolume subset
 *       selection (Ozaki, Tanigaki, Watanabe and Onishi, "Multiobjective tree-structured Parzen
 *       estimator", JAIR 73, 2022);
 *   <li>then feasible PRUNED trials, by the last step reached (later is better), then the value at
 *       that step;
 *   <li>then infeasible trials, by total constraint violation {@code Σ max(0, c_i)};
 *   <li>RUNNING trials (constant liar) always go above: they are treated as the worst.
 * </ol>
 *
 * <p>Both halves are returned ordered by trial number, which the weight ramp relies on. Cost
 * {@code O(n log n)} for {@code n} trials with one or two objectives.
 *
 * @param below the good trials
 * @param above the others
 */
public record TrialSplit(List<FrozenTrial> below, List<FrozenTrial> above) {

  /** Copies the lists. */
  public TrialSplit {
    below = List.copyOf(below);
    above = List.copyOf(above);
  }

  /**
   * Splits the trials.
   *
   * @param directions the study's directions
   * @param trials COMPLETE, PRUNED and (constant liar) RUNNING trials, the finished ones ordered by
   *     number (equal values are taken in this order); RUNNING ones may come anywhere
   * @param nBelow how many go below (at most the number of finished trials)
   * @param constraints whether infeasible trials are told apart (by the {@value
   *     StudyView#CONSTRAINTS_KEY} system attribute)
   * @return the split
   */
  public static TrialSplit of(
      List<StudyDirection> directions, List<FrozenTrial> trials, int nBelow, boolean constraints) {
    int n = trials.size();
    boolean single = directions.size() == 1;
    // Feasible COMPLETE trials by index into `trials` (and, with one objective, their losses).
    int[] complete = new int[n];
    double[] completeLoss = single ? new double[n] : null;
    int nComplete = 0;
    List<FrozenTrial> pruned = new ArrayList<>();
    List<FrozenTrial> infeasible = new ArrayList<>();
    boolean byNumber = true;
    int last = Integer.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      FrozenTrial t = trials.get(i);
      byNumber &= t.number() >= last;
      last = t.number();
      TrialState state = t.state();
      if (state == TrialState.RUNNING) {
        continue;
      }
      if (constraints && violation(t) > 0) {
        infeasible.add(t);
      } else if (state == TrialState.COMPLETE) {
        if (single) {
          completeLoss[nComplete] = loss(directions.get(0), t.value());
        }
        complete[nComplete++] = i;
      } else if (state == TrialState.PRUNED) {
        pruned.add(t);
      }
    }
    List<FrozenTrial> chosen = new ArrayList<>();
    int left = nBelow;
    // Only the first `left` of each ordering are taken, so one objective needs a partial sort.
    if (single) {
      for (int k : Argsort.smallest(completeLoss, nComplete, left)) {
        chosen.add(trials.get(complete[k]));
      }
      left = Math.max(0, left - chosen.size());
    } else {
      List<FrozenTrial> all = new ArrayList<>(nComplete);
      for (int k = 0; k < nComplete; k++) {
        all.add(trials.get(complete[k]));
      }
      left = take(paretoOrder(directions, all, left), left, chosen);
    }
    pruned.sort(Comparator.comparing((FrozenTrial t) -> prunedKey(directions, t)[0])
        .thenComparing(t -> prunedKey(directions, t)[1]));
    left = take(pruned, left, chosen);
    take(smallestBy(infeasible, TrialSplit::violation, left), left, chosen);
    BitSet isBelow = new BitSet();
    for (FrozenTrial t : chosen) {
      isBelow.set(t.number());
    }
    FrozenTrial[] below = new FrozenTrial[chosen.size()];
    FrozenTrial[] above = new FrozenTrial[n - chosen.size()];
    int nb = 0;
    int na = 0;
    for (FrozenTrial t : trials) {
      if (t.state() != TrialState.RUNNING && isBelow.get(t.number())) {
        below[nb++] = t;
      } else {
        above[na++] = t;
      }
    }
    if (!byNumber) {
      Comparator<FrozenTrial> number = Comparator.comparingInt(FrozenTrial::number);
      Arrays.sort(below, number);
      Arrays.sort(above, number);
    }
    return new TrialSplit(List.of(below), List.of(above));
  }

  /** The first {@code k} trials of {@code l} stably sorted by {@code key}. */
  private static List<FrozenTrial> smallestBy(
      List<FrozenTrial> l, java.util.function.ToDoubleFunction<FrozenTrial> key, int k) {
    double[] keys = new double[l.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = key.applyAsDouble(l.get(i));
    }
    int[] order = Argsort.smallest(keys, keys.length, k);
    List<FrozenTrial> out = new ArrayList<>(order.length);
    for (int i : order) {
      out.add(l.get(i));
    }
    return out;
  }

  private static int take(List<FrozenTrial> sorted, int n, List<FrozenTrial> below) {
    int k = Math.max(0, Math.min(n, sorted.size()));
    below.addAll(sorted.subList(0, k));
    return Math.max(0, n - k);
  }

  /**
   * A value to minimize.
   *
   * @param d the direction
   * @param v the value
   * @return {@code v}, negated for MAXIMIZE
   */
  public static double loss(StudyDirection d, double v) {
    return d == StudyDirection.MAXIMIZE ? -v : v;
  }

  /**
   * The loss vector of a trial.
   *
   * @param directions the directions
   * @param t the trial
   * @return its values with maximized objectives negated
   */
  public static double[] losses(List<StudyDirection> directions, FrozenTrial t) {
    double[] l = new double[directions.size()];
    for (int i = 0; i < l.length; i++) {
      l[i] = loss(directions.get(i), t.values().get(i));
    }
    return l;
  }

  /**
   * The total constraint violation {@code Σ max(0, c_i)} of a trial (0 without constraints).
   *
   * @param t the trial
   * @return the violation
   */
  public static double violation(FrozenTrial t) {
    Object c = t.systemAttrs().get(StudyView.CONSTRAINTS_KEY);
    double v = 0;
    if (c instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Number n && n.doubleValue() > 0) {
          v += n.doubleValue();
        }
      }
    }
    return v;
  }

  private static double[] prunedKey(List<StudyDirection> directions, FrozenTrial t) {
    if (t.intermediateValues().isEmpty()) {
      return new double[] {1, 0};
    }
    Map.Entry<Integer, Double> last = t.intermediateValues().entrySet().stream()
        .reduce((a, b) -> b).orElseThrow();
    double v = last.getValue();
    double key = Double.isNaN(v) ? Double.POSITIVE_INFINITY
        : directions.size() == 1 ? loss(directions.get(0), v) : v;
    return new double[] {-last.getKey(), key};
  }

  /** Complete trials ordered so that the first {@code nBelow} are MOTPE's below set. */
  private static List<FrozenTrial> paretoOrder(
      List<StudyDirection> directions, List<FrozenTrial> complete, int nBelow) {
    int n = complete.size();
    if (nBelow <= 0 || nBelow >= n) {
      return complete;
    }
    double[][] l = new double[n][];
    for (int i = 0; i < n; i++) {
      l[i] = losses(directions, complete.get(i));
    }
    int[] rank = Pareto.ranks(l, nBelow);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> rank[i]));
    List<FrozenTrial> out = new ArrayList<>(n);
    int pos = 0;
    while (pos < n) {
      int end = pos;
      while (end < n && rank[order[end]] == rank[order[pos]]) {
        end++;
      }
      if (pos < nBelow && end > nBelow) {
        double[][] tier = new double[end - pos][];
        for (int i = pos; i < end; i++) {
          tier[i - pos] = l[order[i]];
        }
        int[] chosen = Pareto.greedySubset(tier, nBelow - pos, Pareto.referencePoint(tier));
        boolean[] used = new boolean[tier.length];
        for (int c : chosen) {
          out.add(complete.get(order[pos + c]));
          used[c] = true;
        }
        for (int i = 0; i < tier.length; i++) {
          if (!used[i]) {
            out.add(complete.get(order[pos + i]));
          }
        }
      } else {
        for (int i = pos; i < end; i++) {
          out.add(complete.get(order[i]));
        }
      }
      pos = end;
    }
    return out;
  }
}
