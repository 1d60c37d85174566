package dev.bilevel.hpo.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Storage} must satisfy (see its Javadoc). An implementation's test
 * class extends this and provides {@link #createStorage()}; each test gets a fresh, empty storage.
 * Published in the test-jar of the hpo module.
 */
public abstract class StorageContract {

  /** The storage under test, fresh for each test. */
  protected Storage storage;

  /**
   * Creates an empty storage.
   *
   * @return the storage
   */
  protected abstract Storage createStorage();

  @BeforeEach
  protected void setUpStorage() {
    storage = createStorage();
  }

  private long minimizeStudy(String name) {
    return storage.createNewStudy(List.of(StudyDirection.MINIMIZE), name);
  }

  private FrozenTrial waiting() {
    return FrozenTrial.create(TrialState.WAITING, List.of(), Map.of(), Map.of(), null, null, null);
  }

  @Test
  void studiesHaveDistinctIdsNamesAndDirections() {
    long a = minimizeStudy("a");
    long b = storage.createNewStudy(List.of(StudyDirection.MAXIMIZE, StudyDirection.MINIMIZE), "b");
    assertThat(a).isNotEqualTo(b);
    assertThat(storage.getStudyIdFromName("a")).isEqualTo(a);
    assertThat(storage.getStudyNameFromId(b)).isEqualTo("b");
    assertThat(storage.getStudyDirections(b))
        .containsExactly(StudyDirection.MAXIMIZE, StudyDirection.MINIMIZE);
    assertThat(storage.getAllStudies()).extracting(FrozenStudy::studyName).containsExactly("a", "b");
  }

  @Test
  void duplicateNameIsRejectedAndGeneratedNamesAreUnique() {
    minimizeStudy("same");
    assertThatThrownBy(() -> minimizeStudy("same")).isInstanceOf(DuplicatedStudyException.class)
        .hasMessageContaining("same");
    long x = minimizeStudy(null);
    long y = minimizeStudy(null);
    assertThat(storage.getStudyNameFromId(x)).isNotEqualTo(storage.getStudyNameFromId(y));
    assertThat(storage.getAllStudies()).hasSize(3);
  }

  @Test
  void unknownIdsAndNamesThrowNoSuchElement() {
    assertThatThrownBy(() -> storage.getStudyIdFromName("nope"))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> storage.getStudyDirections(12345))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> storage.getTrial(12345)).isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> storage.createNewTrial(12345, null))
        .isInstanceOf(NoSuchElementException.class);
    long s = minimizeStudy("s");
    assertThatThrownBy(() -> storage.getTrialIdFromStudyIdTrialNumber(s, 0))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> storage.getTrialNumberFromId(999))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> storage.setTrialParam(999, "x", 0.5, FloatDistribution.uniform(0, 1)))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> storage.setTrialStateValues(999, TrialState.FAIL, null))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> storage.setTrialUserAttr(999, "k", 1))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> storage.setStudyUserAttr(999, "k", 1))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> storage.getAllTrials(999, null))
        .isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void deleteStudyRemovesItsTrialsAndFreesTheName() {
    long s = minimizeStudy("gone");
    long t = storage.createNewTrial(s, null);
    storage.deleteStudy(s);
    assertThatThrownBy(() -> storage.getStudyIdFromName("gone"))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> storage.getTrial(t)).isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> storage.deleteStudy(s)).isInstanceOf(NoSuchElementException.class);
    minimizeStudy("gone");
  }

  @Test
  void studyAttributesAreStoredAndSnapshotsDoNotChange() {
    long s = minimizeStudy("attrs");
    storage.setStudyUserAttr(s, "k", List.of(1, "two", Map.of("x", 3.5)));
    storage.setStudySystemAttr(s, "sys", true);
    Map<String, Object> before = storage.getStudyUserAttrs(s);
    storage.setStudyUserAttr(s, "k2", "later");
    assertThat(before).containsOnlyKeys("k");
    assertThat(before.get("k")).isEqualTo(List.of(1L, "two", Map.of("x", 3.5)));
    assertThat(storage.getStudyUserAttrs(s)).containsOnlyKeys("k", "k2");
    assertThat(storage.getStudySystemAttrs(s)).containsEntry("sys", true);
    assertThatThrownBy(() -> before.put("z", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> storage.setStudyUserAttr(s, "bad", new Object()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void trialNumbersAreDensePerStudyAndMapToIds() {
    long s1 = minimizeStudy("s1");
    long s2 = minimizeStudy("s2");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(storage.createNewTrial(s1, null));
      storage.createNewTrial(s2, null);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(storage.getTrialNumberFromId(ids.get(i))).isEqualTo(i);
      assertThat(storage.getTrialIdFromStudyIdTrialNumber(s1, i)).isEqualTo(ids.get(i));
    }
    assertThat(storage.getAllTrials(s2, null)).extracting(FrozenTrial::number)
        .containsExactly(0, 1, 2);
    FrozenTrial fresh = storage.getTrial(ids.get(0));
    assertThat(fresh.state()).isEqualTo(TrialState.RUNNING);
    assertThat(fresh.datetimeStart()).isNotNull();
    assertThat(fresh.datetimeComplete()).isNull();
    assertThat(fresh.trialId()).isEqualTo(ids.get(0));
  }

  @Test
  void templateTrialIsCopied() {
    long s = minimizeStudy("tpl");
    FrozenTrial template =
        FrozenTrial.create(
            TrialState.COMPLETE,
            List.of(1.5),
            Map.of("x", 0.25, "c", "b"),
            Map.of("x", FloatDistribution.uniform(0, 1), "c", CategoricalDistribution.of("a", "b")),
            Map.of("u", 1),
            Map.of("s", "v"),
            Map.of(0, 3.0, 4, 2.0));
    long id = storage.createNewTrial(s, template);
    FrozenTrial t = storage.getTrial(id);
    assertThat(t.number()).isZero();
    assertThat(t.state()).isEqualTo(TrialState.COMPLETE);
    assertThat(t.values()).containsExactly(1.5);
    assertThat(t.params()).containsEntry("x", 0.25).containsEntry("c", "b");
    assertThat(t.distributions()).isEqualTo(template.distributions());
    assertThat(t.userAttrs()).containsEntry("u", 1L);
    assertThat(t.systemAttrs()).containsEntry("s", "v");
    assertThat(t.intermediateValues()).containsExactly(Map.entry(0, 3.0), Map.entry(4, 2.0));
    assertThat(t.datetimeComplete().truncatedTo(ChronoUnit.MICROS))
        .isEqualTo(template.datetimeComplete().truncatedTo(ChronoUnit.MICROS));
  }

  @Test
  void paramsAreStoredInExternalFormAndDistributionsMustStayCompatible() {
    long s = minimizeStudy("p");
    long t1 = storage.createNewTrial(s, null);
    CategoricalDistribution abc = CategoricalDistribution.of("a", "b", "c");
    storage.setTrialParam(t1, "c", 2.0, abc);
    storage.setTrialParam(t1, "n", 7.0, IntDistribution.of(0, 10));
    assertThat(storage.getTrial(t1).params()).containsEntry("c", "c").containsEntry("n", 7L);
    long t2 = storage.createNewTrial(s, null);
    storage.setTrialParam(t2, "n", 3.0, IntDistribution.of(-5, 5));
    assertThatThrownBy(() -> storage.setTrialParam(t2, "c", 0.0, CategoricalDistribution.of("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dynamic value space");
    assertThatThrownBy(
            () -> storage.setTrialParam(t2, "n", 0.5, FloatDistribution.uniform(0, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(storage.getTrial(t2).params()).containsOnlyKeys("n");
  }

  @Test
  void templatesWithIncompatibleDistributionsAreRejected() {
    long s = minimizeStudy("tplc");
    long t = storage.createNewTrial(s, null);
    storage.setTrialParam(t, "c", 0.0, CategoricalDistribution.of("a", "b"));
    FrozenTrial bad = FrozenTrial.create(TrialState.COMPLETE, List.of(1.0), Map.of("c", "a"),
        Map.of("c", CategoricalDistribution.of("a", "z")), null, null, null);
    assertThatThrownBy(() -> storage.createNewTrial(s, bad))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(storage.getNTrials(s, null)).isEqualTo(1);
  }

  @Test
  void claimingAWaitingTrialIsCompareAndSet() {
    long s = minimizeStudy("claim");
    long w = storage.createNewTrial(s, waiting());
    assertThat(storage.getTrial(w).state()).isEqualTo(TrialState.WAITING);
    assertThat(storage.getTrial(w).datetimeStart()).isNull();
    assertThat(storage.setTrialStateValues(w, TrialState.COMPLETE, List.of(1.0))).isFalse();
    assertThat(storage.getTrial(w).state()).isEqualTo(TrialState.WAITING);
    assertThat(storage.setTrialStateValues(w, TrialState.RUNNING, null)).isTrue();
    assertThat(storage.getTrial(w).datetimeStart()).isNotNull();
    assertThat(storage.setTrialStateValues(w, TrialState.RUNNING, null)).isFalse();
    assertThat(storage.getTrial(w).state()).isEqualTo(TrialState.RUNNING);
  }

  @Test
  void finishingIsFinalAndNothingChangesAfterwards() {
    long s = minimizeStudy("fin");
    long t = storage.createNewTrial(s, null);
    storage.setTrialParam(t, "x", 0.5, FloatDistribution.uniform(0, 1));
    assertThat(storage.setTrialStateValues(t, TrialState.COMPLETE, List.of(2.0))).isTrue();
    FrozenTrial done = storage.getTrial(t);
    assertThat(done.datetimeComplete()).isNotNull();
    assertThat(done.values()).containsExactly(2.0);
    assertThatThrownBy(() -> storage.setTrialStateValues(t, TrialState.FAIL, null))
        .isInstanceOf(UpdateFinishedTrialException.class);
    assertThatThrownBy(() -> storage.setTrialStateValues(t, TrialState.RUNNING, null))
        .isInstanceOf(UpdateFinishedTrialException.class);
    assertThatThrownBy(() -> storage.setTrialParam(t, "y", 0.1, FloatDistribution.uniform(0, 1)))
        .isInstanceOf(UpdateFinishedTrialException.class);
    assertThatThrownBy(() -> storage.setTrialIntermediateValue(t, 1, 1.0))
        .isInstanceOf(UpdateFinishedTrialException.class);
    assertThatThrownBy(() -> storage.setTrialUserAttr(t, "k", 1))
        .isInstanceOf(UpdateFinishedTrialException.class);
    assertThatThrownBy(() -> storage.setTrialSystemAttr(t, "k", 1))
        .isInstanceOf(UpdateFinishedTrialException.class);
    assertThat(storage.getTrial(t)).isEqualTo(done);
  }

  @Test
  void invalidStateValuesAreRejectedWithoutChange() {
    long s = storage.createNewStudy(List.of(StudyDirection.MINIMIZE, StudyDirection.MAXIMIZE), "v");
    long t = storage.createNewTrial(s, null);
    assertThatThrownBy(() -> storage.setTrialStateValues(t, TrialState.COMPLETE, List.of(1.0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 objectives");
    assertThatThrownBy(() -> storage.setTrialStateValues(t, TrialState.COMPLETE, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> storage.setTrialStateValues(t, TrialState.COMPLETE, List.of(1.0, Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.setTrialStateValues(t, TrialState.WAITING, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(storage.getTrial(t).state()).isEqualTo(TrialState.RUNNING);
    assertThat(storage.setTrialStateValues(t, TrialState.COMPLETE, List.of(1.0, 2.0))).isTrue();
  }

  @Test
  void intermediateValuesAndAttributesOfRunningTrials() {
    long s = minimizeStudy("iv");
    long t = storage.createNewTrial(s, null);
    FrozenTrial before = storage.getTrial(t);
    storage.setTrialIntermediateValue(t, 3, 0.5);
    storage.setTrialIntermediateValue(t, 1, Double.NaN);
    storage.setTrialIntermediateValue(t, 3, 0.25);
    storage.setTrialUserAttr(t, "u", Map.of("nested", List.of(true)));
    storage.setTrialSystemAttr(t, "s", 1.5);
    FrozenTrial after = storage.getTrial(t);
    assertThat(after.intermediateValues().keySet()).containsExactly(1, 3);
    assertThat(after.intermediateValues().get(3)).isEqualTo(0.25);
    assertThat(after.intermediateValues().get(1)).isNaN();
    assertThat(after.userAttrs()).containsEntry("u", Map.of("nested", List.of(true)));
    assertThat(after.systemAttrs()).containsEntry("s", 1.5);
    assertThat(before.intermediateValues()).isEmpty();
    assertThat(before.userAttrs()).isEmpty();
  }

  @Test
  void getAllTrialsFiltersByStateInNumberOrder() {
    long s = minimizeStudy("filter");
    long a = storage.createNewTrial(s, null);
    storage.createNewTrial(s, null);
    long c = storage.createNewTrial(s, null);
    storage.createNewTrial(s, waiting());
    storage.setTrialStateValues(a, TrialState.COMPLETE, List.of(1.0));
    storage.setTrialStateValues(c, TrialState.PRUNED, null);
    assertThat(storage.getAllTrials(s, EnumSet.of(TrialState.COMPLETE, TrialState.PRUNED)))
        .extracting(FrozenTrial::number).containsExactly(0, 2);
    assertThat(storage.getAllTrials(s, Set.of())).hasSize(4);
    assertThat(storage.getNTrials(s, EnumSet.of(TrialState.RUNNING))).isEqualTo(1);
    assertThat(storage.getNTrials(s, EnumSet.of(TrialState.WAITING))).isEqualTo(1);
    assertThat(storage.getNTrials(s, null)).isEqualTo(4);
    assertThatThrownBy(() -> storage.getAllTrials(s, null).add(null))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void bestTrialFollowsTheDirection() {
    long min = minimizeStudy("min");
    long max = storage.createNewStudy(List.of(StudyDirection.MAXIMIZE), "max");
    assertThatThrownBy(() -> storage.getBestTrial(min)).isInstanceOf(IllegalStateException.class);
    double[] values = {3.0, -1.0, 5.0, -1.0};
    for (double v : values) {
      storage.setTrialStateValues(storage.createNewTrial(min, null), TrialState.COMPLETE, List.of(v));
      storage.setTrialStateValues(storage.createNewTrial(max, null), TrialState.COMPLETE, List.of(v));
    }
    storage.setTrialStateValues(storage.createNewTrial(min, null), TrialState.PRUNED, List.of(-9.0));
    assertThat(storage.getBestTrial(min).number()).isEqualTo(1);
    assertThat(storage.getBestTrial(max).number()).isEqualTo(2);
    long multi = storage.createNewStudy(List.of(StudyDirection.MINIMIZE, StudyDirection.MINIMIZE), "m");
    assertThatThrownBy(() -> storage.getBestTrial(multi)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void concurrentClaimsGiveEachWaitingTrialToExactlyOneWorker() throws Exception {
    long s = minimizeStudy("race");
    int n = 40;
    for (int i = 0; i < n; i++) {
      storage.createNewTrial(s, waiting());
    }
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Set<Long> claimed = ConcurrentHashMap.newKeySet();
    List<Long> duplicates = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      futures.add(pool.submit(() -> {
        start.await();
        for (FrozenTrial t : storage.getAllTrials(s, EnumSet.of(TrialState.WAITING))) {
          if (storage.setTrialStateValues(t.trialId(), TrialState.RUNNING, null)
              && !claimed.add(t.trialId())) {
            duplicates.add(t.trialId());
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(duplicates).isEmpty();
    assertThat(claimed).hasSize(n);
    assertThat(storage.getNTrials(s, EnumSet.of(TrialState.RUNNING))).isEqualTo(n);
  }

  @Test
  void concurrentTrialCreationKeepsNumbersDenseAndUnique() throws Exception {
    long s = minimizeStudy("dense");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Long>> futures = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      futures.add(pool.submit(() -> storage.createNewTrial(s, null)));
    }
    Set<Integer> numbers = ConcurrentHashMap.newKeySet();
    for (Future<Long> f : futures) {
      numbers.add(storage.getTrialNumberFromId(f.get(30, TimeUnit.SECONDS)));
    }
    pool.shutdown();
    assertThat(numbers).hasSize(60).allMatch(k -> k >= 0 && k < 60);
  }
}
