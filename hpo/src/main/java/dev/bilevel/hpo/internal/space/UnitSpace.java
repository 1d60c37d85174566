package dev.bilevel.hpo.internal.space;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A search space mapped coordinate by coordinate onto the unit cube, as model-based samplers
 * (Gaussian process, CMA-ES) see it.
 *
 * <ul>
 *   <li>continuous float: {@code u = (t − a)/(b − a)} with {@code t = x} or {@code ln x} (log) on
 *       {@code [a, b] = [low, high]} or {@code [ln low, ln high]};
 *   <li>discrete (int, or float with a step): the range is padded by half a step on each side so
 *       that each of the {@code k} grid values owns a cell of width {@code 1/k} (linear) or its
 *       log-interval {@code [ln(v − ½), ln(v + ½)]} (log int), as Optuna's GP search space does;
 *       decoding rounds to the nearest grid value;
 *   <li>categorical: the coordinate is the choice index {@code 0..n−1} (not scaled), for a
 *       Hamming-type kernel or an independent fallback.
 * </ul>
 *
 * <p>Immutable; dimensions are ordered by parameter name for determinism.
 */
public final class UnitSpace {
  private final List<String> names;
  private final Distribution[] dists;
  private final double[] a;
  private final double[] b;
  private final boolean[] logScale;
  private final boolean[] discrete;
  private final boolean[] categorical;

  /**
   * Builds the space.
   *
   * @param space parameter name → distribution (none single-valued)
   */
  public UnitSpace(Map<String, Distribution> space) {
    TreeMap<String, Distribution> sorted = new TreeMap<>(space);
    int d = sorted.size();
    names = List.copyOf(sorted.keySet());
    dists = sorted.values().toArray(new Distribution[0]);
    a = new double[d];
    b = new double[d];
    logScale = new boolean[d];
    discrete = new boolean[d];
    categorical = new boolean[d];
    for (int i = 0; i < d; i++) {
      Distribution dist = dists[i];
      if (dist instanceof FloatDistribution f) {
        if (f.step() != null) {
          discrete[i] = true;
          a[i] = f.low() - 0.5 * f.step();
          b[i] = f.high() + 0.5 * f.step();
        } else if (f.log()) {
          logScale[i] = true;
          a[i] = Math.log(f.low());
          b[i] = Math.log(f.high());
        } else {
          a[i] = f.low();
          b[i] = f.high();
        }
      } else if (dist instanceof IntDistribution n) {
        discrete[i] = true;
        if (n.log()) {
          logScale[i] = true;
          a[i] = Math.log(n.low() - 0.5);
          b[i] = Math.log(n.high() + 0.5);
        } else {
          a[i] = n.low() - 0.5 * n.step();
          b[i] = n.high() + 0.5 * n.step();
        }
      } else {
        categorical[i] = true;
        a[i] = 0;
        b[i] = ((CategoricalDistribution) dist).choices().size();
      }
    }
  }

  /**
   * The number of dimensions.
   *
   * @return the dimension
   */
  public int dim() {
    return names.size();
  }

  /**
   * Parameter names in coordinate order.
   *
   * @return the names
   */
  public List<String> names() {
    return names;
  }

  /**
   * The distribution of coordinate {@code i}.
   *
   * @param i the coordinate
   * @return the distribution
   */
  public Distribution distribution(int i) {
    return dists[i];
  }

  /**
   * Whether coordinate {@code i} is categorical (a choice index).
   *
   * @param i the coordinate
   * @return {@code true} for a categorical parameter
   */
  public boolean isCategorical(int i) {
    return categorical[i];
  }

  /**
   * Whether coordinate {@code i} is a discrete numeric parameter (int or stepped float).
   *
   * @param i the coordinate
   * @return {@code true} for a discrete parameter
   */
  public boolean isDiscrete(int i) {
    return discrete[i];
  }

  /**
   * The number of choices of categorical coordinate {@code i}.
   *
   * @param i the coordinate
   * @return the number of choices
   */
  public int choices(int i) {
    return (int) b[i];
  }

