package dev.bilevel.storage.jdbc.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A parsed storage URL in SQLAlchemy's form, as Optuna takes it.
 *
 * <ul>
 *   <li>{@code sqlite:///relative/path.db} and {@code sqlite:////absolute/path.db} (three slashes,
 *       then the path);
 *   <li>{@code postgresql://user:password@host:port/database?options} (also {@code
 *       postgresql+psycopg2://...}); user and password are percent-decoded, the query string is
 *       passed to the JDBC driver.
 * </ul>
 *
 * @param kind which database
 * @param jdbcUrl the URL for the JDBC driver
 * @param user the user, or {@code null}
 * @param password the password, or {@code null}
 * @param original the URL as given
 */
public record StorageUrl(Kind kind, String jdbcUrl, String user, String password, String original) {

  /** The supported databases. */
  public enum Kind {
    /** An SQLite file. */
    SQLITE,
    /** A PostgreSQL server. */
    POSTGRESQL
  }

  /**
   * Parses a storage URL.
   *
   * @param url the URL
   * @return the parsed form
   * @throws IllegalArgumentException for other schemes, in-memory SQLite, or a missing path
   */
  public static StorageUrl parse(String url) {
    Objects.requireNonNull(url, "url");
    int colon = url.indexOf("://");
    if (colon < 0) {
      throw new IllegalArgumentException(
          "Not a storage URL (expected sqlite:///path.db or postgresql://user@host:port/db): "
              + url);
    }
    String scheme = url.substring(0, colon);
    String rest = url.substring(colon + 3);
    if (scheme.equals("sqlite")) {
      if (!rest.startsWith("/") || rest.length() < 2 || rest.equals("/:memory:")) {
        throw new IllegalArgumentException(
            "An SQLite storage URL needs a file: sqlite:///relative.db or sqlite:////abs/path.db,"
                + " got " + url);
      }
      return new StorageUrl(Kind.SQLITE, "jdbc:sqlite:" + rest.substring(1), null, null, url);
    }
    if (scheme.equals("postgresql") || scheme.startsWith("postgresql+")) {
      String user = null;
      String password = null;
      int at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
      if (at >= 0) {
        String credentials = rest.substring(0, at);
        rest = rest.substring(at + 1);
        int sep = credentials.indexOf(':');
        user = decode(sep < 0 ? credentials : credentials.substring(0, sep));
        password = sep < 0 ? null : decode(credentials.substring(sep + 1));
      }
      if (rest.indexOf('/') < 0) {
        throw new IllegalArgumentException("A PostgreSQL storage URL needs a database: " + url);
      }
      return new StorageUrl(Kind.POSTGRESQL, "jdbc:postgresql://" + rest, user, password, url);
    }
    throw new IllegalArgumentException(
        "Unsupported storage URL scheme '" + scheme + "' (sqlite or postgresql): " + url);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /**
   * The URL with any password masked, for messages.
   *
   * @return the printable URL
   */
  public String redacted() {
    return original.replaceFirst("://([^:/@]*):[^@/]*@", "://$1:***@");
  }
}
