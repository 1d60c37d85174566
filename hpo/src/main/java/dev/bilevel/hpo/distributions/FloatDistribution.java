package dev.bilevel.hpo.distributions;

import java.math.BigDecimal;

/**
 * A real interval {@code [low, high]}, optionally log-scaled or discretized by {@code step}.
 *
 * <p>Validation (compact constructor): {@code low} and {@code high} finite, {@code low <= high},
 * {@code log} requires {@code low > 0}, {@code log} and {@code step} exclusive, {@code step > 0},
 * and {@code step} must divide {@code high - low} exactly in decimal arithmetic (as the values are
 * written, e.g. {@code 0.1} divides {@code [0.2, 0.5]}). <b>Difference from Optuna:</b> Optuna
 * silently lowers {@code high} to the last grid point with a warning; this library rejects such a
 * range, so that a stored distribution is always the one the user wrote.
 *
 * <p>The internal representation is the value itself.
 *
 * @param low lower bound, inclusive
 * @param high upper bound, inclusive
 * @param log whether the sampler should work on {@code ln x}
 * @param step grid spacing, or {@code null} for a continuous range
 */
public record FloatDistribution(double low, double high, boolean log, Double step)
    implements Distribution {

  /**
   * Validates the parameters; see the class documentation.
   *
   * @param low see the record component of the same name
   * @param high see the record component of the same name
   * @param log see the record component of the same name
   * @param step see the record component of the same name
   */
  public FloatDistribution {
    if (!Double.isFinite(low) || !Double.isFinite(high)) {
      throw new IllegalArgumentException(
          "FloatDistribution: low and high must be finite, got low=" + low + ", high=" + high);
    }
    if (low > high) {
      throw new IllegalArgumentException(
          "FloatDistribution: low must be <= high, got low=" + low + ", high=" + high);
    }
    if (log && step != null) {
      throw new IllegalArgumentException(
          "FloatDistribution: step and log cannot be used together, got step=" + step);
    }
    if (log && low <= 0.0) {
      throw new IllegalArgumentException(
          "FloatDistribution: log=true requires low > 0, got low=" + low);
    }
    if (step != null) {
      if (!(step > 0.0) || !Double.isFinite(step)) {
        throw new IllegalArgumentException(
            "FloatDistribution: step must be a positive finite number, got step=" + step);
      }
      BigDecimal range = BigDecimal.valueOf(high).subtract(BigDecimal.valueOf(low));
      if (range.remainder(BigDecimal.valueOf(step)).signum() != 0) {
        throw new IllegalArgumentException(
            "FloatDistribution: step="
                + step
                + " does not divide the range high - low = "
                + range.toPlainString()
                + " (low="
                + low
                + ", high="
                + high
                + ")");
      }
    }
  }

  /**
   * A continuous uniform range.
   *
   * @param low lower bound
   * @param high upper bound
   * @return the distribution
   */
  public static FloatDistribution uniform(double low, double high) {
    return new FloatDistribution(low, high, false, null);
  }

  /**
   * A log-uniform range ({@code low > 0}).
   *
   * @param low lower bound
   * @param high upper bound
   * @return the distribution
   */
  public static FloatDistribution logUniform(double low, double high) {
    return new FloatDistribution(low, high, true, null);
  }

  /**
   * A grid {@code low, low + step, ..., high}.
   *
   * @param low lower bound
   * @param high upper bound (must be on the grid)
   * @param step spacing
   * @return the distribution
   */
  public static FloatDistribution stepped(double low, double high, double step) {
    return new FloatDistribution(low, high, false, step);
  }

  @Override
  public double toInternal(Object external) {
    if (!(external instanceof Number n)) {
      throw new IllegalArgumentException(
          "FloatDistribution expects a Number, got " + describe(external));
    }
    double v = n.doubleValue();
    if (Double.isNaN(v)) {
      throw new IllegalArgumentException("FloatDistribution: the value is NaN");
    }
    if (log && v <= 0.0) {
      throw new IllegalArgumentException(
          "FloatDistribution with log=true needs a positive value, got " + v);
    }
    return v;
  }

  @Override
  public Object toExternal(double internal) {
    return internal;
  }

  @Override
  public boolean contains(double internal) {
    if (!(low <= internal && internal <= high)) {
      return false;
    }
    if (step == null) {
      return true;
    }
    double k = (internal - low) / step;
    return Math.abs(k - Math.rint(k)) < 1e-8;
  }

  @Override
  public boolean isSingle() {
    return low == high;
  }

  static String describe(Object o) {
    return o == null ? "null" : o.getClass().getSimpleName() + " " + o;
  }
}
