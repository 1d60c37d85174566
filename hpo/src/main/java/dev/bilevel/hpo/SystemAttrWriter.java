package dev.bilevel.hpo;

/**
 * The one write a sampler or pruner may make: setting a system attribute of the trial it is
 * handling (for example a grid sampler's {@code grid_id}, the {@code constraints} of a
 * constrained sampler, or the {@code completed_rung_K} marks of successive halving). Everything
 * else they see through a read-only {@link StudyView}.
 */
@FunctionalInterface
public interface SystemAttrWriter {
  /**
   * Stores {@code value} under {@code key} in the current trial's system attributes.
   *
   * @param key the attribute name
   * @param value a JSON value (see {@link dev.bilevel.hpo.storage.OptunaJson})
   * @throws IllegalArgumentException if the value is not a JSON value
   * @throws dev.bilevel.hpo.storage.UpdateFinishedTrialException if the trial is already finished
   */
  void set(String key, Object value);
}
