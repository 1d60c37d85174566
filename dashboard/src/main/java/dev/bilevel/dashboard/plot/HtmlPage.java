package dev.bilevel.dashboard.plot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a plot as one self-contained HTML page: the ECharts library (from the
 * {@code org.webjars.npm:echarts} WebJar on the class path) and the plot's option inlined, so
 * the file opens offline. Text from the study is HTML-escaped in markup and script-safe in JSON.
 */
public final class HtmlPage {
  /** Class-path location of the ECharts build inside its WebJar. */
  public static final String ECHARTS_RESOURCE =
      "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

  private HtmlPage() {}

  /**
   * Writes the page.
   *
   * @param plot the plot
   * @param width chart width in CSS pixels
   * @param height chart height in CSS pixels
   * @param out where the UTF-8 page goes (not closed)
   * @throws IOException when writing fails
   */
  public static void write(PlotData plot, int width, int height, OutputStream out)
      throws IOException {
    String option = ScriptSafeJson.write(EchartsOptions.option(plot));
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(escape(plot.title())).append("</title>\n<script>");
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    out.write(echarts());
    b.setLength(0);
    b.append("</script></head>\n<body style=\"margin:0;font-family:sans-serif\">")
        .append("<div id=\"chart\" style=\"width:").append(width).append("px;height:")
        .append(height).append("px\"></div>\n<script>echarts.init(document.getElementById(")
        .append("'chart')).setOption(").append(option).append(");</script>\n</body></html>\n");
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The minified ECharts library from its WebJar.
   *
   * @return the JavaScript bytes
   */
  public static byte[] echarts() {
    try (InputStream in = HtmlPage.class.getClassLoader().getResourceAsStream(ECHARTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("ECharts WebJar not on the class path: " + ECHARTS_RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Escapes text for HTML element content and quoted attribute values.
   *
   * @param s any text
   * @return the text with {@code & < > " '} replaced by entities
   */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