  /**
   * Encodes an internal value.
   *
   * @param i the coordinate
   * @param internal the internal value
   * @return the unit-space coordinate (a choice index for categoricals)
   */
  public double encode(int i, double internal) {
    if (categorical[i]) {
      return internal;
    }
    double t = logScale[i] ? Math.log(internal) : internal;
    return (t - a[i]) / (b[i] - a[i]);
  }

  /**
   * Decodes a unit-space coordinate to an internal value contained in the distribution (clipped
   * to the range; discrete values rounded to the grid).
   *
   * @param i the coordinate
   * @param u the unit coordinate (or choice index)
   * @return the internal value
   */
  public double decode(int i, double u) {
    Distribution dist = dists[i];
    if (categorical[i]) {
      return Math.min(Math.max(Math.floor(u), 0), b[i] - 1);
    }
    double t = a[i] + Math.min(Math.max(u, 0), 1) * (b[i] - a[i]);
    double v = logScale[i] ? Math.exp(t) : t;
    if (dist instanceof FloatDistribution f) {
      if (f.step() != null) {
        double k = Math.rint((v - f.low()) / f.step());
        double max = Math.rint((f.high() - f.low()) / f.step());
        return Math.min(f.low() + Math.min(Math.max(k, 0), max) * f.step(), f.high());
      }
      return Math.min(Math.max(v, f.low()), f.high());
    }
    IntDistribution n = (IntDistribution) dist;
    double k = Math.rint((v - n.low()) / n.step());
    double max = (double) ((n.high() - n.low()) / n.step());
    return n.low() + Math.min(Math.max(k, 0), max) * n.step();
  }

  /**
   * Snaps a unit coordinate to the encoding of its decoded value (the centre, in the transformed
   * scale, of a discrete value's cell; the identity for continuous coordinates).
   *
   * @param i the coordinate
   * @param u the unit coordinate
   * @return the snapped coordinate
   */
  public double snap(int i, double u) {
    if (!discrete[i] && !categorical[i]) {
      return Math.min(Math.max(u, 0), 1);
    }
    return encode(i, decode(i, u));
  }

  /**
   * The cell {@code [lo, hi]} in unit space of the discrete value that {@code u} decodes to: the
   * points that round to the same value. For CMA-ES with margin.
   *
   * @param i a discrete coordinate
   * @param u the unit coordinate
   * @param out receives {@code lo} and {@code hi} (modified)
   */
  public void cell(int i, double u, double[] out) {
    double v = decode(i, u);
    double half;
    if (dists[i] instanceof IntDistribution n) {
      half = 0.5 * n.step();
    } else {
      half = 0.5 * ((FloatDistribution) dists[i]).step();
    }
    double lo = v - half;
    double hi = v + half;
    if (logScale[i]) {
      lo = Math.log(lo);
      hi = Math.log(hi);
    }
    out[0] = Math.max((lo - a[i]) / (b[i] - a[i]), 0);
    out[1] = Math.min((hi - a[i]) / (b[i] - a[i]), 1);
  }

  /**
   * Encodes the parameters of a trial.
   *
   * @param trial a trial holding every parameter of this space
   * @param out receives the coordinates (modified)
   */
  public void encode(FrozenTrial trial, double[] out) {
    for (int i = 0; i < names.size(); i++) {
      out[i] = encode(i, trial.internalParam(names.get(i)));
    }
  }

  /**
   * Whether the trial has every parameter of this space with an equal distribution.
   *
   * @param trial the trial
   * @return {@code true} if it can be encoded
   */
  public boolean covers(FrozenTrial trial) {
    for (int i = 0; i < names.size(); i++) {
      if (!dists[i].equals(trial.distributions().get(names.get(i)))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Decodes a point to a parameter map.
   *
   * @param u the coordinates
   * @return name → internal value
   */
  public Map<String, Double> decode(double[] u) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      m.put(names.get(i), decode(i, u[i]));
    }
    return m;
  }
}
