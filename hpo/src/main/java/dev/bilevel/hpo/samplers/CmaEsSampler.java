package dev.bilevel.hpo.samplers;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.SystemAttrWriter;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.internal.cmaes.CmaEs;
import dev.bilevel.hpo.internal.cmaes.CmaRestarts;
import dev.bilevel.hpo.internal.SearchSpaces;
import dev.bilevel.hpo.internal.space.UnitSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CMA-ES over the numeric parameters of the intersection search space, in the manner of Optuna's
 * {@code CmaEsSampler} (Hansen, "The CMA evolution strategy: a tutorial", 2016); categorical
 * parameters, parameters outside the space, startup trials and multi-objective studies use the
 * independent sampler.
 *
 * <p>Parameters are mapped to {@code [0, 1]^N} (log scales and integer/step grids as {@code
 * UnitSpace}); the search starts from the centre with {@code σ₀ = 1/6} (Optuna's {@code
 * min_range/6}). Each trial of the search records its place in system attributes ({@value
 * #RESTART_KEY}, {@value #GENERATION_KEY}, {@value #X_KEY}: the unrounded unit-space candidate),
 * and the optimizer state is rebuilt by replaying the first {@code λ} complete trials of every
 * finished generation. Several workers can thus share a study through its storage alone, and a
 * suggestion depends only on the seed, the trial number and the visible history.
 *
 * <p>Options ({@link Builder}): restarts {@code IPOP} (Auger and Hansen, CEC 2005: population ×
 * {@code incPopsize} after each termination) or {@code BIPOP} (Hansen, GECCO 2009: interleaved
 * large- and small-population runs with equal budgets); <b>margin</b> for discrete parameters
 * (Hamano et al., GECCO 2022, on by default); the <b>separable</b> variant (Ros and Hansen, PPSN
 * 2008); a <b>warm start</b> from source trials (Nomura et al., "Warm starting CMA-ES for
 * hyperparameter optimization", AAAI 2021: mean and covariance of the best 10% of the source
 * trials plus {@code 0.1²·I}).
 *
 * <pre>{@code
 * Study study = Study.builder().sampler(CmaEsSampler.builder().seed(42)
 *     .restartStrategy(CmaEsSampler.Restart.IPOP).build()).create();
 * }</pre>
 */
public final class CmaEsSampler implements Sampler {
  /** System attribute: the restart index of the trial's run. */
  public static final String RESTART_KEY = "cma:restart";
  /** System attribute: the trial's generation within its run. */
  public static final String GENERATION_KEY = "cma:generation";
  /** System attribute: the trial's unrounded candidate in unit space. */
  public static final String X_KEY = "cma:x";
  /** System attribute: a fingerprint of the search space the trial was sampled in. */
  public static final String SPACE_KEY = "cma:space";

  /** Restart strategies. */
  public enum Restart {
    /** A single run, no restart. */
    NONE,
    /** Increasing population (Auger and Hansen 2005). */
    IPOP,
    /** Bi-population (Hansen 2009). */
    BIPOP
  }

  private final long seed;
  private final Sampler independent;
  private final int nStartupTrials;
  private final Restart restart;
  private final int incPopsize;
  private final Integer popsize;
  private final double sigma0;
  private final boolean withMargin;
  private final boolean separable;
  private final List<FrozenTrial> sourceTrials;
  private final Map<Long, Map<String, Object>> pending = new ConcurrentHashMap<>();

  /**
   * A sampler with the defaults of {@link Builder} and the given seed.
   *
   * @param seed the seed
   */
  public CmaEsSampler(long seed) {
    this(builder().seed(seed));
  }

  private CmaEsSampler(Builder b) {
    this.seed = b.seed;
    this.independent = b.independent != null ? b.independent : new RandomSampler(b.seed);
    this.nStartupTrials = b.nStartupTrials;
    this.restart = b.restart;
    this.incPopsize = b.incPopsize;
    this.popsize = b.popsize;
    this.sigma0 = b.sigma0;
    this.withMargin = b.withMargin;
    this.separable = b.separable;
    this.sourceTrials = List.copyOf(b.sourceTrials);
  }

  /**
   * A builder with defaults: seed 0, one startup trial, no restarts, {@code incPopsize} 2, the
   * default population {@code 4 + ⌊3 ln N⌋}, {@code σ₀ = 1/6}, margin on, full covariance, no
   * warm start.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Options of a {@link CmaEsSampler}. */
  public static final class Builder {
    private long seed;
    private Sampler independent;
    private int nStartupTrials = 1;
    private Restart restart = Restart.NONE;
    private int incPopsize = 2;
    private Integer popsize;
    private double sigma0 = 1.0 / 6.0;
    private boolean withMargin = true;
    private boolean separable;
    private List<FrozenTrial> sourceTrials = List.of();

    private Builder() {}

    /**
     * Sets the seed.
     *
     * @param s the seed
     * @return this builder
     */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /**
     * Sets the independent sampler (default: {@link RandomSampler} with the same seed).
     *
     * @param s the sampler
     * @return this builder
     */
    public Builder independentSampler(Sampler s) {
      this.independent = Objects.requireNonNull(s);
      return this;
    }

    /**
     * Sets the number of complete trials sampled independently first.
     *
     * @param n at least 0
     * @return this builder
     */
    public Builder nStartupTrials(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("nStartupTrials must be >= 0, got " + n);
      }
      this.nStartupTrials = n;
      return this;
    }

    /**
     * Sets the restart strategy and the population growth factor of IPOP/BIPOP.
     *
     * @param r the strategy
     * @param inc the factor, at least 2
     * @return this builder
     */
    public Builder restartStrategy(Restart r, int inc) {
      if (inc < 2) {
        throw new IllegalArgumentException("incPopsize must be >= 2, got " + inc);
      }
      this.restart = Objects.requireNonNull(r);
      this.incPopsize = inc;
      return this;
    }

    /**
     * Sets the restart strategy with population growth factor 2.
     *
     * @param r the strategy
     * @return this builder
     */
    public Builder restartStrategy(Restart r) {
      return restartStrategy(r, 2);
    }

    /**
     * Sets the initial population size.
     *
     * @param lambda at least 2
     * @return this builder
     */
    public Builder popsize(int lambda) {
      if (lambda < 2) {
        throw new IllegalArgumentException("popsize must be >= 2, got " + lambda);
      }
      this.popsize = lambda;
      return this;
    }

    /**
     * Sets the initial step size in unit-cube coordinates.
     *
     * @param s in (0, 1]
     * @return this builder
     */
    public Builder sigma0(double s) {
      if (!(s > 0 && s <= 1)) {
        throw new IllegalArgumentException("sigma0 must be in (0, 1], got " + s);
      }
      this.sigma0 = s;
      return this;
    }

    /**
     * Enables or disables the margin for discrete parameters.
     *
     * @param b whether to use the margin
     * @return this builder
     */
    public Builder withMargin(boolean b) {
      this.withMargin = b;
      return this;
    }

    /**
     * Selects sep-CMA-ES (diagonal covariance).
     *
     * @param b whether to use the separable variant
     * @return this builder
     */
    public Builder separable(boolean b) {
      this.separable = b;
      return this;
    }

    /**
     * Warm-starts the first run from finished trials of a related study (WS-CMA-ES).
     *
     * @param trials the source trials (COMPLETE ones with every parameter of the space are used)
     * @return this builder
     */
    public Builder sourceTrials(List<FrozenTrial> trials) {
      this.sourceTrials = List.copyOf(trials);
      return this;
    }

    /**
     * Builds the sampler.
     *
     * @return the sampler
     */
    public CmaEsSampler build() {
      return new CmaEsSampler(this);
    }
  }

  /**
   * The seed.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  @Override
  public void beforeTrial(StudyView study, FrozenTrial trial, SystemAttrWriter attrs) {
    independent.beforeTrial(study, trial, attrs);
  }

  @Override
  public Map<String, Distribution> inferRelativeSearchSpace(StudyView study, FrozenTrial trial) {
    if (study.isMultiObjective()) {
      return Map.of();
    }
    Map<String, Distribution> space =
        new LinkedHashMap<>(SearchSpaces.intersection(study.trials(TrialState.COMPLETE)));
    space.values().removeIf(d -> d instanceof CategoricalDistribution);
    return space;
  }

  @Override
  public Map<String, Double> sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> searchSpace) {
    List<FrozenTrial> complete = study.trials(TrialState.COMPLETE);
    if (complete.size() < nStartupTrials) {
      return Map.of();
    }
    UnitSpace space = new UnitSpace(searchSpace);
    String key = fingerprint(space, searchSpace);
    boolean minimize = study.direction() == StudyDirection.MINIMIZE;
    CmaRestarts.State state = replay(space, key, complete, minimize);
    double[] x = state.cma().sample(TrialRandom.of(seed, trial.number(), "cma"));
    List<Double> xs = new ArrayList<>();
    for (double v : x) {
      xs.add(v);
    }
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put(RESTART_KEY, state.restart());
    attrs.put(GENERATION_KEY, state.cma().generation());
    attrs.put(X_KEY, xs);
    attrs.put(SPACE_KEY, key);
    pending.put(trial.trialId(), attrs);
    return space.decode(x);
  }

  /**
   * Rebuilds the optimizer by replaying the stored generations.
   *
   * @param space the unit space
   * @param key its fingerprint
   * @param complete the complete trials
   * @param minimize the direction
   * @return the current run and its restart index
   */
  CmaRestarts.State replay(
      UnitSpace space, String key, List<FrozenTrial> complete, boolean minimize) {
    CmaRestarts restarts = new CmaRestarts(
        space, seed, restart, incPopsize, popsize, sigma0, withMargin, separable,
        warmStart(space, minimize));
    Map<Long, List<FrozenTrial>> groups = new LinkedHashMap<>();
    for (FrozenTrial t : complete) {
      Map<String, Object> a = t.systemAttrs();
      if (key.equals(a.get(SPACE_KEY)) && a.get(RESTART_KEY) instanceof Number r
          && a.get(GENERATION_KEY) instanceof Number g && a.get(X_KEY) instanceof List<?>
          && t.values().size() == 1 && !Double.isNaN(t.value())) {
        groups.computeIfAbsent(r.longValue() << 32 | g.longValue(), k -> new ArrayList<>()).add(t);
      }
    }
    while (true) {
      CmaRestarts.State s = restarts.current();
      List<FrozenTrial> batch =
          groups.get((long) s.restart() << 32 | s.cma().generation());
      int lambda = s.cma().lambda();
      if (batch == null || batch.size() < lambda) {
        return s;
      }
      double[][] xs = new double[lambda][];
      double[] f = new double[lambda];
      for (int i = 0; i < lambda; i++) {
        FrozenTrial t = batch.get(i);
        xs[i] = evaluatedPoint(space, t);
        double v = minimize ? t.value() : -t.value();
        f[i] = Double.isFinite(v) ? v : Math.copySign(Double.MAX_VALUE, v);
      }
      restarts.tell(xs, f);
    }
  }

  /**
   * The unit-space point a trial was evaluated at: the stored candidate, except where the trial's
   * parameter differs from what the candidate decodes to (a fixed or enqueued value), where the
   * parameter's own encoding is used. The stored candidate keeps the unrounded position of
   * discrete coordinates, which the margin needs.
   */
  private static double[] evaluatedPoint(UnitSpace space, FrozenTrial t) {
    List<?> l = (List<?>) t.systemAttrs().get(X_KEY);
    double[] x = new double[space.dim()];
    for (int j = 0; j < x.length; j++) {
      x[j] = j < l.size() ? ((Number) l.get(j)).doubleValue() : 0.5;
      String name = space.names().get(j);
      if (space.distribution(j).equals(t.distributions().get(name))) {
        double actual = t.internalParam(name);
        if (space.decode(j, x[j]) != actual) {
          x[j] = space.encode(j, actual);
        }
      }
    }
    return x;
  }

  /** Mean and covariance of the best 10% of the source trials (Nomura et al. 2021), or null. */
  private CmaRestarts.WarmStart warmStart(UnitSpace space, boolean minimize) {
    List<double[]> xs = new ArrayList<>();
    List<Double> fs = new ArrayList<>();
    for (FrozenTrial t : sourceTrials) {
      if (t.state() == TrialState.COMPLETE && t.values().size() == 1 && space.covers(t)
          && !Double.isNaN(t.value())) {
        double[] u = new double[space.dim()];
        space.encode(t, u);
        xs.add(u);
        fs.add(minimize ? t.value() : -t.value());
      }
    }
    if (xs.isEmpty()) {
      return null;
    }
    Integer[] order = new Integer[xs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (p, q) -> Double.compare(fs.get(p), fs.get(q)));
    int top = Math.max(1, (int) Math.floor(0.1 * xs.size()));
    List<double[]> best = new ArrayList<>();
    for (int i = 0; i < top; i++) {
      best.add(xs.get(order[i]));
    }
    return CmaRestarts.promisingDistribution(best, 0.1);
  }

  @Override
  public double sampleIndependent(
      StudyView study, FrozenTrial trial, String paramName, Distribution distribution) {
    return independent.sampleIndependent(study, trial, paramName, distribution);
  }

  @Override
  public void afterTrial(
      StudyView study, FrozenTrial trial, TrialState state, List<Double> values,
      SystemAttrWriter attrs) {
    Map<String, Object> mine = pending.remove(trial.trialId());
    if (mine != null) {
      mine.forEach(attrs::set);
    }
    independent.afterTrial(study, trial, state, values, attrs);
  }

  private static String fingerprint(UnitSpace space, Map<String, Distribution> dists) {
    StringBuilder sb = new StringBuilder();
    for (String name : space.names()) {
      sb.append(name).append('=').append(dists.get(name)).append(';');
    }
    long h = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < sb.length(); i++) {
      h = TrialRandom.mix(h + sb.charAt(i));
    }
    return Long.toHexString(h);
  }
}
