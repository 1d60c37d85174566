package dev.bilevel.cli;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
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
 * {@code bilevel trials}: the trials of a study as a table, CSV or JSON (JSON adds intermediate
 * values and attributes, among them a failed trial's reason).
 *
 * <pre>{@code
 * bilevel trials --study-name lr-search --format json
 * }</pre>
 */
@Command(name = "trials", mixinStandardHelpOptions = true,
        description = "Print the trials of a study.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no such study, or the storage failed", "2:invalid usage"})
final class TrialsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StorageOption storage;

    @Option(names = "--study-name", required = true, description = "The study.")
    String name;

    @Option(names = {"-f", "--format"}, defaultValue = "table",
            description = "table, csv or json (default ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        try (JdbcStorage s = storage.open()) {
            Study study = StorageOption.load(s, name, storage.resolved());
            List<Map<String, Object>> rows = study.trials().stream()
                    .map((FrozenTrial t) -> Listing.trialRow(t, format == OutputFormat.JSON)).toList();
            Listing.print(rows, format, spec.commandLine().getOut());
        }
        return 0;
    }
}
