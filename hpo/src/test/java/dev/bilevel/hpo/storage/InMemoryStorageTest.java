package dev.bilevel.hpo.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.FloatDistribution;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@link StorageContract} on {@link InMemoryStorage}, plus its cache of finished trials:
 * the list is reused while no trial finishes, stays immutable, and merges with unfinished trials by
 * number.
 */
class InMemoryStorageTest extends StorageContract {
  private static final Set<TrialState> FINISHED = EnumSet.of(TrialState.COMPLETE, TrialState.PRUNED);

  @Override
  protected Storage createStorage() {
    return new InMemoryStorage();
  }

  private static List<Integer> numbers(List<FrozenTrial> trials) {
    return trials.stream().map(FrozenTrial::number).toList();
  }

  @Test
  void finishedListIsReusedUntilATrialFinishesAndStaysImmutable() {
    long s = storage.createNewStudy(List.of(StudyDirection.MINIMIZE), "cache");
    long t0 = storage.createNewTrial(s, null);
    long t1 = storage.createNewTrial(s, null);
    storage.setTrialStateValues(t1, TrialState.COMPLETE, List.of(1.0));
    List<FrozenTrial> first = storage.getAllTrials(s, FINISHED);
    assertThat(numbers(first)).containsExactly(1);
    // Unfinished trials may change, the cached list may not.
    storage.setTrialParam(t0, "x", 0.5, new FloatDistribution(0, 1, false, null));
    assertThat(storage.getAllTrials(s, Set.of(TrialState.PRUNED, TrialState.COMPLETE)))
        .isSameAs(first);
    assertThatThrownBy(() -> first.add(first.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> first.get(0).params().put("y", 1.0))
        .isInstanceOf(UnsupportedOperationException.class);

    storage.setTrialStateValues(t0, TrialState.PRUNED, List.of());
    List<FrozenTrial> second = storage.getAllTrials(s, FINISHED);
    assertThat(second).isNotSameAs(first);
    assertThat(numbers(second)).containsExactly(0, 1);
    assertThat(second.get(0).params()).containsEntry("x", 0.5);
    assertThat(numbers(first)).containsExactly(1);
    assertThat(storage.getAllTrials(s, EnumSet.of(TrialState.COMPLETE)).get(0).trialId())
        .isEqualTo(t1);
  }

  @Test
  void unfinishedTrialsMergeByNumber() {
    long s = storage.createNewStudy(List.of(StudyDirection.MINIMIZE), "merge");
    long t0 = storage.createNewTrial(s, null);
    storage.createNewTrial(
        s,
        FrozenTrial.create(
            TrialState.COMPLETE, List.of(2.0), Map.of(), Map.of(), Map.of(), Map.of(), null));
    long t2 = storage.createNewTrial(s, null);
    storage.createNewTrial(
        s,
        FrozenTrial.create(
            TrialState.WAITING, List.of(), Map.of(), Map.of(), Map.of(), Map.of(), null));
    assertThat(numbers(storage.getAllTrials(s, null))).containsExactly(0, 1, 2, 3);
    assertThat(numbers(storage.getAllTrials(s, EnumSet.of(TrialState.RUNNING))))
        .containsExactly(0, 2);
    assertThat(numbers(storage.getAllTrials(s, EnumSet.of(TrialState.COMPLETE, TrialState.WAITING))))
        .containsExactly(1, 3);
    storage.setTrialStateValues(t2, TrialState.FAIL, null);
    assertThat(numbers(storage.getAllTrials(s, EnumSet.of(TrialState.RUNNING, TrialState.FAIL))))
        .containsExactly(0, 2);
    storage.setTrialStateValues(t0, TrialState.COMPLETE, List.of(0.0));
    List<FrozenTrial> all = storage.getAllTrials(s, Set.of());
    assertThat(numbers(all)).containsExactly(0, 1, 2, 3);
    assertThat(all.get(0).state()).isEqualTo(TrialState.COMPLETE);
    assertThatThrownBy(() -> all.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(storage.getNTrials(s, EnumSet.of(TrialState.WAITING))).isEqualTo(1);
  }
}
