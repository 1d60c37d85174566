package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * A gradient-based meta-learner: outer variables θ (initialization, step sizes, embedding or
 * optimizer weights), an inner adaptation φ = Adapt(θ, S) on a task's support set S, and the outer
 * objective, the query loss L_Q(φ):
 *
 * <pre>
 *   minimize over θ   E_T [ L_Q^T( Adapt(θ, S^T) ) ]
 * </pre>
 *
 * <p>Implementations ({@link Maml}, {@link Reptile}, {@link MetaSgd}, {@link Anil}, {@link Imaml},
 * {@link ProtoNet}, {@link LearnedOptimizer}) are immutable descriptions with a config record;
 * they hold no parameters, are safe to call from several threads at once, and are deterministic:
 * the same (θ, task, rng seed) gives bit-identical results. {@link MetaTrainer} runs the outer
 * loop; every implementation's test extends the contract suite {@code MetaLearnerContract}.
 */
public interface MetaLearner {

    /**
     * Fresh meta-parameters θ, as leaves.
     *
     * @param rng the initializers' stream
     */
    Params init(Rng rng);

    /**
     * The task's outer loss and its meta-gradient (or update direction) with respect to θ.
     *
     * @param meta θ, as leaves
     * @param task the task
     * @param rng  randomness the learner needs for this task (e.g. a fresh learner initialization); a
     *             function of the task's index in {@link MetaTrainer}
     * @return loss and gradient, as constants with θ's names
     */
    TaskGradient metaGradient(Params meta, Task task, Rng rng);

    /**
     * {@link #metaGradient} of each task, in order: entry i has the bits of
     * {@code metaGradient(meta, tasks.get(i), rngs.get(i))}, whatever the other tasks in the list.
     * Learners with a faster path for a list of tasks override this (e.g. {@link Maml} of an MLP:
     * closed form, no graph, θ's set-up shared); by default, one task after another. The
     * {@link MetaTrainer} hands each thread one contiguous chunk of the meta-batch.
     *
     * @param meta  θ, as leaves
     * @param tasks the tasks
     * @param rngs  one stream per task, as in {@link #metaGradient}
     * @return one loss and gradient per task
     */
    default List<TaskGradient> metaGradients(Params meta, List<Task> tasks, List<Rng> rngs) {
        if (tasks.size() != rngs.size()) {
            throw new IllegalArgumentException("metaGradients: " + tasks.size() + " tasks but " + rngs.size()
                    + " random streams");
        }
        List<TaskGradient> out = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            out.add(metaGradient(meta, tasks.get(i), rngs.get(i)));
        }
        return out;
    }

    /**
     * Query metrics after adapting to the support set for each number of steps in {@code steps}
     * (increasing). Learners without inner steps (Prototypical Networks) report the same metrics
     * for every entry.
     *
     * @param meta  θ
     * @param task  the task
     * @param steps non-decreasing step counts, e.g. {0, 1, 5, 10}
     * @param rng   as in {@link #metaGradient}
     * @return one entry per step count
     */
    List<TaskMetrics> evaluate(Params meta, Task task, int[] steps, Rng rng);
}
