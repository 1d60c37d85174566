package dev.bilevel.hpo;

import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.internal.OptimizeLoop;
import dev.bilevel.hpo.internal.ReadOnlyStudyView;
import dev.bilevel.hpo.pruners.Pruner;
import dev.bilevel.hpo.samplers.Sampler;
import dev.bilevel.hpo.storage.OptunaJson;
import dev.bilevel.hpo.storage.Storage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An optimization task: a set of trials in a {@link Storage}, a {@link Sampler} that proposes
 * parameters and a {@link Pruner} that stops bad trials early (Optuna's {@code Study}).
 *
 * <p>Flow of one trial: {@link #ask()} claims the oldest WAITING trial by compare-and-set, or
 * creates a new one; the sampler's {@code beforeTrial} and {@code inferRelativeSearchSpace} run;
 * the objective calls {@code trial.suggestX} (see {@link Trial}); {@code report}/{@code
 * shouldPrune} consult the pruner; {@link #tell} runs the sampler's {@code afterTrial} and stores
 * state and values. {@link #optimize} repeats this on worker threads, first asking the storage to
 * fail stale trials ({@link Storage#failStaleTrials}, the hook of heartbeat-based storages) before
 * each trial; workers in other processes share nothing but the storage.
 *
 * <pre>{@code
 * Study study = Study.builder().sampler(new RandomSampler(42)).create();
 * study.optimize(t -> Math.pow(t.suggestFloat("x", -10, 10) - 2, 2), 100);
 * double best = study.bestValue();
 * }</pre>
 *
 * <p>Thread safety: {@code ask}, {@code tell}, {@code enqueueTrial}, {@code addTrial} and the
 * readers may be called from several threads; only one {@code optimize} call may run at a time.
 */
public final class Study implements StudyView {

  /** Trial system attribute with the reason a trial failed. */
  public static final String FAIL_REASON_KEY = "fail_reason";

  private final Storage storage;
  private final long studyId;
  private final String studyName;
  private final List<StudyDirection> directions;
  private final Sampler sampler;
  private final Pruner pruner;
  private final ConstraintsFunction constraints;
  private final ReadOnlyStudyView view;
  private final TrialTeller teller;
  private volatile OptimizeLoop running;

  Study(
      Storage storage,
      long studyId,
      Sampler sampler,
      Pruner pruner,
      ConstraintsFunction constraints) {
    this.storage = storage;
    this.studyId = studyId;
    this.studyName = storage.getStudyNameFromId(studyId);
    this.directions = storage.getStudyDirections(studyId);
    this.sampler = sampler;
    this.pruner = pruner;
    this.constraints = constraints;
    this.view = new ReadOnlyStudyView(storage, studyId, studyName, directions);
    this.teller = new TrialTeller(this);
  }

  /**
   * A builder with defaults: in-memory storage, random sampler with a random seed, no pruning, one
   * objective to minimize, a generated name.
   *
   * @return the builder
   */
  public static StudyBuilder builder() {
    return new StudyBuilder();
  }

  /**
   * The storage.
   *
   * @return the storage
   */
  public Storage storage() {
    return storage;
  }

  /**
   * The study's id in its storage.
   *
   * @return the id
   */
  public long studyId() {
    return studyId;
  }

  /**
   * The sampler.
   *
   * @return the sampler
   */
  public Sampler sampler() {
    return sampler;
  }

  /**
   * The pruner.
   *
   * @return the pruner
   */
  public Pruner pruner() {
    return pruner;
  }

  ConstraintsFunction constraints() {
    return constraints;
  }

  StudyView view() {
    return view;
  }

  @Override
  public String studyName() {
    return studyName;
  }

  @Override
  public List<StudyDirection> directions() {
    return directions;
  }

  @Override
  public List<FrozenTrial> trials(Set<TrialState> states) {
    return storage.getAllTrials(studyId, states);
  }

  @Override
  public Map<String, Object> userAttrs() {
    return storage.getStudyUserAttrs(studyId);
  }

  @Override
  public Map<String, Object> systemAttrs() {
    return storage.getStudySystemAttrs(studyId);
  }

  /**
   * Sets a study user attribute.
   *
   * @param key the name
   * @param value a JSON value
   */
  public void setUserAttr(String key, Object value) {
    storage.setStudyUserAttr(studyId, key, value);
  }

  /**
   * Starts a trial: claims the oldest WAITING trial (compare-and-set, so concurrent workers never
   * claim the same one) or creates a RUNNING one.
   *
   * @return the trial
   */
  public Trial ask() {
    return ask(Map.of());
  }

  /**
   * Starts a trial and suggests the given parameters at once (Optuna's {@code
   * ask(fixed_distributions)}).
   *
   * @param distributions parameters to suggest now, in iteration order
   * @return the trial
   */
  public Trial ask(Map<String, Distribution> distributions) {
    long trialId = -1;
    for (FrozenTrial waiting : storage.getAllTrials(studyId, EnumSet.of(TrialState.WAITING))) {
      if (storage.setTrialStateValues(waiting.trialId(), TrialState.RUNNING, null)) {
        trialId = waiting.trialId();
        break;
      }
    }
    if (trialId < 0) {
      trialId = storage.createNewTrial(studyId, null);
    }
    storage.recordHeartbeat(trialId);
    long id = trialId;
    Trial trial;
    try {
      sampler.beforeTrial(
          view, storage.getTrial(id), (key, value) -> storage.setTrialSystemAttr(id, key, value));
      FrozenTrial started = storage.getTrial(id);
      trial = new Trial(this, started, sampler.inferRelativeSearchSpace(view, started));
    } catch (RuntimeException | Error e) {
      // Leave no orphan RUNNING trial behind when the sampler fails before the objective runs.
      storage.setTrialSystemAttr(
          id, FAIL_REASON_KEY, "The sampler failed to start the trial: " + e);
      storage.setTrialStateValues(id, TrialState.FAIL, null);
      throw e;
    }
    for (Map.Entry<String, Distribution> e : distributions.entrySet()) {
      trial.suggest(e.getKey(), e.getValue());
    }
    return trial;
  }

  /**
   * Finishes a trial as COMPLETE with the given values. A NaN or a wrong number of values makes the
   * trial FAIL instead, with the reason in its {@value #FAIL_REASON_KEY} system attribute (as
   * Optuna does).
   *
   * @param trial the trial from {@link #ask()}
   * @param values one value per objective
   * @return the stored trial
   * @throws IllegalStateException if the trial is not RUNNING
   */
  public FrozenTrial tell(Trial trial, double... values) {
    FrozenTrial t = teller.tell(trial.trialId(), trial, toList(values), null, null);
    trial.markFinished();
    return t;
  }

  /**
   * Finishes a trial, by number, as COMPLETE with values (see {@link #tell(Trial, double...)}).
   *
   * @param trialNumber the trial's number
   * @param values one value per objective
   * @return the stored trial
   */
  public FrozenTrial tell(int trialNumber, double... values) {
    long id = storage.getTrialIdFromStudyIdTrialNumber(studyId, trialNumber);
    return teller.tell(id, null, toList(values), null, null);
  }

  /**
   * Finishes a trial as PRUNED or FAIL (a PRUNED single-objective trial takes its last finite
   * intermediate value as value).
   *
   * @param trial the trial
   * @param state PRUNED or FAIL
   * @return the stored trial
   * @throws IllegalArgumentException for another state
   */
  public FrozenTrial tell(Trial trial, TrialState state) {
    FrozenTrial t = teller.tell(trial.trialId(), trial, null, state, null);
    trial.markFinished();
    return t;
  }

  /**
   * Finishes a trial, by number, as PRUNED or FAIL.
   *
   * @param trialNumber the trial's number
   * @param state PRUNED or FAIL
   * @return the stored trial
   */
  public FrozenTrial tell(int trialNumber, TrialState state) {
    long id = storage.getTrialIdFromStudyIdTrialNumber(studyId, trialNumber);
    return teller.tell(id, null, null, state, null);
  }

  FrozenTrial tellFromLoop(Trial trial, List<Double> values, TrialState state, String reason) {
    FrozenTrial t = teller.tell(trial.trialId(), trial, values, state, reason, true);
    trial.markFinished();
    return t;
  }

  /**
   * Runs {@code nTrials} trials on the calling thread.
   *
   * @param objective the objective
   * @param nTrials the number of trials
   */
  public void optimize(Objective objective, int nTrials) {
    optimize(objective, OptimizeOptions.trials(nTrials));
  }

  /**
   * Runs up to {@code nTrials} trials on {@code nThreads} threads, starting no trial after the
   * timeout.
   *
   * @param objective the objective
   * @param nTrials the number of trials
   * @param timeout the timeout, or {@code null}
   * @param nThreads the number of threads
   */
  public void optimize(Objective objective, int nTrials, Duration timeout, int nThreads) {
    optimize(
        objective,
        new OptimizeOptions(nTrials, timeout, nThreads, Set.of(), List.of()));
  }

  /**
   * Runs a single-objective optimization.
   *
   * @param objective the objective
   * @param options trials, timeout, threads, caught exceptions, callbacks
   * @throws OptimizationException (or the objective's own unchecked exception) if the objective
   *     threw an exception that is not caught; the trial is stored as FAIL first
   */
  public void optimize(Objective objective, OptimizeOptions options) {
    optimizeMulti(t -> new double[] {objective.evaluate(t)}, options);
  }

  /**
   * Runs a (multi-objective) optimization; see {@link #optimize(Objective, OptimizeOptions)}.
   *
   * @param objective the objective, one value per direction
   * @param options the options
   */
  public void optimizeMulti(MultiObjective objective, OptimizeOptions options) {
    OptimizeLoop loop = new OptimizeLoop(options);
    synchronized (this) {
      if (running != null) {
        throw new IllegalStateException("optimize is already running on this study");
      }
      running = loop;
    }
    try {
      loop.run(() -> runOneTrial(objective, options));
    } finally {
      running = null;
    }
  }

  private void runOneTrial(MultiObjective objective, OptimizeOptions options) {
    storage.failStaleTrials(studyId);
    new TrialRun(this, objective, options).run();
  }

  /**
   * Asks the running {@code optimize} call to start no more trials (running ones finish).
   *
   * @throws IllegalStateException if no optimization is running
   */
  public void stop() {
    OptimizeLoop loop = running;
    if (loop == null) {
      throw new IllegalStateException("stop() can only be called while optimize is running");
    }
    loop.stop();
  }

  /**
   * Enqueues a WAITING trial whose parameters are fixed to the given values (others are sampled).
   *
   * @param params parameter name → external value (JSON values)
   */
  public void enqueueTrial(Map<String, Object> params) {
    enqueueTrial(params, Map.of(), false);
  }

  /**
   * Enqueues a WAITING trial with fixed parameters and user attributes.
   *
   * @param params parameter name → external value
   * @param userAttrs user attributes for the trial
   * @param skipIfExists do nothing if some trial (any state) has exactly these parameters, fixed
   *     or suggested (numbers compared by value)
   */
  public void enqueueTrial(
      Map<String, Object> params, Map<String, Object> userAttrs, boolean skipIfExists) {
    Object fixed = OptunaJson.freeze(new LinkedHashMap<>(params));
    if (skipIfExists) {
      for (FrozenTrial t : trials()) {
        Object existing = t.systemAttrs().getOrDefault(Trial.FIXED_PARAMS_KEY, t.params());
        if (existing instanceof Map<?, ?> m && sameParams((Map<?, ?>) fixed, m)) {
          return;
        }
      }
    }
    FrozenTrial template =
        FrozenTrial.create(
            TrialState.WAITING,
            List.of(),
            Map.of(),
            Map.of(),
            userAttrs,
            Map.of(Trial.FIXED_PARAMS_KEY, fixed),
            Map.of());
    storage.createNewTrial(studyId, template);
  }

  /**
   * Adds a trial evaluated elsewhere (e.g. from {@link FrozenTrial#create}).
   *
   * @param trial the trial; its number and id are ignored
   * @throws IllegalArgumentException if it is RUNNING, has values of the wrong count, a COMPLETE
   *     trial without values, or parameters outside their distributions
   */
  public void addTrial(FrozenTrial trial) {
    if (trial.state() == TrialState.RUNNING) {
      throw new IllegalArgumentException("Cannot add a RUNNING trial; use ask() instead");
    }
    if (!trial.values().isEmpty() && trial.values().size() != directions.size()) {
      throw new IllegalArgumentException(
          "The trial has " + trial.values().size() + " values but the study has "
              + directions.size() + " objectives");
    }
    if (trial.state() == TrialState.COMPLETE && trial.values().isEmpty()) {
      throw new IllegalArgumentException("A COMPLETE trial needs values");
    }
    for (String name : trial.params().keySet()) {
      Distribution d = trial.distributions().get(name);
      if (!d.contains(d.toInternal(trial.params().get(name)))) {
        throw new IllegalArgumentException(
            "Parameter '" + name + "' = " + trial.params().get(name) + " lies outside " + d);
      }
    }
    storage.createNewTrial(studyId, trial);
  }

  /**
   * Adds several trials; see {@link #addTrial}.
   *
   * @param trials the trials
   */
  public void addTrials(List<FrozenTrial> trials) {
    trials.forEach(this::addTrial);
  }

  /** Same names and equal values, numbers compared by value (1 equals 1.0), as Optuna. */
  private static boolean sameParams(Map<?, ?> a, Map<?, ?> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<?, ?> e : a.entrySet()) {
      Object x = e.getValue();
      Object y = b.get(e.getKey());
      boolean same = x instanceof Number nx && y instanceof Number ny
          ? nx.doubleValue() == ny.doubleValue()
          : java.util.Objects.equals(x, y);
      if (!same) {
        return false;
      }
    }
    return true;
  }

  private static List<Double> toList(double[] values) {
    List<Double> list = new ArrayList<>(values.length);
    Arrays.stream(values).forEach(list::add);
    return list;
  }
}
