package dev.bilevel.bench;

import static dev.bilevel.bench.SeedStatistics.orNull;
import static dev.bilevel.bench.SeedStatistics.sd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.meta.Anil;
import dev.bilevel.meta.ClassSplit;
import dev.bilevel.meta.Conv4;
import dev.bilevel.meta.FewShotTasks;
import dev.bilevel.meta.LabeledDataset;
import dev.bilevel.meta.Maml;
import dev.bilevel.meta.MetaEvaluation;
import dev.bilevel.meta.MetaLearner;
import dev.bilevel.meta.MetaTrainer;
import dev.bilevel.meta.ProgressListener;
import dev.bilevel.meta.ProtoNet;
import dev.bilevel.meta.Reptile;
import dev.bilevel.meta.data.IdxReader;
import dev.bilevel.tensor.Precision;
import dev.bilevel.tensor.Rng;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.function.Supplier;

/**
 * Benchmark {@code fewshot-images}: few-shot classification on a 20-class meta-dataset built from
 * {@code shared/data}: Fashion-MNIST classes 0–9 as classes 0–9 and MNIST digits as classes 10–19,
 * the first 600 images of each class in file order; meta-train on classes 0–4 and 10–14, meta-test
 * on 5–9 and 15–19. Backbone conv-4 (3×3 conv with 32 channels, BatchNorm, ReLU, 2×2 max-pool, four
 * times; transductive batch statistics as in Finn et al.'s code); 5-way K-shot with 15 queries per
 * class; accuracy ± 95% CI on {@code --test-tasks} (default 600) meta-test tasks.
 *
 * <p>Algorithms ({@code --algorithms}, comma-separated): {@code protonet} (Snell et al. 2017; Adam
 * 1e-3, meta-batch 1), {@code fomaml} and {@code maml} (Finn et al. 2017; 5 inner SGD steps of 0.4,
 * meta-batch 4, Adam 1e-3), {@code anil} (Raghu et al. 2020; head-only, same inner loop),
 * {@code reptile} (Nichol et al. 2018; 5 inner steps of 0.1, outer SGD 1.0, meta-batch 4). Each
 * trains until {@code --iterations} or {@code --seconds} (whichever first; checked between
 * iterations). Options: {@code --shots 1,5}, {@code --data DIR}, {@code --seeds 0,1,2} (default 0;
 * {@code --seed} is the same option), {@code --threads T}, {@code --test-tasks N}, {@code --precision
 * float32|float64} (the arithmetic of the convolutions, {@link Precision}; default float32, the
 * arithmetic of the PyTorch twin; everything else runs in float64).
 *
 * <p><b>PyTorch twin.</b> {@code bench/python/fewshot_images.py} (same data, backbone, algorithms,
 * hyperparameters, budget rule and evaluation; float32, one thread) is started with the same
 * options at the start and runs <em>simultaneously</em> with the Java side (give it a core of its
 * own: two cores for {@code --threads 1}), so that both train under the same machine load with the
 * same wall-clock budget. Each configuration is trained and evaluated once per seed (initialization,
 * task stream and test tasks follow the seed); {@code means} gives each configuration's mean and
 * standard deviation over the seeds, and {@code versus_pytorch} compares the two sides' means
 * ({@code difference}, bilevel minus PyTorch, with its standard error {@code difference_se} over the
 * seeds of both sides, and {@code iterations_ratio}, bilevel's mean iterations over PyTorch's). One
 * seed is a weak comparison here: with only 10 meta-training classes the test accuracy of one run
 * moves by several points from one iterate to the next and from seed to seed, on both sides. Options
 * {@code --python PATH} (default {@code /usr/bin/python3} when it imports torch) and
 * {@code --no-python}.
 *
 * <p>Each run's line has its iterations, training and evaluation seconds, test accuracy with 95%
 * CI, and {@code train_loss_tail}, the mean meta-training query loss over the last tenth of its
 * iterations (on both sides), which tells fitting the training tasks apart from generalizing.
 * {@code --checkpoints N1,N2,…} (increasing iteration counts) also evaluates each run on the same
 * test tasks when it reaches each count, on both sides, with the clock stopped while it
 * evaluates: the run's {@code checkpoints} list gives the accuracy after each count, the
 * accuracy-against-iterations curve that separates an implementation's arithmetic from how many
 * iterations its speed buys within the budget.
 *
 * <p><b>Model selection.</b> The split has no meta-validation classes, and the last
 * iterate is what the budget rule scores. {@code --rotated-validation} (needs {@code --checkpoints},
 * on both sides) also scores each checkpoint on tasks from the meta-training classes rotated by
 * 90°, 180° and 270° ({@link RotatedValidation}; {@code --test-tasks} of them, their own task
 * stream): each run's {@code selected} gives the test accuracy of the checkpoint with the best
 * validation accuracy (the first on ties), and {@code means} and {@code versus_pytorch} compare
 * those too. Validation sees no test class, so the selection is honest early stopping.
 */
