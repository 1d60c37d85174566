package dev.bilevel.storage.jdbc.internal;

import static dev.bilevel.storage.jdbc.internal.Rows.bind;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.DistributionJson;
import dev.bilevel.hpo.storage.OptunaJson;
import dev.bilevel.hpo.storage.UpdateFinishedTrialException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trial writes on Optuna's tables, each inside the caller's write transaction. State changes are
 * compare-and-set: the trial row is read under the write lock (SQLite's {@code BEGIN IMMEDIATE},
 * PostgreSQL's {@code SELECT ... FOR UPDATE}) and changed only if it is in the expected state.
 * Trial numbers are {@code COUNT(*)} of the study's trials, taken while the study row is locked,
 * hence dense and unique.
 */
public final class TrialDao {

  /** The locked state of a trial row. */
  private record Row(long studyId, int number, TrialState state) {}

  private final Dialect dialect;
  private final StudyDao studies;

  /**
   * A DAO for one dialect.
   *
   * @param dialect the dialect
   * @param studies the study DAO (for locks and directions)
   */
  public TrialDao(Dialect dialect, StudyDao studies) {
    this.dialect = dialect;
    this.studies = studies;
  }

  /**
   * Inserts a trial with the study's next number.
   *
   * @param c the connection (write transaction)
   * @param studyId the study
   * @param template {@code null} for a fresh RUNNING trial started at {@code now}, else the trial
   *     to copy
   * @param now the current time
   * @return the new trial id
   * @throws SQLException on database errors
   */
  public long create(Connection c, long studyId, FrozenTrial template, Instant now)
      throws SQLException {
    studies.require(c, studyId, true);
    if (template != null) {
      for (Map.Entry<String, Distribution> e : template.distributions().entrySet()) {
        checkCompatible(c, studyId, e.getKey(), e.getValue());
      }
      if (template.state().isFinished()) {
        checkValues(template.state(), template.values(), studies.directions(c, studyId).size());
      }
    }
    int number;
    try (PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(*) FROM trials WHERE study_id = ?");
        ResultSet rs = bind(ps, studyId).executeQuery()) {
      rs.next();
      number = rs.getInt(1);
    }
    long id;
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO trials (number, study_id, state, "
        + "datetime_start, datetime_complete) VALUES (?, ?, ?, ?, ?) RETURNING trial_id")) {
      bind(ps, number, studyId, (template == null ? TrialState.RUNNING : template.state()).name());
      dialect.setDatetime(ps, 4, template == null ? now : template.datetimeStart());
      dialect.setDatetime(ps, 5, template == null ? null : template.datetimeComplete());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    if (template != null) {
      for (Map.Entry<String, Distribution> e : template.distributions().entrySet()) {
        upsertParam(c, id, e.getKey(), template.internalParam(e.getKey()), e.getValue());
      }
      insertValues(c, id, template.values());
      for (Map.Entry<Integer, Double> e : template.intermediateValues().entrySet()) {
        upsertIntermediate(c, id, e.getKey(), e.getValue());
      }
      for (Map.Entry<String, Object> e : template.userAttrs().entrySet()) {
        upsertAttr(c, false, id, e.getKey(), OptunaJson.dumps(e.getValue()));
      }
      for (Map.Entry<String, Object> e : template.systemAttrs().entrySet()) {
        upsertAttr(c, true, id, e.getKey(), OptunaJson.dumps(e.getValue()));
      }
    }
    return id;
  }

  private Row lock(Connection c, long trialId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT study_id, number, state FROM trials WHERE trial_id = ?" + dialect.forUpdate());
        ResultSet rs = bind(ps, trialId).executeQuery()) {
      if (!rs.next()) {
        throw Rows.noTrial(trialId);
      }
      return new Row(rs.getLong(1), rs.getInt(2), TrialState.valueOf(rs.getString(3)));
    }
  }

  private Row updatable(Connection c, long trialId) throws SQLException {
    Row row = lock(c, trialId);
    if (row.state.isFinished()) {
      throw new UpdateFinishedTrialException(trialId, row.number, row.state);
    }
    return row;
  }

  private void checkCompatible(Connection c, long studyId, String name, Distribution d)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT p.distribution_json FROM trial_params p "
        + "JOIN trials t ON t.trial_id = p.trial_id WHERE t.study_id = ? AND p.param_name = ? "
        + "LIMIT 1");
        ResultSet rs = bind(ps, studyId, name).executeQuery()) {
      if (rs.next()) {
        Distribution.checkCompatibility(Rows.distribution(rs.getString(1)), d);
      }
    }
  }

  /**
   * Sets a parameter of an unfinished trial after checking compatibility within the study.
   *
   * @param c the connection (write transaction)
   * @param trialId the trial
   * @param name the parameter
   * @param internal the internal value
   * @param d the distribution
   * @throws SQLException on database errors
   */
  public void setParam(Connection c, long trialId, String name, double internal, Distribution d)
      throws SQLException {
    Row row = updatable(c, trialId);
    checkCompatible(c, row.studyId, name, d);
    d.toExternal(internal);
    upsertParam(c, trialId, name, internal, d);
  }

  private static void upsertParam(Connection c, long trialId, String name, double internal,
      Distribution d) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO trial_params (trial_id, "
        + "param_name, param_value, distribution_json) VALUES (?, ?, ?, ?) ON CONFLICT "
        + "(trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, "
        + "distribution_json = excluded.distribution_json")) {
      bind(ps, trialId, name, internal, DistributionJson.toJson(d)).executeUpdate();
    }
  }

  /**
   * Compare-and-set of a trial's state; see {@link dev.bilevel.hpo.storage.Storage
   * #setTrialStateValues}.
   *
   * @param c the connection (write transaction)
   * @param trialId the trial
   * @param state the target state (not WAITING)
   * @param values the values (possibly empty)
   * @param now the current time
   * @return whether the change was made
   * @throws SQLException on database errors
   */
  public boolean setState(Connection c, long trialId, TrialState state, List<Double> values,
      Instant now) throws SQLException {
    Row row = updatable(c, trialId);
    if (state == TrialState.RUNNING) {
      if (row.state != TrialState.WAITING) {
        return false;
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE trials SET state = ?, datetime_start = ? WHERE trial_id = ?")) {
        bind(ps, state.name());
        dialect.setDatetime(ps, 2, now);
        ps.setLong(3, trialId);
        ps.executeUpdate();
      }
      return true;
    }
    if (row.state != TrialState.RUNNING) {
      return false;
    }
    checkValues(state, values, studies.directions(c, row.studyId).size());
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE trials SET state = ?, datetime_complete = ? WHERE trial_id = ?")) {
      bind(ps, state.name());
      dialect.setDatetime(ps, 2, now);
      ps.setLong(3, trialId);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM trial_values WHERE trial_id = ?")) {
      bind(ps, trialId).executeUpdate();
    }
    insertValues(c, trialId, values);
    return true;
  }

  /**
   * Checks values against the state and the number of objectives, as the Storage contract says.
   *
   * @param state the finished state
   * @param values the values
   * @param objectives the study's number of objectives
   */
  public static void checkValues(TrialState state, List<Double> values, int objectives) {
    if (state == TrialState.COMPLETE && values.isEmpty()) {
      throw new IllegalArgumentException("A COMPLETE trial needs objective values");
    }
    if (!values.isEmpty() && values.size() != objectives) {
      throw new IllegalArgumentException(
          "Got " + values.size() + " values for a study with " + objectives + " objectives");
    }
    if (state == TrialState.COMPLETE && values.stream().anyMatch(v -> v.isNaN())) {
      throw new IllegalArgumentException("A COMPLETE trial cannot have NaN values: " + values);
    }
  }

  private static void insertValues(Connection c, long trialId, List<Double> values)
      throws SQLException {
    if (values.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO trial_values (trial_id, objective, "
        + "value, value_type) VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < values.size(); i++) {
        bind(ps, trialId, i);
        Rows.bindValue(ps, 3, values.get(i), "FINITE");
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Records the value at a step of an unfinished trial.
   *
   * @param c the connection (write transaction)
   * @param trialId the trial
   * @param step the step
   * @param value the value (NaN stored as NULL with type {@code NAN})
   * @throws SQLException on database errors
   */
  public void setIntermediate(Connection c, long trialId, int step, double value)
      throws SQLException {
    updatable(c, trialId);
    upsertIntermediate(c, trialId, step, value);
  }

  private static void upsertIntermediate(Connection c, long trialId, int step, double value)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO trial_intermediate_values "
        + "(trial_id, step, intermediate_value, intermediate_value_type) VALUES (?, ?, ?, ?) "
        + "ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = "
        + "excluded.intermediate_value, intermediate_value_type = "
        + "excluded.intermediate_value_type")) {
      bind(ps, trialId, step);
      Rows.bindValue(ps, 3, value, "NAN");
      ps.executeUpdate();
    }
  }

  /**
   * Sets an attribute of an unfinished trial.
   *
   * @param c the connection (write transaction)
   * @param system system rather than user attribute
   * @param trialId the trial
   * @param key the key
   * @param json the value as JSON text
   * @throws SQLException on database errors
   */
  public void setAttr(Connection c, boolean system, long trialId, String key, String json)
      throws SQLException {
    updatable(c, trialId);
    upsertAttr(c, system, trialId, key, json);
  }

  private static void upsertAttr(Connection c, boolean system, long trialId, String key,
      String json) throws SQLException {
    String table = system ? "trial_system_attributes" : "trial_user_attributes";
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
        + " (trial_id, \"key\", value_json) VALUES (?, ?, ?) ON CONFLICT (trial_id, \"key\") "
        + "DO UPDATE SET value_json = excluded.value_json")) {
      bind(ps, trialId, key, json).executeUpdate();
    }
  }

  /**
   * Writes heartbeats, on the database clock, for trials that are still RUNNING.
   *
   * @param c the connection (write transaction)
   * @param trialIds the trials
   * @throws SQLException on database errors
   */
  public void beat(Connection c, List<Long> trialIds) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO trial_heartbeats (trial_id, "
        + "heartbeat) SELECT trial_id, " + dialect.nowUtc() + " FROM trials WHERE trial_id = ? "
        + "AND state = ? ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat")) {
      for (long id : trialIds) {
        bind(ps, id, TrialState.RUNNING.name()).addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Marks FAIL the RUNNING trials of a study whose last heartbeat is older than the grace period
   * by the database clock (trials that never sent one are left alone, as in Optuna).
   *
   * @param c the connection (write transaction)
   * @param studyId the study
   * @param graceSeconds the grace period
   * @param now the completion time to record
   * @return ids of the trials failed
   * @throws SQLException on database errors
   */
  public List<Long> failStale(Connection c, long studyId, double graceSeconds, Instant now)
      throws SQLException {
    List<Long> stale = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT t.trial_id FROM trials t JOIN "
        + "trial_heartbeats h ON h.trial_id = t.trial_id WHERE t.study_id = ? AND t.state = ? AND "
        + dialect.olderThanSeconds("h.heartbeat") + " ORDER BY t.trial_id" + dialect.forUpdate())) {
      bind(ps, studyId, TrialState.RUNNING.name(), graceSeconds);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stale.add(rs.getLong(1));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE trials SET state = ?, "
        + "datetime_complete = ? WHERE trial_id = ? AND state = ?")) {
      for (long id : stale) {
        bind(ps, TrialState.FAIL.name());
        dialect.setDatetime(ps, 2, now);
        ps.setLong(3, id);
        ps.setString(4, TrialState.RUNNING.name());
        ps.executeUpdate();
      }
    }
    return stale;
  }
}
