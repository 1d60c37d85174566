/**
 * Study plots: data computed from frozen trials ({@link dev.bilevel.dashboard.plot.StudyPlots}),
 * drawn as PNG/SVG with JFreeChart ({@link dev.bilevel.dashboard.plot.ChartRenderer}) or as
 * Apache ECharts options for the browser ({@link dev.bilevel.dashboard.plot.EchartsOptions},
 * {@link dev.bilevel.dashboard.plot.HtmlPage}).
 */
package dev.bilevel.dashboard.plot;
