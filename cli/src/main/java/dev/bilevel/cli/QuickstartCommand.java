package dev.bilevel.cli;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialPrunedException;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.pruners.HyperbandPruner;
import dev.bilevel.hpo.storage.DuplicatedStudyException;
import dev.bilevel.hpo.samplers.TpeSampler;
import dev.bilevel.meta.FunctionalModel;
import dev.bilevel.meta.Maml;
import dev.bilevel.meta.MetaEvaluation;
import dev.bilevel.meta.MetaTrainer;
import dev.bilevel.meta.ProgressListener;
import dev.bilevel.meta.SinusoidTasks;
import dev.bilevel.meta.Task;
import dev.bilevel.storage.jdbc.JdbcStorage;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bilevel quickstart}: both halves of Bilevel on one problem, in about a minute.
 *
 * <ol>
 *   <li>checks the second-order MAML meta-gradient of a 1-40-40-1 network on one sinusoid task
 *       against central finite differences;
 *   <li>tunes MAML's inner learning rate, number of inner steps and meta learning rate with TPE
 *       and Hyperband pruning (intermediate value: meta-validation MSE);
 *   <li>reports the best trial and its held-out MSE before and after adaptation, and the command
 *       that opens the dashboard on the study.
 * </ol>
 *
 * <p>The study is stored in {@code ./bilevel-quickstart.db} (SQLite; {@code --storage} to change)
 * under a fresh name per run, {@code quickstart-<UTC timestamp>}, so reruns never clash and each
 * run stays a self-contained 20-trial study in the dashboard.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Gradient-check second-order MAML, then tune it with TPE + Hyperband on sinusoid regression.")
final class QuickstartCommand implements Callable<Integer> {
    private static final int REPORTS = 6;
    private static final int K = 10;
    private static final int META_BATCH = 5;
    private static final int VALIDATION_TASKS = 50;
    private static final int HELD_OUT = 200;
    private static final int DIRECTIONS = 5;
    private static final long TEST_STREAM = 1_000_000L;
    /** Sinusoid regression as in Finn et al. 2017: K support and K query points per task. */
    private static final SinusoidTasks TASKS = new SinusoidTasks(K, K);

    @Spec
    CommandSpec spec;

    @Option(names = "--trials", defaultValue = "20", description = "Number of HPO trials (default ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--iterations", defaultValue = "600",
            description = "Meta-iterations per trial (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random stream (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Option(names = "--storage", paramLabel = "URL", defaultValue = DEFAULT_STORAGE,
            description = "Where the study is kept (default ${DEFAULT-VALUE}).")
    String storage;

