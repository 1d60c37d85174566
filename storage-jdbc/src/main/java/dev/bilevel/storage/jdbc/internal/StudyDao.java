package dev.bilevel.storage.jdbc.internal;

import static dev.bilevel.storage.jdbc.internal.Rows.bind;

import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.storage.DuplicatedStudyException;
import dev.bilevel.hpo.storage.FrozenStudy;
import dev.bilevel.hpo.storage.OptunaJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * Studies on Optuna's tables: {@code studies}, {@code study_directions}, {@code
 * study_user_attributes}, {@code study_system_attributes}. Every method runs inside the caller's
 * transaction; deletion removes the children explicitly, as the schema has no cascades.
 */
public final class StudyDao {

  private final Dialect dialect;

  /**
   * A DAO for one dialect.
   *
   * @param dialect the dialect
   */
  public StudyDao(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Inserts a study and its directions.
   *
   * @param c the connection (write transaction)
   * @param directions one per objective
   * @param name the name, or {@code null} to generate one
   * @return the study id
   * @throws SQLException on database errors
   */
  public long create(Connection c, List<StudyDirection> directions, String name)
      throws SQLException {
    String studyName = name == null ? "no-name-" + UUID.randomUUID() : name;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT study_id FROM studies WHERE study_name = ?")) {
      try (ResultSet rs = bind(ps, studyName).executeQuery()) {
        if (rs.next()) {
          throw new DuplicatedStudyException(studyName);
        }
      }
    }
    long id;
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO studies (study_name) VALUES (?) RETURNING study_id")) {
      try (ResultSet rs = bind(ps, studyName).executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    } catch (SQLException e) {
      if (dialect.isUniqueViolation(e)) {
        throw new DuplicatedStudyException(studyName);
      }
      throw e;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO study_directions (direction, study_id, objective) VALUES (?, ?, ?)")) {
      for (int i = 0; i < directions.size(); i++) {
        bind(ps, directions.get(i).name(), id, i).addBatch();
      }
      ps.executeBatch();
    }
    return id;
  }

