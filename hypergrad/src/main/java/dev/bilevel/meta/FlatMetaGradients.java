package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.tensor.Rng;
import java.util.List;

/**
 * A {@link MetaLearner} that adds each task's meta-gradient straight into a flat array, so that
 * {@link MetaTrainer} sums a meta-batch without a tensor per task. The flat layout is
 * {@link Params#flattenValues}'s: θ's parameters in name order, each row-major.
 */
interface FlatMetaGradients {

    /**
     * For each task i, in order: {@code losses[i]} ← the query loss and {@code into[i]} ←
     * {@code into[i]} + the flattened gradient of {@code metaGradients(meta, tasks, rngs).get(i)},
     * with those bits. Several entries of {@code into} may be one array: the gradients are then
     * added to it in task order.
     */
    void addMetaGradients(Params meta, List<Task> tasks, List<Rng> rngs, double[] losses, double[][] into);

    /** What {@link #addMetaGradients} does, from the learner's per-task results {@code results}. */
    static void add(Params meta, List<TaskGradient> results, double[] losses, double[][] into) {
        for (int i = 0; i < results.size(); i++) {
            TaskGradient r = results.get(i);
            losses[i] = r.queryLoss();
            int off = 0;
            for (String name : meta.names()) {
                double[] g = r.gradient().get(name).value().toArray();
                double[] acc = into[i];
                for (int j = 0; j < g.length; j++) {
                    acc[off + j] += g[j];
                }
                off += g.length;
            }
        }
    }
}