    /** The quickstart's own database, in the working directory. */
    static final String DEFAULT_STORAGE = "sqlite:///bilevel-quickstart.db";

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (trials < 1 || iterations < REPORTS) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--trials must be >= 1 and --iterations >= " + REPORTS);
        }
        if (!gradientCheck(out)) {
            return 1;
        }
        FrozenTrial best;
        String name = "quickstart-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.now());
        JdbcStorage opened;
        try {
            opened = JdbcStorage.builder(storage).closeOnShutdown(true).open();
        } catch (RuntimeException e) {
            throw new CommandFailure("cannot open storage " + storage + ": " + e.getMessage(), e);
        }
        try (JdbcStorage db = opened) {
            Study study = tune(out, db, name);
            if (study.trials(TrialState.COMPLETE).isEmpty()) {
                throw new CommandFailure("no quickstart trial completed; see `bilevel trials --study-name "
                        + study.studyName()
                        + " --storage " + storage + "`");
            }
            best = study.bestTrial();
        }
        out.printf("best trial #%d: meta-validation MSE %.4f with %s%n", best.number(), best.value(), best.params());
        double innerLr = ((Number) best.params().get("inner_lr")).doubleValue();
        int innerSteps = ((Number) best.params().get("inner_steps")).intValue();
        Maml maml = maml(innerLr, innerSteps);
        MetaTrainer.Result retrained = trainer(maml, ((Number) best.params().get("meta_lr")).doubleValue(),
                best.number(), ProgressListener.NONE).train();
        int[] steps = {0, 1, innerSteps};
        List<MetaEvaluation.Estimate> estimates = MetaEvaluation.run(maml, retrained.state().meta(), TASKS,
                new Rng(seed).fork(TEST_STREAM), HELD_OUT, steps);
        out.printf("      held-out MSE of the best configuration retrained (%d new tasks, K = %d, 95%% CI):%n",
                HELD_OUT, K);
        for (MetaEvaluation.Estimate e : estimates) {
            out.printf("        after %d inner step(s): %.4f +- %.4f%n", e.steps(), e.loss(), e.lossCi95());
        }
        out.println("[3/3] explore the study in the dashboard:");
        out.println("      " + launcher() + " dashboard --storage " + absolute(storage));
        out.flush();
        return 0;
    }

    /** How the user started this program: {@code ./bilevel} from the repository root, else its path. */
    private static String launcher() {
        String home = System.getenv("BILEVEL_LAUNCHER");
        if (home == null) {
            return "./bilevel";
        }
        Path launcher = Path.of(home).toAbsolutePath().normalize();
        return launcher.getParent().equals(Path.of("").toAbsolutePath()) ? "./bilevel" : launcher.toString();
    }

    /** An SQLite URL with an absolute path, so that the printed command works from any directory. */
    static String absolute(String url) {
        String prefix = "sqlite:///";
        if (!url.startsWith(prefix)) {
            return url;
        }
        return prefix + Path.of(url.substring(prefix.length())).toAbsolutePath().normalize();
    }

    /**
     * Checks {@link Maml#metaGradient} of a tanh network (smooth, so central differences are
     * exact to O(h²)) against central differences of the meta-objective itself, the query MSE
     * after one inner step, along random directions.
     */
    private boolean gradientCheck(PrintWriter out) {
        out.println("[1/3] second-order MAML meta-gradient (1-40-40-1 tanh, K = " + K
                + ", 1 inner step) against central finite differences");
        Maml maml = new Maml(FunctionalModel.of(Mlp.of(1, 40, 40, 1).activation(Activation.TANH)),
                new Maml.Config(0.01, 1, false));
        Rng rng = new Rng(seed);
        Params theta = maml.init(rng.fork(1)).leaves();
        Task task = TASKS.sample(rng.fork(2));
        Tensor gradient = maml.metaGradient(theta, task, rng.fork(3)).gradient().flattenValues();
        Tensor flat = theta.flattenValues();
        double h = 1e-5;
        double worst = 0;
        for (int d = 0; d < DIRECTIONS; d++) {
            Tensor direction = Tensor.randn(rng.fork(10 + d), flat.size());
            direction = direction.div(Math.sqrt(direction.square().sum().item()));
            double plus = queryLoss(maml, theta.unflatten(flat.addScaled(direction, h)), task);
            double minus = queryLoss(maml, theta.unflatten(flat.addScaled(direction, -h)), task);
            double numeric = (plus - minus) / (2 * h);
            double analytic = gradient.mul(direction).sum().item();
            worst = Math.max(worst, Math.abs(analytic - numeric) / Math.max(1e-12, Math.abs(numeric)));
        }
        boolean passed = worst <= 1e-6;
        out.printf("      %d directions, max relative error %.2e: %s%n", DIRECTIONS, worst,
                passed ? "passed" : "FAILED");
        return passed;
    }

    private static double queryLoss(Maml maml, Params theta, Task task) {
        return maml.evaluate(theta.leaves(), task, new int[] {maml.config().innerSteps()}, new Rng(0)).get(0).loss();
    }

    /** A new study named {@code base}, or {@code base-2}, {@code base-3}, … if a run in the same second took it. */
    private Study createStudy(JdbcStorage db, String base) {
        for (int k = 1; ; k++) {
            try {
                return Study.builder()
                        .storage(db)
                        .name(k == 1 ? base : base + "-" + k)
                        .directions(StudyDirection.MINIMIZE)
                        .sampler(TpeSampler.builder().seed(seed).nStartupTrials(5).build())
                        .pruner(new HyperbandPruner(1, REPORTS, 3, 0))
                        .create();
            } catch (DuplicatedStudyException taken) {
                // Never reuse a stored study: try the next suffix.
            }
        }
    }

    private Study tune(PrintWriter out, JdbcStorage db, String name) {
        out.printf("[2/3] tuning MAML with TPE + Hyperband: %d trials x %d meta-iterations (meta-batch 5)%n",
                trials, iterations);
        Study study = createStudy(db, name);
        out.printf("      study '%s' in %s%n", study.studyName(), storage);
        ProgressBar bar = new ProgressBar(out, "      trials", trials, quiet);
        AtomicInteger done = new AtomicInteger();
        study.optimize(trial -> {
            double innerLr = trial.suggestFloat("inner_lr", 1e-3, 0.5, true);
            int innerSteps = trial.suggestInt("inner_steps", 1, 3);
            double metaLr = trial.suggestFloat("meta_lr", 1e-4, 3e-2, true);
            try {
                ProgressListener pruning = new ProgressListener() {
                    private int reports;

                    @Override
                    public void onValidation(long iteration, double validationLoss, boolean improved) {
                        trial.report(Double.isFinite(validationLoss) ? validationLoss : Double.MAX_VALUE, ++reports);
                        if (trial.shouldPrune()) {
                            throw new TrialPrunedException("pruned at meta-iteration " + iteration);
                        }
                    }
                };
                MetaTrainer.Result r = trainer(maml(innerLr, innerSteps), metaLr, trial.number(), pruning).train();
                return r.state().bestValidation();
            } finally {
                bar.update(done.incrementAndGet(), bestSoFar(study));
            }
        }, trials);
        long pruned = study.trials(TrialState.PRUNED).size();
        out.printf("      %d complete, %d pruned%n", study.trials(TrialState.COMPLETE).size(), pruned);
        return study;
    }

    private static String bestSoFar(Study study) {
        return study.trials(TrialState.COMPLETE).isEmpty() ? "best -" : String.format("best %.4f", study.bestValue());
    }

    private static Maml maml(double innerLr, int innerSteps) {
        return new Maml(FunctionalModel.of(Mlp.of(1, 40, 40, 1).activation(Activation.RELU)),
                new Maml.Config(innerLr, innerSteps, false));
    }

    /**
     * Meta-training with Adam on meta-batches of {@link #META_BATCH} sinusoid tasks, validated
     * {@link #REPORTS} times on {@link #VALIDATION_TASKS} tasks after the learner's inner steps.
     */
    private MetaTrainer trainer(Maml maml, double metaLr, int stream, ProgressListener listener) {
        MetaTrainer.Config config = MetaTrainer.Config.of(iterations, META_BATCH, new Rng(seed).fork(stream).seed())
                .withValidation(iterations / REPORTS, VALIDATION_TASKS, maml.config().innerSteps(), 0);
        return new MetaTrainer(maml, Optimizers.adam(metaLr), TASKS, TASKS, config, listener);
    }
}
