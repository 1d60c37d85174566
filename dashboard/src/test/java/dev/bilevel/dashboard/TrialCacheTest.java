package dev.bilevel.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.storage.InMemoryStorage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrialCacheTest {
  @Test
  void followsNewAndFinishingTrialsLikeAFullRead() {
    InMemoryStorage storage = new InMemoryStorage();
    long id = TestStudies.populate(storage, "cache", 20, 5);
    long running = storage.createNewTrial(id, null);
    TrialCache cache = new TrialCache(storage);
    List<FrozenTrial> first = cache.trials(id);
    assertThat(first).hasSize(21);
    assertThat(cache.trials(id)).isSameAs(first);

    storage.setTrialStateValues(running, TrialState.COMPLETE, List.of(0.5));
    Random r = new Random(1);
    for (int i = 0; i < 3; i++) {
      TestStudies.addTrial(storage, id, r, 100 + i);
    }
    List<FrozenTrial> next = cache.trials(id);
    assertThat(next).isEqualTo(storage.getAllTrials(id, null));
    assertThat(next.get(20).state()).isEqualTo(TrialState.COMPLETE);
    assertThat(next).extracting(FrozenTrial::number).containsExactly(
        java.util.stream.IntStream.range(0, 24).boxed().toArray(Integer[]::new));

    for (int i = 0; i < 100; i++) {
      TestStudies.addTrial(storage, id, r, 200 + i);
    }
    assertThat(cache.trials(id)).isEqualTo(storage.getAllTrials(id, null));
  }
}
