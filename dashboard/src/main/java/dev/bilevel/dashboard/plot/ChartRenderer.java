package dev.bilevel.dashboard.plot;

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
import dev.bilevel.hpo.TrialState;
import java.awt.Color;
import java.awt.Paint;
import java.awt.Rectangle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * Draws {@link PlotData} with JFreeChart and writes it as PNG or SVG (JFreeSVG).
 *
 * <p>Example: {@code ChartRenderer.writePng(StudyPlots.edf(trials, 0), 800, 600, out)}.
 */
public final class ChartRenderer {
  private static final int MAX_LEGEND = 12;

  private ChartRenderer() {}

  /**
   * Writes a plot as a PNG image.
   *
   * @param plot the plot
   * @param width width in pixels
   * @param height height in pixels
   * @param out where the PNG goes (not closed)
   * @throws IOException when writing fails
   */
  public static void writePng(PlotData plot, int width, int height, OutputStream out)
      throws IOException {
    ChartUtils.writeChartAsPNG(out, chart(plot), width, height);
  }

  /**
   * Writes a plot as an SVG document.
   *
   * @param plot the plot
   * @param width width in SVG user units
   * @param height height in SVG user units
   * @param out where the UTF-8 SVG goes (not closed)
   * @throws IOException when writing fails
   */
  public static void writeSvg(PlotData plot, int width, int height, OutputStream out)
      throws IOException {
    SVGGraphics2D g = new SVGGraphics2D(width, height);
    chart(plot).draw(g, new Rectangle(0, 0, width, height));
    out.write(g.getSVGDocument().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Builds the JFreeChart chart of a plot.
   *
   * @param plot the plot
   * @return the chart
   */
  public static JFreeChart chart(PlotData plot) {
    if (plot instanceof XyPlot p) {
      return xy(p);
    } else if (plot instanceof BarPlot p) {
      return bars(p);
    } else if (plot instanceof ParallelPlot p) {
      return parallel(p);
    } else if (plot instanceof ContourPlot p) {
      return contour(p);
    }
    return timeline((TimelinePlot) plot);
  }

  private static JFreeChart xy(XyPlot p) {
    ValueAxis x;
    if (!p.xCategories().isEmpty()) {
      x = new SymbolAxis(p.xLabel(), p.xCategories().toArray(new String[0]));
    } else if (p.xLog()) {
      x = new LogAxis(p.xLabel());
    } else {
      x = new NumberAxis(p.xLabel());
      ((NumberAxis) x).setAutoRangeIncludesZero(false);
    }
    NumberAxis y = new NumberAxis(p.yLabel());
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(x);
    plot.setRangeAxis(y);
    for (int i = 0; i < p.series().size(); i++) {
      Series s = p.series().get(i);
      XYSeries xs = new XYSeries(s.name(), false, true);
      for (Point pt : s.points()) {
        xs.add(pt.x(), pt.y());
      }
      plot.setDataset(i, new XYSeriesCollection(xs));
      XYLineAndShapeRenderer r = s.style() == Style.STEP ? new XYStepRenderer()
          : new XYLineAndShapeRenderer(s.style() == Style.LINE, s.style() == Style.SCATTER);
      r.setSeriesPaint(0, color(i));
      r.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
      r.setSeriesVisibleInLegend(0, p.series().size() <= MAX_LEGEND);
      plot.setRenderer(i, r);
    }
    return finish(new JFreeChart(p.title(), JFreeChart.DEFAULT_TITLE_FONT, plot,
        p.series().size() <= MAX_LEGEND));
  }

  private static JFreeChart bars(BarPlot p) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (int i = 0; i < p.labels().size(); i++) {
      data.addValue(p.values().get(i), p.valueLabel(), p.labels().get(i));
    }
    CategoryPlot plot = new CategoryPlot(data, new CategoryAxis("Parameter"),
        new NumberAxis(p.valueLabel()), new BarRenderer());
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.getRenderer().setSeriesPaint(0, color(0));
    return finish(new JFreeChart(p.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, true));
  }

  /** Axes at x = 0, 1, …; each axis's values scaled to [0, 1] (log10 first when logarithmic). */
  private static JFreeChart parallel(ParallelPlot p) {
    int na = p.axes().size();
    double[] lo = new double[na];
    double[] hi = new double[na];
    java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (Line l : p.lines()) {
      for (int a = 0; a < na; a++) {
        double v = scaled(p, a, l.values().get(a));
        lo[a] = Math.min(lo[a], v);
        hi[a] = Math.max(hi[a], v);
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    for (Line l : p.lines()) {
      XYSeries s = new XYSeries("Trial " + l.trial(), false, true);
      for (int a = 0; a < na; a++) {
        double v = scaled(p, a, l.values().get(a));
        s.add(a, hi[a] > lo[a] ? (v - lo[a]) / (hi[a] - lo[a]) : 0.5);
      }
      data.addSeries(s);
    }
    String[] names = p.axes().stream().map(PlotData.Axis::name).toArray(String[]::new);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    double[] obj = p.lines().stream().mapToDouble(l -> l.values().get(0)).toArray();
    for (int i = 0; i < obj.length; i++) {
      double t = hi[0] > lo[0] ? (obj[i] - lo[0]) / (hi[0] - lo[0]) : 0.5;
      r.setSeriesPaint(i, ramp(t));
    }
    XYPlot plot = new XYPlot(data, new SymbolAxis("", names), new NumberAxis("Scaled value"), r);
    return finish(new JFreeChart(p.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, false));
  }

  private static double scaled(ParallelPlot p, int axis, double v) {
    return p.axes().get(axis).log() ? Math.log10(v) : v;
  }

  private static JFreeChart contour(ContourPlot p) {
    int nx = p.xs().size();
    int ny = p.ys().size();
    double[][] xyz = new double[3][nx * ny];
    double zlo = Double.POSITIVE_INFINITY;
    double zhi = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < ny; j++) {
      for (int i = 0; i < nx; i++) {
        int k = j * nx + i;
        xyz[0][k] = p.xs().get(i);
        xyz[1][k] = p.ys().get(j);
        xyz[2][k] = p.z().get(j).get(i);
        zlo = Math.min(zlo, xyz[2][k]);
        zhi = Math.max(zhi, xyz[2][k]);
      }
    }
    DefaultXYZDataset grid = new DefaultXYZDataset();
    grid.addSeries("Objective value", xyz);
    XYBlockRenderer block = new XYBlockRenderer();
    if (nx > 1) {
      block.setBlockWidth(p.xs().get(1) - p.xs().get(0));
    }
    if (ny > 1) {
      block.setBlockHeight(p.ys().get(1) - p.ys().get(0));
    }
    Ramp scale = new Ramp(zlo, zhi > zlo ? zhi : zlo + 1);
    block.setPaintScale(scale);
    NumberAxis x = new NumberAxis(p.xLabel());
    NumberAxis y = new NumberAxis(p.yLabel());
    x.setAutoRangeIncludesZero(false);
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(grid, x, y, block);
    XYSeries trials = new XYSeries("Trials", false, true);
    for (Point pt : p.points()) {
      trials.add(pt.x(), pt.y());
    }
    plot.setDataset(1, new XYSeriesCollection(trials));
    XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
    dots.setSeriesPaint(0, Color.BLACK);
    dots.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-2, -2, 4, 4));
    plot.setRenderer(1, dots);
    plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
    JFreeChart chart = new JFreeChart(p.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    PaintScaleLegend legend = new PaintScaleLegend(scale, new NumberAxis("Objective value"));
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(4, 4, 4, 4);
    chart.addSubtitle(legend);
    return finish(chart);
  }

  private static JFreeChart timeline(TimelinePlot p) {
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    List<TrialState> states = new ArrayList<>();
    for (TrialState s : TrialState.values()) {
      XYIntervalSeries series = new XYIntervalSeries(s.name());
      for (Bar b : p.bars()) {
        if (b.state() == s) {
          series.add(b.trial(), b.trial() - 0.4, b.trial() + 0.4,
              b.startMillis(), b.startMillis(), b.endMillis());
        }
      }
      if (!series.isEmpty()) {
        data.addSeries(series);
        states.add(s);
      }
    }
    XYBarRenderer r = new XYBarRenderer();
    r.setUseYInterval(true);
    r.setShadowVisible(false);
    r.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
    for (int i = 0; i < states.size(); i++) {
      r.setSeriesPaint(i, stateColor(states.get(i)));
    }
    NumberAxis trial = new NumberAxis("Trial");
    trial.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, trial, new DateAxis("Time"), r);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    return finish(new JFreeChart(p.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, true));
  }

