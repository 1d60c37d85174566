package dev.bilevel.hpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import dev.bilevel.hpo.samplers.RandomSampler;
import dev.bilevel.hpo.storage.InMemoryStorage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StudyTest {

  private static Study study(StudyDirection... directions) {
    return Study.builder().sampler(new RandomSampler(0)).directions(directions).create();
  }

  @Test
  void askTellStoresParamsStateAndValues() {
    Study study = study(StudyDirection.MINIMIZE);
    Trial trial = study.ask();
    double x = trial.suggestFloat("x", 0, 1);
    assertThat(trial.suggestFloat("x", 0, 1)).isEqualTo(x);
    trial.setUserAttr("note", "first");
    FrozenTrial told = study.tell(trial, x * 2);
    assertThat(told.state()).isEqualTo(TrialState.COMPLETE);
    assertThat(told.values()).containsExactly(x * 2);
    assertThat(told.params()).containsEntry("x", x);
    assertThat(told.userAttrs()).containsEntry("note", "first");
    assertThatThrownBy(() -> study.tell(trial, 1.0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> trial.suggestFloat("y", 0, 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void askWithDistributionsSuggestsThemAtOnce() {
    Study study = study(StudyDirection.MINIMIZE);
    Trial trial = study.ask(Map.of("n", IntDistribution.of(3, 3), "c", CategoricalDistribution.of("z")));
    assertThat(trial.params()).containsEntry("n", 3L).containsEntry("c", "z");
    study.tell(trial.number(), TrialState.PRUNED);
    assertThat(study.trials(TrialState.PRUNED)).hasSize(1);
  }

  @Test
  void nanAndWrongValueCountFailTheTrialWithAReason() {
    Study study = study(StudyDirection.MINIMIZE);
    FrozenTrial nan = study.tell(study.ask(), Double.NaN);
    assertThat(nan.state()).isEqualTo(TrialState.FAIL);
    assertThat((String) nan.systemAttrs().get(Study.FAIL_REASON_KEY)).contains("NaN");
    FrozenTrial two = study.tell(study.ask(), 1.0, 2.0);
    assertThat(two.state()).isEqualTo(TrialState.FAIL);
    assertThat((String) two.systemAttrs().get(Study.FAIL_REASON_KEY))
        .contains("number of the values 2");
    study.optimize(t -> Double.NaN, 2);
    study.optimize(t -> t.suggestFloat("x", 0, 1), 3);
    assertThat(study.trials(TrialState.FAIL)).hasSize(4);
    assertThat(study.trials(TrialState.COMPLETE)).hasSize(3);
  }

  @Test
  void caughtExceptionsFailTheTrialAndTheStudyGoesOn() {
    Study study = study(StudyDirection.MINIMIZE);
    AtomicInteger calls = new AtomicInteger();
    study.optimize(
        t -> {
          t.suggestFloat("x", 0, 1);
          if (calls.getAndIncrement() % 2 == 0) {
            throw new IOException("disk full");
          }
          return 1.0;
        },
        OptimizeOptions.trials(4).withCatch(IOException.class));
    assertThat(study.trials(TrialState.FAIL)).hasSize(2)
        .allMatch(t -> t.systemAttrs().get(Study.FAIL_REASON_KEY).toString().contains("disk full"))
        .allMatch(t -> t.params().containsKey("x"));
    assertThat(study.trials(TrialState.COMPLETE)).hasSize(2);
  }

  @Test
  void uncaughtExceptionsAreStoredThenRethrown() {
    Study study = study(StudyDirection.MINIMIZE);
    study.optimize(t -> 1.0, 2);
    assertThatThrownBy(() -> study.optimize(t -> {
      throw new IllegalStateException("boom");
    }, 5)).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThatThrownBy(() -> study.optimize(t -> {
      throw new IOException("io");
    }, 5)).isInstanceOf(OptimizationException.class).hasCauseInstanceOf(IOException.class);
    assertThat(study.trials()).hasSize(4);
    assertThat(study.trials(TrialState.COMPLETE)).hasSize(2);
    assertThat(study.trials(TrialState.FAIL)).extracting(t -> t.systemAttrs().get("fail_reason"))
        .containsExactly("java.lang.IllegalStateException: boom", "java.io.IOException: io");
  }

  @Test
  void badSuggestionsFailTheTrialAndKeepEarlierData() {
    Study study = study(StudyDirection.MINIMIZE);
    study.optimize(t -> t.suggestCategorical("c", "a", "b").length(), 2);
    study.optimize(t -> t.suggestCategorical("c", "a", "x").length(),
        OptimizeOptions.trials(1).withCatch(IllegalArgumentException.class));
    study.optimize(t -> t.suggestFloat("f", 1, 0),
        OptimizeOptions.trials(1).withCatch(IllegalArgumentException.class));
    study.optimize(t -> t.suggestFloat("g", 0, 1, true),
        OptimizeOptions.trials(1).withCatch(IllegalArgumentException.class));
    study.optimize(t -> t.suggestFloat("h", 0, 1, 0.3),
        OptimizeOptions.trials(1).withCatch(IllegalArgumentException.class));
    List<FrozenTrial> failed = study.trials(TrialState.FAIL);
    assertThat(failed).extracting(t -> t.systemAttrs().get("fail_reason").toString())
        .satisfiesExactly(
            r -> assertThat(r).contains("dynamic value space"),
            r -> assertThat(r).contains("low must be <= high"),
            r -> assertThat(r).contains("log=true requires low > 0"),
            r -> assertThat(r).contains("does not divide"));
    assertThat(study.trials(TrialState.COMPLETE)).hasSize(2)
        .allMatch(t -> t.params().containsKey("c"));
  }

  @Test
  void enqueuedTrialsAreClaimedFirstAndSkipIfExistsWorks() {
    Study study = study(StudyDirection.MINIMIZE);
    study.enqueueTrial(Map.of("x", 0.5));
    study.enqueueTrial(Map.of("x", 0.5), Map.of(), true);
    study.enqueueTrial(Map.of("x", 0.75), Map.of("origin", "manual"), false);
    assertThat(study.trials(TrialState.WAITING)).hasSize(2);
    study.optimize(t -> t.suggestFloat("x", 0, 1), 3);
    List<FrozenTrial> trials = study.trials();
    assertThat(trials).hasSize(3);
    assertThat(trials.get(0).params()).containsEntry("x", 0.5);
    assertThat(trials.get(1).params()).containsEntry("x", 0.75);
    assertThat(trials.get(1).userAttrs()).containsEntry("origin", "manual");
    study.enqueueTrial(Map.of("x", 0.5), Map.of(), true);
    study.enqueueTrial(Map.of("x", 0.75f), Map.of(), true);
    assertThat(study.trials(TrialState.WAITING)).isEmpty();
    study.enqueueTrial(Map.of("x", 1), Map.of(), true);
    assertThat(study.trials(TrialState.WAITING)).hasSize(1);
  }

  @Test
  void enqueuedCategoricalOutsideTheChoicesFails() {
    Study study = study(StudyDirection.MINIMIZE);
    study.enqueueTrial(Map.of("c", "nope"));
    study.optimize(t -> t.suggestCategorical("c", "a", "b").length(),
        OptimizeOptions.trials(1).withCatch(IllegalArgumentException.class));
    assertThat(study.trials().get(0).state()).isEqualTo(TrialState.FAIL);
  }

  @Test
  void addTrialValidatesAndBestTrialFollowsTheDirection() {
    Study study = study(StudyDirection.MAXIMIZE);
    for (double v : new double[] {1.0, 4.0, 2.0}) {
      study.addTrial(complete(v, 0.1 * v));
    }
    assertThat(study.bestValue()).isEqualTo(4.0);
    assertThat(study.bestTrial().number()).isEqualTo(1);
    assertThat(study.bestParams()).containsEntry("x", 0.4);
    assertThatThrownBy(() -> study.addTrial(FrozenTrial.create(TrialState.COMPLETE, List.of(1.0, 2.0),
        Map.of(), Map.of(), null, null, null))).hasMessageContaining("2 values");
    assertThatThrownBy(() -> study.addTrial(complete(1.0, 2.0))).hasMessageContaining("outside");
    assertThatThrownBy(() -> study.addTrial(FrozenTrial.create(TrialState.COMPLETE, List.of(),
        Map.of(), Map.of(), null, null, null))).hasMessageContaining("needs values");
    assertThat(study.trials()).hasSize(3);
  }

  private static FrozenTrial complete(double value, double x) {
    return FrozenTrial.create(TrialState.COMPLETE, List.of(value), Map.of("x", x),
        Map.of("x", FloatDistribution.uniform(0, 1)), null, null, null);
  }

  @Test
  void paretoFrontOfTwoObjectives() {
    Study study = study(StudyDirection.MINIMIZE, StudyDirection.MAXIMIZE);
    double[][] points = {{1, 1}, {2, 3}, {2, 2}, {3, 3}, {0.5, 0.2}, {1, 1}};
    for (double[] p : points) {
      study.addTrial(FrozenTrial.create(TrialState.COMPLETE, List.of(p[0], p[1]), Map.of(),
          Map.of(), null, null, null));
    }
    // Minimize f0, maximize f1: (2,3) dominates (2,2) and (3,3); (1,1) twice and (0.5,0.2) survive.
    assertThat(study.bestTrials()).extracting(FrozenTrial::number).containsExactly(0, 1, 4, 5);
    assertThatThrownBy(study::bestTrial).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void constraintsAreStoredAndInfeasibleTrialsAreNotBest() {
    Study study = Study.builder().sampler(new RandomSampler(4))
        .constraints(t -> new double[] {(Double) t.params().get("x") - 0.5}).create();
    study.optimize(t -> -t.suggestFloat("x", 0, 1), 30);
    assertThat(study.trials()).allMatch(t -> t.systemAttrs().containsKey(StudyView.CONSTRAINTS_KEY));
    assertThat((Double) study.bestTrial().params().get("x")).isLessThanOrEqualTo(0.5);
    double bestFeasible = study.trials(TrialState.COMPLETE).stream()
        .filter(t -> (Double) t.params().get("x") <= 0.5).mapToDouble(FrozenTrial::value).min()
        .orElseThrow();
    assertThat(study.bestValue()).isEqualTo(bestFeasible);
  }

  @Test
  void callbacksStopTheOptimization() {
    Study study = study(StudyDirection.MINIMIZE);
    study.optimize(t -> 1.0, OptimizeOptions.trials(100).withCallbacks(new MaxTrialsCallback(5)));
    assertThat(study.trials()).hasSize(5);
    study.optimize(t -> 1.0, OptimizeOptions.trials(100).withThreads(3)
        .withCallbacks(new MaxTrialsCallback(20)));
    assertThat(study.trials().size()).isBetween(20, 22);
    assertThatThrownBy(study::stop).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void timeoutStopsStartingTrials() {
    Study study = study(StudyDirection.MINIMIZE);
    long start = System.nanoTime();
    study.optimize(t -> {
      Thread.sleep(20);
      return 1.0;
    }, OptimizeOptions.until(Duration.ofMillis(200)));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(seconds).isLessThan(2.0);
    assertThat(study.trials().size()).isBetween(2, 11);
  }

  @Test
  void prunedTrialsKeepTheirLastIntermediateValue() {
    Study study = study(StudyDirection.MINIMIZE);
    study.optimize(t -> {
      t.report(3.0, 0);
      t.report(2.0, 1);
      t.report(9.0, 1);
      throw new TrialPrunedException();
    }, 1);
    FrozenTrial t = study.trials().get(0);
    assertThat(t.state()).isEqualTo(TrialState.PRUNED);
    assertThat(t.values()).containsExactly(2.0);
    assertThat(t.intermediateValues()).containsExactly(Map.entry(0, 3.0), Map.entry(1, 2.0));
  }

  @Test
  void multiObjectiveTrialsCannotReport() {
    Study study = study(StudyDirection.MINIMIZE, StudyDirection.MINIMIZE);
    Trial trial = study.ask();
    assertThatThrownBy(() -> trial.report(1.0, 0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(trial::shouldPrune).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> study.direction()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void studiesCanBeLoadedByNameAndCarryUserAttrs() {
    InMemoryStorage storage = new InMemoryStorage();
    Study created = Study.builder().storage(storage).name("shared")
        .directions(StudyDirection.MAXIMIZE).create();
    created.setUserAttr("owner", "me");
    created.optimize(t -> t.suggestInt("k", 0, 3), 4);
    Study loaded = Study.builder().storage(storage).name("shared").load();
    assertThat(loaded.direction()).isEqualTo(StudyDirection.MAXIMIZE);
    assertThat(loaded.userAttrs()).containsEntry("owner", "me");
    assertThat(loaded.trials()).isEqualTo(created.trials());
    Study same = Study.builder().storage(storage).name("shared").createOrLoad();
    assertThat(same.studyId()).isEqualTo(created.studyId());
    assertThat(Study.builder().storage(storage).name("other").createOrLoad().studyId())
        .isNotEqualTo(created.studyId());
  }

  @Test
  void aSamplerFailingToStartATrialLeavesNoRunningTrial() {
    dev.bilevel.hpo.samplers.Sampler broken = new dev.bilevel.hpo.samplers.Sampler() {
      @Override
      public void beforeTrial(StudyView study, FrozenTrial trial, SystemAttrWriter attrs) {
        throw new IllegalStateException("no grid left");
      }

      @Override
      public double sampleIndependent(StudyView study, FrozenTrial trial, String name,
          dev.bilevel.hpo.distributions.Distribution d) {
        return 0;
      }
    };
    Study study = Study.builder().sampler(broken).create();
    assertThatThrownBy(study::ask).hasMessage("no grid left");
    assertThat(study.trials()).singleElement().satisfies(t -> {
      assertThat(t.state()).isEqualTo(TrialState.FAIL);
      assertThat(t.systemAttrs().get(Study.FAIL_REASON_KEY).toString()).contains("no grid left");
    });
  }

  @Test
  void optimizeOptionsAreValidated() {
    assertThatThrownBy(() -> new OptimizeOptions(null, null, 1, Set.of(), List.of()))
        .hasMessageContaining("nTrials or a timeout");
    assertThatThrownBy(() -> OptimizeOptions.trials(5).withThreads(0))
        .hasMessageContaining("nThreads");
    assertThatThrownBy(() -> OptimizeOptions.trials(-1)).hasMessageContaining("nTrials");
    Study study = study(StudyDirection.MINIMIZE);
    study.optimize(t -> 1.0, 0);
    assertThat(study.trials()).isEmpty();
  }

  @Test
  void aTrialFinishedElsewhereDuringItsObjectiveIsLeftAsItIs() {
    Study study = study(StudyDirection.MINIMIZE);
    study.optimize(t -> {
      study.tell(t.number(), TrialState.FAIL);
      return 1.0;
    }, 3);
    assertThat(study.trials()).hasSize(3).allMatch(t -> t.state() == TrialState.FAIL);
  }

  @Test
  void samplersAndPrunersSeeOnlyAReadOnlyView() {
    List<StudyView> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.bilevel.hpo.samplers.Sampler spy = new dev.bilevel.hpo.samplers.Sampler() {
      private final RandomSampler inner = new RandomSampler(1);

      @Override
      public void beforeTrial(StudyView study, FrozenTrial trial, SystemAttrWriter attrs) {
        seen.add(study);
      }

      @Override
      public double sampleIndependent(StudyView study, FrozenTrial trial, String name,
          dev.bilevel.hpo.distributions.Distribution d) {
        seen.add(study);
        return inner.sampleIndependent(study, trial, name, d);
      }
    };
    dev.bilevel.hpo.pruners.Pruner pruner = (study, trial, attrs) -> {
      seen.add(study);
      return false;
    };
    Study study = Study.builder().sampler(spy).pruner(pruner).create();
    study.optimize(t -> {
      t.report(t.suggestFloat("x", 0, 1), 0);
      return t.shouldPrune() ? 1 : 0;
    }, 3);
    assertThat(seen).hasSize(9).noneMatch(v -> v instanceof Study);
    assertThat(seen.get(0).trials()).isNotNull();
  }
}
