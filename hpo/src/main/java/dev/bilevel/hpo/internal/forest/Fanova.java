package dev.bilevel.hpo.internal.forest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The functional ANOVA of a regression tree over a box with the uniform measure (Hutter, Hoos and
 * Leyton-Brown, "An efficient approach for assessing hyperparameter importance", ICML 2014).
 *
 * <p>A tree is piecewise constant on its leaves' boxes {@code B_ℓ} with values {@code v_ℓ}; with
 * {@code |·|} the measure relative to the domain: mean {@code f̄ = Σ_ℓ |B_ℓ| v_ℓ}, total variance
 * {@code V = Σ_ℓ |B_ℓ| (v_ℓ − f̄)²}. The main effect of feature {@code j} is constant on the
 * intervals {@code I_k} between the tree's thresholds on {@code j}: {@code a_j(I_k) = Σ_{ℓ: B_ℓ ⊇
 * I_k} v_ℓ·Π_{i≠j}|B_ℓ,i|}, and its variance is {@code V_j = Σ_k |I_k| (a_j(I_k) − f̄)²}. The
 * fraction {@code V_j/V} is the share of the variance explained by {@code j} alone. Exact, no
 * sampling.
 */
public final class Fanova {
  private Fanova() {}

  /**
   * The main-effect variance fractions {@code V_j/V} of one tree.
   *
   * @param tree the tree
   * @param lower the domain's lower bounds
   * @param upper the domain's upper bounds
   * @return one fraction per feature, or {@code null} when the tree is constant ({@code V = 0})
   */
  public static double[] mainEffectFractions(RegressionTree tree, double[] lower, double[] upper) {
    int d = lower.length;
    List<double[]> leafLo = new ArrayList<>();
    List<double[]> leafHi = new ArrayList<>();
    List<Double> leafValue = new ArrayList<>();
    collect(tree, 0, lower.clone(), upper.clone(), leafLo, leafHi, leafValue);
    int leaves = leafValue.size();
    double[][] frac = new double[leaves][d];
    double[] volume = new double[leaves];
    double mean = 0;
    for (int l = 0; l < leaves; l++) {
      double vol = 1;
      for (int i = 0; i < d; i++) {
        frac[l][i] = (leafHi.get(l)[i] - leafLo.get(l)[i]) / (upper[i] - lower[i]);
        vol *= frac[l][i];
      }
      volume[l] = vol;
      mean += vol * leafValue.get(l);
    }
    double total = 0;
    for (int l = 0; l < leaves; l++) {
      double dv = leafValue.get(l) - mean;
      total += volume[l] * dv * dv;
    }
    if (!(total > 1e-300)) {
      return null;
    }
    double[] out = new double[d];
    for (int j = 0; j < d; j++) {
      double[] cuts = thresholds(tree, j, lower[j], upper[j]);
      double vj = 0;
      for (int k = 0; k + 1 < cuts.length; k++) {
        double a = cuts[k];
        double b = cuts[k + 1];
        double mid = 0.5 * (a + b);
        double effect = 0;
        for (int l = 0; l < leaves; l++) {
          if (leafLo.get(l)[j] <= mid && mid < leafHi.get(l)[j]) {
            double rest = frac[l][j] > 0 ? volume[l] / frac[l][j] : 0;
            effect += leafValue.get(l) * rest;
          }
        }
        double w = (b - a) / (upper[j] - lower[j]);
        vj += w * (effect - mean) * (effect - mean);
      }
      out[j] = vj / total;
    }
    return out;
  }

  private static void collect(
      RegressionTree tree, int node, double[] lo, double[] hi, List<double[]> leafLo,
      List<double[]> leafHi, List<Double> leafValue) {
    int f = tree.feature(node);
    if (f < 0) {
      leafLo.add(lo.clone());
      leafHi.add(hi.clone());
      leafValue.add(tree.value(node));
      return;
    }
    double t = Math.min(Math.max(tree.threshold(node), lo[f]), hi[f]);
    double savedHi = hi[f];
    hi[f] = t;
    collect(tree, tree.left(node), lo, hi, leafLo, leafHi, leafValue);
    hi[f] = savedHi;
    double savedLo = lo[f];
    lo[f] = t;
    collect(tree, tree.right(node), lo, hi, leafLo, leafHi, leafValue);
    lo[f] = savedLo;
  }

  private static double[] thresholds(RegressionTree tree, int j, double lo, double hi) {
    double[] t = new double[tree.nodeCount() + 2];
    int k = 0;
    t[k++] = lo;
    t[k++] = hi;
    for (int node = 0; node < tree.nodeCount(); node++) {
      if (tree.feature(node) == j) {
        t[k++] = Math.min(Math.max(tree.threshold(node), lo), hi);
      }
    }
    double[] sorted = Arrays.copyOf(t, k);
    Arrays.sort(sorted);
    int u = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[u - 1]) {
        sorted[u++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, u);
  }
}
