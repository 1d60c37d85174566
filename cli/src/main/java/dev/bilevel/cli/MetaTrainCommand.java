package dev.bilevel.cli;

import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.cli.spec.MetaSpec;
import dev.bilevel.cli.spec.MetaSpecParser;
import dev.bilevel.meta.Checkpoint;
import dev.bilevel.meta.FunctionalModel;
import dev.bilevel.meta.Imaml;
import dev.bilevel.meta.Maml;
import dev.bilevel.meta.MetaLearner;
import dev.bilevel.meta.MetaSgd;
import dev.bilevel.meta.MetaTrainer;
import dev.bilevel.meta.ProgressListener;
import dev.bilevel.meta.Reptile;
import dev.bilevel.meta.SinusoidTasks;
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
 * {@code bilevel meta-train --spec meta.yaml}: meta-trains a MAML-family learner on a task family
 * with {@link MetaTrainer} (see {@link MetaSpecParser} for the spec), with a progress bar,
 * meta-validation, early stopping and checkpoints; {@code --resume} continues from the
 * checkpoint bit-identically.
 *
 * <pre>{@code
 * bilevel meta-train --spec maml-sinusoid.yaml
 * bilevel meta-train --spec maml-sinusoid.yaml --resume --json
 * }</pre>
 */
@Command(name = "meta-train", mixinStandardHelpOptions = true,
        description = "Meta-train MAML, first-order MAML, Reptile, Meta-SGD or iMAML as a YAML spec describes.",
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
        FunctionalModel model = FunctionalModel.of(mlp(s));
        Optimizer optimizer = s.optimizer().equals("sgd") ? Optimizers.sgd(s.metaLr()) : Optimizers.adam(s.metaLr());
        SinusoidTasks tasks = new SinusoidTasks(s.support(), s.query());
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
        MetaTrainer trainer = new MetaTrainer(learner(s, model), optimizer, tasks,
                s.validateEvery() > 0 ? tasks : null, config, listener);
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
        result.put("provenance", r.provenance());
        if (json) {
            out.println(Listing.json(result));
        } else {
            out.printf("%s: %d meta-iterations%s, last meta-loss %s%s%n", s.algorithm(), r.state().iteration(),
                    r.stoppedEarly() ? " (stopped early)" : "", result.get("last_meta_loss"),
                    result.get("best_validation_loss") == null ? ""
                            : ", best meta-validation loss " + result.get("best_validation_loss"));
            if (s.checkpoint() != null && s.checkpointEvery() > 0) {
                out.println("checkpoint: " + s.checkpoint());
            }
        }
        out.flush();
        return 0;
    }

    private static Mlp mlp(MetaSpec s) {
        int[] sizes = new int[s.hidden().size() + 2];
        sizes[0] = 1;
        sizes[sizes.length - 1] = 1;
        for (int i = 0; i < s.hidden().size(); i++) {
            sizes[i + 1] = s.hidden().get(i);
        }
        Activation a = switch (s.activation()) {
            case "tanh" -> Activation.TANH;
            case "sigmoid" -> Activation.SIGMOID;
            case "gelu" -> Activation.GELU;
            case "softplus" -> Activation.SOFTPLUS;
            case "leaky_relu" -> Activation.LEAKY_RELU;
            case "identity" -> Activation.IDENTITY;
            default -> Activation.RELU;
        };
        return Mlp.of(sizes).activation(a);
    }

    private static MetaLearner learner(MetaSpec s, FunctionalModel model) {
        return switch (s.algorithm()) {
            case "fomaml" -> new Maml(model, new Maml.Config(s.innerLr(), s.innerSteps(), true));
            case "reptile" -> new Reptile(model, new Reptile.Config(s.innerLr(), s.innerSteps()));
            case "meta-sgd" -> new MetaSgd(model, new MetaSgd.Config(s.innerLr(), s.innerSteps()));
            case "imaml" -> new Imaml(model, new Imaml.Config(s.imamlLambda(), s.innerLr(), s.innerSteps(), 10));
            default -> new Maml(model, new Maml.Config(s.innerLr(), s.innerSteps(), false));
        };
    }
}
