package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Determinism across threads, bit-identical resume, early stopping and the listener. */
class MetaTrainerTest {
    private static final Maml MAML = new Maml(TinyModels.regressor(), new Maml.Config(0.05, 1, false));
    private static final Optimizer ADAM = Optimizers.chain(Optimizers.clipByGlobalNorm(10.0), Optimizers.adam(1e-2));

    private static MetaTrainer trainer(MetaTrainer.Config c) {
        return new MetaTrainer(MAML, ADAM, new SinusoidTasks(5, 5), new SinusoidTasks(5, 5), c, ProgressListener.NONE);
    }

    @Test
    void aMultiThreadedMetaBatchEqualsTheSingleThreadedOne() {
        MetaTrainer.Config c = MetaTrainer.Config.of(6, 8, 21);
        double[] one = trainer(c).train().state().meta().flattenValues().toArray();
        double[] three = trainer(c.withThreads(3)).train().state().meta().flattenValues().toArray();
        assertThat(three).isEqualTo(one);
    }

    @Test
    void chunksCoverTheMetaBatchInOrderWithTheLargerOnesLast() {
        assertThat(MetaTrainer.chunkStart(1, 2, 25)).isEqualTo(12);
        for (int batch = 1; batch <= 30; batch++) {
            for (int chunks = 1; chunks <= batch; chunks++) {
                assertThat(MetaTrainer.chunkStart(0, chunks, batch)).isZero();
                assertThat(MetaTrainer.chunkStart(chunks, chunks, batch)).isEqualTo(batch);
                for (int c = 0; c < chunks - 1; c++) {
                    int size = MetaTrainer.chunkStart(c + 1, chunks, batch) - MetaTrainer.chunkStart(c, chunks, batch);
                    int next = MetaTrainer.chunkStart(c + 2, chunks, batch) - MetaTrainer.chunkStart(c + 1, chunks, batch);
                    assertThat(size).isBetween(batch / chunks, batch / chunks + 1);
                    assertThat(next).isBetween(size, batch / chunks + 1);
                }
            }
        }
    }

    @Test
    void aRunResumedFromACheckpointContinuesBitIdentically(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.ckpt");
        MetaTrainer.Config full = MetaTrainer.Config.of(10, 4, 5).withValidation(2, 4, 1, 0);
        MetaTrainer.State uninterrupted = trainer(full).train().state();
        trainer(full.withIterations(6).withCheckpoints(3, file)).train();
        Checkpoint ckpt = Checkpoint.read(file);
        assertThat(ckpt.state().iteration()).isEqualTo(6);
        assertThat(ckpt.provenance()).contains("java").contains("seed=5");
        MetaTrainer.State resumed = trainer(full).train(ckpt.state()).state();
        assertThat(resumed.meta().flattenValues().toArray()).isEqualTo(uninterrupted.meta().flattenValues().toArray());
        assertThat(resumed.bestValidation()).isEqualTo(uninterrupted.bestValidation());
        assertThat(resumed.iteration()).isEqualTo(10);
    }

    @Test
    void stopsEarlyAfterPatienceValidationsWithoutImprovementAndReportsProgress() {
        List<String> events = new ArrayList<>();
        ProgressListener l = new ProgressListener() {
            @Override
            public void onIteration(long iteration, long total, double metaLoss) {
                events.add("i" + iteration);
            }

            @Override
            public void onValidation(long iteration, double validationLoss, boolean improved) {
                events.add("v" + iteration);
            }
        };
        // A learning rate so large that validation cannot keep improving.
        MetaTrainer t = new MetaTrainer(MAML, Optimizers.sgd(50.0), new SinusoidTasks(5, 5), new SinusoidTasks(5, 5),
                MetaTrainer.Config.of(200, 2, 3).withValidation(1, 3, 1, 2), l);
        MetaTrainer.Result r = t.train();
        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.state().iteration()).isLessThan(200);
        assertThat(r.state().sinceBest()).isEqualTo(2);
        assertThat(r.state().best()).isNotNull();
        assertThat(events).startsWith("i1", "v1");
        assertThat(r.provenance().seed()).isEqualTo(3);
        assertThat(r.provenance().arch()).isNotBlank();
    }

    @Test
    void theValidationLossOverSeveralStepCountsIsTheMeanOfTheLossesAfterEach() {
        MetaTrainer.Config base = MetaTrainer.Config.of(1, 2, 8);
        Params theta = MAML.init(new Rng(8).fork(0)).detach().leaves();
        double one = trainer(base.withValidation(1, 5, 1, 0)).validationLoss(theta);
        double four = trainer(base.withValidation(1, 5, 4, 0)).validationLoss(theta);
        double both = trainer(base.withValidation(1, 5, List.of(1, 4), 0)).validationLoss(theta);
        assertThat(one).isNotEqualTo(four);
        assertThat(both).isCloseTo((one + four) / 2, offset(1e-12 * Math.abs(one + four)));
    }

    @Test
    void rejectsValidationWithoutStepCountsOrWithDecreasingOnes() {
        MetaTrainer.Config base = MetaTrainer.Config.of(1, 2, 8);
        assertThatThrownBy(() -> base.withValidation(1, 5, List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one step count");
        assertThatThrownBy(() -> base.withValidation(1, 5, List.of(10, 1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-decreasing");
        assertThatThrownBy(() -> base.withValidation(1, 5, -1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[-1]");
    }
}
