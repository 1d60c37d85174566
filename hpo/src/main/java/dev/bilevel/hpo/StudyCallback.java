package dev.bilevel.hpo;

/**
 * Called by {@link Study#optimize} after each finished trial, on the worker thread that ran it.
 * May call {@link Study#stop()}.
 */
@FunctionalInterface
public interface StudyCallback {
  /**
   * Reacts to a finished trial.
   *
   * @param study the study being optimized
   * @param trial the finished trial
   */
  void afterTrial(Study study, FrozenTrial trial);
}
