package dev.bilevel.dashboard.plot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Locale;

/**
 * Turns {@link PlotData} into an Apache ECharts 5 option object, shared by the dashboard and the
 * self-contained HTML export. Tooltips use ECharts' {@code richText} mode (drawn on the canvas,
 * never parsed as HTML), so names read from a database cannot inject markup.
 */
public final class EchartsOptions {
  private static final int LARGE = 2000;

  private EchartsOptions() {}

  /**
   * Builds the option for a plot.
   *
   * @param plot the plot
   * @return an ECharts option, ready for {@code chart.setOption}
   */
  public static ObjectNode option(PlotData plot) {
    ObjectNode o = ScriptSafeJson.mapper().createObjectNode();
    o.put("animation", false);
    ArrayNode palette = o.putArray("color");
    for (int i = 0; i < 7; i++) {
      palette.add(String.format(Locale.ROOT, "#%06x", ChartRenderer.color(i).getRGB() & 0xffffff));
    }
    o.putObject("title").put("text", plot.title()).put("left", "center")
        .putObject("textStyle").put("fontSize", 14);
    o.putObject("tooltip").put("renderMode", "richText").put("confine", true);
    o.putObject("grid").put("left", 64).put("right", 40).put("top", 48).put("bottom", 48)
        .put("containLabel", false);
    if (plot instanceof XyPlot p) {
      xy(o, p);
    } else if (plot instanceof BarPlot p) {
      bars(o, p);
    } else if (plot instanceof ParallelPlot p) {
      parallel(o, p);
    } else if (plot instanceof ContourPlot p) {
      contour(o, p);
    } else {
      timeline(o, (TimelinePlot) plot);
    }
    return o;
  }

  private static void xy(ObjectNode o, XyPlot p) {
    ObjectNode x = o.putObject("xAxis").put("name", p.xLabel()).put("nameLocation", "middle")
        .put("nameGap", 28).put("scale", true);
    if (!p.xCategories().isEmpty()) {
      x.put("type", "category").put("boundaryGap", true);
      ArrayNode d = x.putArray("data");
      p.xCategories().forEach(d::add);
    } else {
      x.put("type", p.xLog() ? "log" : "value");
    }
    o.putObject("yAxis").put("type", "value").put("scale", true).put("name", p.yLabel());
    boolean legend = p.series().size() <= 12;
    if (legend) {
      o.putObject("legend").put("top", 24).put("type", "scroll");
      o.with("grid").put("top", 64);
    }
    o.putArray("dataZoom").addObject().put("type", "inside");
    ArrayNode series = o.putArray("series");
    for (Series s : p.series()) {
      ObjectNode n = series.addObject().put("name", s.name());
      if (s.style() == Style.SCATTER) {
        n.put("type", "scatter").put("symbolSize", 5);
        if (s.points().size() > LARGE) {
          n.put("large", true);
        }
      } else {
        n.put("type", "line").put("showSymbol", false);
        if (s.style() == Style.STEP) {
          n.put("step", "end");
        }
      }
      ArrayNode data = n.putArray("data");
      for (Point pt : s.points()) {
        data.addArray().add(pt.x()).add(pt.y()).add(pt.trial());
      }
    }
  }

  private static void bars(ObjectNode o, BarPlot p) {
    o.putObject("xAxis").put("type", "value").put("name", p.valueLabel())
        .put("nameLocation", "middle").put("nameGap", 28);
    ArrayNode cats = o.putObject("yAxis").put("type", "category").put("inverse", true)
        .putArray("data");
    p.labels().forEach(cats::add);
    o.with("grid").put("left", 120);
    ArrayNode data = o.putArray("series").addObject().put("type", "bar")
        .put("name", p.valueLabel()).putArray("data");
    p.values().forEach(data::add);
  }

