package dev.bilevel.spark;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A Spark standalone master and worker on 127.0.0.1, started as child JVMs from the jars of the
 * test classpath: {@code SPARK_HOME} is a temporary folder whose {@code jars/} links to those jars
 * (with a {@code RELEASE} marker, so the launcher uses it as a distribution), {@code
 * SPARK_SCALA_VERSION} and {@code SPARK_LOCAL_IP} are set. Classes from directories (the modules
 * under test) reach executors through {@code spark.executor.extraClassPath}. Closing stops the
 * worker, then the master, by process id.
 */
final class SparkStandaloneCluster implements AutoCloseable {

  private final Path home;
  private final Process master;
  private final Process worker;
  private final int port;
  private final String directoryClassPath;

  private SparkStandaloneCluster(Path home, Process master, Process worker, int port,
      String directoryClassPath) {
    this.home = home;
    this.master = master;
    this.worker = worker;
    this.port = port;
    this.directoryClassPath = directoryClassPath;
  }

  static SparkStandaloneCluster start(String javaOpens) throws Exception {
    List<Path> jars = new ArrayList<>();
    List<String> dirs = new ArrayList<>();
    for (Path p : classPath()) {
      if (Files.isDirectory(p)) {
        dirs.add(p.toString());
      } else if (p.toString().endsWith(".jar") && Files.exists(p)) {
        jars.add(p);
      }
    }
    Path home = Files.createTempDirectory("bilevel-spark-home");
    Files.createDirectories(home.resolve("jars"));
    Files.writeString(home.resolve("RELEASE"), "Spark from the Maven test classpath\n");
    for (Path jar : jars) {
      Path link = home.resolve("jars").resolve(jar.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar);
      }
    }
    int port = freePort();
    Process master = launch(home, javaOpens, home.resolve("master.log"),
        "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--webui-port", Integer.toString(freePort()));
    waitForPort(port, master, home.resolve("master.log"));
    Process worker = launch(home, javaOpens, home.resolve("worker.log"),
        "org.apache.spark.deploy.worker.Worker", "spark://127.0.0.1:" + port, "--host",
        "127.0.0.1", "--cores", "2", "--memory", "1g", "--webui-port",
        Integer.toString(freePort()), "--work-dir", home.resolve("work").toString());
    return new SparkStandaloneCluster(
        home, master, worker, port, String.join(File.pathSeparator, dirs));
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  String directoryClassPath() {
    return directoryClassPath;
  }

  String logs() throws IOException {
    return Files.readString(home.resolve("master.log"))
        + Files.readString(home.resolve("worker.log"));
  }

  @Override
  public void close() throws InterruptedException, IOException {
    for (Process p : List.of(worker, master)) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    try (Stream<Path> files = Files.walk(home)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static Process launch(Path home, String javaOpens, Path log, String mainClass,
      String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    for (String opt : javaOpens.trim().split("\\s+")) {
      cmd.add(opt);
    }
    cmd.add("-cp");
    cmd.add(home.resolve("jars") + File.separator + "*");
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    return pb.start();
  }

  /** The test JVM's class path, expanding surefire's manifest-only jar. */
  private static List<Path> classPath() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Paths.get(entry).toAbsolutePath();
      out.add(p);
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        try (JarFile jar = new JarFile(p.toFile())) {
          String manifestPath = jar.getManifest() == null ? null
              : jar.getManifest().getMainAttributes().getValue("Class-Path");
          if (manifestPath != null) {
            URI base = p.getParent().toUri();
            for (String ref : manifestPath.trim().split("\\s+")) {
              out.add(Paths.get(base.resolve(ref)));
            }
          }
        }
      }
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void waitForPort(int port, Process owner, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!owner.isAlive()) {
        throw new IllegalStateException("Spark master exited:\n" + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("Spark master did not open port " + port + ":\n"
        + Files.readString(log));
  }
}
