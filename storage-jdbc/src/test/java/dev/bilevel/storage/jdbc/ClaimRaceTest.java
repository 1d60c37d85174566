package dev.bilevel.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 8 threads, each with its own storage (own connection pool, as separate workers would have),
 * race to claim 200 WAITING trials: each is claimed exactly once and all are claimed.
 */
@ExtendWith(PostgresServer.class)
class ClaimRaceTest {

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void eachWaitingTrialIsClaimedExactlyOnce(String kind) throws Exception {
    String url = kind.equals("sqlite") ? TempDbs.sqliteUrl() : PostgresServer.freshSchemaUrl();
    int n = 200;
    int threads = 8;
    long studyId;
    try (JdbcStorage setup = JdbcStorage.open(url)) {
      studyId = setup.createNewStudy(List.of(StudyDirection.MINIMIZE), "race");
      for (int i = 0; i < n; i++) {
        setup.createNewTrial(studyId, FrozenTrial.create(
            TrialState.WAITING, List.of(), Map.of(), Map.of(), null, null, null));
      }
    }
    List<JdbcStorage> storages = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      storages.add(JdbcStorage.builder(url).poolSize(2).open());
    }
    Map<Long, Integer> claims = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Long> duplicates = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        JdbcStorage s = storages.get(w);
        futures.add(pool.submit(() -> {
          start.await();
          while (true) {
            List<FrozenTrial> waiting = s.getAllTrials(studyId, EnumSet.of(TrialState.WAITING));
            if (waiting.isEmpty()) {
              return null;
            }
            for (FrozenTrial t : waiting) {
              if (s.setTrialStateValues(t.trialId(), TrialState.RUNNING, null)) {
                if (claims.putIfAbsent(t.trialId(), 1) != null) {
                  duplicates.add(t.trialId());
                }
                break;
              }
            }
          }
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      storages.forEach(JdbcStorage::close);
    }
    assertThat(duplicates).isEmpty();
    assertThat(claims).hasSize(n);
    try (JdbcStorage check = JdbcStorage.open(url)) {
      assertThat(check.getNTrials(studyId, EnumSet.of(TrialState.RUNNING))).isEqualTo(n);
      assertThat(check.getNTrials(studyId, EnumSet.of(TrialState.WAITING))).isZero();
    }
  }
}
