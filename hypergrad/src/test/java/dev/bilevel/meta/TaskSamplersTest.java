package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sinusoid and N-way K-shot samplers: the published distributions, seeded streams, and bad input. */
class TaskSamplersTest {

    @Test
    void sinusoidTasksFollowFinnEtAl() {
        SinusoidTasks s = new SinusoidTasks(10, 7);
        for (int i = 0; i < 200; i++) {
            Task t = s.task(new Rng(1), i);
            assertThat(t.supportX().shape().dims()).containsExactly(10, 1);
            assertThat(t.queryX().shape().dims()).containsExactly(7, 1);
            assertThat(t.supportX().max().item()).isLessThan(5.0);
            assertThat(t.supportX().min().item()).isGreaterThanOrEqualTo(-5.0);
            assertThat(t.supportY().abs().max().item()).isLessThanOrEqualTo(5.0);
        }
        // Re-derive (A, φ) from the documented draw order and check every target.
        Rng r = new Rng(1).fork(3);
        double a = r.uniform(0.1, 5.0);
        double phase = r.uniform(0.0, Math.PI);
        Task t = s.task(new Rng(1), 3);
        for (int i = 0; i < 10; i++) {
            assertThat(t.supportY().getFlat(i)).isEqualTo(a * Math.sin(t.supportX().getFlat(i) - phase));
        }
    }

    @Test
    void taskIndexStreamsAreIndependentOfDrawOrder() {
        SinusoidTasks s = new SinusoidTasks(5, 5);
        Rng root = new Rng(9);
        Task late = s.task(root, 17);
        for (int i = 0; i < 17; i++) {
            s.task(root, i);
        }
        Task again = s.task(root, 17);
        assertThat(again.supportX().toArray()).isEqualTo(late.supportX().toArray());
        assertThat(again.queryY().toArray()).isEqualTo(late.queryY().toArray());
        assertThat(s.task(root, 18).supportX()).isNotEqualTo(late.supportX());
    }

