package dev.bilevel.storage.jdbc.internal;

import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.DistributionJson;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Column encodings of Optuna's schema: objective values as (value, {@code FINITE | INF_POS |
 * INF_NEG}) with NULL for the infinities, intermediate values likewise plus {@code NAN}; the
 * parse cache of distribution JSON; small statement helpers.
 */
public final class Rows {

  private static final int CACHE_LIMIT = 4096;
  private static final ConcurrentHashMap<String, Distribution> DISTRIBUTIONS =
      new ConcurrentHashMap<>();

  private Rows() {}

  /**
   * The {@code value_type} (or {@code intermediate_value_type}) of a value.
   *
   * @param v the value
   * @param nanType the type name for NaN: {@code "NAN"} for intermediate values, {@code "FINITE"}
   *     (stored as NULL) for objective values, which Optuna never stores as NaN
   * @return the type name
   */
  static String valueType(double v, String nanType) {
    if (Double.isNaN(v)) {
      return nanType;
    }
    if (v == Double.POSITIVE_INFINITY) {
      return "INF_POS";
    }
    return v == Double.NEGATIVE_INFINITY ? "INF_NEG" : "FINITE";
  }

  /**
   * Binds a value and its type to two consecutive parameters.
   *
   * @param ps the statement
   * @param index the value's parameter index (the type goes to {@code index + 1})
   * @param v the value
   * @param nanType see {@link #valueType}
   * @throws SQLException on database errors
   */
  static void bindValue(PreparedStatement ps, int index, double v, String nanType)
      throws SQLException {
    if (Double.isFinite(v)) {
      ps.setDouble(index, v);
    } else {
      ps.setNull(index, Types.DOUBLE);
    }
    ps.setString(index + 1, valueType(v, nanType));
  }

  /**
   * Reads a value stored with {@link #bindValue}.
   *
   * @param rs the row
   * @param index the value's column (the type is at {@code index + 1})
   * @return the value
   * @throws SQLException on database errors
   */
  static double readValue(ResultSet rs, int index) throws SQLException {
    double v = rs.getDouble(index);
    boolean isNull = rs.wasNull();
    String type = rs.getString(index + 1);
    return switch (type) {
      case "INF_POS" -> Double.POSITIVE_INFINITY;
      case "INF_NEG" -> Double.NEGATIVE_INFINITY;
      case "NAN" -> Double.NaN;
      default -> isNull ? Double.NaN : v;
    };
  }

  /**
   * Parses (with a cache) a {@code distribution_json} column.
   *
   * @param json the text
   * @return the distribution
   */
  static Distribution distribution(String json) {
    Distribution d = DISTRIBUTIONS.get(json);
    if (d == null) {
      d = DistributionJson.fromJson(json);
      if (DISTRIBUTIONS.size() >= CACHE_LIMIT) {
        DISTRIBUTIONS.clear();
      }
      DISTRIBUTIONS.put(json, d);
    }
    return d;
  }

  /**
   * Binds parameters in order.
   *
   * @param ps the statement
   * @param args values for {@code ?} 1, 2, ... ({@link Long}, {@link Integer}, {@link String})
   * @return the statement
   * @throws SQLException on database errors
   */
  static PreparedStatement bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else if (a instanceof Double x) {
        ps.setDouble(i + 1, x);
      } else {
        ps.setString(i + 1, (String) a);
      }
    }
    return ps;
  }

  /** The error for an unknown study id. */
  static NoSuchElementException noStudy(long studyId) {
    return new NoSuchElementException("No study with id " + studyId);
  }

  /** The error for an unknown trial id. */
  static NoSuchElementException noTrial(long trialId) {
    return new NoSuchElementException("No trial with id " + trialId);
  }
}
