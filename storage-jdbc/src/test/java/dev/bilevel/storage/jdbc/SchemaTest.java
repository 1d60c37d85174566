package dev.bilevel.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Fresh databases, schema revisions, raw encodings, on SQLite and PostgreSQL. */
@ExtendWith(PostgresServer.class)
class SchemaTest {

  private static List<List<String>> rows(Connection c, String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  private static Connection sqlite(String url) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + url.substring("sqlite:///".length()));
  }

  @Test
  void freshSqliteDatabaseIsStampedAsOptuna5DoesAndStoresOptunaEncodings() throws Exception {
    String url = TempDbs.sqliteUrl();
    try (JdbcStorage storage = JdbcStorage.open(url)) {
      long s = storage.createNewStudy(List.of(StudyDirection.MAXIMIZE), "enc");
      long t = storage.createNewTrial(s, null);
      storage.setTrialIntermediateValue(t, 0, Double.NaN);
      storage.setTrialIntermediateValue(t, 1, Double.NEGATIVE_INFINITY);
      storage.setTrialIntermediateValue(t, 2, 0.5);
      storage.setTrialUserAttr(t, "weird", List.of(Double.NaN, Double.POSITIVE_INFINITY, "é"));
      storage.setTrialStateValues(t, TrialState.COMPLETE, List.of(Double.POSITIVE_INFINITY));
    }
    try (Connection c = sqlite(url)) {
      assertThat(rows(c, "SELECT * FROM version_info"))
          .containsExactly(List.of("1", "12", JdbcStorage.libraryVersion()));
      assertThat(JdbcStorage.libraryVersion()).isNotBlank().doesNotContain("$");
      assertThat(rows(c, "SELECT version_num FROM alembic_version"))
          .containsExactly(List.of("v3.2.0.a"));
      assertThat(rows(c, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = "
          + "'trials'")).contains(List.of("ix_trials_study_id"));
      assertThat(rows(c, "PRAGMA journal_mode")).containsExactly(List.of("wal"));
      assertThat(rows(c, "SELECT direction FROM study_directions"))
          .containsExactly(List.of("MAXIMIZE"));
      assertThat(rows(c, "SELECT value, value_type FROM trial_values"))
          .containsExactly(java.util.Arrays.asList(null, "INF_POS"));
      assertThat(rows(c, "SELECT step, intermediate_value, intermediate_value_type FROM "
          + "trial_intermediate_values ORDER BY step")).containsExactly(
              java.util.Arrays.asList("0", null, "NAN"),
              java.util.Arrays.asList("1", null, "INF_NEG"),
              List.of("2", "0.5", "FINITE"));
      assertThat(rows(c, "SELECT value_json FROM trial_user_attributes"))
          .containsExactly(List.of("[NaN, Infinity, \"\\u00e9\"]"));
      assertThat(rows(c, "SELECT state FROM trials")).containsExactly(List.of("COMPLETE"));
    }
  }

  @Test
  void freshPostgresDatabaseUsesOptunasEnumTypes() throws Exception {
    String url = PostgresServer.freshSchemaUrl();
    try (JdbcStorage storage = JdbcStorage.open(url)) {
      storage.createNewStudy(List.of(StudyDirection.MINIMIZE), "pg");
    }
    String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
    try (Connection c = DriverManager.getConnection(
        "jdbc:" + PostgresServer.url().replace("postgres@", "") , "postgres", "")) {
      assertThat(rows(c, "SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)"
          + " FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON "
          + "n.oid = t.typnamespace WHERE n.nspname = '" + schema + "' GROUP BY t.typname "
          + "ORDER BY t.typname")).containsExactly(
              List.of("studydirection", "NOT_SET,MINIMIZE,MAXIMIZE"),
              List.of("trialintermediatevaluetype", "FINITE,INF_POS,INF_NEG,NAN"),
              List.of("trialstate", "RUNNING,COMPLETE,PRUNED,FAIL,WAITING"),
              List.of("trialvaluetype", "FINITE,INF_POS,INF_NEG"));
      assertThat(rows(c, "SELECT version_num FROM " + schema + ".alembic_version"))
          .containsExactly(List.of("v3.2.0.a"));
      assertThat(rows(c, "SELECT indexname FROM pg_indexes WHERE schemaname = '" + schema
          + "' AND tablename = 'trials'")).contains(List.of("ix_trials_study_id"));
    }
  }

  @Test
  void databasesAtV300dOpenUnchanged() throws Exception {
    Path db = TempDbs.fixtureCopy("optuna-3.1.0.db");
    try (JdbcStorage storage = JdbcStorage.open("sqlite:///" + db)) {
      assertThat(storage.getAllStudies()).hasSize(2);
    }
    try (Connection c = sqlite("sqlite:///" + db)) {
      assertThat(rows(c, "SELECT version_num FROM alembic_version"))
          .containsExactly(List.of("v3.0.0.d"));
    }
  }

  @Test
  void unknownAndOldRevisionsAreRefusedWithWhatToDo() throws Exception {
    String url = TempDbs.sqliteUrl();
    JdbcStorage.open(url).close();
    try (Connection c = sqlite(url); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE alembic_version SET version_num = 'v9.9.9.z'");
    }
    assertThatThrownBy(() -> JdbcStorage.open(url))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining("v9.9.9.z").hasMessageContaining("Bilevel release");
    try (Connection c = sqlite(url); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE alembic_version SET version_num = 'v2.6.0.a'");
    }
    assertThatThrownBy(() -> JdbcStorage.open(url))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining("optuna storage upgrade");
  }

  @Test
  void storageUrlsAreParsedOrRejected() {
    assertThatThrownBy(() -> JdbcStorage.open("mysql://x@h/db"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mysql");
    assertThatThrownBy(() -> JdbcStorage.open("sqlite:///:memory:"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("file");
    assertThatThrownBy(() -> JdbcStorage.open("postgresql://u:secret@127.0.0.1:1/db"))
        .isInstanceOf(StorageAccessException.class)
        .hasMessageContaining("u:***@").hasMessageNotContaining("secret");
  }
}
