package dev.bilevel.spark;

import dev.bilevel.hpo.samplers.Sampler;
import java.io.Serializable;

/**
 * Creates the sampler an executor uses for one trial (samplers live where the objective calls
 * {@code suggest}, i.e. on the executor, and read the study's history from the shared storage).
 */
@FunctionalInterface
public interface SamplerFactory extends Serializable {

  /**
   * A sampler for one trial.
   *
   * @param seed a seed distinct for each trial of one {@link SparkOptimizer#optimize} call
   * @return the sampler
   */
  Sampler create(long seed);
}
