package dev.bilevel.dashboard.plot;

import dev.bilevel.dashboard.plot.PlotData.Axis;
import dev.bilevel.dashboard.plot.PlotData.Bar;
import dev.bilevel.dashboard.plot.PlotData.BarPlot;
import dev.bilevel.dashboard.plot.PlotData.ContourPlot;
import dev.bilevel.dashboard.plot.PlotData.Line;
import dev.bilevel.dashboard.plot.PlotData.ParallelPlot;
import dev.bilevel.dashboard.plot.PlotData.Point;
import dev.bilevel.dashboard.plot.PlotData.Series;
import dev.bilevel.dashboard.plot.PlotData.Style;
import dev.bilevel.dashboard.plot.PlotData.TimelinePlot;
import dev.bilevel.dashboard.plot.PlotData.XyPlot;
import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import dev.bilevel.hpo.importance.FanovaImportanceEvaluator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Plot data as pure functions of a study's trials, following {@code optuna.visualization}: only
 * COMPLETE trials with a finite value enter value plots; non-finite values are left out rather
 * than drawn at infinity.
 *
 * <p>Example: {@code StudyPlots.history(storage.getAllTrials(id, null), directions, 0)}.
 */
public final class StudyPlots {
  /** Grid points per side of a contour plot. */
  public static final int CONTOUR_GRID = 25;

  private StudyPlots() {}

  /**
   * Builds the plot of the given kind with default choices: the first objective, the first
   * parameter (slice) or the first two parameters (contour) by name.
   *
   * @param kind the plot
   * @param trials the study's trials, any states
   * @param directions the study's directions
   * @param params parameters chosen by the user (slice: one, contour: two), or empty for defaults
   * @param objective the objective index for single-objective plots
   * @return the plot data
   * @throws IllegalArgumentException when the study cannot give this plot (e.g. Pareto front of
   *     a single-objective study, contour with fewer than two parameters)
   */
  public static PlotData of(
      PlotKind kind,
      List<FrozenTrial> trials,
      List<StudyDirection> directions,
      List<String> params,
      int objective) {
    List<String> names = params.isEmpty() ? paramNames(trials) : params;
    return switch (kind) {
      case HISTORY -> history(trials, directions.get(objective), objective);
      case INTERMEDIATE -> intermediate(trials);
      case PARALLEL -> parallel(trials, objective);
      case CONTOUR -> {
        if (names.size() < 2) {
          throw new IllegalArgumentException("A contour plot needs two parameters; got " + names);
        }
        yield contour(trials, names.get(0), names.get(1), objective);
      }
      case SLICE -> {
        if (names.isEmpty()) {
          throw new IllegalArgumentException("A slice plot needs a parameter; the study has none");
        }
        yield slice(trials, names.get(0), objective);
      }
      case IMPORTANCE -> importance(trials, objective);
      case EDF -> edf(trials, objective);
      case PARETO -> pareto(trials, directions);
      case TIMELINE -> timeline(trials, Instant.now());
    };
  }

  /**
   * Names of all parameters that appear in the trials, sorted.
   *
   * @param trials trials
   * @return the sorted names
   */
  public static List<String> paramNames(List<FrozenTrial> trials) {
    TreeSet<String> names = new TreeSet<>();
    for (FrozenTrial t : trials) {
      names.addAll(t.params().keySet());
    }
    return List.copyOf(names);
  }

  /**
   * Optimization history: objective value by trial number and the best value so far.
   *
   * @param trials trials, any order and state
   * @param direction the objective's direction
   * @param objective objective index
   * @return series "Objective value" (scatter) and "Best value" (line)
   */
  public static XyPlot history(List<FrozenTrial> trials, StudyDirection direction, int objective) {
    List<Point> values = new ArrayList<>();
    List<Point> best = new ArrayList<>();
    double bestSoFar = Double.NaN;
    for (FrozenTrial t : completed(trials, objective)) {
      double v = t.values().get(objective);
      values.add(new Point(t.number(), v, t.number()));
      if (Double.isNaN(bestSoFar) || direction.isBetter(v, bestSoFar)) {
        bestSoFar = v;
      }
      best.add(new Point(t.number(), bestSoFar, t.number()));
    }
    return new XyPlot("Optimization history", "Trial", "Objective value", false, List.of(),
        List.of(new Series("Objective value", Style.SCATTER, values),
            new Series("Best value", Style.LINE, best)));
  }

