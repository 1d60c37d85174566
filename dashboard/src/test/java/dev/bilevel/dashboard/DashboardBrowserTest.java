package dev.bilevel.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.storage.InMemoryStorage;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in headless Chromium: plots render, the table sorts, live updates arrive. */
@Tag("browser")
class DashboardBrowserTest {
  static final Path SCREENSHOTS = Path.of("target/screenshots");
  /** Opaque pixels drawn on the chart canvas: axes, labels and marks. */
  static final String CANVAS_INK = "const c = document.querySelector('#plot canvas');"
      + "if (!c || c.width === 0) return 0;"
      + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
      + "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;";
  static final String SERIES_TYPE = "const i = echarts.getInstanceByDom(document.getElementById('plot'));"
      + "const o = i && i.getOption(); return o && o.series.length ? o.series[o.series.length - 1].type : null;";

  private static InMemoryStorage storage;
  private static DashboardServer server;
  private static BrowserSession browser;
  private static long studyId;
  private static long evilId;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(SCREENSHOTS);
    storage = new InMemoryStorage();
    studyId = TestStudies.populate(storage, "browser-1000", 1000, 11);
    String evil = "<img src=x onerror=\"window.__xss=1\">";
    evilId = storage.createNewStudy(List.of(StudyDirection.MINIMIZE), evil);
    Map<String, Distribution> d = Map.of(evil, FloatDistribution.uniform(0, 1));
    for (int i = 0; i < 3; i++) {
      storage.createNewTrial(evilId, TestStudies.trial(TrialState.COMPLETE, List.of(1.0 + i),
          Map.of(evil, 0.2 * i), d, null, i));
    }
    server = DashboardServer.start(storage, "127.0.0.1", 0);
    browser = new BrowserSession(1400, 1000);
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  private static void open(String url) {
    browser.driver.get(url);
    new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(
        d -> "1".equals(browser.driver.executeScript("return document.body.dataset.ready")));
  }

  private static long ink() {
    return ((Number) browser.driver.executeScript(CANVAS_INK)).longValue();
  }

