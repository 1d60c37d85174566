package dev.bilevel.cli;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bilevel tell}: finishes a trial started by {@code bilevel ask} (Optuna's {@code optuna
 * tell}), with values (COMPLETE) or a state (PRUNED, FAIL).
 *
 * <pre>{@code
 * bilevel tell --study-name s --trial-number 3 --values 0.25
 * bilevel tell --study-name s --trial-number 4 --state pruned
 * }</pre>
 */
@Command(name = "tell", mixinStandardHelpOptions = true,
        description = "Finish a trial with its values, or as pruned or failed.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:told (or already finished, with --skip-if-finished)",
            "1:no such study or trial, trial already finished, or the storage failed", "2:invalid usage"})
final class TellCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StorageOption storage;

    @Option(names = "--study-name", required = true, description = "The study.")
    String name;

    @Option(names = "--trial-number", required = true, description = "The trial's number (from ask).")
    int number;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Outcome outcome;

    @Option(names = "--skip-if-finished", description = "Succeed without change when the trial is already finished.")
    boolean skipIfFinished;

    /** Either values or a state. */
    static final class Outcome {
        @Option(names = "--values", arity = "1..*", description = "One value per objective (the trial COMPLETEs).")
        double[] values;

        @Option(names = "--state", description = "pruned or fail (or complete, with --values).")
        String state;
    }

    @Override
    public Integer call() {
        try (JdbcStorage s = storage.open()) {
            Study study = StorageOption.load(s, name, storage.resolved());
            FrozenTrial trial;
            try {
                trial = study.trials().stream().filter(t -> t.number() == number).findFirst()
                        .orElseThrow(() -> new CommandFailure("study '" + name + "' has no trial " + number));
                if (trial.state().isFinished()) {
                    if (skipIfFinished) {
                        spec.commandLine().getOut().printf("trial %d is already %s%n", number, trial.state());
                        spec.commandLine().getOut().flush();
                        return 0;
                    }
                    throw new CommandFailure("trial " + number + " is already " + trial.state()
                            + " (use --skip-if-finished to accept that)");
                }
                trial = outcome.values != null ? study.tell(number, outcome.values) : study.tell(number, state());
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new CommandFailure("cannot tell trial " + number + ": " + e.getMessage(), e);
            }
            spec.commandLine().getOut().printf("trial %d: %s%s%n", number, trial.state(),
                    trial.values().isEmpty() ? "" : " " + trial.values());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private TrialState state() {
        return switch (outcome.state.toLowerCase(Locale.ROOT)) {
            case "pruned" -> TrialState.PRUNED;
            case "fail", "failed" -> TrialState.FAIL;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--state must be pruned or fail (give --values to complete a trial), got '" + outcome.state + "'");
        };
    }
}