  /**
   * Intermediate values: one line per trial that reported any, finite values only.
   *
   * @param trials trials
   * @return one series "Trial n" per trial
   */
  public static XyPlot intermediate(List<FrozenTrial> trials) {
    List<Series> series = new ArrayList<>();
    for (FrozenTrial t : byNumber(trials)) {
      List<Point> pts = new ArrayList<>();
      for (Map.Entry<Integer, Double> e : t.intermediateValues().entrySet()) {
        if (Double.isFinite(e.getValue())) {
          pts.add(new Point(e.getKey(), e.getValue(), t.number()));
        }
      }
      if (!pts.isEmpty()) {
        series.add(new Series("Trial " + t.number(), Style.LINE, pts));
      }
    }
    return new XyPlot("Intermediate values", "Step", "Intermediate value", false, List.of(), series);
  }

  /**
   * Parallel coordinates over the objective and every parameter (sorted by name), for complete
   * trials that have all of them. Categorical values are category indices.
   *
   * @param trials trials
   * @param objective objective index
   * @return the plot; the first axis is "Objective value"
   */
  public static ParallelPlot parallel(List<FrozenTrial> trials, int objective) {
    List<FrozenTrial> done = completed(trials, objective);
    List<String> names = paramNames(done);
    List<FrozenTrial> full = done.stream()
        .filter(t -> t.params().keySet().containsAll(names)).toList();
    List<Axis> axes = new ArrayList<>();
    axes.add(new Axis("Objective value", false, List.of()));
    for (String n : names) {
      Distribution d = lastDistribution(full, n);
      axes.add(new Axis(n, isLog(d), categories(d)));
    }
    List<Line> lines = new ArrayList<>();
    for (FrozenTrial t : full) {
      List<Double> v = new ArrayList<>();
      v.add(t.values().get(objective));
      for (String n : names) {
        v.add(t.internalParam(n));
      }
      lines.add(new Line(t.number(), v));
    }
    return new ParallelPlot("Parallel coordinates", axes, lines);
  }

  /**
   * Contour of the objective over two parameters. The grid spans the trials' range in plotting
   * space (log10 for log parameters, index for categorical ones) with {@link #CONTOUR_GRID}
   * points a side; each grid value is the inverse-squared-distance weighted mean of the trials'
   * values (distances in coordinates scaled to [0, 1]), exact at a trial's location.
   *
   * @param trials trials
   * @param xParam parameter on x
   * @param yParam parameter on y
   * @param objective objective index
   * @return the plot (empty grid when no complete trial has both parameters)
   */
  public static ContourPlot contour(
      List<FrozenTrial> trials, String xParam, String yParam, int objective) {
    List<FrozenTrial> done = completed(trials, objective).stream()
        .filter(t -> t.params().containsKey(xParam) && t.params().containsKey(yParam)).toList();
    Distribution dx = lastDistribution(done, xParam);
    Distribution dy = lastDistribution(done, yParam);
    List<Point> pts = new ArrayList<>();
    for (FrozenTrial t : done) {
      pts.add(new Point(coord(dx, t.internalParam(xParam)), coord(dy, t.internalParam(yParam)),
          t.number()));
    }
    String xl = isLog(dx) ? "log10(" + xParam + ")" : xParam;
    String yl = isLog(dy) ? "log10(" + yParam + ")" : yParam;
    if (pts.isEmpty()) {
      return new ContourPlot("Contour", xl, yl, List.of(), List.of(), List.of(), List.of());
    }
    double[] vals = done.stream().mapToDouble(t -> t.values().get(objective)).toArray();
    List<Double> xs = grid(pts.stream().mapToDouble(Point::x).min().orElseThrow(),
        pts.stream().mapToDouble(Point::x).max().orElseThrow());
    List<Double> ys = grid(pts.stream().mapToDouble(Point::y).min().orElseThrow(),
        pts.stream().mapToDouble(Point::y).max().orElseThrow());
    double sx = Math.max(xs.get(xs.size() - 1) - xs.get(0), 1e-300);
    double sy = Math.max(ys.get(ys.size() - 1) - ys.get(0), 1e-300);
    List<List<Double>> z = new ArrayList<>();
    for (double y : ys) {
      List<Double> row = new ArrayList<>();
      for (double x : xs) {
        double num = 0;
        double den = 0;
        double exact = Double.NaN;
        for (int k = 0; k < pts.size(); k++) {
          double ddx = (pts.get(k).x() - x) / sx;
          double ddy = (pts.get(k).y() - y) / sy;
          double d2 = ddx * ddx + ddy * ddy;
          if (d2 < 1e-24) {
            exact = vals[k];
            break;
          }
          num += vals[k] / d2;
          den += 1 / d2;
        }
        row.add(Double.isNaN(exact) ? num / den : exact);
      }
      z.add(row);
    }
    return new ContourPlot("Contour", xl, yl, xs, ys, z, pts);
  }

