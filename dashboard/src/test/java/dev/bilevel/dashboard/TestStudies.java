package dev.bilevel.dashboard;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import dev.bilevel.hpo.storage.Storage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Builds deterministic studies for the dashboard tests and the dashboard-load benchmark twin. */
public final class TestStudies {
  /** The search space of {@link #populate}: a float, a log float, an int and a categorical. */
  public static final Map<String, Distribution> SPACE = space();

  private TestStudies() {}

  private static Map<String, Distribution> space() {
    Map<String, Distribution> m = new LinkedHashMap<>();
    m.put("x", FloatDistribution.uniform(-5, 5));
    m.put("lr", FloatDistribution.logUniform(1e-5, 1));
    m.put("layers", IntDistribution.of(1, 8));
    m.put("optimizer", CategoricalDistribution.of("adam", "sgd", "rmsprop"));
    return m;
  }

  /**
   * A finished trial with fixed datetimes.
   *
   * @param state state
   * @param values values (empty unless COMPLETE)
   * @param params external parameter values, names from {@link #SPACE} or {@code dists}
   * @param dists distributions of the params
   * @param iv intermediate values
   * @param startSecond start, seconds after 2026-01-01
   * @return the template
   */
  public static FrozenTrial trial(TrialState state, List<Double> values, Map<String, Object> params,
      Map<String, Distribution> dists, Map<Integer, Double> iv, long startSecond) {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(startSecond);
    Map<String, Distribution> d = new LinkedHashMap<>();
    params.keySet().forEach(k -> d.put(k, dists.get(k)));
    return new FrozenTrial(-1, -1, state, values, t0,
        state.isFinished() ? t0.plusMillis(1500) : null, params, d, Map.of(), Map.of(),
        iv == null ? null : new TreeMap<>(iv));
  }

  /**
   * Adds {@code n} trials to a new single-objective study: objective
   * {@code (x-1)^2 + 0.1*log10(lr)^2 + layers/10}, every 10th trial pruned, every 37th failed,
   * each with 5 intermediate values.
   *
   * @param storage where
   * @param name study name
   * @param n trials
   * @param seed seed
   * @return the study id
   */
  public static long populate(Storage storage, String name, int n, long seed) {
    long id = storage.createNewStudy(List.of(StudyDirection.MINIMIZE), name);
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      addTrial(storage, id, r, i);
    }
    return id;
  }

  /**
   * Adds one trial as {@link #populate} would.
   *
   * @param storage where
   * @param id study
   * @param r random stream
   * @param i trial index (decides the state)
   * @return the new trial's id
   */
  public static long addTrial(Storage storage, long id, Random r, int i) {
    double x = -5 + 10 * r.nextDouble();
    double lr = Math.pow(10, -5 + 5 * r.nextDouble());
    long layers = 1 + r.nextInt(8);
    String opt = List.of("adam", "sgd", "rmsprop").get(r.nextInt(3));
    double v = (x - 1) * (x - 1) + 0.1 * Math.pow(Math.log10(lr), 2) + layers / 10.0;
    Map<Integer, Double> iv = new TreeMap<>();
    for (int s = 0; s < 5; s++) {
      iv.put(s, v * (1 + 1.0 / (s + 1)));
    }
    TrialState st = i % 37 == 36 ? TrialState.FAIL : i % 10 == 9 ? TrialState.PRUNED
        : TrialState.COMPLETE;
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("x", x);
    p.put("lr", lr);
    p.put("layers", layers);
    p.put("optimizer", opt);
    return storage.createNewTrial(id, trial(st, st == TrialState.COMPLETE ? List.of(v) : List.of(),
        p, SPACE, iv, i * 2L));
  }
}
