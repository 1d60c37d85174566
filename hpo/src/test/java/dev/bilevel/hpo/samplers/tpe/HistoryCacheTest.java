package dev.bilevel.hpo.samplers.tpe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import dev.bilevel.hpo.internal.Argsort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HistoryCacheTest {

  private static FrozenTrial trial(int number, TrialState state, Map<String, Object> params,
      Map<String, Distribution> dists) {
    return new FrozenTrial(number, number, state, state == TrialState.COMPLETE ? List.of(1.0)
        : List.of(), null, null, params, dists, Map.of(), Map.of(), null);
  }

  /**
   * Oracle: a stable argsort of each column. Trials arrive in shuffled order, some lack "b", and
   * "i" has many ties, which must be ordered by trial number.
   */
  @Test
  void ordersMatchAStableSortOfEachColumn() {
    SplittableRandom rng = new SplittableRandom(4);
    FloatDistribution fd = FloatDistribution.uniform(0, 1);
    IntDistribution id = IntDistribution.of(0, 3);
    List<FrozenTrial> trials = new ArrayList<>();
    for (int n = 0; n < 200; n++) {
      Map<String, Object> p = new LinkedHashMap<>();
      Map<String, Distribution> d = new LinkedHashMap<>();
      p.put("a", rng.nextDouble());
      d.put("a", fd);
      p.put("i", (long) rng.nextInt(4));
      d.put("i", id);
      if (n % 3 != 0) {
        p.put("b", rng.nextDouble());
        d.put("b", fd);
      }
      trials.add(trial(n, TrialState.COMPLETE, p, d));
    }
    HistoryCache cache = new HistoryCache();
    List<FrozenTrial> shuffled = new ArrayList<>(trials);
    java.util.Collections.shuffle(shuffled, new java.util.Random(1));
    cache.rows(shuffled.subList(0, 100));
    cache.rows(trials);
    // Every 2nd trial reads the cached orders; every 25th, a small subset, is sorted directly.
    for (int every : new int[] {2, 25}) {
      List<FrozenTrial> subset = new ArrayList<>();
      for (FrozenTrial t : trials) {
        if (t.number() % every == 0) {
          subset.add(t);
        }
      }
      int[] cols = cache.indices(List.of("i", "a", "b"));
      HistoryCache.Observations obs = cache.observations(subset, cols);
      int m = obs.trialCount();
      assertThat(m)
          .isEqualTo((int) subset.stream().filter(t -> t.params().containsKey("b")).count());
      for (int d = 0; d < cols.length; d++) {
        assertThat(obs.columns()[d]).hasSize(m);
        assertThat(obs.orders()[d]).containsExactly(Argsort.argsort(obs.columns()[d], m));
      }
    }
  }

  @Test
  void runningTrialsAreReadButNotOrderedFromTheCache() {
    FloatDistribution fd = FloatDistribution.uniform(0, 1);
    HistoryCache cache = new HistoryCache();
    List<FrozenTrial> trials = List.of(
        trial(0, TrialState.COMPLETE, Map.of("a", 0.7), Map.of("a", fd)),
        trial(1, TrialState.RUNNING, Map.of("a", 0.2), Map.of("a", fd)));
    HistoryCache.Observations obs = cache.observations(trials, cache.indices(List.of("a")));
    assertThat(obs.columns()).hasDimensions(1, 2);
    assertThat(obs.columns()[0][1]).isEqualTo(0.2);
    assertThat(obs.orders()[0]).isNull();
    assertThat(obs.trials()).isNull();
  }

  /**
   * Oracle: the uncached computation, to the bit; the cache must also notice a changed bandwidth
   * and a changed domain.
   */
  @Test
  void normalizersEqualTheUncachedOnes() {
    FloatDistribution fd = FloatDistribution.uniform(-5, 5);
    List<FrozenTrial> trials = new ArrayList<>();
    double[] values = {-4.9, -1.0, 0.5, 4.2, 4.95};
    for (int n = 0; n < values.length; n++) {
      trials.add(trial(n, TrialState.COMPLETE, Map.of("a", values[n]), Map.of("a", fd)));
    }
    HistoryCache cache = new HistoryCache();
    int[] cols = cache.indices(List.of("a"));
    HistoryCache.Observations obs = cache.observations(trials, cols);
    double[] mu = obs.columns()[0];
    int n = mu.length;
    double[][] sigmas = {{0.1, 0.5, 2.0, 0.3, 0.05}, {0.1, 0.5, 2.0, 0.3, 0.05},
        {0.1, 0.7, 2.0, 0.3, 0.06}};
    double[][] domains = {{-5, 5}, {-5, 5}, {-5, 5}, {-6, 5}};
    for (int r = 0; r < domains.length; r++) {
      double[] sigma = sigmas[Math.min(r, sigmas.length - 1)];
      double low = domains[r][0];
      double high = domains[r][1];
      double[] mass = new double[n];
      double[] norm = new double[n];
      ParzenEstimator.Normalizers.UNCACHED.fill(0, low, high, mu, sigma, n, mass, norm);
      double[] cachedMass = new double[n];
      double[] cachedNorm = new double[n];
      cache.normalizers(cols, obs.trials())
          .fill(0, low, high, mu, sigma, n, cachedMass, cachedNorm);
      assertThat(cachedMass).containsExactly(mass);
      assertThat(cachedNorm).containsExactly(norm);
    }
  }

  @Test
  void intersectionDropsParametersWithChangedDistributions() {
    HistoryCache cache = new HistoryCache();
    List<FrozenTrial> trials = List.of(
        trial(0, TrialState.COMPLETE, Map.of("a", 0.5, "n", 2L),
            Map.of("a", FloatDistribution.uniform(0, 1), "n", IntDistribution.of(1, 4))),
        trial(1, TrialState.COMPLETE, Map.of("a", 0.5, "n", 2L),
            Map.of("a", FloatDistribution.uniform(0, 1), "n", IntDistribution.of(1, 3))));
    assertThat(cache.intersection(trials.subList(0, 1))).containsOnlyKeys("a", "n");
    assertThat(cache.intersection(trials)).containsOnlyKeys("a");
  }
}
