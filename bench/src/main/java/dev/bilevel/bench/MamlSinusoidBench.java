package dev.bilevel.bench;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.meta.Checkpoint;
import dev.bilevel.meta.FunctionalModel;
import dev.bilevel.meta.Maml;
import dev.bilevel.meta.MetaEvaluation;
import dev.bilevel.meta.MetaTrainer;
import dev.bilevel.meta.ProgressListener;
import dev.bilevel.meta.SinusoidTasks;
import dev.bilevel.tensor.Rng;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark {@code maml-sinusoid}: second-order MAML on sinusoid regression as in Finn, Abbeel &amp;
 * Levine, ICML 2017, §5.1: 1-40-40-1 ReLU, K = 10, α = 0.01, one inner step, meta-batch 25, Adam
 * 1e-3, 70,000 iterations ({@code --iterations}), float64; evaluation as in the original code: 600
 * test tasks with K = 10 support and 10 other query points, MSE after 0, 1, 5, 10 steps (α = 0.01)
 * with 95% CI 1.96·σ/√600.
 *
 * <p>Model selection: every 1,000 iterations the trainer scores θ by the mean query MSE after 10
 * steps on 200 fixed meta-validation tasks ({@link MetaTrainer.Config#withValidation}, a stream
 * of its own, disjoint from the training and test streams), and the θ evaluated is the best one
 * ({@link MetaTrainer.State#best}); the last θ is evaluated too and reported as {@code final}.
 * Training with one inner step leaves the support Hessian of many tasks with a top eigenvalue
 * above 2/α = 200, so 10 plain steps can oscillate and, on a rare task,
 * blow up; which iterate does so varies from seed to seed, and meta-validation picks an iterate
 * that does not. Finn et al.'s released code tests the last iterate; choosing the iterate on
 * held-out meta-validation tasks is ordinary model selection and never looks at the test tasks.
 *
 * <p>Speed: meta-iterations per second on 1 and 2 threads over {@code --speed-iterations} (default
 * 300, after a warm-up of 1,500 iterations and, per thread count, as many again), timed in
 * {@code --speed-rounds} rounds (default 5) of one block per thread count side by side, each from
 * the same warmed state; the rates and the 2-thread scaling are the medians over the rounds (of
 * the rates, and of each round's ratio), with a check that both thread counts give the same bits; then, in the same run, the JAX twin ({@code bench/python/maml_sinusoid_jax.py}: one
 * jit-compiled meta-step, the tasks vmapped, XLA on one thread; {@code jax_it_per_s},
 * {@code at_least_jax}) and the PyTorch twin ({@code bench/python/maml_sinusoid.py}, tasks batched
 * by hand). On a shared machine wall-clock rates depend on the load, so the one-thread rates are
 * also given per CPU-second of the whole process, garbage collector and compiler threads included
 * (Java: {@code OperatingSystemMXBean.getProcessCpuTime}; PyTorch: {@code time.process_time}).
 *
 * <p>Options: {@code --iterations N}, {@code --threads T} (training, default 2), {@code --seed S},
 * {@code --speed-iterations N}, {@code --speed-rounds R}, {@code --save FILE} (a {@link Checkpoint} of the trained state),
 * {@code --python PATH} (PyTorch), {@code --jax-python PATH} (default: {@code python3} when it
 * imports jax), {@code --no-python} (neither twin).
 */
public final class MamlSinusoidBench {
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** Iterations between meta-validations. */
    private static final int VALIDATE_EVERY = 1000;
    /** Meta-validation tasks. */
    private static final int VALIDATION_TASKS = 200;

    private MamlSinusoidBench() {
    }

    /**
     * Runs the benchmark and prints its JSON lines to {@code out}.
     *
     * @param args options, see the class comment
     * @param out  where the JSON lines go
     */
    public static void run(String[] args, PrintStream out) {
        long iterations = 70_000;
        int threads = 2;
        long seed = 0;
        int speedIterations = 300;
        int speedRounds = 5;
        String save = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--iterations" -> iterations = Long.parseLong(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--speed-iterations" -> speedIterations = Integer.parseInt(args[++i]);
                case "--speed-rounds" -> speedRounds = Integer.parseInt(args[++i]);
                case "--save" -> save = args[++i];
                case "--python", "--jax-python" -> i++;
                case "--no-python" -> { }
                default -> throw new IllegalArgumentException("maml-sinusoid: unknown option " + args[i]);
            }
        }
        Maml maml = new Maml(FunctionalModel.of(Mlp.of(1, 40, 40, 1).activation(Activation.RELU)),
                new Maml.Config(0.01, 1, false));
        SinusoidTasks tasks = new SinusoidTasks(10, 10);
        MetaTrainer.Config base = MetaTrainer.Config.of(iterations, 25, seed);

        new MetaTrainer(maml, Optimizers.adam(1e-3), tasks, null, base.withIterations(Math.max(1500, speedIterations)),
                ProgressListener.NONE).train();   // JIT warm-up, not timed
        MetaTrainer.State[] warmed = new MetaTrainer.State[3];
        for (int t : new int[] {1, 2}) {
            warmed[t] = new MetaTrainer(maml, Optimizers.adam(1e-3), tasks, null,
                    base.withIterations(speedIterations).withThreads(t), ProgressListener.NONE).train().state();
        }
        double[][] rates = new double[3][speedRounds];
        double[] cpuRates = new double[speedRounds];
        double[] ratios = new double[speedRounds];
        boolean identical = Arrays.equals(warmed[1].meta().flattenValues().toArray(),
                warmed[2].meta().flattenValues().toArray());
        for (int round = 0; round < speedRounds; round++) {
            double[] ref = null;
            for (int t : new int[] {1, 2}) {
                MetaTrainer timed = new MetaTrainer(maml, Optimizers.adam(1e-3), tasks, null,
                        base.withIterations(2L * speedIterations).withThreads(t), ProgressListener.NONE);
                long t0 = System.nanoTime();
                long c0 = CPU.getProcessCpuTime();
                MetaTrainer.State e = timed.train(warmed[t]).state();
                rates[t][round] = speedIterations / ((System.nanoTime() - t0) / 1e9);
                if (t == 1) {
                    cpuRates[round] = speedIterations / ((CPU.getProcessCpuTime() - c0) / 1e9);
                }
                double[] bits = e.meta().flattenValues().toArray();
                identical &= ref == null || Arrays.equals(ref, bits);
                ref = bits;
                out.println(String.format(Locale.ROOT, "{\"bench\":\"maml-sinusoid\",\"phase\":\"speed\","
                        + "\"impl\":\"bilevel\",\"round\":%d,\"threads\":%d,\"iterations_per_second\":%.1f,"
                        + "\"iterations\":%d}", round, t, rates[t][round], speedIterations));
                out.flush();
            }
            ratios[round] = rates[2][round] / rates[1][round];
        }
        double[] speed = {Double.NaN, HpoQualityBench.median(rates[1]), HpoQualityBench.median(rates[2])};
        double cpuSpeed = HpoQualityBench.median(cpuRates);
        double scaling = HpoQualityBench.median(ratios);

        long[] started = {System.nanoTime()};
        long[] selected = {0};
        MetaTrainer trainer = new MetaTrainer(maml, Optimizers.adam(1e-3), tasks, tasks,
                base.withThreads(threads).withValidation(VALIDATE_EVERY, VALIDATION_TASKS, 10, 0),
                new ProgressListener() {
                    @Override
                    public void onValidation(long iteration, double validationLoss, boolean improved) {
                        if (improved) {
                            selected[0] = iteration;
                        }
                    }

                    @Override
                    public void onIteration(long iteration, long total, double metaLoss) {
                        if (iteration % 5000 == 0) {
                            out.println(String.format(Locale.ROOT, "{\"bench\":\"maml-sinusoid\",\"phase\":\"train\","
                                    + "\"iteration\":%d,\"meta_loss\":%.5f,\"seconds\":%.1f}", iteration, metaLoss,
                                    (System.nanoTime() - started[0]) / 1e9));
                            out.flush();
                        }
                    }
                });
        MetaTrainer.Result r = trainer.train();
        double trainSeconds = (System.nanoTime() - started[0]) / 1e9;
        if (save != null) {
            try {
                Checkpoint.write(java.nio.file.Path.of(save), new Checkpoint(r.state(), r.provenance().toString()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        int[] steps = {0, 1, 5, 10};
        List<MetaEvaluation.Estimate> finalEst = MetaEvaluation.run(maml, r.state().meta(), tasks,
                new Rng(seed).fork(1_000_003L), MetaEvaluation.TASKS, steps);
        printEval(out, "final", finalEst);
        // Runs shorter than one validation period have no selected θ: the final one stands in.
        Params chosen = r.state().best() != null ? r.state().best() : r.state().meta();
        List<MetaEvaluation.Estimate> est = MetaEvaluation.run(maml, chosen, tasks,
                new Rng(seed).fork(1_000_003L), MetaEvaluation.TASKS, steps);
        printEval(out, "selected", est);
        boolean finite = true;
        StringBuilder mse = new StringBuilder();
        for (MetaEvaluation.Estimate e : est) {
            finite &= e.allFinite();
            mse.append(String.format(Locale.ROOT, "\"mse_%d\":%.4f,\"ci95_%d\":%.4f,", e.steps(), e.loss(), e.steps(),
                    e.lossCi95()));
        }
        out.flush();

        double torch = Double.NaN;
        double torchCpu = Double.NaN;
        double jax = Double.NaN;
        String note = "";
        if (PythonTwin.disabled(args)) {
            note = "PyTorch and JAX comparisons disabled by --no-python";
        } else {
            PythonTwin.Result jr = PythonTwin.forJax(args).run("maml_sinusoid_jax.py",
                    List.of("--iterations", "3000", "--warmup-iterations", "300"), 600);
            if (jr.summary() != null) {
                out.println(jr.summary());
                jax = jr.summary().get("iterations_per_second").asDouble();
            } else {
                note = "no JAX comparison: " + jr.note();
            }
            PythonTwin.Result pr = PythonTwin.fromArgs(args).run("maml_sinusoid.py",
                    List.of("--iterations", "300", "--warmup-iterations", "50"), 600);
            if (pr.summary() != null) {
                out.println(pr.summary());
                torch = pr.summary().get("iterations_per_second").asDouble();
                torchCpu = pr.summary().get("iterations_per_cpu_second").asDouble();
            } else {
                note += (note.isEmpty() ? "" : "; ") + pr.note();
            }
        }
        double mse1 = est.get(1).loss();
        double mse10 = est.get(3).loss();
        double speedup = speed[1] / torch;
        out.println(String.format(Locale.ROOT, "{\"bench\":\"maml-sinusoid\",\"summary\":true,\"iterations\":%d,"
                + "\"seed\":%d,\"train_threads\":%d,\"train_seconds\":%.1f,\"selected_iteration\":%d,"
                + "\"validation_mse_10\":%.4f,\"final_mse_1\":%.4f,\"final_mse_10\":%.4g,%s\"all_finite\":%s,"
                + "\"target_mse_1\":0.35,\"target_mse_10\":0.15,\"meets_accuracy\":%s,"
                + "\"it_per_s_1thread\":%.1f,\"it_per_s_2threads\":%.1f,\"thread_scaling\":%.2f,\"thread_scaling_rounds\":%s,"
                + "\"threads_bit_identical\":%s,\"pytorch_it_per_s\":%s,\"speedup_vs_pytorch\":%s,"
                + "\"it_per_cpu_s_1thread\":%.1f,\"pytorch_it_per_cpu_s\":%.1f,\"cpu_speedup_vs_pytorch\":%.2f,"
                + "\"jax_it_per_s\":%s,\"at_least_jax\":%s,"
                + "\"target_speedup\":10,\"target_thread_scaling\":1.6,\"java\":\"%s\",\"note\":\"%s\"}",
                r.state().iteration(), seed, threads, trainSeconds, selected[0], r.state().bestValidation(),
                finalEst.get(1).loss(), finalEst.get(3).loss(), mse, finite,
                finite && mse1 <= 0.35 && mse10 <= 0.15, speed[1], speed[2], scaling, rounded(ratios), identical,
                Double.isFinite(torch) ? String.format(Locale.ROOT, "%.1f", torch) : "null",
                Double.isFinite(speedup) ? String.format(Locale.ROOT, "%.2f", speedup) : "null",
                cpuSpeed, torchCpu, cpuSpeed / torchCpu,
                Double.isFinite(jax) ? String.format(Locale.ROOT, "%.1f", jax) : "null",
                Double.isFinite(jax) ? Boolean.toString(speed[1] >= jax) : "null",
                System.getProperty("java.version"), note.replace("\"", "'")));
        out.flush();
    }

    private static void printEval(PrintStream out, String theta, List<MetaEvaluation.Estimate> est) {
        for (MetaEvaluation.Estimate e : est) {
            out.println(String.format(Locale.ROOT, "{\"bench\":\"maml-sinusoid\",\"phase\":\"eval\",\"theta\":\"%s\","
                    + "\"steps\":%d,\"mse\":%.4f,\"ci95\":%.4f,\"tasks\":%d,\"all_finite\":%s}", theta, e.steps(),
                    e.loss(), e.lossCi95(), e.tasks(), e.allFinite()));
        }
    }

    /** {@code values} as a JSON array with two decimals. */
    private static String rounded(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (double v : values) {
            sb.append(sb.length() == 1 ? "" : ",").append(String.format(Locale.ROOT, "%.2f", v));
        }
        return sb.append(']').toString();
    }
}
