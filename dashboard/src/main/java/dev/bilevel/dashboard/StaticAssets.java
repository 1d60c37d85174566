package dev.bilevel.dashboard;

import dev.bilevel.dashboard.plot.HtmlPage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's static files: a fixed list of resources under
 * {@code dev/bilevel/dashboard/static/} and ECharts from its WebJar. Names not in the list are
 * not found, whatever they contain, so no request can reach another class-path resource.
 */
final class StaticAssets {
  private static final String BASE = "/dev/bilevel/dashboard/static/";
  private static final Map<String, String> TYPES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "study.html", "text/html; charset=utf-8",
      "dashboard.css", "text/css; charset=utf-8",
      "common.js", "text/javascript; charset=utf-8",
      "studies.js", "text/javascript; charset=utf-8",
      "study.js", "text/javascript; charset=utf-8",
      "table.js", "text/javascript; charset=utf-8",
      "echarts.min.js", "text/javascript; charset=utf-8");
  private final Map<String, byte[]> cache = new java.util.concurrent.ConcurrentHashMap<>();

  Optional<DashboardServer.Response> get(String name) {
    String type = TYPES.get(name);
    if (type == null) {
      return Optional.empty();
    }
    byte[] body = cache.computeIfAbsent(name, StaticAssets::load);
    return Optional.of(new DashboardServer.Response(200, type, body, 3600));
  }

  private static byte[] load(String name) {
    if (name.equals("echarts.min.js")) {
      return HtmlPage.echarts();
    }
    try (InputStream in = StaticAssets.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("Missing dashboard resource " + BASE + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
