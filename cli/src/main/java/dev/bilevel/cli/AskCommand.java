package dev.bilevel.cli;

import dev.bilevel.cli.spec.SamplerSpec;
import dev.bilevel.cli.spec.SpecParser;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.Trial;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.storage.OptunaJson;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.nio.file.Path;
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
 * {@code bilevel ask}: starts a trial for a shell-driven loop (Optuna's {@code optuna ask}) and
 * prints {@code {"number": N, "params": {...}}}. The trial stays RUNNING until {@code bilevel
 * tell}. The study is created when it does not exist.
 *
 * <pre>{@code
 * trial=$(bilevel ask --study-name s --sampler tpe \
 *     --search-space '{"x": {"type": "float", "low": -10, "high": 10}}')
 * n=$(echo "$trial" | jq .number); x=$(echo "$trial" | jq .params.x)
 * bilevel tell --study-name s --trial-number "$n" --values "$(awk -v x="$x" 'BEGIN{print (x-2)^2}')"
 * }</pre>
 */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = "Start a trial and print its number and parameters as JSON.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:asked", "1:bad search space, sampler or storage", "2:invalid usage"})
final class AskCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StorageOption storage;

    @Option(names = "--study-name", required = true, description = "The study (created if missing).")
    String name;

    @Option(names = {"--direction", "--directions"}, arity = "1..*", defaultValue = "minimize",
            converter = CreateStudyCommand.Directions.class,
            description = "Directions of a study created here (default ${DEFAULT-VALUE}).")
    List<StudyDirection> directions;

    @Option(names = "--search-space", paramLabel = "JSON", defaultValue = "{}",
            description = "Parameters to suggest: {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}, ...} "
                    + "(spec form) or Optuna's distribution JSON.")
    String searchSpace;

    @Option(names = "--sampler", defaultValue = "tpe",
            description = "Sampler: random, grid, qmc, tpe, gp, cmaes, nsga2 (default ${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--sampler-options", paramLabel = "JSON", defaultValue = "{}",
            description = "The sampler's options as JSON, e.g. {\"seed\": 0, \"n_startup_trials\": 5}.")
    String samplerOptions;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
        Map<String, Distribution> space = SpecParser.parseSpace(searchSpace, Path.of("--search-space"));
        Object options = OptunaJson.loads(samplerOptions);
        if (!(options instanceof Map<?, ?>)) {
            throw new CommandFailure("--sampler-options must be a JSON object, got " + samplerOptions);
        }
        SamplerSpec samplerSpec = new SamplerSpec(sampler, (Map<String, Object>) options);
        try (JdbcStorage s = storage.open()) {
            Study study = Study.builder().storage(StorageOption.detached(s)).name(name)
                    .directions(directions.toArray(StudyDirection[]::new))
                    .sampler(samplerSpec.create(space)).createOrLoad();
            Trial trial = study.ask(space);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("number", trial.number());
            result.put("params", trial.params());
            spec.commandLine().getOut().println(Listing.json(result));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
