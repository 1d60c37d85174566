package dev.bilevel.cli;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.cli.spec.FewShotLoader;
import dev.bilevel.cli.spec.MetaSpec;
import dev.bilevel.cli.spec.MetaSpecParser;
import dev.bilevel.meta.Checkpoint;
import dev.bilevel.meta.MetaEvaluation;
import dev.bilevel.meta.MetaLearner;
import dev.bilevel.meta.MetaTrainer;
import dev.bilevel.meta.ProgressListener;
import dev.bilevel.meta.SinusoidTasks;
import dev.bilevel.meta.TaskSampler;
import dev.bilevel.tensor.Rng;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bilevel meta-train --spec meta.yaml}: meta-trains a learner (MAML family, ANIL,
 * Prototypical Networks, a learned optimizer) on sinusoid regression or N-way K-shot
 * classification tasks with {@link MetaTrainer} (see {@link MetaSpecParser} for the spec), with a
 * progress bar, meta-validation, early stopping and checkpoints; {@code --resume} continues from
 * the checkpoint bit-identically. A final {@link MetaEvaluation} on held-out tasks (the meta-test
 * classes) reports accuracy, or MSE for regression, with a 95% confidence interval.
 *
 * <pre>{@code
 * bilevel meta-train --spec maml-sinusoid.yaml
 * bilevel meta-train --spec maml-sinusoid.yaml --resume --json
 * }</pre>
 */
@Command(name = "meta-train", mixinStandardHelpOptions = true,
        description = "Meta-train MAML, first-order MAML, Reptile, Meta-SGD, iMAML, ANIL, Prototypical Networks or a"
                + " learned optimizer as a YAML spec describes, then evaluate on held-out tasks.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:trained", "1:invalid spec (file:line given) or unreadable checkpoint", "2:invalid usage"})
