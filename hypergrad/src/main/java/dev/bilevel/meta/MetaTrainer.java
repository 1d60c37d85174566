package dev.bilevel.meta;

import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The outer loop of meta-learning, with any pure {@link Optimizer}:
 *
 * <pre>
 *   for t = 0, 1, …:   g = (1/B)·Σ_{b&lt;B} metaGradient(θ, T_{t,b})      (summed in task order)
 *                      (u, s) = optimizer.update(g, s, θ);   θ ← θ + u
 * </pre>
 *
 * <p><b>Determinism.</b> Task b of iteration t is {@code train.task(root.fork(1).fork(t), b)} and
 * the learner's own stream {@code root.fork(2).fork(t).fork(b)}, with {@code root = new Rng(seed)};
 * the tasks of a meta-batch are split into {@link Config#threads} contiguous chunks (sizes differing
 * by at most one, the larger ones last, since the calling thread also does the serial part of an
 * iteration), each chunk evaluated by {@link MetaLearner#metaGradients} on its own thread (the
 * first on the calling thread), and their gradients are summed in task order, so the result is
 * bit-identical for any number of threads: the first chunk adds its tasks' gradients into the sum
 * as it goes, the others keep one flat array per task, added after it (a learner that writes flat
 * gradients itself, such as {@link Maml}, needs no tensor per task). Meta-validation uses
 * the same fixed tasks ({@code root.fork(3)}) every time; early stopping stops after
 * {@link Config#patience} validations without improvement. A {@link Checkpoint} holds the whole
 * {@link State}, so {@link #train(State)} from a checkpoint continues bit-identically.
 *
 * <pre>{@code
 * MetaTrainer trainer = new MetaTrainer(maml, Optimizers.adam(1e-3), new SinusoidTasks(10, 10), null,
 *         MetaTrainer.Config.of(70_000, 25, 42), ProgressListener.NONE);
 * MetaTrainer.Result r = trainer.train();
 * }</pre>
 */
public final class MetaTrainer {
    private final MetaLearner learner;
    private final Optimizer optimizer;
    private final TaskSampler train;
    private final TaskSampler validation;
    private final Config config;
    private final ProgressListener listener;

    /**
     * @param iterations      total meta-iterations, ≥ 0
     * @param metaBatch       tasks per iteration B ≥ 1
     * @param threads         threads for the tasks of a meta-batch, ≥ 1
     * @param seed            root seed
     * @param validateEvery   iterations between validations (0: never)
     * @param validationTasks number of validation tasks
     * @param validationSteps inner step counts, non-decreasing, after which each validation task's query
     *                        loss is scored; the validation loss is the mean over the tasks and these
     *                        counts, so {@code [1, 10]} selects θ on both the loss after the trained
     *                        number of steps and its stability over more
     * @param patience        validations without improvement before stopping (0: never stop early)
     * @param checkpointEvery iterations between checkpoints (0: never)
     * @param checkpoint      the checkpoint file, or null
     */
    public record Config(long iterations, int metaBatch, int threads, long seed, int validateEvery,
            int validationTasks, List<Integer> validationSteps, int patience, int checkpointEvery, Path checkpoint) {
        /** Validates the fields and copies the step counts. */
        public Config {
            validationSteps = List.copyOf(Objects.requireNonNull(validationSteps, "MetaTrainer.Config: validationSteps"));
            if (iterations < 0 || metaBatch < 1 || threads < 1 || validateEvery < 0 || validationTasks < 0
                    || patience < 0 || checkpointEvery < 0) {
                throw new IllegalArgumentException("MetaTrainer.Config: invalid " + iterations + " iterations, batch "
                        + metaBatch + ", threads " + threads + ", validateEvery " + validateEvery + ", patience "
                        + patience + ", checkpointEvery " + checkpointEvery);
            }
            if (validateEvery > 0 && (validationTasks == 0 || validationSteps.isEmpty())) {
                throw new IllegalArgumentException("MetaTrainer.Config: validation needs validationTasks > 0 and at"
                        + " least one step count, got " + validationTasks + " tasks and steps " + validationSteps);
            }
            for (int i = 0; i < validationSteps.size(); i++) {
                if (validationSteps.get(i) < 0 || i > 0 && validationSteps.get(i) < validationSteps.get(i - 1)) {
                    throw new IllegalArgumentException("MetaTrainer.Config: validation step counts must be"
                            + " non-negative and non-decreasing, got " + validationSteps);
                }
            }
            if (checkpointEvery > 0 && checkpoint == null) {
                throw new IllegalArgumentException("MetaTrainer.Config: checkpointEvery > 0 needs a checkpoint path");
            }
        }

        /** No validation, no checkpoints, one thread. */
        public static Config of(long iterations, int metaBatch, long seed) {
            return new Config(iterations, metaBatch, 1, seed, 0, 0, List.of(), 0, 0, null);
        }

        /** This configuration on {@code n} threads. */
        public Config withThreads(int n) {
            return new Config(iterations, metaBatch, n, seed, validateEvery, validationTasks, validationSteps, patience,
                    checkpointEvery, checkpoint);
        }

        /** This configuration with {@code total} iterations. */
        public Config withIterations(long total) {
            return new Config(total, metaBatch, threads, seed, validateEvery, validationTasks, validationSteps, patience,
                    checkpointEvery, checkpoint);
        }

        /**
         * This configuration with validation every {@code every} iterations on {@code tasks} tasks,
         * each scored after {@code steps} inner steps.
         */
        public Config withValidation(int every, int tasks, int steps, int newPatience) {
            return withValidation(every, tasks, List.of(steps), newPatience);
        }

        /**
         * This configuration with validation every {@code every} iterations on {@code tasks} tasks,
         * each scored after every count in {@code steps}.
         */
        public Config withValidation(int every, int tasks, List<Integer> steps, int newPatience) {
            return new Config(iterations, metaBatch, threads, seed, every, tasks, steps, newPatience, checkpointEvery,
                    checkpoint);
        }

        /** This configuration with a checkpoint every {@code every} iterations to {@code file}. */
        public Config withCheckpoints(int every, Path file) {
            return new Config(iterations, metaBatch, threads, seed, validateEvery, validationTasks, validationSteps,
                    patience, every, file);
        }
    }

    /**
     * Everything the outer loop carries between iterations.
     *
     * @param iteration      iterations done
     * @param meta           θ, as leaves
     * @param optimizer      the outer optimizer's state
     * @param bestValidation best validation loss so far (+∞ before the first)
     * @param sinceBest      validations since the best
     * @param best           θ at the best validation, or null
     */
    public record State(long iteration, Params meta, Optimizer.State optimizer, double bestValidation, int sinceBest,
            Params best) {
    }

    /**
     * The outcome of a run.
     *
     * @param state        the final state
     * @param stoppedEarly whether early stopping ended the run
     * @param provenance   where the run came from
     */
    public record Result(State state, boolean stoppedEarly, Provenance provenance) {
    }

    /**
     * @param learner    the meta-learner
     * @param optimizer  the outer optimizer
     * @param train      meta-training tasks
     * @param validation meta-validation tasks, or null when {@code config.validateEvery() == 0}
     * @param config     the loop's settings
     * @param listener   progress receiver
     */
    public MetaTrainer(MetaLearner learner, Optimizer optimizer, TaskSampler train, TaskSampler validation,
            Config config, ProgressListener listener) {
        if (config.validateEvery() > 0 && validation == null) {
            throw new IllegalArgumentException("MetaTrainer: validation every " + config.validateEvery()
                    + " iterations needs a validation task sampler");
        }
        this.learner = learner;
        this.optimizer = optimizer;
        this.train = train;
        this.validation = validation;
        this.config = config;
        this.listener = listener == null ? ProgressListener.NONE : listener;
    }

    /** The initial state: θ from {@code root.fork(0)}, a fresh optimizer state. */
    public State initialState() {
        Params meta = learner.init(new Rng(config.seed()).fork(0)).detach().leaves();
        return new State(0, meta, optimizer.init(meta), Double.POSITIVE_INFINITY, 0, null);
    }

    /** The provenance of this trainer's runs. */
    public Provenance provenance() {
        return Provenance.capture(config.seed(), learner, optimizer, config);
    }

    /** Trains from {@link #initialState()}. */
    public Result train() {
        return train(initialState());
    }

    /**
     * Trains from {@code start} (e.g. a checkpoint's state) up to {@link Config#iterations}.
     *
     * @throws UncheckedIOException when a checkpoint cannot be written
     */
    public Result train(State start) {
        Provenance prov = provenance();
        double[][] rows = new double[config.metaBatch()][];
        try (MetaBatchThreads pool = new MetaBatchThreads(Math.min(config.threads(), config.metaBatch()) - 1)) {
            State s = start;
            while (s.iteration() < config.iterations()) {
                s = step(s, pool, rows);
                long it = s.iteration();
                if (config.validateEvery() > 0 && it % config.validateEvery() == 0) {
                    s = validate(s);
                    if (config.patience() > 0 && s.sinceBest() >= config.patience()) {
                        checkpoint(s, prov);
                        return new Result(s, true, prov);
                    }
                }
                if (config.checkpointEvery() > 0 && it % config.checkpointEvery() == 0) {
                    checkpoint(s, prov);
                }
            }
            return new Result(s, false, prov);
        }
    }

    /** One meta-iteration on one thread; see the class comment. */
    public State step(State s) {
        try (MetaBatchThreads none = new MetaBatchThreads(0)) {
            return step(s, none, new double[config.metaBatch()][]);
        }
    }

    /**
     * One meta-iteration, the first chunk on this thread and the others on {@code pool}'s; {@code rows}
     * keeps, from call to call, the flat gradient arrays of the tasks after the first chunk (made
     * here when missing).
     */
    private State step(State s, MetaBatchThreads pool, double[][] rows) {
        long t = s.iteration();
        Rng root = new Rng(config.seed());
        Rng taskRoot = root.fork(1).fork(t);
        Rng learnerRoot = root.fork(2).fork(t);
        Params meta = s.meta();
        int batch = config.metaBatch();
        int chunks = pool.size() + 1;
        int later = chunkStart(1, chunks, batch);
        double[] losses = new double[batch];
        double[] sum = new double[meta.numel()];
        List<Callable<Void>> jobs = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = chunkStart(c, chunks, batch);
            int to = chunkStart(c + 1, chunks, batch);
            jobs.add(() -> {
                List<Task> tasks = new ArrayList<>(to - from);
                List<Rng> rngs = new ArrayList<>(to - from);
                double[][] into = new double[to - from][];
                for (int b = from; b < to; b++) {
                    tasks.add(train.task(taskRoot, b));
                    rngs.add(learnerRoot.fork(b));
                    if (from != 0 && (rows[b] == null || rows[b].length != sum.length)) {
                        rows[b] = new double[sum.length];
                    }
                    into[b - from] = from == 0 ? sum : rows[b];
                    if (from != 0 || b == 0) {
                        // −0.0 is the identity of addition, signed zeros included.
                        Arrays.fill(into[b - from], -0.0);
                    }
                }
                double[] chunkLosses = new double[to - from];
                if (learner instanceof FlatMetaGradients flat) {
                    flat.addMetaGradients(meta, tasks, rngs, chunkLosses, into);
                } else {
                    FlatMetaGradients.add(meta, learner.metaGradients(meta, tasks, rngs), chunkLosses, into);
                }
                System.arraycopy(chunkLosses, 0, losses, from, to - from);
                return null;
            });
        }
        pool.runAll(jobs);
        try (ModeScope off = GradMode.disabled()) {
            double loss = 0;
            for (double l : losses) {
                loss += l;
            }
            double inv = 1.0 / config.metaBatch();
            Params mean = mean(meta, sum, rows, later, inv);
            Optimizer.Update u = optimizer.update(mean, s.optimizer(), meta);
            Params next = applied(meta, u.updates());
            listener.onIteration(t + 1, config.iterations(), loss * inv);
            return new State(t + 1, next, u.state(), s.bestValidation(), s.sinceBest(), s.best());
        }
    }

    /**
     * (Σ_b g_b)·inv as parameters shaped like {@code meta}: {@code sum} holds the first chunk's
     * tasks' sum, {@code rows[from…]} the later tasks' flat gradients, added to it in task order.
     */
    private static Params mean(Params meta, double[] sum, double[][] rows, int from, double inv) {
        for (int b = from; b < rows.length; b++) {
            double[] g = rows[b];
            for (int i = 0; i < sum.length; i++) {
                sum[i] += g[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] *= inv;
        }
        List<String> names = meta.names();
        List<Variable> values = new ArrayList<>(names.size());
        int off = 0;
        for (String name : names) {
            Tensor like = meta.get(name).value();
            values.add(Variable.constant(Tensor.of(Arrays.copyOfRange(sum, off, off + like.size()), like.shape())));
            off += like.size();
        }
        return Params.of(names, values);
    }

    /**
     * θ + u as leaves: {@link Optimizers#applyUpdates} then detached leaves, with its elementwise
     * sums (one IEEE addition each, hence the same bits) on plain arrays.
     */
    private static Params applied(Params meta, Params updates) {
        List<String> names = meta.names();
        List<Variable> values = new ArrayList<>(names.size());
        for (String name : names) {
            Tensor theta = meta.get(name).value();
            Tensor step = updates.get(name).value();
            if (!step.shape().equals(theta.shape())) {   // a broadcast update: the tensor sum
                values.add(Variable.leaf(theta.add(step)));
                continue;
            }
            double[] x = theta.toArray();
            double[] u = step.toArray();
            for (int i = 0; i < x.length; i++) {
                x[i] += u[i];
            }
            values.add(Variable.leaf(Tensor.of(x, theta.shape())));
        }
        return Params.of(names, values);
    }

    /**
     * Mean query loss over the fixed validation tasks and the step counts of
     * {@link Config#validationSteps}.
     */
    public double validationLoss(Params meta) {
        Rng root = new Rng(config.seed()).fork(3);
        int[] steps = config.validationSteps().stream().mapToInt(Integer::intValue).toArray();
        double sum = 0;
        for (int i = 0; i < config.validationTasks(); i++) {
            for (TaskMetrics m : learner.evaluate(meta, validation.task(root, i), steps, root.fork(1_000_000L + i))) {
                sum += m.loss();
            }
        }
        return sum / ((double) config.validationTasks() * steps.length);
    }

    private State validate(State s) {
        double v = validationLoss(s.meta());
        boolean improved = v < s.bestValidation();
        listener.onValidation(s.iteration(), v, improved);
        return improved
                ? new State(s.iteration(), s.meta(), s.optimizer(), v, 0, s.meta())
                : new State(s.iteration(), s.meta(), s.optimizer(), s.bestValidation(), s.sinceBest() + 1, s.best());
    }

    private void checkpoint(State s, Provenance prov) {
        if (config.checkpoint() == null) {
            return;
        }
        try {
            Checkpoint.write(config.checkpoint(), new Checkpoint(s, prov.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("MetaTrainer: cannot write checkpoint " + config.checkpoint(), e);
        }
        listener.onCheckpoint(s.iteration(), config.checkpoint());
    }

    /**
     * The first task of chunk {@code c} when {@code batch} tasks are split into {@code chunks}
     * contiguous runs whose sizes differ by at most one, the larger runs last.
     */
    static int chunkStart(int c, int chunks, int batch) {
        return c * (batch / chunks) + Math.max(0, c - chunks + batch % chunks);
    }
}
