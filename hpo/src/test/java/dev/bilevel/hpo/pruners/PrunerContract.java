package dev.bilevel.hpo.pruners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.OptimizeOptions;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.Trial;
import dev.bilevel.hpo.TrialPrunedException;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.samplers.RandomSampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Pruner} must satisfy; each pruner's test class extends it and provides
 * {@link #createPruner()}. Published in the hpo test-jar.
 */
public abstract class PrunerContract {

  /**
   * Creates the pruner under test, configured so that it can prune within 20 steps and 10 trials.
   *
   * @return a new pruner
   */
  protected abstract Pruner createPruner();

  /**
   * A study with the pruner under test.
   *
   * @param pruner the pruner
   * @param direction the direction
   * @return the study, named "contract"
   */
  protected static Study study(Pruner pruner, StudyDirection direction) {
    return Study.builder().name("contract").sampler(new RandomSampler(0)).pruner(pruner)
        .directions(direction).create();
  }

  /**
   * A complete trial with the learning curve {@code level + 1/(step+1)} for steps 0..steps-1.
   *
   * @param level the curve's asymptote
   * @param steps number of steps
   * @return the trial to add
   */
  protected static FrozenTrial completedCurve(double level, int steps) {
    TreeMap<Integer, Double> curve = new TreeMap<>();
    for (int s = 0; s < steps; s++) {
      curve.put(s, level + 1.0 / (s + 1));
    }
    return FrozenTrial.create(TrialState.COMPLETE, List.of(curve.lastEntry().getValue()), Map.of(),
        Map.of(), null, null, curve);
  }

  /**
   * Runs one scripted trial: reports {@code level + 1/(step+1)} and asks the pruner after each
   * report, stopping at the first prune.
   *
   * @param study the study
   * @param level the curve's asymptote
   * @param steps number of steps
   * @return the decisions, one per report
   */
  protected static List<Boolean> scriptedTrial(Study study, double level, int steps) {
    Trial trial = study.ask();
    List<Boolean> decisions = new ArrayList<>();
    for (int s = 0; s < steps; s++) {
      trial.report(level + 1.0 / (s + 1), s);
      boolean prune = trial.shouldPrune();
      decisions.add(prune);
      if (prune) {
        study.tell(trial, TrialState.PRUNED);
        return decisions;
      }
    }
    study.tell(trial, level + 1.0 / steps);
    return decisions;
  }

  private Study historyOf(int n) {
    Study study = study(createPruner(), StudyDirection.MINIMIZE);
    for (int k = 0; k < n; k++) {
      study.addTrial(completedCurve(k * 0.1, 20));
    }
    return study;
  }

  @Test
  void aTrialWithoutIntermediateValuesIsNeverPruned() {
    Study study = historyOf(10);
    Trial trial = study.ask();
    assertThat(trial.shouldPrune()).isFalse();
  }

  @Test
  void pruningDoesNotChangeOtherTrials() {
    Study study = historyOf(10);
    List<FrozenTrial> before = study.trials();
    scriptedTrial(study, 5.0, 20);
    List<FrozenTrial> after = study.trials();
    assertThat(after.subList(0, before.size())).isEqualTo(before);
  }

  @Test
  void sameHistoryGivesSameDecisions() {
    List<List<Boolean>> runs = new ArrayList<>();
    for (int rep = 0; rep < 2; rep++) {
      Study study = historyOf(10);
      List<Boolean> decisions = new ArrayList<>();
      for (double level : new double[] {2.0, 0.05, 0.7, 3.0}) {
        decisions.addAll(scriptedTrial(study, level, 20));
      }
      runs.add(decisions);
    }
    assertThat(runs.get(1)).isEqualTo(runs.get(0));
  }

  /**
   * Whether the pruner stops a trial whose decreasing curve lies far above all others; pruners
   * that never prune such a trial by design (no-op, patience on improving curves) return false.
   *
   * @return true by default
   */
  protected boolean prunesHopelessTrials() {
    return true;
  }

  @Test
  void aHopelessTrialIsEventuallyPruned() {
    Study study = historyOf(10);
    for (int k = 0; k < 6; k++) {
      scriptedTrial(study, 0.01 * k, 20);
    }
    List<Boolean> decisions = scriptedTrial(study, 100.0, 20);
    assertThat(decisions.contains(true)).isEqualTo(prunesHopelessTrials());
  }

  @Test
  void multiThreadedOptimizeEndsEveryTrialCompleteOrPruned() {
    Study study = study(createPruner(), StudyDirection.MINIMIZE);
    study.optimize(
        t -> {
          double x = t.suggestFloat("x", 0, 10);
          for (int s = 0; s < 20; s++) {
            t.report(x + 1.0 / (s + 1), s);
            if (t.shouldPrune()) {
              throw new TrialPrunedException();
            }
          }
          return x;
        },
        OptimizeOptions.trials(30).withThreads(4));
    assertThat(study.trials()).hasSize(30)
        .allMatch(t -> t.state() == TrialState.COMPLETE || t.state() == TrialState.PRUNED);
  }
}
