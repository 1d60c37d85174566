package dev.bilevel.cli;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.storage.FrozenStudy;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bilevel studies}: lists the studies of a storage with their directions, trial counts and
 * best values.
 *
 * <pre>{@code
 * bilevel studies --storage sqlite:///runs.db --format csv
 * }</pre>
 */
@Command(name = "studies", mixinStandardHelpOptions = true,
        description = "List the studies in a storage.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:the storage failed", "2:invalid usage"})
final class StudiesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StorageOption storage;

    @Option(names = {"-f", "--format"}, defaultValue = "table",
            description = "table, csv or json (default ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (JdbcStorage s = storage.open()) {
            for (FrozenStudy study : s.getAllStudies()) {
                List<FrozenTrial> trials = s.getAllTrials(study.studyId(), EnumSet.noneOf(TrialState.class));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", study.studyName());
                row.put("directions", study.directions().stream().map(d -> d.name().toLowerCase()).toList());
                row.put("n_trials", trials.size());
                row.put("n_complete", trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count());
                Double best = null;
                if (study.directions().size() == 1) {
                    for (FrozenTrial t : trials) {
                        if (t.state() == TrialState.COMPLETE
                                && (best == null || study.directions().get(0).isBetter(t.value(), best))) {
                            best = t.value();
                        }
                    }
                }
                row.put("best_value", best);
                rows.add(row);
            }
        }
        if (rows.isEmpty() && format == OutputFormat.TABLE) {
            spec.commandLine().getOut().println("no studies in " + storage.resolved());
            spec.commandLine().getOut().flush();
            return 0;
        }
        Listing.print(rows, format, spec.commandLine().getOut());
        return 0;
    }
}
