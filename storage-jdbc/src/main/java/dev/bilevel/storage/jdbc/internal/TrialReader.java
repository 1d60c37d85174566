package dev.bilevel.storage.jdbc.internal;

import static dev.bilevel.storage.jdbc.internal.Rows.bind;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.storage.OptunaJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads trials back as {@link FrozenTrial}s: the {@code trials} rows selected by one filter, then
 * each child table once for all of them (six queries however many trials), inside the caller's
 * read transaction so that the snapshot is consistent.
 */
public final class TrialReader {

  private final Dialect dialect;

  /**
   * A reader for one dialect.
   *
   * @param dialect the dialect
   */
  public TrialReader(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * One trial.
   *
   * @param c the connection
   * @param trialId the trial
   * @return the snapshot
   * @throws SQLException on database errors
   */
  public FrozenTrial trial(Connection c, long trialId) throws SQLException {
    List<FrozenTrial> found = load(c, "t.trial_id = ?", List.of(trialId));
    if (found.isEmpty()) {
      throw Rows.noTrial(trialId);
    }
    return found.get(0);
  }

  /**
   * A study's trials by number, optionally filtered by state.
   *
   * @param c the connection
   * @param studyId the study (must exist)
   * @param states states to keep, or {@code null}/empty for all
   * @return unmodifiable list
   * @throws SQLException on database errors
   */
  public List<FrozenTrial> trials(Connection c, long studyId, Set<TrialState> states)
      throws SQLException {
    List<Object> args = new ArrayList<>();
    args.add(studyId);
    return load(c, "t.study_id = ?" + stateFilter(states, args), args);
  }

  /**
   * Counts a study's trials.
   *
   * @param c the connection
   * @param studyId the study (must exist)
   * @param states states to count, or {@code null}/empty for all
   * @return the count
   * @throws SQLException on database errors
   */
  public int count(Connection c, long studyId, Set<TrialState> states) throws SQLException {
    List<Object> args = new ArrayList<>();
    args.add(studyId);
    String sql = "SELECT COUNT(*) FROM trials t WHERE t.study_id = ?" + stateFilter(states, args);
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = bind(ps, args.toArray()).executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String stateFilter(Set<TrialState> states, List<Object> args) {
    if (states == null || states.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(" AND t.state IN (");
    int i = 0;
    for (TrialState s : states) {
      sb.append(i++ == 0 ? "?" : ", ?");
      args.add(s.name());
    }
    return sb.append(')').toString();
  }

  /**
   * The id of a trial by study and number.
   *
   * @param c the connection
   * @param studyId the study
   * @param number the number
   * @return the id
   * @throws SQLException on database errors
   */
  public long idFromNumber(Connection c, long studyId, int number) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT trial_id FROM trials WHERE study_id = ? AND number = ?");
        ResultSet rs = bind(ps, studyId, number).executeQuery()) {
      if (!rs.next()) {
        throw new NoSuchElementException("No trial number " + number + " in study " + studyId);
      }
      return rs.getLong(1);
    }
  }

  /**
   * The number of a trial.
   *
   * @param c the connection
   * @param trialId the trial
   * @return its number
   * @throws SQLException on database errors
   */
  public int number(Connection c, long trialId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT number FROM trials WHERE trial_id = ?");
        ResultSet rs = bind(ps, trialId).executeQuery()) {
      if (!rs.next()) {
        throw Rows.noTrial(trialId);
      }
      return rs.getInt(1);
    }
  }

  private static final class Builder {
    final long id;
    final int number;
    final TrialState state;
    final Instant start;
    final Instant complete;
    final TreeMap<Integer, Double> values = new TreeMap<>();
    final Map<String, Object> params = new LinkedHashMap<>();
    final Map<String, Distribution> distributions = new LinkedHashMap<>();
    final Map<String, Object> user = new LinkedHashMap<>();
    final Map<String, Object> system = new LinkedHashMap<>();
    final TreeMap<Integer, Double> intermediate = new TreeMap<>();

    Builder(long id, int number, TrialState state, Instant start, Instant complete) {
      this.id = id;
      this.number = number;
      this.state = state;
      this.start = start;
      this.complete = complete;
    }

    FrozenTrial build() {
      return new FrozenTrial(id, number, state, new ArrayList<>(values.values()), start, complete,
          params, distributions, user, system, intermediate);
    }
  }

  private List<FrozenTrial> load(Connection c, String where, List<Object> args)
      throws SQLException {
    Object[] a = args.toArray();
    Map<Long, Builder> byId = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT t.trial_id, t.number, t.state, t.datetime_start, t.datetime_complete "
            + "FROM trials t WHERE " + where + " ORDER BY t.number, t.trial_id");
        ResultSet rs = bind(ps, a).executeQuery()) {
      while (rs.next()) {
        long id = rs.getLong(1);
        byId.put(id, new Builder(id, rs.getInt(2), TrialState.valueOf(rs.getString(3)),
            dialect.getDatetime(rs, 4), dialect.getDatetime(rs, 5)));
      }
    }
    if (byId.isEmpty()) {
      return List.of();
    }
    // One round trip for all child rows: (kind, trial, name, number, type, index, json, order).
    String join = " JOIN trials t ON t.trial_id = x.trial_id WHERE " + where;
    String sql = "SELECT 0, x.trial_id, x.param_name, x.param_value, NULL, NULL, "
        + "x.distribution_json, x.param_id FROM trial_params x" + join
        + " UNION ALL SELECT 1, x.trial_id, NULL, x.value, CAST(x.value_type AS VARCHAR(8)), "
        + "x.objective, NULL, x.trial_value_id FROM trial_values x" + join
        + " UNION ALL SELECT 2, x.trial_id, NULL, x.intermediate_value, "
        + "CAST(x.intermediate_value_type AS VARCHAR(8)), x.step, NULL, "
        + "x.trial_intermediate_value_id FROM trial_intermediate_values x" + join
        + " UNION ALL SELECT 3, x.trial_id, x.\"key\", NULL, NULL, NULL, x.value_json, "
        + "x.trial_user_attribute_id FROM trial_user_attributes x" + join
        + " UNION ALL SELECT 4, x.trial_id, x.\"key\", NULL, NULL, NULL, x.value_json, "
        + "x.trial_system_attribute_id FROM trial_system_attributes x" + join
        + " ORDER BY 1, 8";
    Object[] repeated = new Object[a.length * 5];
    for (int k = 0; k < 5; k++) {
      System.arraycopy(a, 0, repeated, k * a.length, a.length);
    }
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = bind(ps, repeated).executeQuery()) {
      while (rs.next()) {
        Builder b = byId.get(rs.getLong(2));
        switch (rs.getInt(1)) {
          case 0 -> {
            Distribution d = Rows.distribution(rs.getString(7));
            b.params.put(rs.getString(3), d.toExternal(rs.getDouble(4)));
            b.distributions.put(rs.getString(3), d);
          }
          case 1 -> b.values.put(rs.getInt(6), Rows.readValue(rs, 4));
          case 2 -> b.intermediate.put(rs.getInt(6), Rows.readValue(rs, 4));
          case 3 -> b.user.put(rs.getString(3), OptunaJson.loads(rs.getString(7)));
          default -> b.system.put(rs.getString(3), OptunaJson.loads(rs.getString(7)));
        }
      }
    }
    List<FrozenTrial> out = new ArrayList<>(byId.size());
    for (Builder b : byId.values()) {
      out.add(b.build());
    }
    return List.copyOf(out);
  }
}
