package dev.bilevel.hpo.samplers.nsga;

import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;

/**
 * The transformed space in which numeric genes are crossed (Optuna's {@code
 * _SearchSpaceTransform} without the unit scaling): {@code t = ln x} for log-scaled parameters,
 * {@code t = x} otherwise, with bounds {@code [low, high]}, widened by half a step on each side
 * for integers and stepped floats. {@link #untransform} inverts it, rounds to the grid and clips,
 * so every result lies in its distribution.
 */
public final class NumericSpace {
  private NumericSpace() {}

  /**
   * The transformed bounds of a numeric distribution.
   *
   * @param d a float or integer distribution
   * @return {@code {lower, upper}}
   */
  public static double[] bounds(Distribution d) {
    if (d instanceof FloatDistribution f) {
      double half = f.step() == null ? 0 : f.step() / 2;
      return f.log()
          ? new double[] {Math.log(f.low()), Math.log(f.high())}
          : new double[] {f.low() - half, f.high() + half};
    }
    IntDistribution i = (IntDistribution) d;
    double half = i.step() / 2.0;
    return i.log()
        ? new double[] {Math.log(i.low() - half), Math.log(i.high() + half)}
        : new double[] {i.low() - half, i.high() + half};
  }

  /**
   * Maps an internal value to the transformed space.
   *
   * @param d the distribution
   * @param internal the internal value
   * @return the transformed value
   */
  public static double transform(Distribution d, double internal) {
    boolean log = d instanceof FloatDistribution f ? f.log() : ((IntDistribution) d).log();
    return log ? Math.log(internal) : internal;
  }

  /**
   * Maps a transformed value back to an internal value contained in the distribution.
   *
   * @param d the distribution
   * @param t the transformed value
   * @return the internal value
   */
  public static double untransform(Distribution d, double t) {
    if (d instanceof FloatDistribution f) {
      double v = f.log() ? Math.exp(t) : t;
      if (f.step() != null) {
        v = f.low() + Math.rint((v - f.low()) / f.step()) * f.step();
      }
      return Math.min(Math.max(v, f.low()), f.high());
    }
    IntDistribution i = (IntDistribution) d;
    double v = i.log() ? Math.exp(t) : t;
    v = i.low() + Math.rint((v - i.low()) / i.step()) * i.step();
    return Math.min(Math.max(v, i.low()), i.high());
  }
}
