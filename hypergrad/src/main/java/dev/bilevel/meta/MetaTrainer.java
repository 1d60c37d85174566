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
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
 * by at most one), each chunk evaluated by {@link MetaLearner#metaGradients} on its own thread (the
 * first on the calling thread), and their gradients are summed in task order, so the result is
 * bit-identical for any number of threads. Meta-validation uses
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
     * @param validationSteps inner steps before scoring a validation task
     * @param patience        validations without improvement before stopping (0: never stop early)
     * @param checkpointEvery iterations between checkpoints (0: never)
     * @param checkpoint      the checkpoint file, or null
     */
    public record Config(long iterations, int metaBatch, int threads, long seed, int validateEvery,
            int validationTasks, int validationSteps, int patience, int checkpointEvery, Path checkpoint) {
        /** Validates the fields. */
        public Config {
            if (iterations < 0 || metaBatch < 1 || threads < 1 || validateEvery < 0 || validationTasks < 0
                    || validationSteps < 0 || patience < 0 || checkpointEvery < 0) {
                throw new IllegalArgumentException("MetaTrainer.Config: invalid " + iterations + " iterations, batch "
                        + metaBatch + ", threads " + threads + ", validateEvery " + validateEvery + ", patience "
                        + patience + ", checkpointEvery " + checkpointEvery);
            }
            if (validateEvery > 0 && validationTasks == 0) {
                throw new IllegalArgumentException("MetaTrainer.Config: validation needs validationTasks > 0");
            }
            if (checkpointEvery > 0 && checkpoint == null) {
                throw new IllegalArgumentException("MetaTrainer.Config: checkpointEvery > 0 needs a checkpoint path");
            }
        }

        /** No validation, no checkpoints, one thread. */
        public static Config of(long iterations, int metaBatch, long seed) {
            return new Config(iterations, metaBatch, 1, seed, 0, 0, 0, 0, 0, null);
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

        /** This configuration with validation every {@code every} iterations on {@code tasks} tasks. */
        public Config withValidation(int every, int tasks, int steps, int newPatience) {
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
        ExecutorService pool = config.threads() > 1 ? Executors.newFixedThreadPool(config.threads() - 1, r -> {
            Thread t = new Thread(r, "meta-batch");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            State s = start;
            while (s.iteration() < config.iterations()) {
                s = step(s, pool);
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
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** One meta-iteration on one thread; see the class comment. */
    public State step(State s) {
        return step(s, null);
    }

    private State step(State s, ExecutorService pool) {
        long t = s.iteration();
        Rng root = new Rng(config.seed());
        Rng taskRoot = root.fork(1).fork(t);
        Rng learnerRoot = root.fork(2).fork(t);
        Params meta = s.meta();
        int batch = config.metaBatch();
        int chunks = pool == null ? 1 : Math.min(config.threads(), batch);
        List<Callable<List<TaskGradient>>> jobs = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = chunkStart(c, chunks, batch);
            int to = chunkStart(c + 1, chunks, batch);
            jobs.add(() -> {
                List<Task> tasks = new ArrayList<>(to - from);
                List<Rng> rngs = new ArrayList<>(to - from);
                for (int b = from; b < to; b++) {
                    tasks.add(train.task(taskRoot, b));
                    rngs.add(learnerRoot.fork(b));
                }
                return learner.metaGradients(meta, tasks, rngs);
            });
        }
        List<TaskGradient> results = run(jobs, pool);
        try (ModeScope off = GradMode.disabled()) {
            double loss = 0;
            for (TaskGradient r : results) {
                loss += r.queryLoss();
            }
            double inv = 1.0 / config.metaBatch();
            Params mean = mean(meta.names(), results, inv);
            Optimizer.Update u = optimizer.update(mean, s.optimizer(), meta);
            Params next = Optimizers.applyUpdates(meta, u.updates()).detach().leaves();
            listener.onIteration(t + 1, config.iterations(), loss * inv);
            return new State(t + 1, next, u.state(), s.bestValidation(), s.sinceBest(), s.best());
        }
    }

    /** (Σ_b g_b)·inv for each name, summed in task order on plain arrays. */
    private static Params mean(List<String> names, List<TaskGradient> results, double inv) {
        List<Variable> values = new ArrayList<>(names.size());
        for (String name : names) {
            Tensor first = results.get(0).gradient().get(name).value();
            double[] sum = first.toArray();
            for (int b = 1; b < results.size(); b++) {
                Tensor g = results.get(b).gradient().get(name).value();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += g.getFlat(i);
                }
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] *= inv;
            }
            values.add(Variable.constant(Tensor.of(sum, first.shape())));
        }
        return Params.of(names, values);
    }

    /** Mean query loss over the fixed validation tasks after {@link Config#validationSteps} steps. */
    public double validationLoss(Params meta) {
        Rng root = new Rng(config.seed()).fork(3);
        int[] steps = {config.validationSteps()};
        double sum = 0;
        for (int i = 0; i < config.validationTasks(); i++) {
            sum += learner.evaluate(meta, validation.task(root, i), steps, root.fork(1_000_000L + i)).get(0).loss();
        }
        return sum / config.validationTasks();
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

    /** The first task of chunk {@code c} when {@code batch} tasks are split into {@code chunks} contiguous runs. */
    private static int chunkStart(int c, int chunks, int batch) {
        return c * (batch / chunks) + Math.min(c, batch % chunks);
    }

    /** Runs the first job on this thread and the others on {@code pool}; the results in job order. */
    private static List<TaskGradient> run(List<Callable<List<TaskGradient>>> jobs, ExecutorService pool) {
        List<TaskGradient> out = new ArrayList<>();
        List<Future<List<TaskGradient>>> others = new ArrayList<>(jobs.size());
        try {
            for (int j = 1; j < jobs.size(); j++) {
                others.add(pool.submit(jobs.get(j)));
            }
            out.addAll(jobs.get(0).call());
            for (Future<List<TaskGradient>> f : others) {
                out.addAll(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("MetaTrainer: task failed", c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("MetaTrainer: interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("MetaTrainer: task failed", e);
        } finally {
            for (Future<List<TaskGradient>> f : others) {
                f.cancel(true);
            }
        }
    }
}