  /**
   * Slice: objective value against one parameter.
   *
   * @param trials trials
   * @param param the parameter
   * @param objective objective index
   * @return one scatter series; x categorical for a categorical parameter
   */
  public static XyPlot slice(List<FrozenTrial> trials, String param, int objective) {
    List<FrozenTrial> done = completed(trials, objective).stream()
        .filter(t -> t.params().containsKey(param)).toList();
    Distribution d = lastDistribution(done, param);
    List<Point> pts = new ArrayList<>();
    for (FrozenTrial t : done) {
      pts.add(new Point(t.internalParam(param), t.values().get(objective), t.number()));
    }
    return new XyPlot("Slice: " + param, param, "Objective value", isLog(d), categories(d),
        List.of(new Series("Objective value", Style.SCATTER, pts)));
  }

  /**
   * fANOVA importance (Hutter et al. 2014, "An efficient approach for assessing hyperparameter
   * importance") of every parameter for the objective, with a fixed seed.
   *
   * @param trials trials
   * @param objective objective index
   * @return bars, most important first (none with fewer than two complete trials)
   */
  public static BarPlot importance(List<FrozenTrial> trials, int objective) {
    List<FrozenTrial> done = completed(trials, objective);
    List<String> names = paramNames(done);
    List<FrozenTrial> full = done.stream()
        .filter(t -> t.params().keySet().containsAll(names)).toList();
    if (full.size() < 2 || names.isEmpty()) {
      return new BarPlot("Parameter importance", "Importance", List.of(), List.of());
    }
    Map<String, Double> imp = new FanovaImportanceEvaluator(0L)
        .evaluate(full, names, t -> t.values().get(objective));
    return new BarPlot("Parameter importance", "Importance (fANOVA)",
        List.copyOf(imp.keySet()), List.copyOf(imp.values()));
  }

  /**
   * Empirical distribution function of the objective: the i-th smallest of n values is drawn at
   * height i / n.
   *
   * @param trials trials
   * @param objective objective index
   * @return one step series
   */
  public static XyPlot edf(List<FrozenTrial> trials, int objective) {
    List<FrozenTrial> done = new ArrayList<>(completed(trials, objective));
    done.sort(Comparator.comparingDouble((FrozenTrial t) -> t.values().get(objective))
        .thenComparingInt(FrozenTrial::number));
    List<Point> pts = new ArrayList<>();
    int n = done.size();
    for (int i = 0; i < n; i++) {
      FrozenTrial t = done.get(i);
      pts.add(new Point(t.values().get(objective), (i + 1) / (double) n, t.number()));
    }
    return new XyPlot("Empirical distribution", "Objective value", "Cumulative probability",
        false, List.of(), List.of(new Series("EDF", Style.STEP, pts)));
  }

