package dev.bilevel.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium through its own chromedriver; installs both with
 * {@code src/test/sh/install-chromium.sh} when absent. Close it to quit the browser and the driver.
 */
final class BrowserSession implements AutoCloseable {
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;

  BrowserSession(int width, int height) throws IOException, InterruptedException {
    ensureInstalled();
    profile = Files.createTempDirectory("bilevel-chromium");
    service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
    ChromeDriver d;
    try {
      d = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
    driver = d;
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
  }

  static void ensureInstalled() throws IOException, InterruptedException {
    if (Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM)) {
      return;
    }
    Path script = Path.of("src/test/sh/install-chromium.sh");
    if (!Files.exists(script)) {
      script = Path.of("dashboard/src/test/sh/install-chromium.sh");
    }
    Process p = new ProcessBuilder("bash", script.toString()).inheritIO().start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("Could not install chromium and chromium-driver with " + script);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      service.stop();
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
