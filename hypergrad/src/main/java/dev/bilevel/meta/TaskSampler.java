package dev.bilevel.meta;

import dev.bilevel.tensor.Rng;

/**
 * A distribution over tasks p(T) from which meta-training, meta-validation and meta-test tasks
 * are drawn.
 *
 * <p><b>Seeded, split streams.</b> A sampler draws everything a task needs from the {@link Rng}
 * it is given and from nothing else, so task {@code i} of a run is {@code sample(root.fork(i))}
 * ({@link #task}): a function of (seed, i) only, whatever the order or the thread in which tasks
 * are drawn. Implementations are immutable and safe to share between threads.
 *
 * <pre>{@code
 * TaskSampler tasks = new SinusoidTasks(10, 10);
 * Rng root = new Rng(42);
 * Task t7 = tasks.task(root, 7);     // the same task on every run with seed 42
 * }</pre>
 */
public interface TaskSampler {

    /**
     * Draws one task.
     *
     * @param rng the only source of randomness; advanced by the call
     * @return the task
     */
    Task sample(Rng rng);

    /**
     * Task number {@code index} of the stream {@code root}: {@code sample(root.fork(index))}.
     *
     * @param root  the stream's root (not advanced)
     * @param index the task's number
     * @return the task
     */
    default Task task(Rng root, long index) {
        return sample(root.fork(index));
    }
}
