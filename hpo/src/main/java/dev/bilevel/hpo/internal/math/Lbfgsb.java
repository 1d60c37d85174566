package dev.bilevel.hpo.internal.math;

import java.util.Arrays;

/**
 * A compact projected L-BFGS minimizer with optional box bounds (in the spirit of L-BFGS-B, Byrd,
 * Lu, Nocedal and Zhu, SIAM J. Sci. Comput. 16(5), 1995, simplified): the two-loop recursion
 * (Nocedal and Wright, "Numerical Optimization", Alg. 7.4) gives a quasi-Newton direction on the
 * free variables; variables at a bound whose gradient points outwards are held fixed; a
 * backtracking Armijo search with quadratic interpolation runs along the projected path {@code
 * P(x + t·d)}.
 *
 * <p>Stops when the projected gradient's largest component is below {@code gtol}, after {@code
 * maxIter} iterations, or when the line search cannot decrease the objective. Deterministic. Not
 * thread-safe; use one instance per thread.
 */
public final class Lbfgsb {

  /** A function with its gradient. */
  @FunctionalInterface
  public interface Objective {
    /**
     * Evaluates {@code f(x)} and writes {@code ∇f(x)}.
     *
     * @param x the point (not modified)
     * @param grad receives the gradient (modified)
     * @return {@code f(x)}; {@code +∞} or NaN marks an infeasible point that the line search
     *     backs away from
     */
    double valueAndGradient(double[] x, double[] grad);
  }

  private final int memory;
  private final double maxFirstMove;

  /**
   * A minimizer keeping {@code memory} correction pairs, whose first step has length {@code
   * min(1, 1/‖g‖)} along {@code −g}.
   *
   * @param memory the history length, at least 1 (10 is typical)
   */
  public Lbfgsb(int memory) {
    this(memory, Double.POSITIVE_INFINITY);
  }

  /**
   * A minimizer whose steepest-descent steps (the first one, and after a reset) also move no
   * coordinate by more than {@code maxFirstMove}: for warm starts near the optimum, where a unit
   * step would overshoot.
   *
   * @param memory the history length, at least 1
   * @param maxFirstMove the largest coordinate change of a steepest-descent step, positive
   */
  public Lbfgsb(int memory, double maxFirstMove) {
    if (memory < 1 || !(maxFirstMove > 0)) {
      throw new IllegalArgumentException(
          "memory must be >= 1 and maxFirstMove > 0, got " + memory + ", " + maxFirstMove);
    }
    this.memory = memory;
    this.maxFirstMove = maxFirstMove;
  }

  /**
   * Minimizes {@code f} from {@code x}, which is overwritten with the best point found.
   *
   * @param f the objective
   * @param x the start, projected onto the box first; receives the result (modified)
   * @param lower lower bounds, or {@code null} for none
   * @param upper upper bounds, or {@code null} for none
   * @param maxIter the iteration limit
   * @param gtol the projected-gradient tolerance (max norm)
   * @return the objective value at the returned {@code x}
   */
  public double minimize(
      Objective f, double[] x, double[] lower, double[] upper, int maxIter, double gtol) {
    return minimize(f, x, lower, upper, maxIter, gtol, 1e-14);
  }

