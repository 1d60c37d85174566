package dev.bilevel.cli;

import dev.bilevel.autodiff.GradCheck;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.cli.quickstart.SinusoidMaml;
import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialPrunedException;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.pruners.HyperbandPruner;
import dev.bilevel.hpo.samplers.TpeSampler;
import dev.bilevel.tensor.Rng;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
                throw new CommandFailure("no quickstart trial completed; see `bilevel trials --study-name " + name
                        + " --storage " + storage + "`");
            }
            best = study.bestTrial();
        }
        out.printf("best trial #%d: meta-validation MSE %.4f with %s%n", best.number(), best.value(), best.params());
        SinusoidMaml maml = new SinusoidMaml(SinusoidMaml.standardModel(),
                ((Number) best.params().get("inner_lr")).doubleValue(),
                ((Number) best.params().get("inner_steps")).intValue(), 10);
        SinusoidMaml.State state = train(maml, ((Number) best.params().get("meta_lr")).doubleValue(), best.number(),
                iterations, null);
        out.println("held-out MSE of the best configuration retrained (200 new tasks, K = 10):");
        for (int steps : new int[] {0, 1, maml.innerSteps()}) {
            out.printf("  after %d inner step(s): %.4f%n", steps,
                    maml.evaluate(state.theta(), new Rng(seed).fork(1_000_000), 200, steps));
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

    private boolean gradientCheck(PrintWriter out) {
        out.println("[1/3] second-order MAML meta-gradient (1-40-40-1 tanh, K = 10, 1 inner step) "
                + "against central finite differences");
        SinusoidMaml maml = new SinusoidMaml(SinusoidMaml.standardModel().activation(
                dev.bilevel.autodiff.nn.Activation.TANH), 0.01, 1, 10);
        Rng rng = new Rng(seed);
        Params theta = maml.model().init(rng.fork(1));
        SinusoidMaml.Task task = maml.sampleTask(rng.fork(2));
        GradCheck.Report report = GradCheck.check(flat -> maml.metaLoss(theta.unflatten(flat), task),
                theta.flattenValues(), GradCheck.Options.defaults().withSeed(seed));
        out.printf("      %d directions, max relative error %.2e: %s%n", report.entries().size(),
                report.maxRelError(), report.passed() ? "passed" : "FAILED");
        return report.passed();
    }

    private Study tune(PrintWriter out, JdbcStorage db, String name) {
        out.printf("[2/3] tuning MAML with TPE + Hyperband: %d trials x %d meta-iterations (meta-batch 5)%n",
                trials, iterations);
        out.printf("      study '%s' in %s%n", name, storage);
        Study study = Study.builder()
                .storage(db)
                .name(name)
                .directions(StudyDirection.MINIMIZE)
                .sampler(TpeSampler.builder().seed(seed).nStartupTrials(5).build())
                .pruner(new HyperbandPruner(1, REPORTS, 3, 0))
                .create();
        ProgressBar bar = new ProgressBar(out, "      trials", trials, quiet);
        AtomicInteger done = new AtomicInteger();
        study.optimize(trial -> {
            double innerLr = trial.suggestFloat("inner_lr", 1e-3, 0.5, true);
            int innerSteps = trial.suggestInt("inner_steps", 1, 3);
            double metaLr = trial.suggestFloat("meta_lr", 1e-4, 3e-2, true);
            SinusoidMaml maml = new SinusoidMaml(SinusoidMaml.standardModel(), innerLr, innerSteps, 10);
            try {
                SinusoidMaml.State s = train(maml, metaLr, trial.number(), iterations, (report, state) -> {
                    double mse = maml.evaluate(state.theta(), new Rng(seed).fork(-1), 50, innerSteps);
                    trial.report(Double.isFinite(mse) ? mse : Double.MAX_VALUE, report);
                    if (trial.shouldPrune()) {
                        throw new TrialPrunedException("pruned at report " + report);
                    }
                });
                return maml.evaluate(s.theta(), new Rng(seed).fork(-1), 50, innerSteps);
            } finally {
                int n = done.incrementAndGet();
                bar.update(n, bestSoFar(study));
            }
        }, trials);
        long pruned = study.trials(TrialState.PRUNED).size();
        out.printf("      %d complete, %d pruned%n", study.trials(TrialState.COMPLETE).size(), pruned);
        return study;
    }

    private static String bestSoFar(Study study) {
        return study.trials(TrialState.COMPLETE).isEmpty() ? "best -" : String.format("best %.4f", study.bestValue());
    }

    /** Observes training at each of the {@link #REPORTS} evenly spaced report points. */
    @FunctionalInterface
    private interface ReportHook {
        void at(int report, SinusoidMaml.State state);
    }

    private SinusoidMaml.State train(SinusoidMaml maml, double metaLr, int stream, int iterations, ReportHook hook) {
        Optimizer adam = Optimizers.adam(metaLr);
        Rng rng = new Rng(seed).fork(stream);
        SinusoidMaml.State state = maml.init(rng.fork(0), adam);
        Rng tasks = rng.fork(1);
        int every = iterations / REPORTS;
        for (int it = 1; it <= iterations; it++) {
            state = maml.metaStep(state, adam, tasks, 5);
            if (hook != null && it % every == 0 && it / every <= REPORTS) {
                hook.at(it / every, state);
            }
        }
        return state;
    }

}
