package dev.bilevel.hpo.samplers;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.SystemAttrWriter;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.internal.SearchSpaces;
import dev.bilevel.hpo.samplers.tpe.HistoryCache;
import dev.bilevel.hpo.samplers.tpe.ParzenEstimator;
import dev.bilevel.hpo.samplers.tpe.TrialSplit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * The tree-structured Parzen estimator (Bergstra, Bardenet, Bengio and Kégl, "Algorithms for
 * hyper-parameter optimization", NeurIPS 2011), with the components of Optuna's {@code
 * TPESampler} as analysed by Watanabe ("Tree-structured Parzen estimator: understanding its
 * algorithm components and their roles for better empirical performance", arXiv:2304.11127, 2023).
 *
 * <p>For each suggestion: the finished trials are split ({@link TrialSplit}) into the {@code γ(n)}
 * best, {@code B}, and the rest, {@code A}; a {@link ParzenEstimator} {@code l} is fitted to
 * {@code B} and {@code g} to {@code A} (observation weights {@code w(n)}, a ramp that down-weights
 * old trials); {@code n_ei_candidates} points are drawn from {@code l} and the one maximizing
 * {@code log l(x) − log g(x)}, i.e. the expected improvement under the TPE model, is returned.
 * Until {@code n_startup_trials} trials are finished, parameters are drawn uniformly.
 *
 * <ul>
 *   <li><b>Multivariate</b> (default for one objective, as Optuna 5.0): the intersection search
 *       space of the finished trials is modelled jointly by product kernels; with <b>group</b>, it
 *       is first decomposed into groups of parameters that always occur together ({@link
 *       SearchSpaces#groups}), each modelled jointly. Parameters outside it are modelled alone.
 *   <li><b>Univariate</b> (default for several objectives): each parameter is modelled alone
 *       when suggested.
 *   <li><b>Constant liar</b> (default on): RUNNING trials of other workers join {@code A}, so
 *       parallel workers do not all propose the same point. Only the parameters a running trial
 *       has already stored take part (Optuna also stores a running trial's relative sample in a
 *       system attribute; this SPI lets a sampler write attributes only in {@code beforeTrial} and
 *       {@code afterTrial}).
 *   <li><b>Constraints</b>: when trials carry the {@value StudyView#CONSTRAINTS_KEY} system
 *       attribute (set by a study with constraints), feasible trials are preferred for {@code B},
 *       infeasible ones ordered by total violation.
 *   <li><b>Multi-objective</b> (MOTPE; Ozaki, Tanigaki, Watanabe and Onishi, "Multiobjective
 *       tree-structured Parzen estimator", JAIR 73, 2022): {@code B} is chosen by non-domination
 *       rank, the last rank cut by greedy hypervolume subset selection; as in Optuna 5.0, its
 *       kernels are weighted equally and {@code γ(n) = ⌈0.1 n⌉} is not capped.
 * </ul>
 *
 * <p>Cost per suggestion is {@code O(n log n)} in the number of trials {@code n}: the split is
 * sorted once per trial and cached for its parameters; finished trials' values are read once and
 * kept sorted per parameter ({@link HistoryCache}), so bandwidths need no sort, and each kernel's
 * truncation mass is remembered while its centre and bandwidth stay the same (in a long study,
 * almost all of them from one suggestion to the next); the kernel densities cost {@code O(n d)}. Caches are kept per study name: one sampler may serve several
 * studies with distinct names.
 *
 * <pre>{@code
 * Study study = Study.builder()
 *     .sampler(TpeSampler.builder().seed(42).multivariate(true).build())
 *     .create();
 * }</pre>
 */
public final class TpeSampler implements Sampler {
  private static final EnumSet<TrialState> FINISHED =
      EnumSet.of(TrialState.COMPLETE, TrialState.PRUNED);
  private static final EnumSet<TrialState> RUNNING = EnumSet.of(TrialState.RUNNING);

  private final Builder config;
  private final RandomSampler random;
  private final ParzenEstimator.Parameters parzen;
  /** Per (study name, trial number): the split and the groups computed for that trial. */
  private final Map<TrialKey, TrialSplit> splits = new ConcurrentHashMap<>();
  private final Map<TrialKey, List<SortedMap<String, Distribution>>> groups =
      new ConcurrentHashMap<>();
  private final Map<String, HistoryCache> histories = new ConcurrentHashMap<>();

  private TpeSampler(Builder b) {
    this.config = b.copy();
    this.random = new RandomSampler(b.seed);
    this.parzen = new ParzenEstimator.Parameters(b.priorWeight, b.magicClip, b.endpoints);
  }

  /**
   * A builder with Optuna 5.0's defaults: 10 startup trials, 24 EI candidates, {@link
   * #defaultGamma} ({@link #defaultGammaMultiObjective} for several objectives), {@link
   * #defaultWeights}, prior weight 1, magic clip on, endpoints off, multivariate for one objective
   * and univariate for several, constant liar, constraints considered, a random seed.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A TPE sampler with default settings.
   *
   * @param seed the seed
   */
  public TpeSampler(long seed) {
    this(builder().seed(seed));
  }

  /**
   * Optuna's default {@code γ(n) = min(⌈0.1 n⌉, 25)}: the size of the good set.
   *
   * @param n the number of finished trials
   * @return the number of trials to put below
   */
  public static int defaultGamma(int n) {
    return Math.min((int) Math.ceil(0.1 * n), 25);
  }

  /**
   * Optuna's default for several objectives, {@code γ(n) = ⌈0.1 n⌉}.
   *
   * @param n the number of finished trials
   * @return the number of trials to put below
   */
  public static int defaultGammaMultiObjective(int n) {
    return (int) Math.ceil(0.1 * n);
  }

  /**
   * Optuna's default observation weights, oldest first: all 1 for {@code n < 25}; otherwise a ramp
   * {@code linspace(1/n, 1, n − 25)} followed by 25 ones.
   *
   * @param n the number of observations
   * @return {@code n} weights
   */
  public static double[] defaultWeights(int n) {
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1.0);
    int m = n - 25;
    for (int i = 0; i < m; i++) {
      w[i] = m == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (m - 1);
    }
    return w;
  }

  @Override
  public Map<String, Distribution> inferRelativeSearchSpace(StudyView study, FrozenTrial trial) {
    if (!isMultivariate(study)) {
      return Map.of();
    }
    List<FrozenTrial> finished = study.trials(FINISHED);
    if (finished.size() < config.nStartupTrials) {
      return Map.of();
    }
    if (!config.group) {
      return history(study).intersection(finished);
    }
    List<SortedMap<String, Distribution>> g = SearchSpaces.groups(finished);
    groups.put(key(study, trial), g);
    Map<String, Distribution> union = new TreeMap<>();
    g.forEach(union::putAll);
    return union;
  }

  @Override
  public Map<String, Double> sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> searchSpace) {
    if (study.trials(FINISHED).size() < config.nStartupTrials) {
      return Map.of();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    if (!config.group) {
      out.putAll(sample(study, trial, new TreeMap<>(searchSpace)));
      return out;
    }
    List<SortedMap<String, Distribution>> g = groups.remove(key(study, trial));
    if (g == null) {
      g = SearchSpaces.groups(study.trials(FINISHED));
    }
    for (SortedMap<String, Distribution> group : g) {
      TreeMap<String, Distribution> sub = new TreeMap<>();
      for (String name : group.keySet()) {
        if (searchSpace.containsKey(name)) {
          sub.put(name, searchSpace.get(name));
        }
      }
      if (!sub.isEmpty()) {
        out.putAll(sample(study, trial, sub));
      }
    }
    return out;
  }

  @Override
  public double sampleIndependent(
      StudyView study, FrozenTrial trial, String paramName, Distribution distribution) {
    if (study.trials(FINISHED).size() < config.nStartupTrials) {
      return random.sampleIndependent(study, trial, paramName, distribution);
    }
    TreeMap<String, Distribution> space = new TreeMap<>();
    space.put(paramName, distribution);
    return sample(study, trial, space).get(paramName);
  }

  @Override
  public void afterTrial(
      StudyView study, FrozenTrial trial, TrialState state, List<Double> values,
      SystemAttrWriter attrs) {
    splits.remove(key(study, trial));
    groups.remove(key(study, trial));
  }

  /** A trial of a named study, as the key of the per-trial caches. */
  private record TrialKey(String study, int number) {}

  private static TrialKey key(StudyView study, FrozenTrial trial) {
    return new TrialKey(study.studyName(), trial.number());
  }

  private HistoryCache history(StudyView study) {
    return histories.computeIfAbsent(study.studyName(), k -> new HistoryCache());
  }

  private boolean isMultivariate(StudyView study) {
    return config.multivariate != null ? config.multivariate : !study.isMultiObjective();
  }

  private TrialSplit split(StudyView study, FrozenTrial trial) {
    TrialSplit cached = splits.get(key(study, trial));
    if (cached != null) {
      return cached;
    }
    // The finished trials come as the storage's shared list; the constant liar's running trials
    // (rarely any in a serial study) are appended, and TrialSplit orders its halves by number.
    List<FrozenTrial> finished = study.trials(FINISHED);
    List<FrozenTrial> trials = finished;
    if (config.constantLiar) {
      for (FrozenTrial t : study.trials(RUNNING)) {
        if (t.number() != trial.number()) {
          if (trials == finished) {
            trials = new ArrayList<>(finished);
          }
          trials.add(t);
        }
      }
    }
    int n = finished.size();
    IntUnaryOperator gamma = config.gamma != null ? config.gamma
        : study.isMultiObjective() ? TpeSampler::defaultGammaMultiObjective
        : TpeSampler::defaultGamma;
    TrialSplit s = TrialSplit.of(study.directions(), trials, gamma.applyAsInt(n), config.constraints);
    if (splits.size() > 1024) {
      splits.clear();
    }
    splits.put(key(study, trial), s);
    return s;
  }

  private Map<String, Double> sample(
      StudyView study, FrozenTrial trial, TreeMap<String, Distribution> space) {
    TrialSplit s = split(study, trial);
    List<String> names = new ArrayList<>(space.keySet());
    List<Distribution> dists = new ArrayList<>(space.values());
    HistoryCache history = history(study);
    int[] columns = history.indices(names);
    HistoryCache.Observations ob = history.observations(s.below(), columns);
    HistoryCache.Observations oa = history.observations(s.above(), columns);
    double[] wBelow;
    if (study.isMultiObjective()) {
      wBelow = new double[ob.trialCount()];
      java.util.Arrays.fill(wBelow, 1.0);
    } else {
      wBelow = config.weights.apply(ob.trialCount());
    }
    ParzenEstimator l = new ParzenEstimator(dists, ob.columns(), ob.orders(), wBelow, parzen,
        history.normalizers(columns, ob.trials()));
    ParzenEstimator g = new ParzenEstimator(dists, oa.columns(), oa.orders(),
        config.weights.apply(oa.trialCount()), parzen, history.normalizers(columns, oa.trials()));
    SplittableRandom rng = TrialRandom.of(config.seed, trial.number(), "tpe:" + names);
    double[][] candidates = l.sample(rng, config.nEiCandidates);
    double[] lb = l.logPdf(candidates);
    double[] la = g.logPdf(candidates);
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < candidates.length; i++) {
      double score = lb[i] - la[i];
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (int d = 0; d < names.size(); d++) {
      out.put(names.get(d), candidates[best][d]);
    }
    return out;
  }

  /** Settings of a {@link TpeSampler}; every setter returns this builder. */
  public static final class Builder {
    private long seed = new SplittableRandom().nextLong();
    private int nStartupTrials = 10;
    private int nEiCandidates = 24;
    private IntUnaryOperator gamma;
    private IntFunction<double[]> weights = TpeSampler::defaultWeights;
    private double priorWeight = 1.0;
    private boolean magicClip = true;
    private boolean endpoints;
    private Boolean multivariate;
    private boolean group;
    private boolean constantLiar = true;
    private boolean constraints = true;

    private Builder() {}

    private Builder copy() {
      Builder b = new Builder();
      b.seed = seed;
      b.nStartupTrials = nStartupTrials;
      b.nEiCandidates = nEiCandidates;
      b.gamma = gamma;
      b.weights = weights;
      b.priorWeight = priorWeight;
      b.magicClip = magicClip;
      b.endpoints = endpoints;
      b.multivariate = multivariate;
      b.group = group;
      b.constantLiar = constantLiar;
      b.constraints = constraints;
      return b;
    }

    /**
     * The seed; draws depend only on (seed, trial number, parameter names).
     *
     * @param s the seed
     * @return this
     */
    public Builder seed(long s) {
      seed = s;
      return this;
    }

    /**
     * Trials drawn uniformly before the model is used (default 10).
     *
     * @param n a non-negative count
     * @return this
     */
    public Builder nStartupTrials(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("nStartupTrials must be >= 0, got " + n);
      }
      nStartupTrials = n;
      return this;
    }

    /**
     * Candidates drawn from {@code l} per suggestion (default 24).
     *
     * @param n a positive count
     * @return this
     */
    public Builder nEiCandidates(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("nEiCandidates must be >= 1, got " + n);
      }
      nEiCandidates = n;
      return this;
    }

    /**
     * The size {@code γ(n)} of the good set for {@code n} finished trials.
     *
     * @param g the function (default {@link TpeSampler#defaultGamma}, or {@link
     *     TpeSampler#defaultGammaMultiObjective} for several objectives)
     * @return this
     */
    public Builder gamma(IntUnaryOperator g) {
      gamma = Objects.requireNonNull(g, "gamma");
      return this;
    }

    /**
     * Observation weights for {@code n} observations ordered oldest first.
     *
     * @param w the function (default {@link TpeSampler#defaultWeights})
     * @return this
     */
    public Builder weights(IntFunction<double[]> w) {
      weights = Objects.requireNonNull(w, "weights");
      return this;
    }

    /**
     * The prior kernel's weight (default 1).
     *
     * @param w a positive weight
     * @return this
     */
    public Builder priorWeight(double w) {
      if (!(w > 0) || !Double.isFinite(w)) {
        throw new IllegalArgumentException("priorWeight must be positive, got " + w);
      }
      priorWeight = w;
      return this;
    }

    /**
     * Whether bandwidths are clipped below by the magic clip (default true).
     *
     * @param on the flag
     * @return this
     */
    public Builder considerMagicClip(boolean on) {
      magicClip = on;
      return this;
    }

    /**
     * Whether the extreme kernels' bandwidths also measure to the domain ends (default false).
     *
     * @param on the flag
     * @return this
     */
    public Builder considerEndpoints(boolean on) {
      endpoints = on;
      return this;
    }

    /**
     * Whether the intersection search space is modelled jointly (default, as Optuna 5.0: true for
     * one objective, false for several).
     *
     * @param on the flag
     * @return this
     */
    public Builder multivariate(boolean on) {
      multivariate = on;
      return this;
    }

    /**
     * Whether the joint space is decomposed into parameter groups; implies multivariate.
     *
     * @param on the flag
     * @return this
     */
    public Builder group(boolean on) {
      group = on;
      if (on) {
        multivariate = true;
      }
      return this;
    }

    /**
     * Whether RUNNING trials of other workers count as the worst ones (default true, as Optuna
     * 5.0); it only matters with parallel workers.
     *
     * @param on the flag
     * @return this
     */
    public Builder constantLiar(boolean on) {
      constantLiar = on;
      return this;
    }

    /**
     * Whether trials' recorded constraint values are considered (default true).
     *
     * @param on the flag
     * @return this
     */
    public Builder constraints(boolean on) {
      constraints = on;
      return this;
    }

    /**
     * Builds the sampler.
     *
     * @return a new sampler with these settings
     */
    public TpeSampler build() {
      return new TpeSampler(this);
    }
  }
}
