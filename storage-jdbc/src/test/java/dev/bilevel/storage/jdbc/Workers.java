package dev.bilevel.storage.jdbc;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Spawns {@link StudyWorker} JVMs on the test classpath. */
final class Workers {

  private Workers() {}

  /**
   * Starts a worker JVM whose temporary directory is the log's folder: what it puts there (SQLite's
   * native library, which a killed worker cannot delete) goes when the test's folder goes.
   *
   * @param log where its output goes, in a folder the test deletes
   * @param args the worker's arguments
   * @return the process
   * @throws IOException if it cannot start
   */
  static Process start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    cmd.add("-Xmx128m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Djava.io.tmpdir=" + log.toAbsolutePath().getParent());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(StudyWorker.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * The output of a finished worker, for failure messages.
   *
   * @param log its log file
   * @return the text
   */
  static String output(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
