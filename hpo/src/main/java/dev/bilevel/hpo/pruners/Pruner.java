package dev.bilevel.hpo.pruners;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.SystemAttrWriter;

/**
 * Decides whether a running trial should stop early, from its intermediate values and those of
 * other trials: Optuna's {@code BasePruner}.
 *
 * <p>{@link dev.bilevel.hpo.Trial#shouldPrune()} calls {@link #prune} with a fresh snapshot of the
 * trial (including the value just reported). Contract for implementations:
 *
 * <ul>
 *   <li>Pure decision from the view and the trial, apart from system attributes of the current
 *       trial written through {@code attrs} (e.g. successive-halving rungs).
 *   <li>Thread safe: called concurrently for different trials.
 *   <li>Deterministic for the same study history.
 *   <li>A trial with no intermediate value is never pruned.
 * </ul>
 */
public interface Pruner {

  /**
   * Whether to prune the trial now.
   *
   * @param study the study (read-only)
   * @param trial the running trial
   * @param attrs writes the trial's system attributes
   * @return {@code true} to prune
   */
  boolean prune(StudyView study, FrozenTrial trial, SystemAttrWriter attrs);
}
