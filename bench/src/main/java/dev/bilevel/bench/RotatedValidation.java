package dev.bilevel.bench;

import dev.bilevel.meta.FewShotTasks;
import dev.bilevel.meta.LabeledDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Meta-validation classes for a split that has none: the meta-training classes rotated by 90°, 180°
 * and 270°, each rotation of class c a class of its own, labeled {@code 100·q + c} for q quarter
 * turns (Santoro et al. 2016 use rotations as new classes). Training never sees an image rotated,
 * so these are classes the meta-learner was not trained on, and never the meta-test classes;
 * {@code fewshot-images --rotated-validation} selects the checkpoint with the best accuracy on them.
 */
final class RotatedValidation {
    private RotatedValidation() {
    }

    /**
     * N-way K-shot tasks (15 queries per class) over the rotated copies of {@code trainClasses}.
     *
     * @param all          the meta-dataset, square images
     * @param trainClasses the meta-training classes, labels below 100
     * @param ways         N
     * @param shots        K
     * @return the validation task sampler
     */
    static FewShotTasks tasks(LabeledDataset all, List<Integer> trainClasses, int ways, int shots) {
        Map<Integer, int[]> byClass = all.indicesByClass();
        int[] rows = trainClasses.stream().flatMapToInt(c -> {
            if (c < 0 || c >= 100) {
                throw new IllegalArgumentException("RotatedValidation: training classes must lie in 0..99, got " + c);
            }
            return Arrays.stream(byClass.getOrDefault(c, new int[0]));
        }).toArray();
        LabeledDataset upright = all.select(rows);
        LabeledDataset rotated = LabeledDataset.concat(LabeledDataset.concat(upright.rotated(1, 100),
                upright.rotated(2, 200)), upright.rotated(3, 300));
        List<Integer> classes = new ArrayList<>();
        for (int q = 1; q <= 3; q++) {
            for (int c : trainClasses) {
                classes.add(100 * q + c);
            }
        }
        return new FewShotTasks(rotated, classes, ways, shots, 15, false);
    }
}
