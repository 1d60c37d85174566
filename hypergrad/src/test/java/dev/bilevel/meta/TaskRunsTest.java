package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Runs of a meta-batch: each task handed out once, the front's runs a prefix, guided run lengths. */
class TaskRunsTest {

    @Test
    void oneThreadTakesTheWholeBatchInOneRun() {
        TaskRuns runs = new TaskRuns(25, 1);
        long run = runs.next(true);
        assertThat(TaskRuns.from(run)).isZero();
        assertThat(TaskRuns.to(run)).isEqualTo(25);
        assertThat(runs.next(true)).isEqualTo(-1);
        assertThat(runs.frontEnd()).isEqualTo(25);
    }

    @Test
    void twoThreadsTakingTurnsGetGuidedRunsFromBothEnds() {
        TaskRuns runs = new TaskRuns(25, 2);
        List<String> taken = new ArrayList<>();
        boolean front = true;
        for (long run = runs.next(front); run >= 0; run = runs.next(front)) {
            taken.add((front ? "f" : "b") + TaskRuns.from(run) + "-" + TaskRuns.to(run));
            front = !front;
        }
        // Each run is ⌊left / 4⌋ tasks, at least one: 25 → 6, 19 → 4, 15 → 3, 12 → 3, 9 → 2, 7 → 1, ...
        assertThat(taken).containsExactly("f0-6", "b21-25", "f6-9", "b18-21", "f9-11", "b17-18", "f11-12",
                "b16-17", "f12-13", "b15-16", "f13-14", "b14-15");
        assertThat(runs.frontEnd()).isEqualTo(14);
    }

    @Test
    void concurrentThreadsTakeEveryTaskExactlyOnceAndTheFrontTakesAPrefix() throws Exception {
        for (int trial = 0; trial < 200; trial++) {
            int batch = 1 + trial % 40;
            TaskRuns runs = new TaskRuns(batch, 3);
            int[] owner = new int[batch];
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                int id = c + 1;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    for (long run = runs.next(id == 1); run >= 0; run = runs.next(id == 1)) {
                        for (int b = TaskRuns.from(run); b < TaskRuns.to(run); b++) {
                            synchronized (owner) {
                                owner[b] = owner[b] == 0 ? id : -1;
                            }
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            start.countDown();
            for (Thread th : threads) {
                th.join();
            }
            int prefix = runs.frontEnd();
            for (int b = 0; b < batch; b++) {
                assertThat(owner[b]).as("task %d of %d", b, batch).isPositive();
                assertThat(owner[b] == 1).as("task %d of %d, front end %d", b, batch, prefix).isEqualTo(b < prefix);
            }
        }
    }

    @Test
    void rejectsAnEmptyBatchOrNoThreads() {
        assertThatThrownBy(() -> new TaskRuns(0, 2)).hasMessageContaining("batch and threads must be ≥ 1");
        assertThatThrownBy(() -> new TaskRuns(4, 0)).hasMessageContaining("batch and threads must be ≥ 1");
    }
}