  /**
   * Fails unless the study exists (and, in write transactions on PostgreSQL, locks its row, which
   * serializes trial-number assignment).
   *
   * @param c the connection
   * @param studyId the study
   * @param lock whether to lock the row
   * @throws SQLException on database errors
   */
  public void require(Connection c, long studyId, boolean lock) throws SQLException {
    String sql =
        "SELECT study_id FROM studies WHERE study_id = ?" + (lock ? dialect.forUpdate() : "");
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = bind(ps, studyId).executeQuery()) {
      if (!rs.next()) {
        throw Rows.noStudy(studyId);
      }
    }
  }

  /**
   * Deletes a study, its trials and all their rows.
   *
   * @param c the connection (write transaction)
   * @param studyId the study
   * @throws SQLException on database errors
   */
  public void delete(Connection c, long studyId) throws SQLException {
    require(c, studyId, true);
    String ofStudy = " WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)";
    for (String table : List.of("trial_params", "trial_values", "trial_intermediate_values",
        "trial_user_attributes", "trial_system_attributes", "trial_heartbeats")) {
      execute(c, "DELETE FROM " + table + ofStudy, studyId);
    }
    for (String table : List.of("trials", "study_directions", "study_user_attributes",
        "study_system_attributes", "studies")) {
      execute(c, "DELETE FROM " + table + " WHERE study_id = ?", studyId);
    }
  }

  private static void execute(Connection c, String sql, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, id).executeUpdate();
    }
  }

  /**
   * Sets a study attribute (insert or overwrite).
   *
   * @param c the connection (write transaction)
   * @param system system rather than user attribute
   * @param studyId the study
   * @param key the key
   * @param json the value as JSON text
   * @throws SQLException on database errors
   */
  public void setAttr(Connection c, boolean system, long studyId, String key, String json)
      throws SQLException {
    require(c, studyId, false);
    String table = system ? "study_system_attributes" : "study_user_attributes";
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
        + " (study_id, \"key\", value_json) VALUES (?, ?, ?) ON CONFLICT (study_id, \"key\") "
        + "DO UPDATE SET value_json = excluded.value_json")) {
      bind(ps, studyId, key, json).executeUpdate();
    }
  }

  /**
   * The id of a named study.
   *
   * @param c the connection
   * @param name the name
   * @return the id
   * @throws SQLException on database errors
   */
  public long idFromName(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT study_id FROM studies WHERE study_name = ?");
        ResultSet rs = bind(ps, name).executeQuery()) {
      if (!rs.next()) {
        throw new NoSuchElementException("No study named '" + name + "'");
      }
      return rs.getLong(1);
    }
  }

  /**
   * The name of a study.
   *
   * @param c the connection
   * @param studyId the study
   * @return the name
   * @throws SQLException on database errors
   */
  public String name(Connection c, long studyId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT study_name FROM studies WHERE study_id = ?");
        ResultSet rs = bind(ps, studyId).executeQuery()) {
      if (!rs.next()) {
        throw Rows.noStudy(studyId);
      }
      return rs.getString(1);
    }
  }

  /**
   * The directions of a study, by objective index.
   *
   * @param c the connection
   * @param studyId the study
   * @return unmodifiable list
   * @throws SQLException on database errors
   */
  public List<StudyDirection> directions(Connection c, long studyId) throws SQLException {
    List<StudyDirection> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT direction FROM study_directions WHERE study_id = ? ORDER BY objective");
        ResultSet rs = bind(ps, studyId).executeQuery()) {
      while (rs.next()) {
        out.add(StudyDirection.valueOf(rs.getString(1)));
      }
    }
    if (out.isEmpty()) {
      require(c, studyId, false);
    }
    return List.copyOf(out);
  }

  /**
   * A study's attributes.
   *
   * @param c the connection
   * @param system system rather than user attributes
   * @param studyId the study
   * @return unmodifiable map in insertion order
   * @throws SQLException on database errors
   */
  public Map<String, Object> attrs(Connection c, boolean system, long studyId)
      throws SQLException {
    require(c, studyId, false);
    return Collections.unmodifiableMap(attrsOf(c, system, "WHERE study_id = ?", studyId)
        .getOrDefault(studyId, new LinkedHashMap<>()));
  }

  private static Map<Long, Map<String, Object>> attrsOf(
      Connection c, boolean system, String where, Object... args) throws SQLException {
    String table = system ? "study_system_attributes" : "study_user_attributes";
    String id = system ? "study_system_attribute_id" : "study_user_attribute_id";
    Map<Long, Map<String, Object>> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT study_id, \"key\", value_json FROM "
        + table + " " + where + " ORDER BY " + id);
        ResultSet rs = bind(ps, args).executeQuery()) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
            .put(rs.getString(2), OptunaJson.loads(rs.getString(3)));
      }
    }
    return out;
  }

  /**
   * Every study, by id.
   *
   * @param c the connection
   * @return unmodifiable list
   * @throws SQLException on database errors
   */
  public List<FrozenStudy> all(Connection c) throws SQLException {
    Map<Long, String> names = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT study_id, study_name FROM studies ORDER BY study_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        names.put(rs.getLong(1), rs.getString(2));
      }
    }
    Map<Long, List<StudyDirection>> directions = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT study_id, direction FROM study_directions ORDER BY study_id, objective");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        directions.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
            .add(StudyDirection.valueOf(rs.getString(2)));
      }
    }
    Map<Long, Map<String, Object>> user = attrsOf(c, false, "");
    Map<Long, Map<String, Object>> system = attrsOf(c, true, "");
    List<FrozenStudy> out = new ArrayList<>();
    for (Map.Entry<Long, String> e : names.entrySet()) {
      long id = e.getKey();
      out.add(new FrozenStudy(id, e.getValue(), directions.getOrDefault(id, List.of()),
          user.getOrDefault(id, Map.of()), system.getOrDefault(id, Map.of())));
    }
    return List.copyOf(out);
  }
}
