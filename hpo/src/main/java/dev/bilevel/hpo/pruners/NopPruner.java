package dev.bilevel.hpo.pruners;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.SystemAttrWriter;

/** Never prunes: the default pruner of a study (Optuna's {@code NopPruner}). */
public final class NopPruner implements Pruner {

  /** Creates the pruner. */
  public NopPruner() {}

  @Override
  public boolean prune(StudyView study, FrozenTrial trial, SystemAttrWriter attrs) {
    return false;
  }
}
