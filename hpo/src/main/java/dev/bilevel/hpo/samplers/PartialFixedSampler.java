package dev.bilevel.hpo.samplers;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.SystemAttrWriter;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.storage.OptunaJson;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixes some parameters to given values and lets a base sampler choose the others (Optuna's
 * {@code PartialFixedSampler}): fixed names are removed from the base sampler's relative search
 * space, and their suggestions return the fixed value. A fixed numeric value outside the requested
 * distribution is used anyway (with a warning, as Optuna); a fixed categorical value that is not a
 * choice is an {@link IllegalArgumentException}.
 */
public final class PartialFixedSampler implements Sampler {
  private static final System.Logger LOG = System.getLogger(PartialFixedSampler.class.getName());

  private final Map<String, Object> fixedParams;
  private final Sampler base;

  /**
   * Creates the sampler.
   *
   * @param fixedParams parameter name → external value (JSON values)
   * @param base the sampler for all other parameters
   */
  @SuppressWarnings("unchecked")
  public PartialFixedSampler(Map<String, Object> fixedParams, Sampler base) {
    this.fixedParams = (Map<String, Object>) OptunaJson.freeze(new LinkedHashMap<>(fixedParams));
    this.base = base;
  }

  /**
   * The fixed parameters.
   *
   * @return name → external value, unmodifiable
   */
  public Map<String, Object> fixedParams() {
    return fixedParams;
  }

  @Override
  public void beforeTrial(StudyView study, FrozenTrial trial, SystemAttrWriter attrs) {
    base.beforeTrial(study, trial, attrs);
  }

  @Override
  public Map<String, Distribution> inferRelativeSearchSpace(StudyView study, FrozenTrial trial) {
    Map<String, Distribution> space = new LinkedHashMap<>(base.inferRelativeSearchSpace(study, trial));
    space.keySet().removeAll(fixedParams.keySet());
    return space;
  }

  @Override
  public Map<String, Double> sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> searchSpace) {
    return base.sampleRelative(study, trial, searchSpace);
  }

  @Override
  public double sampleIndependent(
      StudyView study, FrozenTrial trial, String paramName, Distribution distribution) {
    if (!fixedParams.containsKey(paramName)) {
      return base.sampleIndependent(study, trial, paramName, distribution);
    }
    Object value = fixedParams.get(paramName);
    double internal = distribution.toInternal(value);
    if (!distribution.contains(internal)) {
      LOG.log(Level.WARNING, "Fixed parameter ''{0}'' = {1} lies outside {2}; using it anyway",
          paramName, value, distribution);
    }
    return internal;
  }

  @Override
  public void afterTrial(
      StudyView study, FrozenTrial trial, TrialState state, List<Double> values,
      SystemAttrWriter attrs) {
    base.afterTrial(study, trial, state, values, attrs);
  }

  @Override
  public boolean isExhausted(StudyView study) {
    return base.isExhausted(study);
  }
}
