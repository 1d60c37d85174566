package dev.bilevel.dashboard.plot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.dashboard.TestStudies;
import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.storage.InMemoryStorage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class RenderersTest {
  private static final List<FrozenTrial> TRIALS = studyTrials();
  private static final List<FrozenTrial> MO = twoObjectiveTrials();

  private static List<FrozenTrial> studyTrials() {
    InMemoryStorage s = new InMemoryStorage();
    long id = TestStudies.populate(s, "render", 60, 1);
    return s.getAllTrials(id, null);
  }

  private static List<FrozenTrial> twoObjectiveTrials() {
    InMemoryStorage s = new InMemoryStorage();
    long id = s.createNewStudy(List.of(StudyDirection.MINIMIZE, StudyDirection.MINIMIZE), "mo");
    Map<String, Distribution> d = Map.of("x", FloatDistribution.uniform(0, 1));
    for (int i = 0; i < 30; i++) {
      double x = i / 29.0;
      s.createNewTrial(id, TestStudies.trial(TrialState.COMPLETE, List.of(x, (1 - x) * (1 - x) + 0.1 * (i % 3)),
          Map.of("x", x), d, null, i));
    }
    return s.getAllTrials(id, null);
  }

  private static PlotData plot(PlotKind kind) {
    if (kind == PlotKind.PARETO) {
      return StudyPlots.of(kind, MO, List.of(StudyDirection.MINIMIZE, StudyDirection.MINIMIZE),
          List.of(), 0);
    }
    return StudyPlots.of(kind, TRIALS, List.of(StudyDirection.MINIMIZE), List.of(), 0);
  }

  @ParameterizedTest
  @EnumSource(PlotKind.class)
  void pngDecodesAtTheAskedSizeWithAPicture(PlotKind kind) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ChartRenderer.writePng(plot(kind), 640, 400, out);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
    assertThat(img.getWidth()).isEqualTo(640);
    assertThat(img.getHeight()).isEqualTo(400);
    Set<Integer> colors = new HashSet<>();
    for (int y = 0; y < 400; y += 3) {
      for (int x = 0; x < 640; x += 3) {
        colors.add(img.getRGB(x, y));
      }
    }
    assertThat(colors.size()).as("distinct colours").isGreaterThan(8);
  }

  @ParameterizedTest
  @EnumSource(PlotKind.class)
  void svgParsesAsXmlWithDrawing(PlotKind kind) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ChartRenderer.writeSvg(plot(kind), 800, 500, out);
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc = f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(out.toByteArray()));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(doc.getElementsByTagName("path").getLength()
        + doc.getElementsByTagName("rect").getLength()
        + doc.getElementsByTagName("ellipse").getLength()).isGreaterThan(5);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(plot(kind).title());
  }

  @Test
  void svgHistoryContainsBothSeries() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ChartRenderer.writeSvg(plot(PlotKind.HISTORY), 800, 500, out);
    String svg = out.toString(StandardCharsets.UTF_8);
    assertThat(svg).contains("Objective value").contains("Best value");
  }

  @ParameterizedTest
  @EnumSource(PlotKind.class)
  void htmlIsSelfContained(PlotKind kind) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HtmlPage.write(plot(kind), 800, 500, out);
    String html = out.toString(StandardCharsets.UTF_8);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("echarts.init(")
        .contains("\"series\"").doesNotContain("src=\"http");
    assertThat(html.length()).isGreaterThan(HtmlPage.echarts().length);
  }

  @Test
  void htmlEscapesHostileNames() throws IOException {
    String evil = "</script><img src=x onerror=alert(1)>";
    Map<String, Distribution> d = Map.of(evil, FloatDistribution.uniform(0, 1));
    List<FrozenTrial> ts = List.of(
        TestStudies.trial(TrialState.COMPLETE, List.of(1.0), Map.of(evil, 0.5), d, null, 0),
        TestStudies.trial(TrialState.COMPLETE, List.of(2.0), Map.of(evil, 0.7), d, null, 1));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HtmlPage.write(StudyPlots.slice(ts, evil, 0), 800, 500, out);
    String html = out.toString(StandardCharsets.UTF_8);
    String head = html.substring(0, html.indexOf("<script>"));
    String page = html.substring(html.indexOf("</script></head>"));
    assertThat(head + page).doesNotContain(evil).doesNotContain("<img");
    assertThat(head).contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
    assertThat(page).contains("\\u003C/script\\u003E");
    assertThat(ScriptSafeJson.write(evil)).isEqualTo(
        "\"\\u003C/script\\u003E\\u003Cimg src=x onerror=alert(1)\\u003E\"");
  }
}
