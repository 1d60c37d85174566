package dev.bilevel.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Scratch SQLite files for tests. */
final class TempDbs {

  private TempDbs() {}

  /**
   * A URL of a new SQLite file in a fresh temporary folder.
   *
   * @return {@code sqlite:////tmp/.../study.db}
   */
  static String sqliteUrl() {
    try {
      Path dir = Files.createTempDirectory("bilevel-sqlite");
      dir.toFile().deleteOnExit();
      return "sqlite:///" + dir.resolve("study.db");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
      Path dir = Files.createTempDirectory("bilevel-fixture");
      Path p = dir.resolve(name);
      Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
