package dev.bilevel.hpo.samplers;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Independent, reproducible random streams keyed by (seed, trial number, stream name), so that a
 * sampler's draws for a trial do not depend on the order in which threads reach it.
 *
 * <p>The key is hashed with SplitMix64 finalizers (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014) into the seed of a {@link SplittableRandom}.
 */
public final class TrialRandom {

  private TrialRandom() {}

  /**
   * A fresh generator for one (seed, trial, stream) key.
   *
   * @param seed the sampler's seed
   * @param trialNumber the trial number
   * @param stream a name for the stream, e.g. the parameter name
   * @return a new generator; equal keys give equal sequences
   */
  public static SplittableRandom of(long seed, int trialNumber, String stream) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    h = mix(h + trialNumber);
    for (byte b : stream.getBytes(StandardCharsets.UTF_8)) {
      h = mix(h + (b & 0xff));
    }
    return new SplittableRandom(mix(h + stream.length()));
  }

  /**
   * The SplitMix64 finalizer, a bijective 64-bit mixing function.
   *
   * @param z input
   * @return mixed output
   */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
