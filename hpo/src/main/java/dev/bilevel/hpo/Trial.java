package dev.bilevel.hpo;

import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import dev.bilevel.hpo.internal.TrialSnapshots;
import dev.bilevel.hpo.storage.OptunaJson;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running trial, handed to the objective: define-by-run parameter suggestion, intermediate
 * reports and pruning (Optuna's {@code Trial}).
 *
 * <p>Each {@code suggestX(name, ...)} call resolves the parameter in this order (Optuna's): a value
 * already suggested in this trial under the name (the distribution must be compatible, see {@link
 * Distribution#checkCompatibility}); a fixed value from {@link Study#enqueueTrial} ({@code
 * fixed_params} system attribute); the only value of a single-valued distribution; the value the
 * sampler drew jointly for the trial's relative search space, if the name is in that space and the
 * value lies in the requested distribution; otherwise {@link
 * dev.bilevel.hpo.samplers.Sampler#sampleIndependent}. The value is stored at once, in internal
 * form. Ranges may differ between trials (dynamic search spaces) and parameters may be suggested
 * conditionally.
 *
 * <p>A trial is meant to be used by one thread at a time. After it has been told, it rejects
 * further changes with {@link IllegalStateException}.
 *
 * <pre>{@code
 * double lr = trial.suggestFloat("lr", 1e-5, 1e-1, true);
 * int layers = trial.suggestInt("layers", 1, 4);
 * String act = trial.suggestCategorical("activation", "relu", "tanh");
 * }</pre>
 */
public final class Trial {

  /** System attribute with the enqueued fixed parameters (external values), as in Optuna. */
  public static final String FIXED_PARAMS_KEY = "fixed_params";

  private static final System.Logger LOG = System.getLogger(Trial.class.getName());

  private final Study study;
  private final long trialId;
  private final Map<String, Distribution> relativeSearchSpace;
  private Map<String, Double> relativeParams;
  /** The snapshot as last built; {@link #snapshot()} folds the pending parameters into it. */
  private FrozenTrial cached;
  /**
   * Parameters suggested since {@link #cached} was built, in order: a snapshot is rebuilt only when
   * one is asked for, not once per suggestion.
   */
  private final Map<String, Object> pendingParams = new LinkedHashMap<>();
  private final Map<String, Distribution> pendingDistributions = new LinkedHashMap<>();
  private boolean finished;

  Trial(Study study, FrozenTrial trial, Map<String, Distribution> relativeSearchSpace) {
    this.study = study;
    this.trialId = trial.trialId();
    this.cached = trial;
    this.relativeSearchSpace = Map.copyOf(relativeSearchSpace);
  }

  /**
   * The trial's number in its study (0-based, dense).
   *
   * @return the number
   */
  public int number() {
    return cached.number();
  }

  /**
   * The storage id.
   *
   * @return the id
   */
  public long trialId() {
    return trialId;
  }

  /**
   * A uniform float in {@code [low, high]}.
   *
   * @param name the parameter name
   * @param low lower bound
   * @param high upper bound
   * @return the value
   */
  public double suggestFloat(String name, double low, double high) {
    return suggestFloat(name, low, high, false);
  }

  /**
   * A float in {@code [low, high]}, log-uniform if {@code log}.
   *
   * @param name the parameter name
   * @param low lower bound (positive if log)
   * @param high upper bound
   * @param log whether to sample on a log scale
   * @return the value
   */
  public double suggestFloat(String name, double low, double high, boolean log) {
    return (Double) suggest(name, new FloatDistribution(low, high, log, null));
  }

  /**
   * A float on the grid {@code low, low + step, ..., high}.
   *
   * @param name the parameter name
   * @param low lower bound
   * @param high upper bound, on the grid
   * @param step grid spacing
   * @return the value
   */
  public double suggestFloat(String name, double low, double high, double step) {
    return (Double) suggest(name, new FloatDistribution(low, high, false, step));
  }

  /**
   * An integer in {@code [low, high]}.
   *
   * @param name the parameter name
   * @param low lower bound
   * @param high upper bound
   * @return the value
   */
  public int suggestInt(String name, int low, int high) {
    return suggestInt(name, low, high, 1, false);
  }

  /**
   * An integer in {@code [low, high]}, log-uniform if {@code log}.
   *
   * @param name the parameter name
   * @param low lower bound (at least 1 if log)
   * @param high upper bound
   * @param log whether to sample on a log scale
   * @return the value
   */
  public int suggestInt(String name, int low, int high, boolean log) {
    return suggestInt(name, low, high, 1, log);
  }

  /**
   * An integer on {@code low, low + step, ..., high}, log-uniform if {@code log} (then {@code step}
   * must be 1).
   *
   * @param name the parameter name
   * @param low lower bound
   * @param high upper bound
   * @param step spacing
   * @param log whether to sample on a log scale
   * @return the value
   */
  public int suggestInt(String name, int low, int high, int step, boolean log) {
    return Math.toIntExact((Long) suggest(name, new IntDistribution(low, high, log, step)));
  }

  /**
   * One of the choices ({@code null}, {@link Boolean}, {@link String} or {@link Number}). The
   * returned object is the element of {@code choices} itself.
   *
   * @param name the parameter name
   * @param choices the choices; the same list (after normalization) every time for a name
   * @param <T> the choice type
   * @return the chosen element
   */
  public <T> T suggestCategorical(String name, List<T> choices) {
    CategoricalDistribution d = new CategoricalDistribution(new ArrayList<Object>(choices));
    Object external = suggest(name, d);
    return choices.get((int) d.toInternal(external));
  }

  /**
   * One of the choices.
   *
   * @param name the parameter name
   * @param choices the choices
   * @param <T> the choice type
   * @return the chosen element
   */
  @SafeVarargs
  public final <T> T suggestCategorical(String name, T... choices) {
    return suggestCategorical(name, Arrays.asList(choices));
  }

  /**
   * Suggests a value for any distribution; the typed methods above delegate here.
   *
   * @param name the parameter name
   * @param distribution the distribution
   * @return the external value ({@link Double}, {@link Long} or the normalized choice)
   * @throws IllegalArgumentException if the distribution is incompatible with an earlier one for
   *     the name, or a fixed value is not a valid choice
   */
  public Object suggest(String name, Distribution distribution) {
    checkRunning();
    Distribution earlier = pendingDistributions.get(name);
    if (earlier != null) {
      Distribution.checkCompatibility(earlier, distribution);
      return pendingParams.get(name);
    }
    earlier = cached.distributions().get(name);
    if (earlier != null) {
      Distribution.checkCompatibility(earlier, distribution);
      return cached.params().get(name);
    }
    double internal = resolve(name, distribution);
    study.storage().setTrialParam(trialId, name, internal, distribution);
    Object external = distribution.toExternal(internal);
    pendingParams.put(name, external);
    pendingDistributions.put(name, distribution);
    return external;
  }

  private double resolve(String name, Distribution distribution) {
    Object fixed = cached.systemAttrs().get(FIXED_PARAMS_KEY);
    if (fixed instanceof Map<?, ?> fixedParams && fixedParams.containsKey(name)) {
      double internal = distribution.toInternal(fixedParams.get(name));
      if (!distribution.contains(internal)) {
        LOG.log(
            Level.WARNING,
            "Fixed parameter ''{0}'' = {1} lies outside {2}; using it anyway",
            name,
            fixedParams.get(name),
            distribution);
      }
      return internal;
    }
    if (distribution.isSingle()) {
      return singleValue(distribution);
    }
    Distribution relativeDistribution = relativeSearchSpace.get(name);
    if (relativeDistribution != null) {
      Double relative = relativeParams().get(name);
      if (relative != null && distribution.contains(relative)) {
        return relative;
      }
    }
    return study.sampler().sampleIndependent(study.view(), snapshot(), name, distribution);
  }

  private Map<String, Double> relativeParams() {
    if (relativeParams == null) {
      relativeParams =
          relativeSearchSpace.isEmpty()
              ? Map.of()
              : Map.copyOf(
                  study.sampler().sampleRelative(study.view(), snapshot(), relativeSearchSpace));
    }
    return relativeParams;
  }

  private static double singleValue(Distribution d) {
    if (d instanceof FloatDistribution f) {
      return f.low();
    }
    if (d instanceof IntDistribution i) {
      return i.low();
    }
    return 0.0;
  }

  /**
   * Reports an intermediate objective value at a step, for pruners. Reporting a step twice keeps
   * the first value (as Optuna, which warns).
   *
   * @param value the value (NaN allowed)
   * @param step the step, at least 0
   * @throws UnsupportedOperationException for a multi-objective study
   */
  public void report(double value, int step) {
    checkRunning();
    if (study.isMultiObjective()) {
      throw new UnsupportedOperationException(
          "Trial.report is not supported for multi-objective optimization");
    }
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    study.storage().recordHeartbeat(trialId);
    if (cached.intermediateValues().containsKey(step)) {
      LOG.log(Level.WARNING, "Trial {0}: step {1} was already reported; ignored", number(), step);
      return;
    }
    study.storage().setTrialIntermediateValue(trialId, step, value);
    cached = TrialSnapshots.withIntermediate(snapshot(), step, value);
  }

  /**
   * Asks the study's pruner whether to stop this trial now.
   *
   * @return {@code true} if the objective should throw {@link TrialPrunedException}
   * @throws UnsupportedOperationException for a multi-objective study
   */
  public boolean shouldPrune() {
    checkRunning();
    if (study.isMultiObjective()) {
      throw new UnsupportedOperationException(
          "Trial.shouldPrune is not supported for multi-objective optimization");
    }
    return study.pruner().prune(study.view(), snapshot(), this::setSystemAttr);
  }

  /**
   * Sets a user attribute.
   *
   * @param key the name
   * @param value a JSON value
   */
  public void setUserAttr(String key, Object value) {
    checkRunning();
    Object frozen = OptunaJson.freeze(value);
    study.storage().setTrialUserAttr(trialId, key, frozen);
    cached = TrialSnapshots.withAttr(snapshot(), false, key, frozen);
  }

  void setSystemAttr(String key, Object value) {
    Object frozen = OptunaJson.freeze(value);
    study.storage().setTrialSystemAttr(trialId, key, frozen);
    cached = TrialSnapshots.withAttr(snapshot(), true, key, frozen);
  }

  /**
   * The parameters suggested so far.
   *
   * @return name → external value, unmodifiable
   */
  public Map<String, Object> params() {
    return snapshot().params();
  }

  /**
   * The distributions of the parameters suggested so far.
   *
   * @return name → distribution, unmodifiable
   */
  public Map<String, Distribution> distributions() {
    return snapshot().distributions();
  }

  /**
   * The user attributes.
   *
   * @return unmodifiable map
   */
  public Map<String, Object> userAttrs() {
    return cached.userAttrs();
  }

  /**
   * The trial as this object knows it (RUNNING, with everything written so far).
   *
   * @return the snapshot
   */
  public FrozenTrial snapshot() {
    if (!pendingParams.isEmpty()) {
      cached = TrialSnapshots.withParams(cached, pendingParams, pendingDistributions);
      pendingParams.clear();
      pendingDistributions.clear();
    }
    return cached;
  }

  void markFinished() {
    finished = true;
  }

  boolean isFinished() {
    return finished;
  }

  private void checkRunning() {
    if (finished) {
      throw new IllegalStateException("Trial " + number() + " has already been told");
    }
  }
}
