package dev.bilevel.dashboard.plot;

import dev.bilevel.hpo.TrialState;
import java.util.List;

/**
 * The numbers behind one plot, computed from frozen trials by {@link StudyPlots} and drawn by
 * {@link ChartRenderer} (PNG, SVG) or {@link EchartsOptions} (browser). A closed set of shapes.
 */
public sealed interface PlotData {

  /**
   * The plot's title.
   *
   * @return a human-readable title
   */
  String title();

  /** How a series of an {@link XyPlot} is drawn. */
  enum Style {
    /** Markers only. */
    SCATTER,
    /** Markers joined by straight lines. */
    LINE,
    /** A staircase that holds each y until the next x. */
    STEP
  }

  /**
   * One point of a series.
   *
   * @param x abscissa (a category index when the plot has x categories)
   * @param y ordinate
   * @param trial the trial number it comes from, or -1
   */
  record Point(double x, double y, int trial) {}

  /**
   * A named series of points.
   *
   * @param name legend name
   * @param style how it is drawn
   * @param points the points, in drawing order
   */
  record Series(String name, Style style, List<Point> points) {
    /** Copies the points. */
    public Series {
      points = List.copyOf(points);
    }
  }

  /**
   * Series over two numeric axes (history, intermediate values, slice, EDF, Pareto front).
   *
   * @param title title
   * @param xLabel x-axis label
   * @param yLabel y-axis label
   * @param xLog whether the x axis is logarithmic
   * @param xCategories category labels when x is categorical (x = index), else empty
   * @param series the series
   */
  record XyPlot(
      String title,
      String xLabel,
      String yLabel,
      boolean xLog,
      List<String> xCategories,
      List<Series> series)
      implements PlotData {
    /** Copies the lists. */
    public XyPlot {
      xCategories = List.copyOf(xCategories);
      series = List.copyOf(series);
    }
  }

  /**
   * Labelled bars (parameter importance), largest first.
   *
   * @param title title
   * @param valueLabel label of the value axis
   * @param labels bar labels
   * @param values bar lengths, same order
   */
  record BarPlot(String title, String valueLabel, List<String> labels, List<Double> values)
      implements PlotData {
    /** Copies the lists and checks they match. */
    public BarPlot {
      labels = List.copyOf(labels);
      values = List.copyOf(values);
      if (labels.size() != values.size()) {
        throw new IllegalArgumentException(
            labels.size() + " labels but " + values.size() + " values");
      }
    }
  }

  /**
   * One axis of a parallel-coordinates plot.
   *
   * @param name axis name (the objective or a parameter)
   * @param log whether the axis is logarithmic
   * @param categories category labels when categorical (values are indices), else empty
   */
  record Axis(String name, boolean log, List<String> categories) {
    /** Copies the categories. */
    public Axis {
      categories = List.copyOf(categories);
    }
  }

  /**
   * A polyline across the axes of a parallel-coordinates plot.
   *
   * @param trial trial number
   * @param values one value per axis, same order as the axes
   */
  record Line(int trial, List<Double> values) {
    /** Copies the values. */
    public Line {
      values = List.copyOf(values);
    }
  }

  /**
   * Parallel coordinates: the first axis is the objective.
   *
   * @param title title
   * @param axes the axes
   * @param lines one line per trial
   */
  record ParallelPlot(String title, List<Axis> axes, List<Line> lines) implements PlotData {
    /** Copies the lists. */
    public ParallelPlot {
      axes = List.copyOf(axes);
      lines = List.copyOf(lines);
    }
  }

  /**
   * Objective over two parameters: a grid interpolated from the trials, and the trials.
   *
   * <p>Coordinates are in plotting space: log10 of the value for log parameters, the category
   * index for categorical ones.
   *
   * @param title title
   * @param xLabel x parameter (with {@code log10} when logarithmic)
   * @param yLabel y parameter
   * @param xs grid abscissae, increasing
   * @param ys grid ordinates, increasing
   * @param z {@code z[j][i]} is the value at {@code (xs[i], ys[j])}
   * @param points the trials, in plotting space
   */
  record ContourPlot(
      String title,
      String xLabel,
      String yLabel,
      List<Double> xs,
      List<Double> ys,
      List<List<Double>> z,
      List<Point> points)
      implements PlotData {
    /** Copies the lists. */
    public ContourPlot {
      xs = List.copyOf(xs);
      ys = List.copyOf(ys);
      z = z.stream().map(List::copyOf).toList();
      points = List.copyOf(points);
    }
  }

  /**
   * A trial's time span.
   *
   * @param trial trial number
   * @param state its state
   * @param startMillis start, epoch milliseconds
   * @param endMillis end (or the time of the plot for a running trial), epoch milliseconds
   */
  record Bar(int trial, TrialState state, long startMillis, long endMillis) {}

  /**
   * Trials on a time axis.
   *
   * @param title title
   * @param bars one bar per started trial, by trial number
   */
  record TimelinePlot(String title, List<Bar> bars) implements PlotData {
    /** Copies the bars. */
    public TimelinePlot {
      bars = List.copyOf(bars);
    }
  }
}
