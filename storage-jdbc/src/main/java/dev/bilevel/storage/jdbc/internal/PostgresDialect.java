package dev.bilevel.storage.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * PostgreSQL (pgjdbc through a HikariCP pool): the enum types SQLAlchemy creates for Optuna's
 * enum columns, {@code SERIAL} keys, {@code TIMESTAMP WITHOUT TIME ZONE} in UTC. Write
 * transactions run at READ COMMITTED and lock the rows they check ({@code SELECT ... FOR UPDATE});
 * read transactions run at REPEATABLE READ, read-only, so that one trial is read from one
 * snapshot (each level has its own pool, so no transaction pays for switching). Strings
 * are sent untyped ({@code stringtype=unspecified}) so that the server casts them to the enums.
 */
final class PostgresDialect implements Dialect {

  private static final long SCHEMA_LOCK_KEY = 0x6f7074756e61L; // "optuna"

  @Override
  public List<String> createTables() {
    List<String> ddl = new ArrayList<>();
    ddl.add("CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE')");
    ddl.add("CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')");
    ddl.add("CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG')");
    ddl.add(
        "CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN')");
    ddl.addAll(
        Schema.tables(
            Map.of(
                "PK", "SERIAL NOT NULL",
                "DIRECTION", "studydirection",
                "STATE", "trialstate",
                "VALUE_TYPE", "trialvaluetype",
                "IV_TYPE", "trialintermediatevaluetype",
                "FLOAT", "FLOAT(53)",
                "DATETIME", "TIMESTAMP WITHOUT TIME ZONE")));
    return ddl;
  }

  @Override
  public boolean tablesExist(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL");
        ResultSet rs = bind(ps, "version_info").executeQuery()) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static PreparedStatement bind(PreparedStatement ps, String value) throws SQLException {
    ps.setString(1, value);
    return ps;
  }

  @Override
  public void begin(Connection c, boolean write) {
    // The pool's connections are not in auto-commit mode and have the isolation level of their
    // pool: the driver begins the transaction with the first statement.
  }

  @Override
  public void commit(Connection c) throws SQLException {
    c.commit();
  }

  @Override
  public void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it.
    }
  }

  @Override
  public void lockSchema(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      ps.setLong(1, SCHEMA_LOCK_KEY);
      ps.executeQuery().close();
    }
  }

  @Override
  public String forUpdate() {
    return " FOR UPDATE";
  }

  @Override
  public String nowUtc() {
    return "(clock_timestamp() AT TIME ZONE 'UTC')";
  }

  @Override
  public String olderThanSeconds(String column) {
    return column + " < (clock_timestamp() AT TIME ZONE 'UTC') - make_interval(secs => ?)";
  }

  @Override
  public void setDatetime(PreparedStatement ps, int index, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(index, Types.TIMESTAMP);
    } else {
      ps.setObject(
          index, LocalDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }
  }

  @Override
  public Instant getDatetime(ResultSet rs, int index) throws SQLException {
    LocalDateTime t = rs.getObject(index, LocalDateTime.class);
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
  }

  @Override
  public boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return state != null
        && (state.equals("40001")
            || state.equals("40P01")
            || state.equals("55P03")
            || state.startsWith("08"));
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  @Override
  public DataSource open(StorageUrl url, ConnectionOptions options, boolean write) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(url.jdbcUrl());
    if (url.user() != null) {
      hikari.setUsername(url.user());
    }
    String password = options.password() != null ? options.password() : url.password();
    if (password != null) {
      hikari.setPassword(password);
    }
    hikari.addDataSourceProperty("stringtype", "unspecified");
    hikari.setMaximumPoolSize(options.poolSize());
    hikari.setMinimumIdle(1);
    hikari.setAutoCommit(false);
    hikari.setTransactionIsolation(
        write ? "TRANSACTION_READ_COMMITTED" : "TRANSACTION_REPEATABLE_READ");
    hikari.setReadOnly(!write);
    hikari.setPoolName(write ? "bilevel-postgresql-write" : "bilevel-postgresql-read");
    return new HikariDataSource(hikari);
  }

  @Override
  public void close(DataSource dataSource) {
    ((HikariDataSource) dataSource).close();
  }
}
