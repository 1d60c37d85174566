package dev.bilevel.cli;

import static dev.bilevel.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StudyCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"create-study", "delete-study", "studies", "trials", "best-trial", "ask", "tell",
        "optimize", "meta-train", "storage", "quickstart"})
    void everyCommandHasHelpWithExitCodes(String command) {
        Cli.Run r = run(command, "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: bilevel " + command);
        if (!command.equals("storage") && !command.equals("quickstart")) {
            assertThat(r.out()).contains("Exit codes:");
        }
    }

    @Test
    void createListAskTellBestTrialsAndDelete() throws Exception {
        String url = Cli.sqlite(dir, "s.db");
        assertThat(run("create-study", "--study-name", "quad", "--storage", url).out()).isEqualTo("quad\n");
        Cli.Run dup = run("create-study", "--study-name", "quad", "--storage", url);
        assertThat(dup.exitCode()).isEqualTo(1);
        assertThat(dup.err()).contains("already exists");
        assertThat(run("create-study", "--study-name", "quad", "--storage", url, "--skip-if-exists").exitCode())
                .isZero();

        String space = "{\"x\": {\"type\": \"float\", \"low\": -10, \"high\": 10}}";
        for (int i = 0; i < 4; i++) {
            Cli.Run ask = run("ask", "--study-name", "quad", "--storage", url, "--search-space", space,
                    "--sampler", "random", "--sampler-options", "{\"seed\": " + i + "}");
            assertThat(ask.exitCode()).as(ask.err()).isZero();
            JsonNode trial = JSON.readTree(ask.out());
            assertThat(trial.get("number").asInt()).isEqualTo(i);
            double x = trial.get("params").get("x").asDouble();
            assertThat(x).isBetween(-10.0, 10.0);
            String[] outcome = i == 3 ? new String[] {"--state", "pruned"}
                    : new String[] {"--values", Double.toString((x - 2) * (x - 2))};
            String[] args = new String[] {"tell", "--study-name", "quad", "--storage", url, "--trial-number",
                Integer.toString(i), outcome[0], outcome[1]};
            Cli.Run tell = run(args);
            assertThat(tell.exitCode()).as(tell.err()).isZero();
        }
        Cli.Run again = run("tell", "--study-name", "quad", "--storage", url, "--trial-number", "0", "--values", "1");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already COMPLETE");
        assertThat(run("tell", "--study-name", "quad", "--storage", url, "--trial-number", "0", "--values", "1",
                "--skip-if-finished").exitCode()).isZero();

        Cli.Run studies = run("studies", "--storage", url, "--format", "json");
        JsonNode listed = JSON.readTree(studies.out());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("name").asText()).isEqualTo("quad");
        assertThat(listed.get(0).get("n_trials").asInt()).isEqualTo(4);
        assertThat(listed.get(0).get("n_complete").asInt()).isEqualTo(3);

        Cli.Run csv = run("trials", "--study-name", "quad", "--storage", url, "--format", "csv");
        String[] lines = csv.out().split("\n");
        assertThat(lines).hasSize(5);
        assertThat(lines[0]).startsWith("number,state,values").contains("params_x");
        assertThat(lines[4]).startsWith("3,PRUNED,");
        assertThat(run("trials", "--study-name", "quad", "--storage", url).out()).contains("COMPLETE")
                .contains("PRUNED");
        JsonNode trials = JSON.readTree(run("trials", "--study-name", "quad", "--storage", url, "-f", "json").out());
        assertThat(trials).hasSize(4);

        JsonNode best = JSON.readTree(run("best-trial", "--study-name", "quad", "--storage", url).out());
        double bestValue = best.get("values").asDouble();
        for (JsonNode t : trials) {
            if (t.get("state").asText().equals("COMPLETE")) {
                assertThat(bestValue).isLessThanOrEqualTo(t.get("values").asDouble());
            }
        }

        assertThat(run("delete-study", "--study-name", "quad", "--storage", url).exitCode()).isZero();
        assertThat(run("studies", "--storage", url).out()).contains("no studies");
        Cli.Run missing = run("trials", "--study-name", "quad", "--storage", url);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no study named 'quad'");
    }

    @Test
    void bestTrialOfAStudyWithoutCompleteTrialsFails() {
        String url = Cli.sqlite(dir, "e.db");
        run("create-study", "--study-name", "empty", "--storage", url, "--direction", "maximize");

        Cli.Run r = run("best-trial", "--study-name", "empty", "--storage", url);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no COMPLETE trial");
    }

    @Test
    void unreachableStorageIsAClearFailure() {
        String url = "sqlite:///" + dir.resolve("no/such/dir/x.db");

        Cli.Run r = run("studies", "--storage", url);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("bilevel: cannot open storage " + url);
    }

    @Test
    void badUsageExitsWithTwo() {
        assertThat(run("create-study").exitCode()).isEqualTo(2);
        assertThat(run("tell", "--study-name", "s", "--trial-number", "0").exitCode()).isEqualTo(2);
        assertThat(run("studies", "--format", "xml").exitCode()).isEqualTo(2);
    }
}
