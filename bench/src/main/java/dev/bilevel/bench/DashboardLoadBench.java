package dev.bilevel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bilevel.dashboard.DashboardServer;
import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code dashboard-load}: the dashboard's study page for a 10,000-trial SQLite study, loaded in
 * headless Debian Chromium. One load is the time from navigation start to the page's ready mark:
 * the study, all 10,000 trial rows fetched, the trial table's first page rendered and the default
 * plot (optimization history, 10,000 points) drawn by ECharts ({@code finished} event). One
 * warm-up load (reported as {@code first_load_ms}: cold JIT, the server's first full read of
 * the study), then {@code --runs} (default 5) measured loads of the running server, as when a
 * user opens or reloads the page (the browser cache keeps the static files). Target: median
 * under 1 s.
 *
 * <p>Options: {@code --trials N} (default 10000), {@code --runs N} (default 5).
 */
final class DashboardLoadBench {
  private static final double TARGET_MS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private DashboardLoadBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args options
   * @param out one JSON line per load, then the summary
   */
  static void run(String[] args, PrintStream out) {
    int nTrials = 10_000;
    int runs = 5;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--trials" -> nTrials = Integer.parseInt(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = null;
    try {
      ensureChromium();
      dir = Files.createTempDirectory("bilevel-dashboard-load");
      long t0 = System.nanoTime();
      String url = "sqlite:///" + dir.resolve("study.db");
      try (JdbcStorage storage = JdbcStorage.open(url)) {
        long id = populate(storage, nTrials);
        double populateS = (System.nanoTime() - t0) / 1e9;
        try (DashboardServer server = DashboardServer.start(storage, "127.0.0.1", 0)) {
          measure(out, server.uri() + "studies/" + id, nTrials, runs, populateS, dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (dir != null) {
        delete(dir);
      }
    }
  }

  private static void measure(PrintStream out, String page, int nTrials, int runs,
      double populateS, Path dir) throws IOException {
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")),
        "--window-size=1400,1000");
    ChromeDriver driver = new ChromeDriver(service, options);
    try {
      double[] ms = new double[runs];
      double first = Double.NaN;
      for (int r = -1; r < runs; r++) {
        driver.get("about:blank");
        driver.get(page);
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(
            d -> "1".equals(driver.executeScript("return document.body.dataset.ready")));
        double load = ((Number) driver.executeScript("return window.bilevelLoadMs")).doubleValue();
        double api = ((Number) driver.executeScript(
            "const e = performance.getEntriesByType('resource').find(x => x.name.includes('/trials?since=0'));"
                + "return e ? e.duration : -1")).doubleValue();
        long rows = (Long) driver.executeScript(
            "return document.querySelectorAll('#trials tbody tr').length");
        long points = (Long) driver.executeScript("return echarts.getInstanceByDom("
            + "document.getElementById('plot')).getOption().series[0].data.length");
        ObjectNode line = JSON.createObjectNode().put("bench", "dashboard-load")
            .put("run", r < 0 ? "warmup" : Integer.toString(r)).put("trials", nTrials)
            .put("load_ms", round(load)).put("trials_api_ms", round(api))
            .put("table_rows", rows).put("history_points", points);
        out.println(JSON.writeValueAsString(line));
        out.flush();
        if (r >= 0) {
          ms[r] = load;
        } else {
          first = load;
        }
      }
      double[] sorted = ms.clone();
      Arrays.sort(sorted);
      double median = sorted[runs / 2];
      String version = driver.getCapabilities().getBrowserVersion();
      ObjectNode summary = JSON.createObjectNode().put("bench", "dashboard-load")
          .put("summary", true).put("trials", nTrials).put("runs", runs)
          .put("median_ms", round(median)).put("min_ms", round(sorted[0]))
          .put("max_ms", round(sorted[runs - 1])).put("target_ms", TARGET_MS)
          .put("meets_target", median < TARGET_MS)
          .put("first_load_ms", round(first)).put("populate_s", round(populateS))
          .put("storage", "sqlite").put("browser", "chromium " + version)
          .put("java", System.getProperty("java.version"))
          .put("cores", Runtime.getRuntime().availableProcessors());
      out.println(JSON.writeValueAsString(summary));
    } finally {
      driver.quit();
      service.stop();
    }
  }

  private static long populate(JdbcStorage storage, int n) {
    long id = storage.createNewStudy(List.of(StudyDirection.MINIMIZE), "dashboard-load");
    Map<String, Distribution> space = new LinkedHashMap<>();
    space.put("x", FloatDistribution.uniform(-5, 5));
    space.put("lr", FloatDistribution.logUniform(1e-5, 1));
    space.put("layers", IntDistribution.of(1, 8));
    space.put("optimizer", CategoricalDistribution.of("adam", "sgd", "rmsprop"));
    Random rng = new Random(0);
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < n; i++) {
      double x = -5 + 10 * rng.nextDouble();
      double lr = Math.pow(10, -5 + 5 * rng.nextDouble());
      long layers = 1 + rng.nextInt(8);
      String opt = List.of("adam", "sgd", "rmsprop").get(rng.nextInt(3));
      double v = (x - 1) * (x - 1) + 0.1 * Math.pow(Math.log10(lr), 2) + layers / 10.0;
      TrialState st = i % 10 == 9 ? TrialState.PRUNED : TrialState.COMPLETE;
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("x", x);
      p.put("lr", lr);
      p.put("layers", layers);
      p.put("optimizer", opt);
      Map<Integer, Double> iv = new TreeMap<>();
      for (int s = 0; s < 3; s++) {
        iv.put(s, v * (1 + 1.0 / (s + 1)));
      }
      Instant t = start.plusSeconds(2L * i);
      storage.createNewTrial(id, new FrozenTrial(-1, -1, st,
          st == TrialState.COMPLETE ? List.of(v) : List.of(), t, t.plusMillis(1500), p, space,
          Map.of(), Map.of(), new TreeMap<>(iv)));
    }
    return id;
  }

  private static void ensureChromium() throws IOException, InterruptedException {
    if (Files.isExecutable(Path.of("/usr/bin/chromedriver")) && Files.isExecutable(Path.of("/usr/bin/chromium"))) {
      return;
    }
    Process p = new ProcessBuilder("bash", "dashboard/src/test/sh/install-chromium.sh")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("chromium and chromium-driver are needed: "
          + "bash dashboard/src/test/sh/install-chromium.sh");
    }
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static void delete(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }
}
