package dev.bilevel.meta;

/**
 * Receives the progress of {@link MetaTrainer#train}; the library never prints, a CLI renders
 * these calls (e.g. as a progress bar). Called on the training thread, in iteration order.
 */
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() {
    };

    /**
     * After each meta-iteration.
     *
     * @param iteration the number of iterations done (1-based)
     * @param total     the configured number of iterations
     * @param metaLoss  mean {@link TaskGradient#queryLoss} of the meta-batch before the update (the
     *                  query loss; Reptile's support loss of its last inner step)
     */
    default void onIteration(long iteration, long total, double metaLoss) {
    }

    /**
     * After each meta-validation.
     *
     * @param iteration      iterations done
     * @param validationLoss mean query loss over the validation tasks
     * @param improved       whether it is the best so far
     */
    default void onValidation(long iteration, double validationLoss, boolean improved) {
    }

    /**
     * After a checkpoint is written.
     *
     * @param iteration iterations done
     * @param file      the checkpoint's path
     */
    default void onCheckpoint(long iteration, java.nio.file.Path file) {
    }
}
