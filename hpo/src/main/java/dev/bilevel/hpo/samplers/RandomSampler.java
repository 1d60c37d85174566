package dev.bilevel.hpo.samplers;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import java.util.SplittableRandom;

/**
 * Independent uniform sampling (Bergstra and Bengio, "Random search for hyper-parameter
 * optimization", JMLR 13, 2012): each parameter is drawn from its distribution, ignoring history.
 *
 * <ul>
 *   <li>float: uniform on {@code [low, high)}; log: {@code exp} of a uniform on {@code [ln low, ln
 *       high)}; step: a uniform grid index {@code k in {0..n}}, value {@code low + k·step};
 *   <li>int: a uniform grid index; log: {@code round(exp(u))} with {@code u} uniform on {@code
 *       [ln(low − 0.5), ln(high + 0.5))}, clipped to {@code [low, high]} (Optuna's rule, giving
 *       each integer the mass of its log-interval);
 *   <li>categorical: a uniform index.
 * </ul>
 *
 * <p>The draw for a parameter depends only on (seed, trial number, parameter name) via {@link
 * TrialRandom}, so results are reproducible with any number of threads.
 */
public final class RandomSampler implements Sampler {
  private final long seed;

  /**
   * A seeded sampler.
   *
   * @param seed the seed
   */
  public RandomSampler(long seed) {
    this.seed = seed;
  }

  /** A sampler with a seed drawn from a fresh, unseeded generator. */
  public RandomSampler() {
    this(new SplittableRandom().nextLong());
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
  public double sampleIndependent(
      StudyView study, FrozenTrial trial, String paramName, Distribution distribution) {
    return sample(TrialRandom.of(seed, trial.number(), paramName), distribution);
  }

  /**
   * Draws one internal value uniformly from a distribution; shared by samplers that fall back to
   * random sampling.
   *
   * @param rng the generator
   * @param distribution the distribution
   * @return an internal value contained in the distribution
   */
  public static double sample(SplittableRandom rng, Distribution distribution) {
    if (distribution instanceof FloatDistribution f) {
      return fromUnit(rng.nextDouble(), f);
    }
    if (distribution instanceof IntDistribution i) {
      if (i.log()) {
        double lo = Math.log(i.low() - 0.5);
        double hi = Math.log(i.high() + 0.5);
        double v = Math.rint(Math.exp(lo + rng.nextDouble() * (hi - lo)));
        return Math.min(Math.max(v, i.low()), i.high());
      }
      long n = (i.high() - i.low()) / i.step();
      return i.low() + rng.nextLong(n + 1) * i.step();
    }
    return rng.nextInt(((CategoricalDistribution) distribution).choices().size());
  }

  /**
   * Maps {@code u ∈ [0, 1)} to an internal value of any distribution, so that a uniform {@code u}
   * gives the law described in the class documentation (quasi-random samplers feed it
   * low-discrepancy coordinates).
   *
   * @param u a number in [0, 1)
   * @param distribution the distribution
   * @return an internal value contained in the distribution
   */
  public static double fromUnit(double u, Distribution distribution) {
    if (distribution instanceof FloatDistribution f) {
      return fromUnit(u, f);
    }
    if (distribution instanceof IntDistribution i) {
      if (i.log()) {
        double lo = Math.log(i.low() - 0.5);
        double hi = Math.log(i.high() + 0.5);
        double v = Math.rint(Math.exp(lo + u * (hi - lo)));
        return Math.min(Math.max(v, i.low()), i.high());
      }
      long n = (i.high() - i.low()) / i.step();
      return i.low() + Math.min((long) Math.floor(u * (n + 1)), n) * i.step();
    }
    int k = ((CategoricalDistribution) distribution).choices().size();
    return Math.min((int) Math.floor(u * k), k - 1);
  }

  /**
   * Maps {@code u ∈ [0, 1)} to a float distribution: linearly, log-linearly, or to the grid cell
   * {@code floor(u·(n+1))}.
   *
   * @param u a number in [0, 1)
   * @param f the distribution
   * @return an internal value contained in {@code f}
   */
  public static double fromUnit(double u, FloatDistribution f) {
    if (f.step() != null) {
      long n = Math.round((f.high() - f.low()) / f.step());
      long k = Math.min((long) Math.floor(u * (n + 1)), n);
      return Math.min(f.low() + k * f.step(), f.high());
    }
    if (f.log()) {
      double lo = Math.log(f.low());
      double hi = Math.log(f.high());
      return Math.min(Math.max(Math.exp(lo + u * (hi - lo)), f.low()), f.high());
    }
    return Math.min(f.low() + u * (f.high() - f.low()), f.high());
  }
}
