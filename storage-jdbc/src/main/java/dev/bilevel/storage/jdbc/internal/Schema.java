package dev.bilevel.storage.jdbc.internal;

import dev.bilevel.storage.jdbc.IncompatibleSchemaException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Optuna's RDB schema (Optuna 3.0 to 5.0: {@code version_info.schema_version = 12}, alembic
 * revisions {@code v3.0.0.d} and {@code v3.2.0.a}, which only adds the {@code trials(study_id)}
 * index): its DDL with per-dialect column types, creation of a fresh database, and the check that
 * an existing one is at a revision Bilevel reads and writes.
 *
 * <p>A fresh database is stamped at the head revision exactly as Optuna 5.0 stamps one it creates
 * ({@code alembic_version = 'v3.2.0.a'}), so that Optuna opens it without an upgrade.
 */
public final class Schema {

  /** The alembic head revision of Optuna 3.2 to 5.0, written to fresh databases. */
  public static final String HEAD_REVISION = "v3.2.0.a";

  /** Revisions whose tables this storage reads and writes unchanged. */
  public static final Set<String> SUPPORTED_REVISIONS = Set.of("v3.0.0.d", HEAD_REVISION);

  /** {@code version_info.schema_version} of Optuna 3.0 to 5.0. */
  public static final int SCHEMA_VERSION = 12;

  private static final Set<String> OLDER_OPTUNA_REVISIONS =
      Set.of("v0.9.0.a", "v1.2.0.a", "v1.3.0.a", "v2.4.0.a", "v2.6.0.a", "v3.0.0.a", "v3.0.0.b",
          "v3.0.0.c");

  private static final String[] TABLES = {
    "CREATE TABLE studies (study_id {PK}, study_name VARCHAR(512) NOT NULL, "
        + "PRIMARY KEY (study_id))",
    "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)",
    "CREATE TABLE version_info (version_info_id INTEGER NOT NULL, schema_version INTEGER, "
        + "library_version VARCHAR(256), PRIMARY KEY (version_info_id), "
        + "CHECK (version_info_id=1))",
    "CREATE TABLE study_directions (study_direction_id {PK}, direction {DIRECTION} NOT NULL, "
        + "study_id INTEGER NOT NULL, objective INTEGER NOT NULL, "
        + "PRIMARY KEY (study_direction_id), UNIQUE (study_id, objective), "
        + "FOREIGN KEY(study_id) REFERENCES studies (study_id))",
    attributes("study_user_attributes", "study_user_attribute_id", "study_id", "studies"),
    attributes("study_system_attributes", "study_system_attribute_id", "study_id", "studies"),
    "CREATE TABLE trials (trial_id {PK}, number INTEGER, study_id INTEGER, "
        + "state {STATE} NOT NULL, datetime_start {DATETIME}, datetime_complete {DATETIME}, "
        + "PRIMARY KEY (trial_id), FOREIGN KEY(study_id) REFERENCES studies (study_id))",
    "CREATE INDEX ix_trials_study_id ON trials (study_id)",
    attributes("trial_user_attributes", "trial_user_attribute_id", "trial_id", "trials"),
    attributes("trial_system_attributes", "trial_system_attribute_id", "trial_id", "trials"),
    "CREATE TABLE trial_params (param_id {PK}, trial_id INTEGER, param_name VARCHAR(512), "
        + "param_value {FLOAT}, distribution_json TEXT, PRIMARY KEY (param_id), "
        + "UNIQUE (trial_id, param_name), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE trial_values (trial_value_id {PK}, trial_id INTEGER NOT NULL, "
        + "objective INTEGER NOT NULL, value {FLOAT}, value_type {VALUE_TYPE} NOT NULL, "
        + "PRIMARY KEY (trial_value_id), UNIQUE (trial_id, objective), "
        + "FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE trial_intermediate_values (trial_intermediate_value_id {PK}, "
        + "trial_id INTEGER NOT NULL, step INTEGER NOT NULL, intermediate_value {FLOAT}, "
        + "intermediate_value_type {IV_TYPE} NOT NULL, "
        + "PRIMARY KEY (trial_intermediate_value_id), UNIQUE (trial_id, step), "
        + "FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE trial_heartbeats (trial_heartbeat_id {PK}, trial_id INTEGER NOT NULL, "
        + "heartbeat {DATETIME} NOT NULL, PRIMARY KEY (trial_heartbeat_id), UNIQUE (trial_id), "
        + "FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
        + "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
  };

  private Schema() {}

  private static String attributes(String table, String pk, String owner, String ownerTable) {
    return "CREATE TABLE " + table + " (" + pk + " {PK}, " + owner + " INTEGER, "
        + "\"key\" VARCHAR(512), value_json TEXT, PRIMARY KEY (" + pk + "), "
        + "UNIQUE (" + owner + ", \"key\"), "
        + "FOREIGN KEY(" + owner + ") REFERENCES " + ownerTable + " (" + owner + "))";
  }

