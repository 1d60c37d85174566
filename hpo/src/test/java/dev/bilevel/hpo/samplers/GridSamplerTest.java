package dev.bilevel.hpo.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.OptimizeOptions;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.Trial;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.storage.InMemoryStorage;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GridSamplerTest extends SamplerContract {

  @Override
  protected Sampler createSampler(long seed) {
    return new GridSampler(CONTRACT_GRID, seed);
  }

  private static final Map<String, List<?>> SMALL =
      Map.of("b", List.of("z", "x", "y"), "a", List.of(2, 1), "c", List.of(0.5, -1.0));

  @Test
  void gridIdsFollowItertoolsProductOrder() {
    GridSampler grid = new GridSampler(SMALL, 0);
    assertThat(grid.gridSize()).isEqualTo(12);
    // Oracle, CPython: list(itertools.product([1, 2], ["x", "y", "z"], [-1.0, 0.5]))[k]
    assertThat(grid.gridPoint(0)).containsExactly(Map.entry("a", 1L), Map.entry("b", "x"),
        Map.entry("c", -1.0));
    assertThat(grid.gridPoint(1).get("c")).isEqualTo(0.5);
    assertThat(grid.gridPoint(2).get("b")).isEqualTo("y");
    assertThat(grid.gridPoint(7)).containsExactly(Map.entry("a", 2L), Map.entry("b", "x"),
        Map.entry("c", 0.5));
    assertThat(grid.gridPoint(9)).containsExactly(Map.entry("a", 2L), Map.entry("b", "y"),
        Map.entry("c", 0.5));
  }

  private static double objective(Trial t) {
    return t.suggestInt("a", 0, 3) + t.suggestCategorical("b", "x", "y", "z").length()
        + t.suggestFloat("c", -1, 1);
  }

  private static Set<Object> gridIds(List<FrozenTrial> trials) {
    return trials.stream().map(t -> t.systemAttrs().get(GridSampler.GRID_ID_KEY))
        .collect(Collectors.toSet());
  }

  @Test
  void visitsEveryPointOnceThenStops() {
    Study study = Study.builder().sampler(new GridSampler(SMALL, 3)).create();
    study.optimize(GridSamplerTest::objective, 100);
    List<FrozenTrial> trials = study.trials();
    assertThat(trials).hasSize(12);
    assertThat(gridIds(trials)).hasSize(12);
    Set<Map<String, Object>> points = new HashSet<>();
    trials.forEach(t -> points.add(t.params()));
    assertThat(points).hasSize(12);
    FrozenTrial first = trials.get(0);
    assertThat(first.systemAttrs().get(GridSampler.SEARCH_SPACE_KEY)).isEqualTo(
        Map.of("a", List.of(1L, 2L), "b", List.of("x", "y", "z"), "c", List.of(-1.0, 0.5)));
  }

  @Test
  void concurrentAsksOfOneProcessNeverShareAPointWhileFreeOnesRemain() throws Exception {
    Study study = Study.builder().sampler(new GridSampler(SMALL, 5)).create();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
    for (int k = 0; k < 12; k++) {
      futures.add(pool.submit(() -> study.ask()));
    }
    for (java.util.concurrent.Future<?> f : futures) {
      f.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(gridIds(study.trials(TrialState.RUNNING))).hasSize(12);
  }

  @Test
  void threadedOptimizeCoversTheGridAndStops() {
    Study study = Study.builder().sampler(new GridSampler(SMALL, 5)).create();
    study.optimize(GridSamplerTest::objective, OptimizeOptions.trials(1000).withThreads(4));
    assertThat(gridIds(study.trials())).hasSize(12);
    assertThat(study.trials().size()).isBetween(12, 100);
  }

  @Test
  void workersOfSeparateProcessesSeeEachOthersClaimsInTheStorage() {
    InMemoryStorage storage = new InMemoryStorage();
    Study w1 = Study.builder().storage(storage).name("grid").sampler(new GridSampler(SMALL, 1))
        .create();
    Study w2 = Study.builder().storage(storage).name("grid").sampler(new GridSampler(SMALL, 1))
        .load();
    for (int k = 0; k < 6; k++) {
      w1.ask();
      w2.ask();
    }
    assertThat(gridIds(storage.getAllTrials(w1.studyId(), null))).hasSize(12);
  }

  @Test
  void enqueuedGridPointsKeepTheirIdAndParamsOutsideTheGridFail() {
    Study study = Study.builder().sampler(new GridSampler(SMALL, 0)).create();
    study.enqueueTrial(Map.of("a", 2, "b", "y", "c", 0.5));
    study.optimize(t -> objective(t) + t.suggestFloat("other", 0, 1),
        OptimizeOptions.trials(2).withCatch(IllegalArgumentException.class));
    List<FrozenTrial> trials = study.trials();
    assertThat(trials.get(0).systemAttrs()).containsEntry(GridSampler.GRID_ID_KEY, 9L);
    assertThat(trials).allMatch(t -> t.state() == TrialState.FAIL);
    assertThat(trials.get(1).systemAttrs().get("fail_reason").toString())
        .contains("other, is not found in the given grid");
  }
}
