package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The worker threads of the meta-batch: who runs which job, waiting, and failures. */
class MetaBatchThreadsTest {

    @Test
    void runsTheFirstJobOnTheCallerAndEachOtherOnceOnItsOwnWorkerIterationAfterIteration() {
        try (MetaBatchThreads threads = new MetaBatchThreads(2)) {
            for (int iteration = 0; iteration < 1000; iteration++) {
                Thread[] ran = new Thread[3];
                AtomicInteger calls = new AtomicInteger();
                List<Callable<Void>> jobs = List.of(job(ran, 0, calls), job(ran, 1, calls), job(ran, 2, calls));
                threads.runAll(jobs);
                assertThat(calls.get()).isEqualTo(3);
                assertThat(ran[0]).isSameAs(Thread.currentThread());
                assertThat(ran[1]).isNotSameAs(ran[0]).isNotSameAs(ran[2]);
                assertThat(ran[2]).isNotSameAs(ran[0]);
            }
        }
    }

    @Test
    void waitsPastTheSpinForAWorkerThatTakesLonger() {
        long sleepMillis = 5 * MetaBatchThreads.SPIN_NANOS / 1_000_000;
        try (MetaBatchThreads threads = new MetaBatchThreads(1)) {
            boolean[] finished = new boolean[1];
            long start = System.nanoTime();
            threads.runAll(List.of(() -> null, () -> {
                Thread.sleep(sleepMillis);
                finished[0] = true;
                return null;
            }));
            assertThat(finished[0]).isTrue();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(sleepMillis * 1_000_000);
        }
    }

    @Test
    void rethrowsTheFirstFailureInJobOrderAfterEveryJobEnded() {
        try (MetaBatchThreads threads = new MetaBatchThreads(2)) {
            Seen seen = new Seen();
            assertThatThrownBy(() -> threads.runAll(List.of(() -> seen.add("caller"), () -> {
                seen.add("first worker");
                throw new IllegalArgumentException("first");
            }, () -> {
                Thread.sleep(5);
                seen.add("second worker");
                throw new IllegalStateException("second");
            }))).isInstanceOf(IllegalArgumentException.class).hasMessage("first");
            assertThat(seen.names()).containsExactlyInAnyOrder("caller", "first worker", "second worker");
            assertThatThrownBy(() -> threads.runAll(List.of(() -> null, () -> {
                throw new IOException("disk");
            }))).isInstanceOf(IllegalStateException.class).hasCauseInstanceOf(IOException.class);
            threads.runAll(List.of(() -> null, () -> null));   // still usable after failures
        }
    }

    private static Callable<Void> job(Thread[] ran, int i, AtomicInteger calls) {
        return () -> {
            ran[i] = Thread.currentThread();
            calls.incrementAndGet();
            return null;
        };
    }

    /** A thread-safe record of which jobs ran. */
    private static final class Seen {
        private final ConcurrentHashMap<String, Boolean> names = new ConcurrentHashMap<>();

        Void add(String name) {
            names.put(name, true);
            return null;
        }

        java.util.Set<String> names() {
            return names.keySet();
        }
    }
}
