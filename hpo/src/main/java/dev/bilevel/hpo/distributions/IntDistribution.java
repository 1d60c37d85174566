package dev.bilevel.hpo.distributions;

/**
 * An integer range {@code {low, low + step, ..., high}}, optionally log-scaled.
 *
 * <p>Validation (compact constructor): {@code low <= high}, {@code step >= 1}, {@code log}
 * requires {@code low >= 1} and {@code step == 1}, and {@code step} must divide {@code high - low}.
 * <b>Difference from Optuna:</b> Optuna lowers {@code high} to the last grid point with a warning;
 * this library rejects the range instead.
 *
 * <p>The internal representation is the integer as a {@code double} (exact for |x| &lt; 2^53); the
 * external one is a {@link Long}.
 *
 * @param low lower bound, inclusive
 * @param high upper bound, inclusive
 * @param log whether the sampler should work on {@code ln x}
 * @param step grid spacing, at least 1
 */
public record IntDistribution(long low, long high, boolean log, long step) implements Distribution {

  private static final long EXACT = 1L << 53;

  /**
   * Validates the parameters; see the class documentation.
   *
   * @param low see the record component of the same name
   * @param high see the record component of the same name
   * @param log see the record component of the same name
   * @param step see the record component of the same name
   */
  public IntDistribution {
    if (low > high) {
      throw new IllegalArgumentException(
          "IntDistribution: low must be <= high, got low=" + low + ", high=" + high);
    }
    if (step <= 0) {
      throw new IllegalArgumentException("IntDistribution: step must be >= 1, got step=" + step);
    }
    if (log && step != 1) {
      throw new IllegalArgumentException(
          "IntDistribution: step must be 1 when log=true, got step=" + step);
    }
    if (log && low < 1) {
      throw new IllegalArgumentException(
          "IntDistribution: log=true requires low >= 1, got low=" + low);
    }
    if (Math.abs(low) > EXACT || Math.abs(high) > EXACT) {
      throw new IllegalArgumentException(
          "IntDistribution: bounds must lie within +-2^53 so that they are exact as doubles, got low="
              + low
              + ", high="
              + high);
    }
    if ((high - low) % step != 0) {
      throw new IllegalArgumentException(
          "IntDistribution: step="
              + step
              + " does not divide the range high - low = "
              + (high - low)
              + " (low="
              + low
              + ", high="
              + high
              + ")");
    }
  }

  /**
   * The integers {@code low..high}.
   *
   * @param low lower bound
   * @param high upper bound
   * @return the distribution
   */
  public static IntDistribution of(long low, long high) {
    return new IntDistribution(low, high, false, 1);
  }

  @Override
  public double toInternal(Object external) {
    if (!(external instanceof Number n)) {
      throw new IllegalArgumentException(
          "IntDistribution expects a Number, got " + FloatDistribution.describe(external));
    }
    double v = n.doubleValue();
    if (Double.isNaN(v)) {
      throw new IllegalArgumentException("IntDistribution: the value is NaN");
    }
    if (log && v < 1) {
      throw new IllegalArgumentException(
          "IntDistribution with log=true needs a value >= 1, got " + v);
    }
    return (double) (long) v;
  }

  @Override
  public Object toExternal(double internal) {
    return Math.round(internal);
  }

  @Override
  public boolean contains(double internal) {
    if (!(low <= internal && internal <= high) || internal != Math.rint(internal)) {
      return false;
    }
    return ((long) internal - low) % step == 0;
  }

  @Override
  public boolean isSingle() {
    return low == high;
  }
}
