package dev.bilevel.hpo;

import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.storage.OptunaJson;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable snapshot of a trial as a storage holds it (Optuna's {@code FrozenTrial}).
 *
 * <p>All collections are unmodifiable copies. {@code params} holds external values (as the user
 * saw them, see {@link Distribution#toExternal(double)}), in suggestion order, and has exactly the
 * keys of {@code distributions}. {@code values} is empty when the trial has no objective values.
 * Attribute values are JSON values ({@link OptunaJson#freeze(Object)}).
 *
 * @param trialId the storage-wide id ({@code -1} for a trial not yet stored)
 * @param number the 0-based dense number of the trial within its study ({@code -1} if not stored)
 * @param state the state
 * @param values objective values, one per study direction, or empty
 * @param datetimeStart when the trial started running, or {@code null} (WAITING)
 * @param datetimeComplete when the trial finished, or {@code null}
 * @param params parameter name → external value
 * @param distributions parameter name → distribution
 * @param userAttrs user attributes
 * @param systemAttrs system attributes (written by the library, samplers and pruners)
 * @param intermediateValues step → reported value
 */
public record FrozenTrial(
    long trialId,
    int number,
    TrialState state,
    List<Double> values,
    Instant datetimeStart,
    Instant datetimeComplete,
    Map<String, Object> params,
    Map<String, Distribution> distributions,
    Map<String, Object> userAttrs,
    Map<String, Object> systemAttrs,
    SortedMap<Integer, Double> intermediateValues) {

  /**
   * Copies and checks the components.
   *
   * @throws IllegalArgumentException if params and distributions have different keys, a param
   *     value does not convert under its distribution, or an attribute is not a JSON value
   * @throws NullPointerException if state or a collection is null
   *
   * @param trialId see the record component of the same name
   * @param number see the record component of the same name
   * @param state see the record component of the same name
   * @param values see the record component of the same name
   * @param datetimeStart see the record component of the same name
   * @param datetimeComplete see the record component of the same name
   * @param params see the record component of the same name
   * @param distributions see the record component of the same name
   * @param userAttrs see the record component of the same name
   * @param systemAttrs see the record component of the same name
   * @param intermediateValues see the record component of the same name
   */
  public FrozenTrial {
    Objects.requireNonNull(state, "state");
    values = List.copyOf(values == null ? List.of() : values);
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(distributions, "distributions");
    if (!params.keySet().equals(distributions.keySet())) {
      throw new IllegalArgumentException(
          "params and distributions must have the same names: "
              + params.keySet()
              + " vs "
              + distributions.keySet());
    }
    for (Map.Entry<String, Object> e : params.entrySet()) {
      distributions.get(e.getKey()).toInternal(e.getValue());
    }
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    distributions = Collections.unmodifiableMap(new LinkedHashMap<>(distributions));
    userAttrs = frozenMap(userAttrs);
    systemAttrs = frozenMap(systemAttrs);
    // Snapshots are copied often (several per trial): empty parts share one immutable instance.
    intermediateValues =
        intermediateValues == null || intermediateValues.isEmpty()
            ? Collections.emptySortedMap()
            : Collections.unmodifiableSortedMap(new TreeMap<>(intermediateValues));
  }

  /**
   * A finished or waiting trial to pass to {@link Study#addTrial(FrozenTrial)} (Optuna's {@code
   * create_trial}); number and id are assigned by the storage.
   *
   * @param state the state
   * @param values objective values (required for COMPLETE)
   * @param params parameter name → external value
   * @param distributions parameter name → distribution
   * @param userAttrs user attributes
   * @param systemAttrs system attributes
   * @param intermediateValues step → value
   * @return the template trial, with start and completion time set to now where the state implies
   *     them
   */
  public static FrozenTrial create(
      TrialState state,
      List<Double> values,
      Map<String, Object> params,
      Map<String, Distribution> distributions,
      Map<String, Object> userAttrs,
      Map<String, Object> systemAttrs,
      Map<Integer, Double> intermediateValues) {
    Instant now = Instant.now();
    return new FrozenTrial(
        -1,
        -1,
        state,
        values,
        state == TrialState.WAITING ? null : now,
        state.isFinished() ? now : null,
        params,
        distributions,
        userAttrs,
        systemAttrs,
        intermediateValues == null ? null : new TreeMap<>(intermediateValues));
  }

  /**
   * The single objective value.
   *
   * @return {@code values().get(0)}
   * @throws IllegalStateException if the trial does not have exactly one value
   */
  public double value() {
    if (values.size() != 1) {
      throw new IllegalStateException(
          "Trial " + number + " has " + values.size() + " values, not exactly one");
    }
    return values.get(0);
  }

  /**
   * The internal representation of a parameter.
   *
   * @param name the parameter name
   * @return the internal value
   * @throws IllegalArgumentException if the trial has no such parameter
   */
  public double internalParam(String name) {
    Distribution d = distributions.get(name);
    if (d == null) {
      throw new IllegalArgumentException("Trial " + number + " has no parameter '" + name + "'");
    }
    return d.toInternal(params.get(name));
  }

  /**
   * The largest step with an intermediate value.
   *
   * @return the last step, or empty if nothing was reported
   */
  public OptionalInt lastStep() {
    return intermediateValues.isEmpty()
        ? OptionalInt.empty()
        : OptionalInt.of(intermediateValues.lastKey());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> frozenMap(Map<String, Object> attrs) {
    return attrs == null || attrs.isEmpty()
        ? Map.of()
        : (Map<String, Object>) OptunaJson.freeze(attrs);
  }
}