  /**
   * Pareto front of a two-objective study: a complete trial is on the front when no other
   * complete trial is at least as good in both objectives and better in one.
   *
   * @param trials trials
   * @param directions exactly two directions
   * @return series "Pareto front" (sorted by the first objective) and "Dominated"
   * @throws IllegalArgumentException unless there are two objectives
   */
  public static XyPlot pareto(List<FrozenTrial> trials, List<StudyDirection> directions) {
    if (directions.size() != 2) {
      throw new IllegalArgumentException(
          "A Pareto front plot needs 2 objectives; the study has " + directions.size());
    }
    List<FrozenTrial> done = byNumber(trials).stream()
        .filter(t -> t.state() == TrialState.COMPLETE && t.values().size() == 2
            && Double.isFinite(t.values().get(0)) && Double.isFinite(t.values().get(1)))
        .toList();
    List<Point> front = new ArrayList<>();
    List<Point> dominated = new ArrayList<>();
    for (FrozenTrial a : done) {
      boolean isDominated = false;
      for (FrozenTrial b : done) {
        if (b != a && dominates(b, a, directions)) {
          isDominated = true;
          break;
        }
      }
      Point p = new Point(a.values().get(0), a.values().get(1), a.number());
      (isDominated ? dominated : front).add(p);
    }
    front.sort(Comparator.comparingDouble(Point::x).thenComparingDouble(Point::y));
    return new XyPlot("Pareto front", "Objective 0", "Objective 1", false, List.of(),
        List.of(new Series("Pareto front", Style.SCATTER, front),
            new Series("Dominated", Style.SCATTER, dominated)));
  }

  /**
   * Timeline: each started trial from its start to its end (or {@code now} while running).
   *
   * @param trials trials
   * @param now the time to end unfinished trials at
   * @return bars by trial number
   */
  public static TimelinePlot timeline(List<FrozenTrial> trials, Instant now) {
    List<Bar> bars = new ArrayList<>();
    for (FrozenTrial t : byNumber(trials)) {
      if (t.datetimeStart() == null) {
        continue;
      }
      Instant end = t.datetimeComplete() != null ? t.datetimeComplete() : now;
      long s = t.datetimeStart().toEpochMilli();
      bars.add(new Bar(t.number(), t.state(), s, Math.max(s, end.toEpochMilli())));
    }
    return new TimelinePlot("Timeline", bars);
  }

  private static boolean dominates(FrozenTrial b, FrozenTrial a, List<StudyDirection> dirs) {
    boolean strictly = false;
    for (int i = 0; i < 2; i++) {
      double vb = b.values().get(i);
      double va = a.values().get(i);
      if (dirs.get(i).isBetter(va, vb)) {
        return false;
      }
      strictly |= dirs.get(i).isBetter(vb, va);
    }
    return strictly;
  }

  private static List<FrozenTrial> byNumber(List<FrozenTrial> trials) {
    List<FrozenTrial> out = new ArrayList<>(trials);
    out.sort(Comparator.comparingInt(FrozenTrial::number));
    return out;
  }

  private static List<FrozenTrial> completed(List<FrozenTrial> trials, int objective) {
    return byNumber(trials).stream()
        .filter(t -> t.state() == TrialState.COMPLETE && t.values().size() > objective
            && Double.isFinite(t.values().get(objective)))
        .toList();
  }

  private static Distribution lastDistribution(List<FrozenTrial> trials, String name) {
    for (int i = trials.size() - 1; i >= 0; i--) {
      Distribution d = trials.get(i).distributions().get(name);
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  private static boolean isLog(Distribution d) {
    return (d instanceof FloatDistribution f && f.log()) || (d instanceof IntDistribution i && i.log());
  }

  private static List<String> categories(Distribution d) {
    if (d instanceof CategoricalDistribution c) {
      return c.choices().stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  private static double coord(Distribution d, double internal) {
    return isLog(d) ? Math.log10(internal) : internal;
  }

  private static List<Double> grid(double lo, double hi) {
    List<Double> g = new ArrayList<>();
    if (hi <= lo) {
      g.add(lo);
      return g;
    }
    for (int i = 0; i < CONTOUR_GRID; i++) {
      g.add(lo + (hi - lo) * i / (CONTOUR_GRID - 1));
    }
    return g;
  }
}
