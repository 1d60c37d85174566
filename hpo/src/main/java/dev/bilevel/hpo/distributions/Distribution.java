package dev.bilevel.hpo.distributions;

/**
 * The set of values one hyper-parameter may take, with the mapping between the value a user sees
 * (the <em>external</em> representation) and the {@code double} that samplers and storages handle
 * (the <em>internal</em> representation).
 *
 * <p>Contract, shared by every permitted record:
 *
 * <ul>
 *   <li>Instances are immutable values, validated in their compact constructors: an invalid
 *       combination throws {@link IllegalArgumentException} naming the offending field.
 *   <li>{@code toExternal(toInternal(x))} equals {@code x} for every {@code x} this distribution
 *       contains (for categorical choices, after the normalization documented on {@link
 *       CategoricalDistribution}).
 *   <li>Internal values of {@link FloatDistribution} and {@link IntDistribution} are the values
 *       themselves (log-scaled distributions are <em>not</em> stored as logarithms; samplers
 *       transform them); those of {@link CategoricalDistribution} are choice indices {@code 0, 1,
 *       ..., n-1}.
 * </ul>
 *
 * <p>This mirrors Optuna's {@code BaseDistribution}; {@link DistributionJson} reads and writes the
 * same JSON text as Optuna's {@code distribution_to_json}.
 */
public sealed interface Distribution
    permits FloatDistribution, IntDistribution, CategoricalDistribution {

  /**
   * Converts a user-facing value to its internal {@code double}.
   *
   * @param external the value (a {@link Number} for numeric distributions, one of the choices for a
   *     categorical one)
   * @return the internal representation
   * @throws IllegalArgumentException if the value has the wrong type, is NaN, or (categorical) is not
   *     one of the choices
   */
  double toInternal(Object external);

  /**
   * Converts an internal {@code double} back to the user-facing value: a {@link Double} for {@link
   * FloatDistribution}, a {@link Long} for {@link IntDistribution}, the (normalized) choice for
   * {@link CategoricalDistribution}.
   *
   * @param internal an internal value, normally one for which {@link #contains(double)} holds
   * @return the external value
   * @throws IllegalArgumentException if a categorical index is out of range
   */
  Object toExternal(double internal);

  /**
   * Whether an internal value lies in this distribution: inside {@code [low, high]} and on the step
   * grid (floats within a relative tolerance of {@code 1e-8} steps, as Optuna), or a valid choice
   * index (the integer part, as Optuna).
   *
   * @param internal the internal value
   * @return {@code true} when contained
   */
  boolean contains(double internal);

  /**
   * Whether the distribution has exactly one value, in which case a trial uses it without
   * consulting the sampler.
   *
   * @return {@code true} when only one value is possible
   */
  boolean isSingle();

  /**
   * Checks that {@code newer} may be used for a parameter name that was earlier used with {@code
   * older}, following Optuna's {@code check_distribution_compatibility}: the kind must be the same,
   * numeric distributions must agree on {@code log} (ranges and steps may change: dynamic search
   * spaces), and categorical distributions must have identical choices.
   *
   * @param older the distribution recorded earlier for the name
   * @param newer the distribution now requested
   * @throws IllegalArgumentException describing the incompatibility
   */
  static void checkCompatibility(Distribution older, Distribution newer) {
    if (older.getClass() != newer.getClass()) {
      throw new IllegalArgumentException(
          "Cannot use a different distribution kind for the same parameter name: "
              + older.getClass().getSimpleName()
              + " was used before, now "
              + newer.getClass().getSimpleName());
    }
    if (older instanceof FloatDistribution a && newer instanceof FloatDistribution b
        && a.log() != b.log()) {
      throw new IllegalArgumentException(
          "Cannot change the log setting of a parameter: " + a + " was used before, now " + b);
    }
    if (older instanceof IntDistribution a && newer instanceof IntDistribution b
        && a.log() != b.log()) {
      throw new IllegalArgumentException(
          "Cannot change the log setting of a parameter: " + a + " was used before, now " + b);
    }
    if (older instanceof CategoricalDistribution a && newer instanceof CategoricalDistribution b
        && !a.equals(b)) {
      throw new IllegalArgumentException(
          "CategoricalDistribution does not support dynamic value space: choices "
              + a.choices()
              + " were used before, now "
              + b.choices());
    }
  }
}
