package dev.bilevel.cli.spec;

import java.util.List;

/**
 * N-way K-shot classification tasks over a labeled data set ({@code tasks: {type: fewshot, ...}}
 * of a meta-training spec), drawn by {@link dev.bilevel.meta.FewShotTasks} from disjoint class
 * splits; {@link FewShotLoader} reads the data and builds the samplers.
 *
 * @param dataset where the examples come from
 * @param ways N, classes per task
 * @param shots K, support examples per class
 * @param queries Q, query examples per class
 * @param trainClasses meta-training classes, not empty
 * @param validationClasses meta-validation classes, may be empty
 * @param testClasses meta-test classes (the final evaluation's), not empty
 * @param rotations whether each rotation by a multiple of 90° is a class of its own
 * @param line the line of {@code tasks} in the spec, for errors found while building tasks
 */
public record FewShotSpec(DatasetSpec dataset, int ways, int shots, int queries, List<Integer> trainClasses,
        List<Integer> validationClasses, List<Integer> testClasses, boolean rotations, int line) {

    /**
     * Copies the class lists.
     *
     * @param dataset see the record component of the same name
     * @param ways see the record component of the same name
     * @param shots see the record component of the same name
     * @param queries see the record component of the same name
     * @param trainClasses see the record component of the same name
     * @param validationClasses see the record component of the same name
     * @param testClasses see the record component of the same name
     * @param rotations see the record component of the same name
     * @param line see the record component of the same name
     */
    public FewShotSpec {
        trainClasses = List.copyOf(trainClasses);
        validationClasses = List.copyOf(validationClasses);
        testClasses = List.copyOf(testClasses);
    }
}
