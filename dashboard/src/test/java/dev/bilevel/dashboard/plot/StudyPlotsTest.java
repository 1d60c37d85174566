package dev.bilevel.dashboard.plot;

import static dev.bilevel.dashboard.TestStudies.trial;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.dashboard.plot.PlotData.Point;
import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StudyPlotsTest {
  private static final Map<String, Distribution> D = Map.of(
      "x", FloatDistribution.uniform(0, 10), "y", FloatDistribution.uniform(0, 10),
      "opt", CategoricalDistribution.of("a", "b"));

  /** Numbered as storage would number them. */
  private static List<FrozenTrial> number(List<FrozenTrial> ts) {
    List<FrozenTrial> out = new ArrayList<>();
    for (int i = 0; i < ts.size(); i++) {
      FrozenTrial t = ts.get(i);
      out.add(new FrozenTrial(i, i, t.state(), t.values(), t.datetimeStart(),
          t.datetimeComplete(), t.params(), t.distributions(), t.userAttrs(), t.systemAttrs(),
          t.intermediateValues()));
    }
    return out;
  }

  private static List<FrozenTrial> small() {
    return number(List.of(
        trial(TrialState.COMPLETE, List.of(3.0), Map.of("x", 1.0, "opt", "b"), D,
            Map.of(0, 5.0, 1, Double.NaN, 2, 4.0), 0),
        trial(TrialState.COMPLETE, List.of(1.0), Map.of("x", 2.0, "opt", "a"), D, null, 10),
        trial(TrialState.PRUNED, List.of(), Map.of("x", 5.0, "opt", "a"), D, Map.of(0, 9.0), 20),
        trial(TrialState.COMPLETE, List.of(2.0), Map.of("x", 3.0, "opt", "a"), D, null, 30),
        trial(TrialState.FAIL, List.of(), Map.of("x", 4.0, "opt", "a"), D, null, 40),
        trial(TrialState.COMPLETE, List.of(Double.POSITIVE_INFINITY), Map.of("x", 6.0, "opt", "b"),
            D, null, 50)));
  }

  private static List<double[]> xy(PlotData.Series s) {
    return s.points().stream().map(p -> new double[] {p.x(), p.y(), p.trial()}).toList();
  }

  @Test
  void historyKeepsFiniteCompleteValuesAndTheBestSoFar() {
    PlotData.XyPlot min = StudyPlots.history(small(), StudyDirection.MINIMIZE, 0);
    assertThat(xy(min.series().get(0))).containsExactly(
        new double[] {0, 3, 0}, new double[] {1, 1, 1}, new double[] {3, 2, 3});
    assertThat(xy(min.series().get(1))).containsExactly(
        new double[] {0, 3, 0}, new double[] {1, 1, 1}, new double[] {3, 1, 3});
    PlotData.XyPlot max = StudyPlots.history(small(), StudyDirection.MAXIMIZE, 0);
    assertThat(max.series().get(1).points()).extracting(Point::y).containsExactly(3.0, 3.0, 3.0);
  }

  @Test
  void intermediateDropsNonFiniteValues() {
    PlotData.XyPlot p = StudyPlots.intermediate(small());
    assertThat(p.series()).extracting(PlotData.Series::name).containsExactly("Trial 0", "Trial 2");
    assertThat(xy(p.series().get(0))).containsExactly(new double[] {0, 5, 0}, new double[] {2, 4, 0});
  }

  @Test
  void edfIsTheEmpiricalCumulativeFraction() {
    PlotData.XyPlot p = StudyPlots.edf(small(), 0);
    assertThat(xy(p.series().get(0))).containsExactly(
        new double[] {1, 1.0 / 3, 1}, new double[] {2, 2.0 / 3, 3}, new double[] {3, 1, 0});
  }

  @Test
  void sliceUsesTheParameterAndCategoriesAsIndices() {
    PlotData.XyPlot p = StudyPlots.slice(small(), "x", 0);
    assertThat(xy(p.series().get(0))).containsExactly(
        new double[] {1, 3, 0}, new double[] {2, 1, 1}, new double[] {3, 2, 3});
    PlotData.XyPlot c = StudyPlots.slice(small(), "opt", 0);
    assertThat(c.xCategories()).containsExactly("a", "b");
    assertThat(c.series().get(0).points()).extracting(Point::x).containsExactly(1.0, 0.0, 0.0);
  }

  @Test
  void parallelHasTheObjectiveThenSortedParameters() {
    PlotData.ParallelPlot p = StudyPlots.parallel(small(), 0);
    assertThat(p.axes()).extracting(PlotData.Axis::name).containsExactly("Objective value", "opt", "x");
    assertThat(p.axes().get(1).categories()).containsExactly("a", "b");
    assertThat(p.lines()).extracting(PlotData.Line::values).containsExactly(
        List.of(3.0, 1.0, 1.0), List.of(1.0, 0.0, 2.0), List.of(2.0, 0.0, 3.0));
  }

  @Test
  void contourIsExactAtTrialsAndTheMeanHalfway() {
    List<FrozenTrial> ts = number(List.of(
        trial(TrialState.COMPLETE, List.of(1.0), Map.of("x", 0.0, "y", 0.0), D, null, 0),
        trial(TrialState.COMPLETE, List.of(3.0), Map.of("x", 1.0, "y", 1.0), D, null, 1)));
    PlotData.ContourPlot p = StudyPlots.contour(ts, "x", "y", 0);
    int n = StudyPlots.CONTOUR_GRID;
    assertThat(p.xs()).hasSize(n);
    assertThat(p.xs().get(0)).isEqualTo(0.0);
    assertThat(p.xs().get(n - 1)).isEqualTo(1.0);
    assertThat(p.z().get(0).get(0)).isEqualTo(1.0);
    assertThat(p.z().get(n - 1).get(n - 1)).isEqualTo(3.0);
    assertThat(p.z().get(12).get(12)).isCloseTo(2.0, within(1e-12));
    assertThat(p.z().get(0).get(n - 1)).isCloseTo(2.0, within(1e-12));
    assertThat(p.points()).hasSize(2);
  }

  @Test
  void paretoFrontOfTwoMinimizedObjectives() {
    Map<String, Distribution> dx = Map.of("x", FloatDistribution.uniform(0, 10));
    List<FrozenTrial> ts = number(List.of(
        trial(TrialState.COMPLETE, List.of(1.0, 4.0), Map.of("x", 1.0), dx, null, 0),
        trial(TrialState.COMPLETE, List.of(2.0, 2.0), Map.of("x", 1.0), dx, null, 1),
        trial(TrialState.COMPLETE, List.of(3.0, 3.0), Map.of("x", 1.0), dx, null, 2),
        trial(TrialState.COMPLETE, List.of(4.0, 1.0), Map.of("x", 1.0), dx, null, 3),
        trial(TrialState.PRUNED, List.of(), Map.of("x", 1.0), dx, null, 4)));
    List<StudyDirection> minMin = List.of(StudyDirection.MINIMIZE, StudyDirection.MINIMIZE);
    PlotData.XyPlot p = StudyPlots.pareto(ts, minMin);
    assertThat(p.series().get(0).points()).extracting(Point::trial).containsExactly(0, 1, 3);
    assertThat(p.series().get(1).points()).extracting(Point::trial).containsExactly(2);
    List<StudyDirection> minMax = List.of(StudyDirection.MINIMIZE, StudyDirection.MAXIMIZE);
    PlotData.XyPlot q = StudyPlots.pareto(ts, minMax);
    assertThat(q.series().get(0).points()).extracting(Point::trial).containsExactly(0);
    assertThatThrownBy(() -> StudyPlots.pareto(ts, List.of(StudyDirection.MINIMIZE)))
        .hasMessageContaining("2 objectives");
  }

  @Test
  void timelineSpansStartToCompleteOrNow() {
    List<FrozenTrial> ts = new ArrayList<>(small());
    Instant start = Instant.parse("2026-01-01T00:01:00Z");
    ts.add(new FrozenTrial(6, 6, TrialState.RUNNING, List.of(), start, null, Map.of(), Map.of(),
        Map.of(), Map.of(), null));
    ts.add(new FrozenTrial(7, 7, TrialState.WAITING, List.of(), null, null, Map.of(), Map.of(),
        Map.of(), Map.of(), null));
    Instant now = start.plusSeconds(7);
    PlotData.TimelinePlot p = StudyPlots.timeline(ts, now);
    assertThat(p.bars()).hasSize(7);
    PlotData.Bar first = p.bars().get(0);
    assertThat(first.endMillis() - first.startMillis()).isEqualTo(1500);
    PlotData.Bar running = p.bars().get(6);
    assertThat(running.state()).isEqualTo(TrialState.RUNNING);
    assertThat(running.endMillis() - running.startMillis()).isEqualTo(7000);
  }

  @Test
  void importanceRanksTheParameterTheObjectiveDependsOn() {
    Random r = new Random(3);
    List<FrozenTrial> ts = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      double x = 10 * r.nextDouble();
      double y = 10 * r.nextDouble();
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("x", x);
      p.put("y", y);
      ts.add(trial(TrialState.COMPLETE, List.of((x - 5) * (x - 5)), p, D, null, i));
    }
    PlotData.BarPlot b = StudyPlots.importance(number(ts), 0);
    assertThat(b.labels()).containsExactly("x", "y");
    assertThat(b.values().get(0)).isGreaterThan(0.9);
    assertThat(StudyPlots.importance(small().subList(0, 1), 0).labels()).isEmpty();
  }

  @Test
  void ofChecksWhatTheStudyCanPlot() {
    List<StudyDirection> one = List.of(StudyDirection.MINIMIZE);
    assertThat(StudyPlots.of(PlotKind.SLICE, small(), one, List.of("opt"), 0).title())
        .isEqualTo("Slice: opt");
    assertThatThrownBy(() -> StudyPlots.of(PlotKind.CONTOUR, small(), one, List.of("x"), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StudyPlots.of(PlotKind.PARETO, small(), one, List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PlotKind.parse("edf")).isEqualTo(PlotKind.EDF);
    assertThatThrownBy(() -> PlotKind.parse("pie")).hasMessageContaining("history");
  }
}
