package dev.bilevel.cli;

import dev.bilevel.storage.jdbc.JdbcStorage;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bilevel delete-study}: deletes a study and all its trials.
 *
 * <pre>{@code
 * bilevel delete-study --study-name lr-search --storage sqlite:///runs.db
 * }</pre>
 */
@Command(name = "delete-study", mixinStandardHelpOptions = true,
        description = "Delete a study and all its trials.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:deleted", "1:no such study, or the storage failed", "2:invalid usage"})
final class DeleteStudyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StorageOption storage;

    @Option(names = "--study-name", required = true, description = "The study to delete.")
    String name;

    @Override
    public Integer call() {
        try (JdbcStorage s = storage.open()) {
            long id;
            try {
                id = s.getStudyIdFromName(name);
            } catch (NoSuchElementException e) {
                throw new CommandFailure("no study named '" + name + "' in " + storage.resolved());
            }
            s.deleteStudy(id);
        }
        spec.commandLine().getOut().println("deleted " + name);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