  private static JFreeChart finish(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(new Color(0xf7f8fa));
    return chart;
  }

  /** The palette shared with the ECharts pages. */
  static Color color(int i) {
    int[] rgb = {0x2f6fdf, 0xe8684a, 0x5ab46e, 0xf6bd16, 0x9270ca, 0x269a99, 0xff99c3};
    return new Color(rgb[Math.floorMod(i, rgb.length)]);
  }

  static Color stateColor(TrialState s) {
    return switch (s) {
      case COMPLETE -> new Color(0x2f6fdf);
      case PRUNED -> new Color(0xf6bd16);
      case FAIL -> new Color(0xe8684a);
      case RUNNING -> new Color(0x5ab46e);
      case WAITING -> new Color(0x999999);
    };
  }

  private static Color ramp(double t) {
    double u = Math.max(0, Math.min(1, t));
    return new Color((int) (0x2f + u * (0xe8 - 0x2f)), (int) (0x6f + u * (0x68 - 0x6f)),
        (int) (0xdf + u * (0x4a - 0xdf)));
  }

  /** A blue-to-red paint scale for contour grids. */
  private record Ramp(double lo, double hi) implements PaintScale {
    @Override
    public double getLowerBound() {
      return lo;
    }

    @Override
    public double getUpperBound() {
      return hi;
    }

    @Override
    public Paint getPaint(double value) {
      return ramp((value - lo) / (hi - lo));
    }
  }
}
