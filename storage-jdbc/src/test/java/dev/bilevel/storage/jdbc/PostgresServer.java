package dev.bilevel.storage.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throw-away PostgreSQL server for the tests, started once per test JVM by {@code
 * src/test/scripts/postgres.sh} (which installs PostgreSQL from Debian's packages if absent) on
 * 127.0.0.1 and a free port, and stopped by process id when JUnit closes its root store at the
 * end of the run (a JVM shutdown hook covers aborted runs). Test classes use it with
 * {@code @ExtendWith(PostgresServer.class)} and {@link #freshSchemaUrl()}.
 */
public final class PostgresServer implements BeforeAllCallback {

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static Running running;

  /** The started server; closing it stops the server. */
  private static final class Running implements AutoCloseable {
    final Path dir;
    final int port;
    private boolean stopped;

    Running(Path dir, int port) {
      this.dir = dir;
      this.port = port;
    }

    @Override
    public synchronized void close() throws IOException, InterruptedException {
      if (stopped) {
        return;
      }
      stopped = true;
      run("stop", dir.toString());
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Running r = start();
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Running.class, k -> r, Running.class);
  }

  private static synchronized Running start() throws IOException, InterruptedException {
    if (running == null) {
      Path dir = Files.createTempDirectory("bilevel-pg");
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Running r = new Running(dir, port);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          r.close();
        } catch (IOException | InterruptedException ignored) {
          // Best effort at JVM exit.
        }
      }));
      run("start", dir.toString(), Integer.toString(port));
      running = r;
    }
    return running;
  }

  private static void run(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = script().toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("postgres.sh " + String.join(" ", args) + " failed:\n" + out);
    }
  }

  private static Path script() {
    Path p = Paths.get("src/test/scripts/postgres.sh");
    if (!Files.exists(p)) {
      p = Paths.get("storage-jdbc/src/test/scripts/postgres.sh");
    }
    return p.toAbsolutePath();
  }

  /**
   * The URL of the test database.
   *
   * @return {@code postgresql://postgres@127.0.0.1:PORT/bilevel}
   */
  public static String url() {
    if (running == null) {
      throw new IllegalStateException("Annotate the test class with @ExtendWith(PostgresServer.class)");
    }
    return "postgresql://postgres@127.0.0.1:" + running.port + "/bilevel";
  }

  /**
   * A URL whose tables live in a new, empty schema, so that each test starts from an empty
   * database without the cost of creating one.
   *
   * @return the storage URL
   */
  public static String freshSchemaUrl() {
    String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    try (Connection c = DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + running.port + "/bilevel", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return url() + "?currentSchema=" + schema;
  }
}
