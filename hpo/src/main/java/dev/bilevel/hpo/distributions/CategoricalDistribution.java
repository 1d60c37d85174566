package dev.bilevel.hpo.distributions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A finite list of choices. A choice is {@code null}, a {@link Boolean}, a {@link String}, or a
 * {@link Number} of one of the types {@link Byte}, {@link Short}, {@link Integer}, {@link Long}
 * (normalized to {@link Long}) or {@link Float}, {@link Double} (normalized to {@link Double}), so
 * that a distribution read back from JSON equals the one written.
 *
 * <p>The internal representation of a choice is its index; {@link #contains(double)} follows Optuna
 * and accepts any internal value whose integer part is a valid index.
 *
 * @param choices the choices, at least one, in order; stored as an unmodifiable normalized copy
 */
public record CategoricalDistribution(List<Object> choices) implements Distribution {

  /**
   * Validates and normalizes the choices; see the class documentation.
   *
   * @param choices see the record component of the same name
   */
  public CategoricalDistribution {
    if (choices == null || choices.isEmpty()) {
      throw new IllegalArgumentException(
          "CategoricalDistribution: choices must contain at least one element");
    }
    List<Object> normalized = new ArrayList<>(choices.size());
    for (Object c : choices) {
      normalized.add(normalize(c));
    }
    choices = Collections.unmodifiableList(normalized);
  }

  /**
   * A distribution over the given choices.
   *
   * @param choices the choices
   * @return the distribution
   */
  public static CategoricalDistribution of(Object... choices) {
    List<Object> list = new ArrayList<>();
    Collections.addAll(list, choices);
    return new CategoricalDistribution(list);
  }

  /**
   * Maps a choice to its canonical form ({@link Long} for integral numbers, {@link Double} for
   * floating ones).
   *
   * @param choice a choice
   * @return the normalized choice
   * @throws IllegalArgumentException for an unsupported type
   */
  public static Object normalize(Object choice) {
    if (choice == null || choice instanceof Boolean || choice instanceof String) {
      return choice;
    }
    if (choice instanceof Long || choice instanceof Integer || choice instanceof Short
        || choice instanceof Byte) {
      return ((Number) choice).longValue();
    }
    if (choice instanceof Double || choice instanceof Float) {
      return ((Number) choice).doubleValue();
    }
    throw new IllegalArgumentException(
        "CategoricalDistribution: a choice must be null, Boolean, String, Byte, Short, Integer, "
            + "Long, Float or Double, got "
            + choice.getClass().getName());
  }

  @Override
  public double toInternal(Object external) {
    int index = choices.indexOf(normalize(external));
    if (index < 0) {
      throw new IllegalArgumentException(
          "CategoricalDistribution: " + external + " is not one of the choices " + choices);
    }
    return index;
  }

  @Override
  public Object toExternal(double internal) {
    if (!contains(internal)) {
      throw new IllegalArgumentException(
          "CategoricalDistribution: index " + internal + " is outside [0, " + choices.size() + ")");
    }
    return choices.get((int) internal);
  }

  @Override
  public boolean contains(double internal) {
    if (Double.isNaN(internal)) {
      return false;
    }
    double index = Math.floor(internal);
    return index >= 0 && index < choices.size();
  }

  @Override
  public boolean isSingle() {
    return choices.size() == 1;
  }
}
