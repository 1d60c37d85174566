package dev.bilevel.hpo.samplers;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.internal.SobolSequence;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quasi-Monte Carlo sampling with a scrambled Sobol' sequence (Sobol' 1967; direction numbers of
 * Joe and Kuo 2008; linear matrix scramble with digital shift, Matoušek 1998 / Owen 1995), in the
 * manner of Optuna's {@code QMCSampler}.
 *
 * <p>The relative search space is that of the first COMPLETE trial (lowest number): its numeric,
 * non-single-valued parameters sorted by name, at most {@value SobolSequence#MAX_DIMENSION}. Trial
 * {@code n} takes Sobol' point {@code n} and maps coordinate {@code j} to parameter {@code j} by
 * {@link RandomSampler#fromUnit(double, Distribution)} (linear, logarithmic or grid-cell mapping).
 * Categorical parameters, parameters outside that space, and everything before the first trial
 * completes are sampled by a {@link RandomSampler} with the same seed.
 *
 * <p><b>Difference from Optuna:</b> Optuna counts the points it has drawn in a study system
 * attribute; here the point index is the trial number, which the storage makes unique and dense,
 * so workers need no shared counter and the same seed gives the same points whatever the threads.
 */
public final class QmcSampler implements Sampler {
  private final long seed;
  private final SobolSequence sobol;
  private final RandomSampler independent;

  /**
   * A scrambled Sobol' sampler.
   *
   * @param seed seed of the scramble and of the independent sampler
   */
  public QmcSampler(long seed) {
    this(seed, true);
  }

  /**
   * A Sobol' sampler.
   *
   * @param seed seed of the scramble (if any) and of the independent sampler
   * @param scramble whether to scramble the sequence
   */
  public QmcSampler(long seed, boolean scramble) {
    this.seed = seed;
    this.sobol = new SobolSequence(SobolSequence.MAX_DIMENSION, scramble ? seed : null);
    this.independent = new RandomSampler(seed);
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
  public Map<String, Distribution> inferRelativeSearchSpace(StudyView study, FrozenTrial trial) {
    List<FrozenTrial> complete = study.trials(TrialState.COMPLETE);
    if (complete.isEmpty()) {
      return Map.of();
    }
    TreeMap<String, Distribution> sorted = new TreeMap<>();
    for (Map.Entry<String, Distribution> e : complete.get(0).distributions().entrySet()) {
      Distribution d = e.getValue();
      if (!(d instanceof CategoricalDistribution) && !d.isSingle()) {
        sorted.put(e.getKey(), d);
      }
    }
    Map<String, Distribution> space = new LinkedHashMap<>();
    for (Map.Entry<String, Distribution> e : sorted.entrySet()) {
      if (space.size() == SobolSequence.MAX_DIMENSION) {
        break;
      }
      space.put(e.getKey(), e.getValue());
    }
    return space;
  }

  @Override
  public Map<String, Double> sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> searchSpace) {
    double[] point = sobol.point(trial.number());
    Map<String, Double> values = new LinkedHashMap<>();
    int j = 0;
    for (String name : new TreeMap<>(searchSpace).keySet()) {
      values.put(name, RandomSampler.fromUnit(point[j++], searchSpace.get(name)));
    }
    return values;
  }

  @Override
  public double sampleIndependent(
      StudyView study, FrozenTrial trial, String paramName, Distribution distribution) {
    return independent.sampleIndependent(study, trial, paramName, distribution);
  }
}