final class MetaTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The meta-training spec (YAML).")
    java.nio.file.Path specFile;

    @Option(names = "--resume", description = "Continue from the spec's checkpoint when it exists.")
    boolean resume;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Option(names = "--json", description = "Print the result as one JSON object (implies no progress bar).")
    boolean json;

    @Override
    public Integer call() throws IOException {
        MetaSpec s = MetaSpecParser.parse(specFile);
        PrintWriter out = spec.commandLine().getOut();
        TaskSampler train;
        TaskSampler validation;
        TaskSampler test;
        MetaModels.Built built;
        if (s.classification()) {
            FewShotLoader.Loaded data = FewShotLoader.load(s.file(), s.fewShot());
            train = data.train();
            validation = data.validation();
            test = data.test();
            int[] shape = data.data().inputs().shape().dims();
            built = MetaModels.model(s, java.util.Arrays.copyOfRange(shape, 1, shape.length),
                    s.algorithm().equals("protonet") ? 0 : s.fewShot().ways());
        } else {
            train = new SinusoidTasks(s.support(), s.query());
            validation = train;
            test = train;
            built = MetaModels.model(s, new int[] {1}, 1);
        }
        MetaLearner learner = MetaModels.learner(s, built);
        Optimizer optimizer = s.optimizer().equals("sgd") ? Optimizers.sgd(s.metaLr()) : Optimizers.adam(s.metaLr());
        MetaTrainer.Config config = MetaTrainer.Config.of(s.iterations(), s.metaBatch(), s.seed())
                .withThreads(s.threads());
        if (s.validateEvery() > 0) {
            config = config.withValidation(s.validateEvery(), s.validationTasks(), s.innerSteps(), s.patience());
        }
        if (s.checkpoint() != null && s.checkpointEvery() > 0) {
            config = config.withCheckpoints(s.checkpointEvery(), s.checkpoint());
        }
        boolean show = !quiet && !json;
        ProgressBar bar = new ProgressBar(out, "meta-iterations", s.iterations(), !show);
        List<Map<String, Object>> validations = new ArrayList<>();
        double[] lastLoss = {Double.NaN};
        ProgressListener listener = new ProgressListener() {
            @Override
            public void onIteration(long iteration, long total, double metaLoss) {
                lastLoss[0] = metaLoss;
                bar.update(iteration, String.format("meta-loss %.4f", metaLoss));
            }

            @Override
            public void onValidation(long iteration, double validationLoss, boolean improved) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("iteration", iteration);
                v.put("loss", validationLoss);
                validations.add(v);
            }
        };
        MetaTrainer trainer = new MetaTrainer(learner, optimizer, train,
                s.validateEvery() > 0 ? validation : null, config, listener);
        MetaTrainer.State start = trainer.initialState();
        if (resume && s.checkpoint() != null && Files.exists(s.checkpoint())) {
            try {
                start = Checkpoint.read(s.checkpoint()).state();
            } catch (IOException | RuntimeException e) {
                throw new CommandFailure("cannot resume from " + s.checkpoint() + ": " + e.getMessage(), e);
            }
            if (show) {
                out.printf("resuming from %s at iteration %d%n", s.checkpoint(), start.iteration());
            }
        }
        MetaTrainer.Result r = trainer.train(start);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("algorithm", s.algorithm());
        result.put("iterations", r.state().iteration());
        result.put("stopped_early", r.stoppedEarly());
        result.put("last_meta_loss", Double.isNaN(lastLoss[0]) ? null : lastLoss[0]);
        result.put("best_validation_loss", Double.isInfinite(r.state().bestValidation()) ? null
                : r.state().bestValidation());
        result.put("validations", validations);
        result.put("checkpoint", s.checkpoint() == null ? null : s.checkpoint().toString());
        MetaEvaluation.Estimate eval = evaluate(s, learner, r.state(), test);
        result.put("evaluation", eval == null ? null : evaluationJson(s, eval, r.state().best() != null));
        result.put("provenance", r.provenance());
        if (json) {
            out.println(Listing.json(result));
        } else {
            out.printf("%s: %d meta-iterations%s, last meta-loss %s%s%n", s.algorithm(), r.state().iteration(),
                    r.stoppedEarly() ? " (stopped early)" : "", result.get("last_meta_loss"),
                    result.get("best_validation_loss") == null ? ""
                            : ", best meta-validation loss " + result.get("best_validation_loss"));
            if (eval != null) {
                out.println(evaluationLine(s, eval, r.state().best() != null));
            }
            if (s.checkpoint() != null && s.checkpointEvery() > 0) {
                out.println("checkpoint: " + s.checkpoint());
            }
        }
        out.flush();
        return 0;
    }

    /**
     * The final evaluation on {@code s.evaluationTasks()} held-out tasks (test classes, or fresh
     * sinusoids from their own stream) at the best validated θ, else the last; null when disabled.
     */
    private static MetaEvaluation.Estimate evaluate(MetaSpec s, MetaLearner learner, MetaTrainer.State state,
            TaskSampler test) {
        if (s.evaluationTasks() == 0) {
            return null;
        }
        Params theta = state.best() != null ? state.best() : state.meta();
        return MetaEvaluation.run(learner, theta, test, new Rng(s.seed()).fork(5), s.evaluationTasks(),
                new int[] {s.evaluationSteps()}).get(0);
    }

    private static Map<String, Object> evaluationJson(MetaSpec s, MetaEvaluation.Estimate e, boolean best) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", s.classification() ? "test_classes" : "held-out sinusoids");
        m.put("params", best ? "best_validation" : "final");
        m.put("tasks", e.tasks());
        m.put("steps", e.steps());
        m.put("metric", s.classification() ? "accuracy" : "mse");
        m.put("loss", finite(e.loss()));
        m.put("loss_ci95", finite(e.lossCi95()));
        m.put("accuracy", s.classification() ? finite(e.accuracy()) : null);
        m.put("accuracy_ci95", s.classification() ? finite(e.accuracyCi95()) : null);
        return m;
    }

    private static String evaluationLine(MetaSpec s, MetaEvaluation.Estimate e, boolean best) {
        String where = String.format("%d held-out tasks, %d steps, %s θ", e.tasks(), e.steps(),
                best ? "best-validation" : "final");
        if (s.classification()) {
            return String.format("test accuracy %.4f ± %.4f (%d-way %d-shot, %s; query loss %.4f)", e.accuracy(),
                    e.accuracyCi95(), s.fewShot().ways(), s.fewShot().shots(), where, e.loss());
        }
        return String.format("test MSE %.4f ± %.4f (%s)", e.loss(), e.lossCi95(), where);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