    private static LabeledDataset numbered(int classes, int perClass) {
        double[] x = new double[classes * perClass * 4];
        int[] y = new int[classes * perClass];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % classes;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = i;   // every input identifies its example
            }
        }
        return new LabeledDataset(Tensor.of(x, y.length, 1, 2, 2), y);
    }

    @Test
    void fewShotTasksRemapLabelsAndDrawDisjointSupportAndQuery() {
        LabeledDataset data = numbered(8, 6);
        FewShotTasks tasks = new FewShotTasks(data, List.of(0, 2, 4, 6), 3, 2, 3, false);
        for (int i = 0; i < 50; i++) {
            Task t = tasks.task(new Rng(2), i);
            assertThat(t.ways()).isEqualTo(3);
            assertThat(t.supportLabels()).containsExactly(0, 0, 1, 1, 2, 2);
            assertThat(t.queryLabels()).containsExactly(0, 0, 0, 1, 1, 1, 2, 2, 2);
            Set<Integer> seen = new HashSet<>();
            int[] original = new int[3];
            for (int r = 0; r < 6 + 9; r++) {
                boolean sup = r < 6;
                Tensor x = sup ? t.supportX() : t.queryX();
                int row = sup ? r : r - 6;
                int example = (int) x.get(row, 0, 0, 0);
                assertThat(seen.add(example)).as("example %d drawn twice", example).isTrue();
                int cls = example % 8;
                assertThat(cls).isIn(0, 2, 4, 6);
                int label = (int) (sup ? t.supportY() : t.queryY()).getFlat(row);
                if (sup && row % 2 == 0) {
                    original[label] = cls;
                }
                assertThat(cls).isEqualTo(original[label]);
            }
            assertThat(Set.of(original[0], original[1], original[2])).hasSize(3);
        }
    }

    @Test
    void rotatedDataSetTurnsEveryImageAndShiftsItsLabels() {
        // [[1, 2], [3, 4]] a quarter turn counterclockwise is [[2, 4], [1, 3]]; twice, [[4, 3], [2, 1]]
        LabeledDataset two = new LabeledDataset(Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 1, 2, 2),
                new int[] {0, 3});
        LabeledDataset quarter = two.rotated(1, 100);
        assertThat(quarter.inputs().toArray()).containsExactly(2, 4, 1, 3, 6, 8, 5, 7);
        assertThat(quarter.labels()).containsExactly(100, 103);
        assertThat(two.rotated(2, 0).inputs().toArray()).containsExactly(4, 3, 2, 1, 8, 7, 6, 5);
        assertThat(two.rotated(0, 7).inputs().toArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(two.inputs().toArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void rotatedDataSetRejectsNonSquareImagesAndBadArguments() {
        LabeledDataset wide = new LabeledDataset(Tensor.of(new double[6], 1, 2, 3), new int[] {0});
        assertThatThrownBy(() -> wide.rotated(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("square images");
        LabeledDataset square = new LabeledDataset(Tensor.of(new double[4], 1, 2, 2), new int[] {0});
        assertThatThrownBy(() -> square.rotated(4, 0)).hasMessageContaining("quarterTurns");
        assertThatThrownBy(() -> square.rotated(1, -1)).hasMessageContaining("labelOffset");
        LabeledDataset flat = new LabeledDataset(Tensor.of(new double[4], 1, 4), new int[] {0});
        assertThatThrownBy(() -> flat.rotated(1, 0)).hasMessageContaining("square images");
        LabeledDataset twoWide = new LabeledDataset(Tensor.of(new double[12], 2, 2, 3), new int[] {0, 0});
        assertThatThrownBy(() -> new FewShotTasks(twoWide, List.of(0), 1, 1, 1, true))
                .hasMessageContaining("rotations need square images");
        assertThatCode(() -> new FewShotTasks(twoWide, List.of(0), 1, 1, 1, false)).doesNotThrowAnyException();
    }

    @Test
    void rotationsAreExtraClassesOfRotatedImages() {
        Tensor img = Tensor.of(new double[] {1, 2, 3, 4}, 1, 2, 2);
        assertThat(FewShotTasks.rotate(img, 1).toArray()).containsExactly(2, 4, 1, 3);
        assertThat(FewShotTasks.rotate(img, 4).toArray()).containsExactly(1, 2, 3, 4);
        LabeledDataset one = new LabeledDataset(Tensor.of(new double[] {1, 2, 3, 4, 1, 2, 3, 4}, 2, 2, 2), new int[] {0, 0});
        FewShotTasks tasks = new FewShotTasks(one, List.of(0), 4, 1, 1, true);   // 4 ways from 1 class × 4 rotations
        Task t = tasks.sample(new Rng(0));
        Set<String> images = new HashSet<>();
        for (int w = 0; w < 4; w++) {
            images.add(java.util.Arrays.toString(t.supportX().slice(0, w, w + 1).toArray()));
        }
        assertThat(images).hasSize(4);
    }

    @Test
    void badInputGivesClearErrors() {
        LabeledDataset data = numbered(4, 5);
        assertThatThrownBy(() -> new FewShotTasks(data, List.of(0, 1), 2, 3, 3, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than K + Q");
        assertThatThrownBy(() -> new FewShotTasks(data, List.of(0, 1), 3, 1, 1, false))
                .hasMessageContaining("3-way tasks need 3 classes");
        assertThatThrownBy(() -> new FewShotTasks(data, List.of(0, 9), 2, 1, 1, false))
                .hasMessageContaining("class 9 has no examples");
        assertThatThrownBy(() -> new ClassSplit(List.of(0, 1), List.of(), List.of(1, 2)))
                .hasMessageContaining("class 1 appears twice");
        assertThatThrownBy(() -> new ClassSplit(List.of(), List.of(), List.of(1)))
                .hasMessageContaining("must not be empty");
        Tensor x = Tensor.zeros(3, 1);
        assertThatThrownBy(() -> new Task(x, Tensor.zeros(2, 1), x, Tensor.zeros(3, 1), 0))
                .hasMessageContaining("support has 3 inputs");
        assertThatThrownBy(() -> new Task(x, Tensor.zeros(3, 1), Tensor.zeros(3, 2), Tensor.zeros(3, 1), 0))
                .hasMessageContaining("differ beyond the first axis");
        assertThatThrownBy(() -> new Task(x, Tensor.vector(0, 1, 5), x, Tensor.vector(0, 1, 1), 2))
                .hasMessageContaining("label 5.0");
        Task reg = new Task(x, Tensor.zeros(3, 1), x, Tensor.zeros(3, 1), 0);
        assertThatThrownBy(() -> reg.supportLoss(dev.bilevel.autodiff.Variable.constant(Tensor.zeros(3, 2))))
                .hasMessageContaining("does not match targets");
    }
}