  private static void parallel(ObjectNode o, ParallelPlot p) {
    o.remove("grid");
    o.putObject("parallel").put("left", 64).put("right", 80).put("top", 64).put("bottom", 40);
    ArrayNode axes = o.putArray("parallelAxis");
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Line l : p.lines()) {
      lo = Math.min(lo, l.values().get(0));
      hi = Math.max(hi, l.values().get(0));
    }
    for (int i = 0; i < p.axes().size(); i++) {
      Axis a = p.axes().get(i);
      ObjectNode n = axes.addObject().put("dim", i).put("name", a.name());
      if (!a.categories().isEmpty()) {
        n.put("type", "category");
        ArrayNode d = n.putArray("data");
        a.categories().forEach(d::add);
      } else {
        n.put("type", a.log() ? "log" : "value").put("scale", true);
      }
    }
    if (!p.lines().isEmpty()) {
      o.putObject("visualMap").put("type", "continuous").put("dimension", 0).put("min", lo)
          .put("max", hi > lo ? hi : lo + 1).put("right", 0).put("top", "middle")
          .put("calculable", true).putObject("inRange").putArray("color")
          .add("#2f6fdf").add("#e8684a");
    }
    ObjectNode s = o.putArray("series").addObject().put("type", "parallel")
        .put("name", "Trials").put("progressive", 500);
    s.putObject("lineStyle").put("width", 1).put("opacity", 0.45);
    ArrayNode data = s.putArray("data");
    for (Line l : p.lines()) {
      ArrayNode row = data.addArray();
      for (int i = 0; i < l.values().size(); i++) {
        double v = l.values().get(i);
        if (!p.axes().get(i).categories().isEmpty()) {
          row.add((int) Math.round(v));
        } else {
          row.add(v);
        }
      }
    }
  }

  private static void contour(ObjectNode o, ContourPlot p) {
    ArrayNode xd = o.putObject("xAxis").put("type", "category").put("name", p.xLabel())
        .put("nameLocation", "middle").put("nameGap", 28).putArray("data");
    p.xs().forEach(v -> xd.add(fmt(v)));
    ArrayNode yd = o.putObject("yAxis").put("type", "category").put("name", p.yLabel())
        .putArray("data");
    p.ys().forEach(v -> yd.add(fmt(v)));
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    ObjectNode s = o.putArray("series").addObject().put("type", "heatmap")
        .put("name", "Objective value");
    ArrayNode data = s.putArray("data");
    for (int j = 0; j < p.ys().size(); j++) {
      for (int i = 0; i < p.xs().size(); i++) {
        double z = p.z().get(j).get(i);
        lo = Math.min(lo, z);
        hi = Math.max(hi, z);
        data.addArray().add(i).add(j).add(z);
      }
    }
    if (data.isEmpty()) {
      return;
    }
    o.with("grid").put("right", 90);
    o.putObject("visualMap").put("type", "continuous").put("min", lo)
        .put("max", hi > lo ? hi : lo + 1).put("right", 0).put("top", "middle")
        .put("calculable", true).putObject("inRange").putArray("color")
        .add("#2f6fdf").add("#f7f8fa").add("#e8684a");
  }

  private static void timeline(ObjectNode o, TimelinePlot p) {
    long t0 = p.bars().stream().mapToLong(Bar::startMillis).min().orElse(0);
    o.putObject("xAxis").put("type", "value").put("name", "Seconds since first start")
        .put("nameLocation", "middle").put("nameGap", 28);
    ArrayNode cats = o.putObject("yAxis").put("type", "category").put("name", "Trial")
        .putArray("data");
    p.bars().forEach(b -> cats.add(Integer.toString(b.trial())));
    o.putArray("dataZoom").addObject().put("type", "inside").put("yAxisIndex", 0);
    ArrayNode series = o.putArray("series");
    ObjectNode base = series.addObject().put("type", "bar").put("name", "start")
        .put("stack", "t").put("silent", true);
    base.putObject("itemStyle").put("color", "transparent");
    ArrayNode bd = base.putArray("data");
    ObjectNode span = series.addObject().put("type", "bar").put("name", "Duration (s)")
        .put("stack", "t");
    ArrayNode sd = span.putArray("data");
    for (Bar b : p.bars()) {
      bd.add((b.startMillis() - t0) / 1000.0);
      ObjectNode item = sd.addObject().put("value", (b.endMillis() - b.startMillis()) / 1000.0)
          .put("name", b.state().name());
      java.awt.Color c = ChartRenderer.stateColor(b.state());
      item.putObject("itemStyle").put("color", String.format(Locale.ROOT, "#%06x",
          c.getRGB() & 0xffffff));
    }
    if (p.bars().size() > LARGE) {
      base.put("large", true);
      span.put("large", true);
    }
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
