package dev.bilevel.hpo.importance;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.internal.SearchSpaces;
import dev.bilevel.hpo.internal.space.UnitSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The design matrix shared by the evaluators: trials encoded in unit space (numeric parameters in
 * {@code [0, 1]} after log/grid transforms, categorical ones as choice indices) and their targets.
 */
final class ImportanceData {
  final UnitSpace space;
  final double[] x;
  final double[] y;
  final int n;
  final int d;

  private ImportanceData(UnitSpace space, double[] x, double[] y, int n) {
    this.space = space;
    this.x = x;
    this.y = y;
    this.n = n;
    this.d = space.dim();
  }

  static ImportanceData of(
      List<FrozenTrial> trials, List<String> params, ToDoubleFunction<FrozenTrial> target) {
    List<FrozenTrial> complete = new ArrayList<>();
    for (FrozenTrial t : trials) {
      if (t.state() == TrialState.COMPLETE) {
        complete.add(t);
      }
    }
    Map<String, Distribution> all = SearchSpaces.intersection(complete);
    Map<String, Distribution> chosen = new TreeMap<>();
    if (params == null) {
      chosen.putAll(all);
    } else {
      for (String p : params) {
        Distribution dist = all.get(p);
        if (dist == null) {
          throw new IllegalArgumentException(
              "Parameter '" + p + "' is not in the intersection search space " + all.keySet());
        }
        chosen.put(p, dist);
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException(
          "No parameter to evaluate: the complete trials share no multi-valued parameter");
    }
    ToDoubleFunction<FrozenTrial> f = target != null ? target : ImportanceData::singleValue;
    UnitSpace space = new UnitSpace(chosen);
    List<double[]> rows = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (FrozenTrial t : complete) {
      double v = f.applyAsDouble(t);
      if (Double.isFinite(v)) {
        double[] u = new double[space.dim()];
        space.encode(t, u);
        rows.add(u);
        ys.add(v);
      }
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("No complete trial with a finite target to evaluate");
    }
    int n = rows.size();
    int d = space.dim();
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows.get(i), 0, x, i * d, d);
      y[i] = ys.get(i);
    }
    return new ImportanceData(space, x, y, n);
  }

  private static double singleValue(FrozenTrial t) {
    if (t.values().size() != 1) {
      throw new IllegalArgumentException(
          "Trial " + t.number() + " has " + t.values().size()
              + " objective values: pass a target to evaluate importance");
    }
    return t.value();
  }

  /** The domain of coordinate j: [0, 1], or [−½, n − ½] for a categorical with n choices. */
  double lower(int j) {
    return space.isCategorical(j) ? -0.5 : 0;
  }

  double upper(int j) {
    return space.isCategorical(j) ? space.choices(j) - 0.5 : 1;
  }

  /** Normalizes raw scores to sum 1 (equal shares if all are 0) and orders them. */
  Map<String, Double> ranked(double[] raw) {
    double sum = 0;
    for (double r : raw) {
      sum += Math.max(r, 0);
    }
    List<Map.Entry<String, Double>> entries = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      double v = sum > 0 ? Math.max(raw[j], 0) / sum : 1.0 / d;
      entries.add(Map.entry(space.names().get(j), v));
    }
    entries.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
        .thenComparing(Map.Entry.comparingByKey()));
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : entries) {
      out.put(e.getKey(), e.getValue());
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
