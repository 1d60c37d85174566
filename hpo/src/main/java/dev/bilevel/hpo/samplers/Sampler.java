package dev.bilevel.hpo.samplers;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.SystemAttrWriter;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import java.util.List;
import java.util.Map;

/**
 * Proposes parameter values for trials: Optuna's {@code BaseSampler} decomposition.
 *
 * <p>Call order for one trial (driven by {@link dev.bilevel.hpo.Study}):
 *
 * <ol>
 *   <li>{@link #beforeTrial} once, right after the trial was created or claimed;
 *   <li>{@link #inferRelativeSearchSpace} once, then {@link #sampleRelative} once with that space
 *       (skipped when the space is empty): parameters sampled <em>jointly</em>, e.g. by a
 *       multivariate model. The space normally derives from earlier trials (e.g. the intersection
 *       of their search spaces); a relative value is used for a parameter only if the objective
 *       later suggests it with a distribution that contains the value;
 *   <li>{@link #sampleIndependent} for every other parameter the objective suggests, at the moment
 *       it is suggested (dynamic, conditional search spaces);
 *   <li>{@link #afterTrial} once, before the final state is stored.
 * </ol>
 *
 * <p>Values cross this interface in <b>internal</b> form ({@link Distribution#toInternal}): a float
 * or integer as a {@code double}, a categorical choice as its index. Parameters that are fixed
 * (enqueued, {@link PartialFixedSampler}) or single-valued never reach the sampler.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>Returned values lie in the given distribution ({@link Distribution#contains(double)}).
 *   <li>Thread safety: methods may be called concurrently for different trials of the same study
 *       ({@code optimize} with several threads). Keep no per-trial mutable state in fields, or
 *       guard it.
 *   <li>Reproducibility: a seeded sampler gives the same values for the same trial number and
 *       study history, whatever the thread interleaving: derive randomness from (seed, trial
 *       number, parameter name) with {@link TrialRandom}, never from one shared generator.
 *   <li>The study is seen through a read-only {@link StudyView}; the only write allowed is a
 *       system attribute of the current trial through the given {@link SystemAttrWriter}.
 * </ul>
 */
public interface Sampler {

  /**
   * Called once when a trial starts, before any sampling. Default: nothing.
   *
   * @param study the study (read-only)
   * @param trial the trial as stored now (RUNNING; enqueued trials carry {@code fixed_params})
   * @param attrs writes the trial's system attributes
   */
  default void beforeTrial(StudyView study, FrozenTrial trial, SystemAttrWriter attrs) {}

  /**
   * The search space to sample jointly for this trial. Default: empty (an independent sampler).
   *
   * @param study the study (read-only)
   * @param trial the trial
   * @return parameter name → distribution; may be empty
   */
  default Map<String, Distribution> inferRelativeSearchSpace(StudyView study, FrozenTrial trial) {
    return Map.of();
  }

  /**
   * Samples the relative search space jointly. Called only with a non-empty space. Default: empty.
   *
   * @param study the study (read-only)
   * @param trial the trial
   * @param searchSpace the result of {@link #inferRelativeSearchSpace}
   * @return parameter name → internal value, for a subset of {@code searchSpace}'s names
   */
  default Map<String, Double> sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> searchSpace) {
    return Map.of();
  }

  /**
   * Samples one parameter that was not sampled relatively.
   *
   * @param study the study (read-only)
   * @param trial the trial, with the parameters suggested so far
   * @param paramName the parameter's name
   * @param distribution its distribution (never single-valued)
   * @return an internal value contained in {@code distribution}
   */
  double sampleIndependent(
      StudyView study, FrozenTrial trial, String paramName, Distribution distribution);

  /**
   * Called once when the trial ends, before its state and values are stored. Default: nothing.
   *
   * @param study the study (read-only)
   * @param trial the trial (still RUNNING in storage)
   * @param state the state about to be stored
   * @param values the values about to be stored (empty when none)
   * @param attrs writes the trial's system attributes
   */
  default void afterTrial(
      StudyView study,
      FrozenTrial trial,
      TrialState state,
      List<Double> values,
      SystemAttrWriter attrs) {}

  /**
   * Whether the sampler has nothing left to propose (for example, every grid point has been
   * evaluated); {@link dev.bilevel.hpo.Study#optimize} then starts no further trial, as Optuna's
   * grid sampler stops the study. Checked after each finished trial. Default: {@code false}.
   *
   * @param study the study (read-only)
   * @return {@code true} to stop the optimization
   */
  default boolean isExhausted(StudyView study) {
    return false;
  }
}
