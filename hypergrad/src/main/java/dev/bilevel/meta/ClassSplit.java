package dev.bilevel.meta;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The classes of a labeled data set divided into meta-training, meta-validation and meta-test
 * classes, with no class in two parts (Vinyals et al. 2016; Ravi &amp; Larochelle 2017): a
 * meta-learner is scored on classes it never saw.
 *
 * <pre>{@code
 * ClassSplit split = new ClassSplit(List.of(0, 1, 2, 3, 4, 10, 11, 12, 13, 14), List.of(),
 *         List.of(5, 6, 7, 8, 9, 15, 16, 17, 18, 19));
 * }</pre>
 *
 * @param train      meta-training classes, not empty
 * @param validation meta-validation classes, may be empty
 * @param test       meta-test classes, not empty
 */
public record ClassSplit(List<Integer> train, List<Integer> validation, List<Integer> test) {

    /** Copies the lists and checks that train and test are non-empty and that no class repeats. */
    public ClassSplit {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
        if (train.isEmpty() || test.isEmpty()) {
            throw new IllegalArgumentException("ClassSplit: the meta-train and meta-test class sets must not be empty"
                    + " (train " + train + ", test " + test + ")");
        }
        Set<Integer> seen = new HashSet<>();
        for (List<Integer> part : List.of(train, validation, test)) {
            for (Integer c : part) {
                if (!seen.add(c)) {
                    throw new IllegalArgumentException("ClassSplit: class " + c
                            + " appears twice (splits must not overlap): train " + train + ", validation " + validation
                            + ", test " + test);
                }
            }
        }
    }
}
