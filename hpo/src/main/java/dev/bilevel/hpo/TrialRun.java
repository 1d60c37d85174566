package dev.bilevel.hpo;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/** One trial of {@link Study#optimize}: ask, evaluate, tell, callbacks (Optuna's {@code _run_trial}). */
final class TrialRun {
  private static final System.Logger LOG = System.getLogger(Study.class.getName());

  private final Study study;
  private final MultiObjective objective;
  private final OptimizeOptions options;

  TrialRun(Study study, MultiObjective objective, OptimizeOptions options) {
    this.study = study;
    this.objective = objective;
    this.options = options;
  }

  void run() {
    Trial trial = study.ask();
    List<Double> values = null;
    TrialState state = null;
    String reason = null;
    Throwable error = null;
    try {
      double[] result = objective.evaluate(trial);
      if (result == null) {
        reason = "The objective function returned null";
      } else {
        values = new ArrayList<>(result.length);
        for (double v : result) {
          values.add(v);
        }
      }
    } catch (TrialPrunedException e) {
      state = TrialState.PRUNED;
    } catch (Throwable e) {
      error = e;
      state = TrialState.FAIL;
      reason = e.toString();
    }
    FrozenTrial finished = study.tellFromLoop(trial, values, state, reason);
    if (finished.state() == TrialState.FAIL) {
      LOG.log(
          Level.WARNING,
          "Trial {0} failed with parameters {1}: {2}",
          finished.number(),
          finished.params(),
          finished.systemAttrs().get(Study.FAIL_REASON_KEY));
    }
    if (error != null && !(error instanceof Exception && options.isCaught(error))) {
      if (error instanceof RuntimeException re) {
        throw re;
      }
      if (error instanceof Error err) {
        throw err;
      }
      throw new OptimizationException(finished.number(), error);
    }
    for (StudyCallback callback : options.callbacks()) {
      callback.afterTrial(study, finished);
    }
    if (study.sampler().isExhausted(study.view())) {
      study.stop();
    }
  }
}
