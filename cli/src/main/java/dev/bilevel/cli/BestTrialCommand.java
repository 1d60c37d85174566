package dev.bilevel.cli;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bilevel best-trial}: the best COMPLETE trial of a single-objective study, or the Pareto
 * front of a multi-objective one.
 *
 * <pre>{@code
 * bilevel best-trial --study-name lr-search --format json
 * }</pre>
 */
@Command(name = "best-trial", mixinStandardHelpOptions = true,
        description = "Print the best trial (the Pareto-optimal trials of a multi-objective study).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no such study, no complete trial, or the storage failed",
            "2:invalid usage"})
final class BestTrialCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StorageOption storage;

    @Option(names = "--study-name", required = true, description = "The study.")
    String name;

    @Option(names = {"-f", "--format"}, defaultValue = "json",
            description = "table, csv or json (default ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        try (JdbcStorage s = storage.open()) {
            Study study = StorageOption.load(s, name, storage.resolved());
            if (study.trials(TrialState.COMPLETE).isEmpty()) {
                throw new CommandFailure("study '" + name + "' has no COMPLETE trial yet");
            }
            List<FrozenTrial> best = study.isMultiObjective() ? study.bestTrials() : List.of(study.bestTrial());
            List<Map<String, Object>> rows = best.stream()
                    .map(t -> Listing.trialRow(t, format == OutputFormat.JSON)).toList();
            if (format == OutputFormat.JSON && !study.isMultiObjective()) {
                spec.commandLine().getOut().println(Listing.json(rows.get(0)));
                spec.commandLine().getOut().flush();
            } else {
                Listing.print(rows, format, spec.commandLine().getOut());
            }
        }
        return 0;
    }
}
