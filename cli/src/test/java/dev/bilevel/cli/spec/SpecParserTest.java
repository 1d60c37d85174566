package dev.bilevel.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import dev.bilevel.hpo.pruners.HyperbandPruner;
import dev.bilevel.hpo.samplers.TpeSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecParserTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path p = dir.resolve("study.yaml");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aFullSpecParses() throws Exception {
        StudySpec s = SpecParser.parse(write("""
                study: lr
                directions: [maximize]
                storage: sqlite:///runs.db
                trials: 30
                timeout: 10m
                threads: 2
                sampler: {type: tpe, seed: 0, n_startup_trials: 5, multivariate: true}
                pruner: {type: hyperband, min_resource: 1, max_resource: 9}
                space:
                  lr: {type: float, low: 1e-4, high: 0.1, log: true}
                  layers: {type: int, low: 1, high: 4}
                  act: {type: categorical, choices: [relu, tanh]}
                objective:
                  command: [python3, train.py, --lr, "{lr}"]
                  params_as: env
                  timeout: 1.5m
                """));

        assertThat(s.studyName()).isEqualTo("lr");
        assertThat(s.directions()).containsExactly(StudyDirection.MAXIMIZE);
        assertThat(s.nTrials()).isEqualTo(30);
        assertThat(s.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.threads()).isEqualTo(2);
        assertThat(s.space().keySet()).containsExactly("lr", "layers", "act");
        assertThat(s.space().get("lr")).isEqualTo(FloatDistribution.logUniform(1e-4, 0.1));
        assertThat(s.space().get("layers")).isEqualTo(IntDistribution.of(1, 4));
        assertThat(s.sampler().create(s.space())).isInstanceOf(TpeSampler.class);
        assertThat(s.pruner().create()).isInstanceOf(HyperbandPruner.class);
        ObjectiveSpec.Command c = (ObjectiveSpec.Command) s.objective();
        assertThat(c.command()).containsExactly("python3", "train.py", "--lr", "{lr}");
        assertThat(c.paramsAs()).isEqualTo(ObjectiveSpec.ParamsAs.ENV);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.workingDir()).isEqualTo(dir.toAbsolutePath());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed YAML          | 'trials: 3\\nspace: {x: [1, 2}\\n'                                              | 2 | malformed YAML
            unknown sampler         | 'trials: 3\\nsampler: {type: bayes}\\nobjective: {command: [a]}\\n'                | 2 | unknown sampler 'bayes'
            unknown sampler option  | 'trials: 3\\n\\nsampler:\\n  type: tpe\\n  n_startup: 3\\nobjective: {command: [a]}\\n' | 3 | unknown option 'n_startup'
            unknown pruner          | 'trials: 3\\npruner: asha2\\nobjective: {command: [a]}\\n'                     | 2 | unknown pruner 'asha2'
            low above high          | 'trials: 3\\nspace:\\n  x: {type: float, low: 5, high: 1}\\nobjective: {command: [a]}\\n' | 3 | low must be <= high
            log with low zero       | 'trials: 3\\nspace:\\n  y: {type: int, low: 1, high: 2}\\n  x: {type: float, low: 0, high: 1, log: true}\\nobjective: {command: [a]}\\n' | 4 | log=true requires low > 0
            unknown parameter type  | 'trials: 3\\nspace:\\n  x: {type: double, low: 0, high: 1}\\nobjective: {command: [a]}\\n' | 3 | unknown type 'double'
            unknown top-level key   | 'trials: 3\\ntrails: 4\\nobjective: {command: [a]}\\n'                         | 2 | unknown key 'trails'
            missing objective       | 'trials: 3\\n'                                                                  | 1 | has no objective
            unknown placeholder     | 'trials: 3\\nspace: {x: {type: int, low: 0, high: 1}}\\nobjective:\\n  command:\\n    - sh\\n    - "{y}"\\n' | 6 | placeholder {y}
            bad params_as           | 'trials: 3\\nobjective:\\n  command: [a]\\n  params_as: stdin\\n'             | 4 | params_as must be
            bad duration            | 'trials: 3\\ntimeout: soon\\nobjective: {command: [a]}\\n'                      | 2 | expected a duration
            no budget               | 'objective: {command: [a]}\\n'                                                  | 1 | give trials, a timeout
            class not found         | 'trials: 3\\nobjective: {class: com.example.Nope}\\n'                            | 2 | is not on the classpath
            pruner with two goals   | 'trials: 3\\ndirections: [minimize, maximize]\\npruner: median\\nobjective: {command: [a]}\\n' | 3 | pruning needs a single objective
            """)
    void invalidSpecsNameTheFileAndLine(String what, String yaml, int line, String message) throws Exception {
        Path file = write(yaml.replace("\\n", "\n"));

        assertThatThrownBy(() -> SpecParser.parse(file))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith(file + ":" + line + ": ")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((SpecException) e).line()).isEqualTo(line));
    }

    @Test
    void aSearchSpaceAcceptsOptunaDistributionJson() {
        var space = SpecParser.parseSpace("{\"x\": {\"name\": \"FloatDistribution\", \"attributes\": "
                + "{\"low\": 0.0, \"high\": 1.0, \"log\": false, \"step\": null}}, \"n\": {\"type\": \"int\", "
                + "\"low\": 1, \"high\": 3}}", Path.of("--search-space"));

        assertThat(space).containsEntry("x", FloatDistribution.uniform(0, 1)).containsEntry("n", IntDistribution.of(1, 3));
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(List.of("250ms", "60s", "1.5m", "2h", "5").stream().map(DurationText::parse).toList())
                .containsExactly(Duration.ofMillis(250), Duration.ofSeconds(60), Duration.ofSeconds(90),
                        Duration.ofHours(2), Duration.ofSeconds(5));
        assertThatThrownBy(() -> DurationText.parse("0s")).hasMessageContaining("positive");
    }
}
