package dev.bilevel.hpo.internal.gp;

import dev.bilevel.hpo.internal.math.StandardNormal;
import java.util.Arrays;

/** EXPERIMENT. */
public final class OutputWarp {
  private OutputWarp() {}

  /** Rank Gaussianization. */
  public static void rank(double[] v) {
    int n = v.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    double[] c = v.clone();
    Arrays.sort(idx, (a, b) -> Double.compare(c[a], c[b]));
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && c[idx[j + 1]] == c[idx[i]]) {
        j++;
      }
      double r = 0.5 * (i + j);
      for (int k = i; k <= j; k++) {
        v[idx[k]] = StandardNormal.inverseCdf((r + 0.5) / n);
      }
      i = j + 1;
    }
  }

  static double yj(double y, double l) {
    if (y >= 0) {
      return Math.abs(l) < 1e-12 ? Math.log1p(y) : (Math.pow(y + 1, l) - 1) / l;
    }
    return Math.abs(l - 2) < 1e-12 ? -Math.log1p(-y) : -(Math.pow(1 - y, 2 - l) - 1) / (2 - l);
  }

  /** Yeo-Johnson with the MLE exponent, on standardized values (v standardized first). */
  public static void yeoJohnson(double[] v) {
    int n = v.length;
    double mean = 0;
    for (double a : v) {
      mean += a;
    }
    mean /= n;
    double var = 0;
    for (double a : v) {
      var += (a - mean) * (a - mean);
    }
    double sd = Math.max(Math.sqrt(var / n), 1e-10);
    double[] y = new double[n];
    double jac = 0;
    for (int i = 0; i < n; i++) {
      y[i] = (v[i] - mean) / sd;
      jac += Math.signum(y[i]) * Math.log1p(Math.abs(y[i]));
    }
    double bestL = 1;
    double bestLl = Double.NEGATIVE_INFINITY;
    double[] t = new double[n];
    double lmin = Double.parseDouble(System.getProperty("gp.lmin", "-2"));
    for (int g = 0; g <= 120; g++) {
      double l = -2 + 0.05 * g;
      if (l < lmin - 1e-9) {
        continue;
      }
      double m = 0;
      for (int i = 0; i < n; i++) {
        t[i] = yj(y[i], l);
        m += t[i];
      }
      m /= n;
      double s2 = 0;
      for (int i = 0; i < n; i++) {
        s2 += (t[i] - m) * (t[i] - m);
      }
      s2 /= n;
      double ll = -0.5 * n * Math.log(Math.max(s2, 1e-300)) + (l - 1) * jac;
      if (ll > bestLl) {
        bestLl = ll;
        bestL = l;
      }
    }
    for (int i = 0; i < n; i++) {
      v[i] = yj(y[i], bestL);
    }
  }
}
