package dev.bilevel.hpo.internal;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.distributions.Distribution;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Copies of a {@link FrozenTrial} with one more piece of data, so that a running trial can keep
 * an up-to-date local snapshot without reading the storage back after each write.
 */
public final class TrialSnapshots {
  private TrialSnapshots() {}

  /**
   * Adds parameters.
   *
   * @param t the snapshot
   * @param added new parameter names → external values, in suggestion order
   * @param distributions their distributions (same names)
   * @return the new snapshot
   */
  public static FrozenTrial withParams(
      FrozenTrial t, Map<String, Object> added, Map<String, Distribution> distributions) {
    Map<String, Object> params = new LinkedHashMap<>(t.params());
    Map<String, Distribution> dists = new LinkedHashMap<>(t.distributions());
    params.putAll(added);
    dists.putAll(distributions);
    return new FrozenTrial(
        t.trialId(), t.number(), t.state(), t.values(), t.datetimeStart(), t.datetimeComplete(),
        params, dists, t.userAttrs(), t.systemAttrs(), t.intermediateValues());
  }

  /**
   * Adds an intermediate value.
   *
   * @param t the snapshot
   * @param step the step
   * @param value the value
   * @return the new snapshot
   */
  public static FrozenTrial withIntermediate(FrozenTrial t, int step, double value) {
    TreeMap<Integer, Double> iv = new TreeMap<>(t.intermediateValues());
    iv.put(step, value);
    return new FrozenTrial(
        t.trialId(), t.number(), t.state(), t.values(), t.datetimeStart(), t.datetimeComplete(),
        t.params(), t.distributions(), t.userAttrs(), t.systemAttrs(), iv);
  }

  /**
   * Sets an attribute.
   *
   * @param t the snapshot
   * @param system whether a system (else user) attribute
   * @param key the name
   * @param value the JSON value
   * @return the new snapshot
   */
  public static FrozenTrial withAttr(FrozenTrial t, boolean system, String key, Object value) {
    Map<String, Object> attrs = new LinkedHashMap<>(system ? t.systemAttrs() : t.userAttrs());
    attrs.put(key, value);
    return new FrozenTrial(
        t.trialId(), t.number(), t.state(), t.values(), t.datetimeStart(), t.datetimeComplete(),
        t.params(), t.distributions(), system ? t.userAttrs() : attrs,
        system ? attrs : t.systemAttrs(), t.intermediateValues());
  }
}
