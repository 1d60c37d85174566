package dev.bilevel.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch SQLite files for tests, each in its own folder under one folder per test JVM that a
 * shutdown hook deletes with everything in it (a database's journal and write-ahead files
 * included), so a test run leaves nothing behind in the temporary directory.
 */
final class TempDbs {

  private static Path root;

  private TempDbs() {}

  /**
   * A URL of a new SQLite file in a fresh temporary folder.
   *
   * @return {@code sqlite:////tmp/.../study.db}
   */
  static String sqliteUrl() {
    return "sqlite:///" + freshDir().resolve("study.db");
  }

  /**
   * Copies a committed fixture database to a temporary file.
   *
   * @param name the resource name under {@code fixtures/}
   * @return the copy's path
   */
  static Path fixtureCopy(String name) {
    try (InputStream in = TempDbs.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalStateException("Missing fixture " + name);
      }
      Path p = freshDir().resolve(name);
      Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized Path freshDir() {
    try {
      if (root == null) {
        Path r = Files.createTempDirectory("bilevel-storage-test");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(r)));
        root = r;
      }
      return Files.createTempDirectory(root, "db");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // Best effort at JVM exit.
    }
  }
}