public final class FewShotImagesBench {
    /** Fork of a seed's stream for its test tasks, the same for every checkpoint and the end. */
    private static final long TEST_STREAM = 1_000_003L;

    /** Fork of a seed's stream for its rotated-class validation tasks. */
    private static final long VALIDATION_STREAM = 2_000_003L;

    private FewShotImagesBench() {
    }

    /**
     * Runs the benchmark and prints its JSON lines to {@code out}.
     *
     * @param args options, see the class comment
     * @param out  where the JSON lines go
     * @throws IOException when the data cannot be read
     */
    public static void run(String[] args, PrintStream out) throws IOException {
        String algorithms = "protonet,fomaml,maml,anil,reptile";
        String shotList = "1,5";
        Path data = Path.of("../shared/data");
        long[] seeds = {0};
        int threads = 1;
        long iterations = 2500;
        double seconds = 100;
        int testTasks = MetaEvaluation.TASKS;
        Precision precision = Precision.FLOAT32;
        long[] checkpoints = {};
        boolean rotatedValidation = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--algorithms" -> algorithms = args[++i];
                case "--shots" -> shotList = args[++i];
                case "--data" -> data = Path.of(args[++i]);
                case "--seed", "--seeds" -> seeds = SeedStatistics.parseLongs(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--iterations" -> iterations = Long.parseLong(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--test-tasks" -> testTasks = Integer.parseInt(args[++i]);
                case "--precision" -> precision = parsePrecision(args[++i]);
                case "--checkpoints" -> checkpoints = parseCheckpoints(args[++i]);
                case "--rotated-validation" -> rotatedValidation = true;
                case "--python" -> i++;
                case "--no-python" -> {
                }
                default -> throw new IllegalArgumentException("fewshot-images: unknown option " + args[i]);
            }
        }
        if (iterations < 0 || !(seconds > 0) || testTasks < 2 || threads < 1) {
            throw new IllegalArgumentException("fewshot-images: need --iterations >= 0, --seconds > 0, --test-tasks >= 2"
                    + " and --threads >= 1, got " + iterations + ", " + seconds + ", " + testTasks + ", " + threads);
        }
        if (rotatedValidation && checkpoints.length == 0) {
            throw new IllegalArgumentException("fewshot-images: --rotated-validation selects among checkpoints and needs"
                    + " --checkpoints");
        }
        LabeledDataset fashion = IdxReader.readLabeled(data.resolve("fashion-npm70k-images-idx3-ubyte.gz"),
                data.resolve("fashion-npm70k-labels-idx1-ubyte.gz"));
        LabeledDataset mnist = IdxReader.readLabeled(data.resolve("mnist-npm10k-images-idx3-ubyte.gz"),
                data.resolve("mnist-npm10k-labels-idx1-ubyte.gz"));
        int[] ten = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        LabeledDataset all = LabeledDataset.concat(fashion.firstOfClasses(ten, 600, 0), mnist.firstOfClasses(ten, 600, 10));
        ClassSplit split = new ClassSplit(List.of(0, 1, 2, 3, 4, 10, 11, 12, 13, 14), List.of(),
                List.of(5, 6, 7, 8, 9, 15, 16, 17, 18, 19));
        CompletableFuture<PythonTwin.Result> twin = PythonTwin.disabled(args) ? null
                : CompletableFuture.supplyAsync(twinRun(args, algorithms, shotList, data, seeds,
                        new Budget(iterations, seconds, threads, testTasks, checkpoints), rotatedValidation));
        StringBuilder summary = new StringBuilder();
        StringBuilder means = new StringBuilder();
        Map<String, Side> ours = new LinkedHashMap<>();
        Map<String, Side> oursSelected = new LinkedHashMap<>();
        for (String shotText : shotList.split(",")) {
            int shots = Integer.parseInt(shotText.trim());
            FewShotTasks train = new FewShotTasks(all, split.train(), 5, shots, 15, false);
            FewShotTasks test = new FewShotTasks(all, split.test(), 5, shots, 15, false);
            FewShotTasks validation = rotatedValidation ? RotatedValidation.tasks(all, split.train(), 5, shots) : null;
            for (String algoText : algorithms.split(",")) {
                String algo = algoText.trim();
                double[] accuracies = new double[seeds.length];
                double[] selected = new double[seeds.length];
                double iterationSum = 0;
                double selectedIterationSum = 0;
                for (int k = 0; k < seeds.length; k++) {
                    Run r = trainAndEvaluate(setup(algo, precision), algo, shots, seeds[k], train, test, validation,
                            new Budget(iterations, seconds, threads, testTasks, checkpoints));
                    out.println("{\"bench\":\"fewshot-images\"," + r.json + "}");
                    out.flush();
                    summary.append(summary.length() == 0 ? "" : ",").append('{').append(r.json).append('}');
                    accuracies[k] = r.accuracy;
                    iterationSum += r.iterations;
                    selected[k] = r.selectedAccuracy;
                    selectedIterationSum += r.selectedIterations;
                }
                Side side = new Side(MetaEvaluation.mean(accuracies),
                        sd(accuracies), seeds.length, iterationSum / seeds.length);
                ours.put(algo + "/" + shots, side);
                String selectedMeans = "";
                if (validation != null) {
                    Side s = new Side(MetaEvaluation.mean(selected), sd(selected), seeds.length,
                            selectedIterationSum / seeds.length);
                    oursSelected.put(algo + "/" + shots, s);
                    selectedMeans = ",\"selected\":{" + s.json() + "}";
                }
                means.append(means.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"algorithm\":\"%s\",\"shots\":%d,%s%s}", algo, shots, side.json(), selectedMeans));
            }
        }
        String pytorch = "null";
        StringBuilder versus = new StringBuilder();
        String note = "PyTorch twin disabled by --no-python";
        if (twin != null) {
            PythonTwin.Result pr = twin.join();
            if (pr.summary() != null) {
                pytorch = pr.summary().toString();
                note = "PyTorch twin ran simultaneously with the same budget, one thread, float32 (bilevel: "
                        + precision.name().toLowerCase(Locale.ROOT) + " convolutions, float64 elsewhere)";
                for (JsonNode r : pr.summary().get("means")) {
                    String key = r.get("algorithm").asText() + "/" + r.get("shots").asInt();
                    Side side = ours.get(key);
                    if (side != null) {
                        Side ourSelected = oursSelected.get(key);
                        String selectedVersus = ourSelected == null || !r.has("selected") ? ""
                                : ",\"selected\":{" + ourSelected.versus(Side.of(r.get("selected"))) + "}";
                        versus.append(versus.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
                                "{\"algorithm\":\"%s\",\"shots\":%d,%s%s}", r.get("algorithm").asText(),
                                r.get("shots").asInt(), side.versus(Side.of(r)), selectedVersus));
                    }
                }
            } else {
                note = "no PyTorch comparison: " + pr.note();
            }
        }
        out.println("{\"bench\":\"fewshot-images\",\"summary\":true,\"seeds\":[" + joined(seeds) + "]"
                + ",\"precision\":\"" + precision.name().toLowerCase(Locale.ROOT) + "\",\"threads\":" + threads
                + ",\"seconds\":" + seconds + ",\"results\":[" + summary + "],\"means\":["
                + means + "],\"pytorch\":" + pytorch
                + ",\"versus_pytorch\":[" + versus + "],\"pytorch_reference_from_issue\":\"ProtoNets 63.5% +- 0.8"
                + " (1-shot, 2500 it, 102 s), 80.4% +- 0.6 (5-shot, 2000 it, 430 s); FO-MAML 71.3% +- 0.8 (1-shot, 1582 it"
                + " in 900 s), 79.5% +- 0.8 (5-shot, 940 it in 900 s), PyTorch 2.13 on a quiet machine\",\"note\":\""
                + note.replace("\"", "'") + "\"}");
        out.flush();
    }

    /**
     * The twin's run with this benchmark's options; its time limit covers every training budget plus
     * the evaluations after each checkpoint (two with rotated validation) and at the end.
     */
    private static Supplier<PythonTwin.Result> twinRun(String[] args, String algorithms, String shotList, Path data,
            long[] seeds, Budget budget, boolean rotatedValidation) {
        List<String> opts = new ArrayList<>(List.of("--algorithms", algorithms, "--shots", shotList,
                "--data", data.toString(), "--seeds", joined(seeds), "--iterations", Long.toString(budget.iterations),
                "--seconds", Double.toString(budget.seconds), "--test-tasks", Integer.toString(budget.testTasks)));
        if (budget.checkpoints.length > 0) {
            opts.addAll(List.of("--checkpoints", joined(budget.checkpoints)));
        }
        if (rotatedValidation) {
            opts.add("--rotated-validation");
        }
        long runs = (long) algorithms.split(",").length * shotList.split(",").length * seeds.length;
        long evaluations = 1 + budget.checkpoints.length * (rotatedValidation ? 2L : 1L);
        long timeout = runs * ((long) Math.ceil(budget.seconds) + 1800L * evaluations);
        return () -> PythonTwin.fromArgs(args).run("fewshot_images.py", opts, timeout);
    }

    private static Precision parsePrecision(String text) {
        return switch (text) {
            case "float64" -> Precision.FLOAT64;
            case "float32" -> Precision.FLOAT32;
            default -> throw new IllegalArgumentException("fewshot-images: --precision must be float64 or float32, got "
                    + text);
        };
    }

    /** Positive, strictly increasing iteration counts, comma-separated. */
    private static long[] parseCheckpoints(String text) {
        long[] counts = SeedStatistics.parseLongs(text);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] <= 0 || i > 0 && counts[i] <= counts[i - 1]) {
                throw new IllegalArgumentException("fewshot-images: --checkpoints must be positive, strictly increasing"
                        + " iteration counts, got " + text);
            }
        }
        return counts;
    }

    private static String joined(long[] values) {
        return Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    /**
     * When training stops ({@code iterations} or {@code seconds}), its threads, the test tasks
     * evaluated after, and the iteration counts after which it is also evaluated (clock stopped).
     */
    private record Budget(long iterations, double seconds, int threads, int testTasks, long[] checkpoints) {
    }

    /**
     * Trains {@code s} from {@code seed} until the budget's iterations or seconds (checked between
     * iterations) and evaluates it on the budget's test tasks of {@code test}, also after each of
     * the budget's checkpoints (the same test tasks; time spent evaluating is not training time),
     * where {@code validation}, when not null, also scores it and picks the checkpoint to report as
     * {@code selected}.
     */
    private static Run trainAndEvaluate(Setup s, String algo, int shots, long seed, FewShotTasks train,
            FewShotTasks test, FewShotTasks validation, Budget budget) {
        MetaTrainer.Config config = MetaTrainer.Config.of(budget.iterations, s.metaBatch, seed)
                .withThreads(budget.threads);
        long deadline = System.nanoTime() + (long) (budget.seconds * 1e9);
        LossLog log = new LossLog();
        MetaTrainer trainer = new MetaTrainer(s.learner, s.optimizer, train, null, config, log);
        long t0 = System.nanoTime();
        long paused = 0;
        StringBuilder curve = new StringBuilder();
        int next = 0;
        double bestValidation = Double.NEGATIVE_INFINITY;
        double selectedAccuracy = Double.NaN;
        long selectedIterations = 0;
        MetaTrainer.State state = trainer.initialState();
        while (state.iteration() < budget.iterations && System.nanoTime() - paused < deadline) {
            state = trainer.step(state);
            if (next < budget.checkpoints.length && state.iteration() == budget.checkpoints[next]) {
                long c0 = System.nanoTime();
                double trained = (c0 - t0 - paused) / 1e9;
                MetaEvaluation.Estimate c = evaluate(s, state, test, seed, TEST_STREAM, budget.testTasks);
                String scored = "";
                if (validation != null) {
                    double v = evaluate(s, state, validation, seed, VALIDATION_STREAM, budget.testTasks).accuracy();
                    scored = String.format(Locale.ROOT, ",\"validation\":%.4f", v);
                    if (v > bestValidation) {
                        bestValidation = v;
                        selectedAccuracy = c.accuracy();
                        selectedIterations = state.iteration();
                    }
                }
                paused += System.nanoTime() - c0;
                curve.append(next++ == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"iterations\":%d,\"train_seconds\":%.1f,\"accuracy\":%.4f,\"ci95\":%.4f%s}",
                        state.iteration(), trained, c.accuracy(), c.accuracyCi95(), scored));
            }
        }
        double trainSeconds = (System.nanoTime() - t0 - paused) / 1e9;
        long e0 = System.nanoTime();
        MetaEvaluation.Estimate e = evaluate(s, state, test, seed, TEST_STREAM, budget.testTasks);
        double evalSeconds = (System.nanoTime() - e0) / 1e9;
        String json = String.format(Locale.ROOT, "\"algorithm\":\"%s\",\"ways\":5,\"shots\":%d,\"queries\":15,"
                + "\"seed\":%d,\"iterations\":%d,\"train_seconds\":%.1f,\"accuracy\":%.4f,\"ci95\":%.4f,"
                + "\"test_tasks\":%d,\"eval_seconds\":%.1f,\"train_loss_tail\":%s,\"checkpoints\":[%s]", algo, shots,
                seed, state.iteration(), trainSeconds, e.accuracy(), e.accuracyCi95(), e.tasks(), evalSeconds,
                algo.equals("reptile") || Double.isNaN(log.tailMean()) ? "null"
                        : String.format(Locale.ROOT, "%.4f", log.tailMean()), curve)
                + (validation == null ? "" : Double.isNaN(selectedAccuracy) ? ",\"selected\":null"
                        : String.format(Locale.ROOT, ",\"selected\":{\"iterations\":%d,\"accuracy\":%.4f}",
                                selectedIterations, selectedAccuracy));
        return new Run(e.accuracy(), state.iteration(), selectedAccuracy, selectedIterations, json);
    }

    /** The accuracy of {@code state}'s meta-parameters on {@code n} tasks of {@code tasks} from the seed's stream fork. */
    private static MetaEvaluation.Estimate evaluate(Setup s, MetaTrainer.State state, FewShotTasks tasks, long seed,
            long stream, int n) {
        return MetaEvaluation.run(s.learner, state.meta(), tasks, new Rng(seed).fork(stream), n,
                new int[] {s.testSteps}).get(0);
    }

    /**
     * The meta-training query loss of every iteration; {@link #tailMean} is its mean over the last
     * tenth (at least one iteration; NaN before any), the twin's {@code train_loss_tail}: whether a
     * side fits its training tasks better, apart from how it generalizes. Reptile's step has no
     * query loss (null).
     */
    private static final class LossLog implements ProgressListener {
        private double[] losses = new double[1024];
        private int n;

        @Override
        public void onIteration(long iteration, long total, double metaLoss) {
            if (n == losses.length) {
                losses = Arrays.copyOf(losses, 2 * n);
            }
            losses[n++] = metaLoss;
        }

        double tailMean() {
            if (n == 0) {
                return Double.NaN;
            }
            int k = Math.max(1, n / 10);
            double sum = 0;
            for (int i = n - k; i < n; i++) {
                sum += losses[i];
            }
            return sum / k;
        }
    }

    /**
     * One side's results for one configuration over its seeds: mean accuracy, sample standard
     * deviation (NaN for one seed), seeds and mean iterations.
     */
    private record Side(double mean, double sd, int seeds, double iterations) {
        /** The fields of a {@code means} entry: seeds, accuracy, sd (null for one seed), iterations. */
        String json() {
            return String.format(Locale.ROOT, "\"seeds\":%d,\"accuracy\":%s,\"sd\":%s,\"iterations\":%.1f", seeds,
                    orNull(mean), orNull(sd), iterations);
        }

        /** The twin's entry of {@code means}, or its {@code selected} (its {@code sd} null for one seed). */
        static Side of(JsonNode means) {
            return new Side(orNaN(means.get("accuracy")), orNaN(means.get("sd")), means.get("seeds").asInt(),
                    means.get("iterations").asDouble());
        }

        private static double orNaN(JsonNode value) {
            return value == null || value.isNull() ? Double.NaN : value.asDouble();
        }

        /**
         * JSON fields comparing this side (bilevel) with {@code twin}: both means, their difference,
         * its standard error √(sd²/n + sd'²/n') (Welch's; null unless both sides have two seeds or
         * more), whether this mean is at least the twin's, and the ratio of mean iterations.
         */
        String versus(Side twin) {
            double se = SeedStatistics.differenceSe(sd, seeds, twin.sd, twin.seeds);
            return String.format(Locale.ROOT, "\"bilevel\":%s,\"pytorch\":%s,\"difference\":%s,"
                    + "\"difference_se\":%s,\"bilevel_at_least_pytorch\":%s,\"iterations_ratio\":%s", orNull(mean),
                    orNull(twin.mean), orNull(mean - twin.mean), orNull(se), mean >= twin.mean,
                    orNull(iterations / twin.iterations));
        }
    }

    /**
     * One trained and evaluated configuration: its accuracy, iterations, the test accuracy and
     * iterations of the checkpoint selected by validation (NaN and 0 without), and JSON fields.
     */
    private record Run(double accuracy, long iterations, double selectedAccuracy, long selectedIterations,
            String json) {
    }

    private record Setup(MetaLearner learner, Optimizer optimizer, int metaBatch, int testSteps) {
    }

    private static Setup setup(String algo, Precision precision) {
        Conv4.BatchNormMode bn = Conv4.BatchNormMode.TRANSDUCTIVE;
        Conv4 head = new Conv4(1, 28, 32, 5, bn, precision);
        return switch (algo) {
            case "protonet" -> new Setup(new ProtoNet(new Conv4(1, 28, 32, 0, bn, precision), new ProtoNet.Config(1.0)),
                    Optimizers.adam(1e-3), 1, 0);
            case "fomaml" -> new Setup(new Maml(head, new Maml.Config(0.4, 5, true)), Optimizers.adam(1e-3), 4, 5);
            case "maml" -> new Setup(new Maml(head, new Maml.Config(0.4, 5, false)), Optimizers.adam(1e-3), 4, 5);
            case "anil" -> new Setup(new Anil(head, new Anil.Config(0.4, 5, Set.of("head.weight", "head.bias"), false)),
                    Optimizers.adam(1e-3), 4, 5);
            case "reptile" -> new Setup(new Reptile(head, new Reptile.Config(0.1, 5)), Optimizers.sgd(1.0), 4, 5);
            default -> throw new IllegalArgumentException("fewshot-images: unknown algorithm " + algo
                    + " (known: protonet, fomaml, maml, anil, reptile)");
        };
    }
}