  /**
   * Minimizes {@code f} as {@link #minimize(Objective, double[], double[], double[], int, double)},
   * also stopping when an iteration decreases {@code f} by at most {@code ftol·max(1, |f|)}
   * (scipy's {@code factr} test).
   *
   * @param f the objective
   * @param x the start; receives the result (modified)
   * @param lower lower bounds, or {@code null}
   * @param upper upper bounds, or {@code null}
   * @param maxIter the iteration limit
   * @param gtol the projected-gradient tolerance (max norm)
   * @param ftol the relative decrease tolerance
   * @return the objective value at the returned {@code x}
   */
  public double minimize(
      Objective f, double[] x, double[] lower, double[] upper, int maxIter, double gtol,
      double ftol) {
    int n = x.length;
    project(x, lower, upper);
    double[] g = new double[n];
    double[] gNew = new double[n];
    double[] xNew = new double[n];
    double[] d = new double[n];
    double[][] s = new double[memory][n];
    double[][] y = new double[memory][n];
    double[] rho = new double[memory];
    double[] alpha = new double[memory];
    int stored = 0;
    int head = 0;
    double fx = f.valueAndGradient(x, g);
    if (!Double.isFinite(fx)) {
      return fx;
    }
    for (int iter = 0; iter < maxIter; iter++) {
      if (projectedGradientNorm(x, g, lower, upper) < gtol) {
        break;
      }
      // Two-loop recursion on the gradient restricted to free variables.
      for (int i = 0; i < n; i++) {
        d[i] = isHeld(i, x, g, lower, upper) ? 0 : g[i];
      }
      for (int k = 0; k < stored; k++) {
        int j = Math.floorMod(head - 1 - k, memory);
        alpha[j] = rho[j] * dot(s[j], d);
        axpy(-alpha[j], y[j], d);
      }
      double gamma = 1;
      if (stored > 0) {
        int last = Math.floorMod(head - 1, memory);
        gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
      }
      for (int i = 0; i < n; i++) {
        d[i] *= gamma;
      }
      for (int k = stored - 1; k >= 0; k--) {
        int j = Math.floorMod(head - 1 - k, memory);
        double beta = rho[j] * dot(y[j], d);
        axpy(alpha[j] - beta, s[j], d);
      }
      double slope = 0;
      for (int i = 0; i < n; i++) {
        d[i] = isHeld(i, x, g, lower, upper) ? 0 : -d[i];
        slope += d[i] * g[i];
      }
      if (!(slope < 0)) {
        // Not a descent direction: restart from steepest descent.
        stored = 0;
        slope = 0;
        for (int i = 0; i < n; i++) {
          d[i] = isHeld(i, x, g, lower, upper) ? 0 : -g[i];
          slope += d[i] * g[i];
        }
        if (!(slope < 0)) {
          break;
        }
      }
      double t = 1;
      if (stored == 0) {
        double dmax = 0;
        for (int i = 0; i < n; i++) {
          dmax = Math.max(dmax, Math.abs(d[i]));
        }
        t = Math.min(Math.min(1, 1 / Math.sqrt(-slope)), maxFirstMove / dmax);
      }
      double fNew = Double.NaN;
      boolean accepted = false;
      for (int ls = 0; ls < 30; ls++) {
        for (int i = 0; i < n; i++) {
          xNew[i] = x[i] + t * d[i];
        }
        project(xNew, lower, upper);
        double decrease = 0;
        for (int i = 0; i < n; i++) {
          decrease += g[i] * (xNew[i] - x[i]);
        }
        fNew = f.valueAndGradient(xNew, gNew);
        if (Double.isFinite(fNew) && fNew <= fx + 1e-4 * Math.min(decrease, 0)) {
          accepted = true;
          break;
        }
        // Minimizer of the quadratic through f(0), f'(0) and f(t), kept within [0.1t, 0.5t].
        double curvature = fNew - fx - slope * t;
        double next = Double.isFinite(fNew) && curvature > 0 ? -slope * t * t / (2 * curvature)
            : 0.5 * t;
        t = Math.min(Math.max(next, 0.1 * t), 0.5 * t);
      }
      if (!accepted) {
        break;
      }
      double sy = 0;
      double[] sj = s[head];
      double[] yj = y[head];
      for (int i = 0; i < n; i++) {
        sj[i] = xNew[i] - x[i];
        yj[i] = gNew[i] - g[i];
        sy += sj[i] * yj[i];
      }
      boolean progress = fx - fNew > ftol * Math.max(1, Math.abs(fx));
      System.arraycopy(xNew, 0, x, 0, n);
      System.arraycopy(gNew, 0, g, 0, n);
      fx = fNew;
      if (sy > 1e-12 * Math.sqrt(dot(sj, sj) * dot(yj, yj))) {
        rho[head] = 1 / sy;
        head = (head + 1) % memory;
        stored = Math.min(stored + 1, memory);
      }
      if (!progress) {
        break;
      }
    }
    return fx;
  }

  private static boolean isHeld(int i, double[] x, double[] g, double[] lower, double[] upper) {
    return (lower != null && x[i] <= lower[i] && g[i] > 0)
        || (upper != null && x[i] >= upper[i] && g[i] < 0);
  }

  private static double projectedGradientNorm(
      double[] x, double[] g, double[] lower, double[] upper) {
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      if (!isHeld(i, x, g, lower, upper)) {
        m = Math.max(m, Math.abs(g[i]));
      }
    }
    return m;
  }

  private static void project(double[] x, double[] lower, double[] upper) {
    for (int i = 0; i < x.length; i++) {
      if (lower != null && x[i] < lower[i]) {
        x[i] = lower[i];
      }
      if (upper != null && x[i] > upper[i]) {
        x[i] = upper[i];
      }
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void axpy(double a, double[] xs, double[] ys) {
    for (int i = 0; i < xs.length; i++) {
      ys[i] += a * xs[i];
    }
  }

  /**
   * Fills an array with a value; a convenience for callers building bounds.
   *
   * @param n the length
   * @param v the value
   * @return a new array of {@code n} copies of {@code v}
   */
  public static double[] filled(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }
}