  private static void screenshot(String name) throws IOException {
    Files.copy(browser.driver.getScreenshotAs(OutputType.FILE).toPath(),
        SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static List<Integer> visibleNumbers() {
    return browser.driver.findElements(By.cssSelector("#trials tbody tr")).stream()
        .map(r -> Integer.parseInt(r.getAttribute("data-number"))).toList();
  }

  @Test
  void studyPageRendersPlotsSortsAndUpdatesLive() throws Exception {
    open(server.uri() + "studies/" + studyId + "?poll=300");
    var wait = new WebDriverWait(browser.driver, Duration.ofSeconds(15));
    assertThat(browser.driver.findElement(By.id("study-name")).getText()).isEqualTo("browser-1000");
    assertThat(browser.driver.findElement(By.id("trial-count")).getText()).isEqualTo("1000 trials");
    wait.until(d -> ink() > 2000);
    screenshot("study-history");

    Map<String, String> expected = Map.of("intermediate", "line", "parallel", "parallel",
        "contour", "heatmap", "slice", "scatter", "importance", "bar", "edf", "line",
        "timeline", "bar");
    for (var e : expected.entrySet()) {
      browser.driver.findElement(By.cssSelector("#plot-tabs button[data-kind='" + e.getKey() + "']"))
          .click();
      wait.until(d -> e.getValue().equals(browser.driver.executeScript(SERIES_TYPE)) && ink() > 2000);
      assertThat(browser.driver.findElement(By.id("plot-message")).getText()).as(e.getKey()).isEmpty();
      if (e.getKey().equals("parallel") || e.getKey().equals("contour")) {
        screenshot("study-" + e.getKey());
      }
    }

    List<FrozenTrial> complete = storage.getAllTrials(studyId, java.util.Set.of(TrialState.COMPLETE));
    int best = complete.stream().min(Comparator.comparingDouble(FrozenTrial::value)).orElseThrow().number();
    int worst = complete.stream().max(Comparator.comparingDouble(FrozenTrial::value)).orElseThrow().number();
    WebElement valueHeader = browser.driver.findElement(By.cssSelector("#trials th[data-key='value']"));
    valueHeader.click();
    wait.until(d -> visibleNumbers().get(0) == best);
    valueHeader.click();
    wait.until(d -> visibleNumbers().get(0) == worst);
    assertThat(visibleNumbers()).hasSize(50);

    browser.driver.findElement(By.id("filter")).sendKeys("state=pruned");
    wait.until(d -> visibleNumbers().size() == 50 && visibleNumbers().stream().allMatch(n -> n % 10 == 9));
    long pruned = storage.getNTrials(studyId, java.util.Set.of(TrialState.PRUNED));
    assertThat(browser.driver.findElement(By.id("page-info")).getText()).endsWith("of " + pruned);
    browser.driver.findElement(By.id("filter")).clear();
    browser.driver.executeScript("const f = document.getElementById('filter');"
        + "f.value = ''; f.dispatchEvent(new Event('input'));");

    browser.driver.findElement(By.cssSelector("#trials tbody tr")).click();
    wait.until(d -> browser.driver.findElement(By.id("detail")).isDisplayed()
        && browser.driver.findElement(By.id("detail-body")).getText().contains("Parameters"));
    assertThat(browser.driver.findElement(By.id("detail-title")).getText())
        .isEqualTo("Trial " + worst);

    browser.driver.findElement(By.cssSelector("#plot-tabs button[data-kind='history']")).click();
    TestStudies.addTrial(storage, studyId, new Random(99), 1000);
    wait.until(d -> browser.driver.findElement(By.id("trial-count")).getText().equals("1001 trials"));
    int completeNow = storage.getAllTrials(studyId, java.util.Set.of(TrialState.COMPLETE)).size();
    wait.until(d -> ((Number) browser.driver.executeScript("return echarts.getInstanceByDom("
        + "document.getElementById('plot')).getOption().series[0].data.length")).intValue()
        == completeNow);
    screenshot("study-live-update");
  }

  @Test
  void studyListAndHostileNamesAreText() throws Exception {
    open(server.uri().toString());
    List<WebElement> rows = browser.driver.findElements(By.cssSelector("#studies tbody tr"));
    assertThat(rows).hasSize(2);
    screenshot("study-list");
    rows.get(1).findElement(By.tagName("a")).click();
    new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(
        d -> "1".equals(browser.driver.executeScript("return document.body.dataset.ready")));
    assertThat(browser.driver.findElement(By.id("study-name")).getText())
        .isEqualTo("<img src=x onerror=\"window.__xss=1\">");
    assertThat(browser.driver.findElements(By.cssSelector("main img"))).isEmpty();
    assertThat(browser.driver.executeScript("return window.__xss === undefined")).isEqualTo(true);
    try {
      browser.driver.switchTo().alert();
      throw new AssertionError("unexpected alert");
    } catch (NoAlertPresentException expected) {
      // no script ran
    }
  }

  @Test
  void opensAnOptunaWrittenDatabase(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("optuna-5.0.0.db");
    Files.copy(Path.of("../storage-jdbc/src/test/resources/fixtures/optuna-5.0.0.db"), db);
    try (JdbcStorage jdbc = JdbcStorage.open("sqlite:///" + db);
        DashboardServer s = DashboardServer.start(jdbc, "127.0.0.1", 0)) {
      open(s.uri().toString());
      assertThat(browser.driver.findElement(By.id("studies")).getText()).contains("fixture", "fixture-mo");
      long id = jdbc.getStudyIdFromName("fixture");
      open(s.uri() + "studies/" + id);
      assertThat(visibleNumbers()).containsExactly(0, 1, 2, 3, 4, 5, 6);
      new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(d -> ink() > 500);
      screenshot("optuna-fixture");
      long mo = jdbc.getStudyIdFromName("fixture-mo");
      open(s.uri() + "studies/" + mo + "?plot=pareto");
      new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(d -> ink() > 500);
    }
  }
}
