package dev.bilevel.storage.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

/**
 * SQLite (xerial sqlite-jdbc): WAL journal (readers never block the writer), a busy timeout,
 * {@code synchronous=NORMAL} (durable against process crashes; the last commits may be lost on
 * power failure), write transactions opened with {@code BEGIN IMMEDIATE} so that writers queue on
 * the database lock up front instead of failing on upgrade. Datetimes are text {@code yyyy-MM-dd
 * HH:mm:ss.ffffff} in UTC, as SQLAlchemy writes them.
 */
final class SqliteDialect implements Dialect {

  private static final DateTimeFormatter WRITE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter READ =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .toFormatter();
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;
  private static final int SQLITE_CONSTRAINT = 19;

  @Override
  public List<String> createTables() {
    return Schema.tables(
        Map.of(
            "PK", "INTEGER NOT NULL",
            "DIRECTION", "VARCHAR(8)",
            "STATE", "VARCHAR(8)",
            "VALUE_TYPE", "VARCHAR(7)",
            "IV_TYPE", "VARCHAR(7)",
            "FLOAT", "FLOAT",
            "DATETIME", "DATETIME"));
  }

  @Override
  public boolean tablesExist(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, "version_info");
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public void begin(Connection c, boolean write) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    }
  }

  @Override
  public void commit(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("COMMIT");
    }
  }

  @Override
  public void rollback(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // No transaction was open (BEGIN itself failed): nothing to undo.
    }
  }

  @Override
  public void lockSchema(Connection c) {
    // BEGIN IMMEDIATE already holds the database's write lock.
  }

  @Override
  public String forUpdate() {
    return "";
  }

  @Override
  public String nowUtc() {
    return "(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')";
  }

  @Override
  public String olderThanSeconds(String column) {
    return "julianday(" + column + ") < julianday('now') - ? / 86400.0";
  }

  @Override
  public void setDatetime(PreparedStatement ps, int index, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(index, java.sql.Types.VARCHAR);
    } else {
      ps.setString(
          index,
          WRITE.format(LocalDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC)));
    }
  }

  @Override
  public Instant getDatetime(ResultSet rs, int index) throws SQLException {
    String s = rs.getString(index);
    if (s == null) {
      return null;
    }
    return LocalDateTime.parse(s.replace('T', ' '), READ).toInstant(ZoneOffset.UTC);
  }

  @Override
  public boolean isRetryable(SQLException e) {
    int code = primaryCode(e);
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    return primaryCode(e) == SQLITE_CONSTRAINT
        && e.getMessage() != null
        && e.getMessage().contains("UNIQUE");
  }

  private static int primaryCode(SQLException e) {
    if (e instanceof SQLiteException s) {
      return s.getResultCode().code & 0xff;
    }
    return e.getErrorCode() & 0xff;
  }

  @Override
  public DataSource open(StorageUrl url, ConnectionOptions options, boolean write) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(options.busyTimeoutMillis());
    SQLiteDataSource sqlite = new SQLiteDataSource(config);
    sqlite.setUrl(url.jdbcUrl());
    HikariConfig hikari = new HikariConfig();
    hikari.setDataSource(sqlite);
    hikari.setMaximumPoolSize(options.poolSize());
    hikari.setMinimumIdle(1);
    hikari.setAutoCommit(true);
    hikari.setPoolName(write ? "bilevel-sqlite-write" : "bilevel-sqlite-read");
    return new HikariDataSource(hikari);
  }

  @Override
  public void close(DataSource dataSource) {
    ((HikariDataSource) dataSource).close();
  }
}