  /**
   * The table DDL with the dialect's column types substituted.
   *
   * @param types placeholder (PK, DIRECTION, STATE, VALUE_TYPE, IV_TYPE, FLOAT, DATETIME) → type
   * @return the statements, in creation order
   */
  static List<String> tables(Map<String, String> types) {
    List<String> out = new ArrayList<>();
    for (String t : TABLES) {
      String s = t;
      for (Map.Entry<String, String> e : types.entrySet()) {
        s = s.replace("{" + e.getKey() + "}", e.getValue());
      }
      out.add(s);
    }
    return out;
  }

  /**
   * Creates the tables of an empty database, or checks an existing one, in one write transaction
   * serialized against other processes doing the same.
   *
   * @param db the database
   * @param libraryVersion written to {@code version_info.library_version} of a fresh database
   * @throws IncompatibleSchemaException if the database is at a revision Bilevel cannot use,
   *     with what to do about it
   */
  public static void createOrCheck(Database db, String libraryVersion) {
    Dialect dialect = db.dialect();
    db.write(c -> {
      dialect.lockSchema(c);
      if (!dialect.tablesExist(c)) {
        try (Statement s = c.createStatement()) {
          for (String ddl : dialect.createTables()) {
            s.execute(ddl);
          }
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO version_info (version_info_id, schema_version, library_version) "
                + "VALUES (1, ?, ?)")) {
          ps.setInt(1, SCHEMA_VERSION);
          ps.setString(2, libraryVersion);
          ps.executeUpdate();
        }
        stamp(c, HEAD_REVISION);
        return null;
      }
      check(c);
      return null;
    });
  }

  /**
   * Brings an existing database to the head revision (Optuna's {@code storage upgrade} for the
   * revisions Bilevel knows): {@code v3.0.0.d} gains the {@code trials(study_id)} index and the
   * head stamp; a database at the head is left alone; an empty one is created at the head. Older
   * and unknown revisions are refused with what to do about them.
   *
   * @param db the database
   * @param libraryVersion written to a fresh database
   * @return the revision found (empty for a fresh database) and the revision now stamped
   * @throws IncompatibleSchemaException for a revision this method cannot upgrade
   */
  public static String[] upgrade(Database db, String libraryVersion) {
    Dialect dialect = db.dialect();
    boolean fresh = db.read(c -> !dialect.tablesExist(c));
    if (fresh) {
      createOrCheck(db, libraryVersion);
      return new String[] {"", HEAD_REVISION};
    }
    return db.write(c -> {
      dialect.lockSchema(c);
      List<String> revisions = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT version_num FROM alembic_version")) {
        while (rs.next()) {
          revisions.add(rs.getString(1));
        }
      }
      if (revisions.size() == 1 && revisions.get(0).equals("v3.0.0.d")) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE INDEX IF NOT EXISTS ix_trials_study_id ON trials (study_id)");
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE alembic_version SET version_num = ?")) {
          ps.setString(1, HEAD_REVISION);
          ps.executeUpdate();
        }
        return new String[] {"v3.0.0.d", HEAD_REVISION};
      }
      check(c);
      List<String> now = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT version_num FROM alembic_version")) {
        while (rs.next()) {
          now.add(rs.getString(1));
        }
      }
      return new String[] {revisions.isEmpty() ? "" : revisions.get(0), now.get(0)};
    });
  }

  private static void check(Connection c) throws SQLException {
    List<String> revisions = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version_num FROM alembic_version")) {
      while (rs.next()) {
        revisions.add(rs.getString(1));
      }
    }
    if (revisions.isEmpty()) {
      Integer schemaVersion = null;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT schema_version FROM version_info")) {
        if (rs.next()) {
          schemaVersion = rs.getInt(1);
        }
      }
      if (schemaVersion != null && schemaVersion == SCHEMA_VERSION) {
        // What Optuna does with an initialized database lacking a stamp: record the head.
        stamp(c, HEAD_REVISION);
        return;
      }
      throw new IncompatibleSchemaException(
          "The database has Optuna tables but no alembic revision and schema_version "
              + schemaVersion + " (Bilevel reads schema version " + SCHEMA_VERSION
              + "): open it once with Python Optuna and run "
              + "`optuna storage upgrade --storage URL`.");
    }
    String revision = revisions.get(0);
    if (revisions.size() == 1 && SUPPORTED_REVISIONS.contains(revision)) {
      return;
    }
    if (OLDER_OPTUNA_REVISIONS.contains(revision)) {
      throw new IncompatibleSchemaException(
          "The database is at Optuna schema revision " + revision + " (written by Optuna before "
              + "3.0); Bilevel reads revisions " + SUPPORTED_REVISIONS + ". Upgrade it with "
              + "`pip install 'optuna>=3.0' && optuna storage upgrade --storage URL`.");
    }
    throw new IncompatibleSchemaException(
        "The database is at an unknown schema revision " + revisions + "; Bilevel reads Optuna "
            + "revisions " + SUPPORTED_REVISIONS + " (Optuna 3.0 to 5.0). If a newer Optuna wrote "
            + "it, use a Bilevel release that supports that revision, or point Bilevel at a new "
            + "database.");
  }

  private static void stamp(Connection c, String revision) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO alembic_version (version_num) VALUES (?)")) {
      ps.setString(1, revision);
      ps.executeUpdate();
    }
  }
}
