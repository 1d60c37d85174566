package dev.bilevel.hpo;

/**
 * The life cycle of a trial: {@code WAITING} (enqueued, not yet claimed) → {@code RUNNING} → one
 * of the finished states {@code COMPLETE}, {@code PRUNED}, {@code FAIL}. A trial may also be
 * created directly in a finished state ({@link Study#addTrial(FrozenTrial)}). Finished trials never
 * change state again.
 */
public enum TrialState {
  /** Being evaluated by a worker. */
  RUNNING,
  /** Finished with objective values. */
  COMPLETE,
  /** Stopped early by a pruner (or by the objective throwing {@link TrialPrunedException}). */
  PRUNED,
  /** Failed: the objective threw, returned NaN, or returned the wrong number of values. */
  FAIL,
  /** Enqueued and waiting to be claimed by {@link Study#ask()}. */
  WAITING;

  /**
   * Whether the state is final.
   *
   * @return {@code true} for {@code COMPLETE}, {@code PRUNED}, {@code FAIL}
   */
  public boolean isFinished() {
    return this == COMPLETE || this == PRUNED || this == FAIL;
  }
}
