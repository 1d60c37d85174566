package dev.bilevel.cli;

import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.storage.DuplicatedStudyException;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bilevel create-study}: creates an empty study and prints its name.
 *
 * <pre>{@code
 * bilevel create-study --study-name lr-search --direction minimize --storage sqlite:///runs.db
 * bilevel create-study --study-name pareto --direction minimize maximize
 * }</pre>
 */
@Command(name = "create-study", mixinStandardHelpOptions = true,
        description = "Create a new study and print its name.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:created (or exists, with --skip-if-exists)", "1:the name is taken or the storage failed",
            "2:invalid usage"})
final class CreateStudyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StorageOption storage;

    @Option(names = "--study-name", required = true, description = "The study's unique name.")
    String name;

    @Option(names = {"--direction", "--directions"}, arity = "1..*", defaultValue = "minimize",
            converter = Directions.class,
            description = "minimize or maximize, one per objective (default ${DEFAULT-VALUE}).")
    List<StudyDirection> directions;

    @Option(names = "--skip-if-exists", description = "Succeed without change when the study exists.")
    boolean skipIfExists;

    @Override
    public Integer call() {
        try (JdbcStorage s = storage.open()) {
            try {
                Study.builder().storage(s).name(name).directions(directions.toArray(StudyDirection[]::new)).create();
            } catch (DuplicatedStudyException e) {
                if (!skipIfExists) {
                    throw new CommandFailure("a study named '" + name + "' already exists in " + storage.resolved()
                            + " (use --skip-if-exists to accept it)");
                }
            }
        }
        spec.commandLine().getOut().println(name);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Parses {@code minimize}/{@code maximize} in any case. */
    static final class Directions implements picocli.CommandLine.ITypeConverter<StudyDirection> {
        @Override
        public StudyDirection convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "minimize", "min" -> StudyDirection.MINIMIZE;
                case "maximize", "max" -> StudyDirection.MAXIMIZE;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "expected minimize or maximize, got '" + value + "'");
            };
        }
    }
}
