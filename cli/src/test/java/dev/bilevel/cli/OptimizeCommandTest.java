package dev.bilevel.cli;

import static dev.bilevel.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bilevel.cli.objective.CommandObjective;
import dev.bilevel.hpo.Objective;
import dev.bilevel.hpo.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String url;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Cli.Run optimize(String spec, String... extra) throws IOException {
        Path file = write("study.yaml", spec);
        url = Cli.sqlite(dir, "o.db");
        String[] args = new String[3 + 2 + extra.length];
        args[0] = "optimize";
        args[1] = "--spec";
        args[2] = file.toString();
        args[3] = "--storage";
        args[4] = url;
        System.arraycopy(extra, 0, args, 5, extra.length);
        return run(args);
    }

    private Map<Integer, JsonNode> trials(String study) throws IOException {
        Map<Integer, JsonNode> byNumber = new HashMap<>();
        for (JsonNode t : JSON.readTree(run("trials", "--study-name", study, "--storage", url, "-f", "json").out())) {
            byNumber.put(t.get("number").asInt(), t);
        }
        return byNumber;
    }

    @Test
    void anExternalCommandIsOptimizedWithArgumentsEnvironmentAndJsonStdin() throws Exception {
        write("args.sh", "awk -v x=\"$1\" -v c=\"$2\" 'BEGIN { print (x - 2) ^ 2 + (c == \"b\" ? 0 : 1) }'\n");
        write("env.sh", "awk -v x=\"$BILEVEL_PARAM_X\" 'BEGIN { printf \"{\\\"value\\\": %.17g}\\n\", (x - 2) ^ 2 }'\n");
        write("stdin.sh", "read line; echo \"$line\" > seen-$BILEVEL_TRIAL_NUMBER.json\n"
                + "echo \"$line\" | sed 's/.*\"x\": *\\([-0-9.eE]*\\).*/\\1/' "
                + "| awk '{ print \"progress line\"; print ($1 - 2) ^ 2 }'\n");
        String common = "trials: 12\nsampler: {type: tpe, seed: 1, n_startup_trials: 4}\n";

        Cli.Run args = optimize("study: args\n" + common + "space:\n  x: {type: float, low: -5, high: 5}\n"
                + "  c: {type: categorical, choices: [a, b]}\n"
                + "objective: {command: [sh, args.sh, \"{x}\", \"{c}\"]}\n", "--quiet");
        Cli.Run env = optimize("study: env\n" + common + "space: {x: {type: float, low: -5, high: 5}}\n"
                + "objective: {command: [sh, env.sh], params_as: env}\n", "--json");
        Cli.Run stdin = optimize("study: stdin\n" + common + "space: {x: {type: float, low: -5, high: 5}}\n"
                + "objective: {command: [sh, stdin.sh], params_as: json-stdin}\n", "--quiet");

        for (Cli.Run r : new Cli.Run[] {args, env, stdin}) {
            assertThat(r.exitCode()).as(r.err()).isZero();
        }
        assertThat(args.out()).contains("12 trials").contains("12 complete").doesNotContain("trials [");
        for (JsonNode t : trials("args").values()) {
            double x = t.get("params").get("x").asDouble();
            double expected = (x - 2) * (x - 2) + (t.get("params").get("c").asText().equals("b") ? 0 : 1);
            assertThat(t.get("values").asDouble()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4));
        }
        JsonNode summary = JSON.readTree(env.out());
        assertThat(summary.get("complete").asInt()).isEqualTo(12);
        JsonNode best = summary.get("best").get(0);
        double x = best.get("params_x").asDouble();
        assertThat(best.get("values").asDouble()).isCloseTo((x - 2) * (x - 2), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(trials("stdin")).hasSize(12);
        assertThat(Files.readString(dir.resolve("seen-0.json"))).startsWith("{\"x\":");
    }

    @Test
    void intermediateValuesPruneAndThePrunedProcessIsKilled() throws Exception {
        write("steps.sh", """
                x=$1
                for step in 0 1 2 3 4 5 6 7; do
                  echo "{\\"step\\": $step, \\"intermediate\\": $x}"
                  sleep 0.1
                done
                touch finished-$BILEVEL_TRIAL_NUMBER
                echo "$x"
                """);
        Cli.Run r = optimize("""
                study: pruning
                trials: 2
                sampler: {type: grid, values: {x: [0.5, 5.0]}}
                pruner: {type: threshold, upper: 1.0}
                space: {x: {type: float, low: 0, high: 10}}
                objective: {command: [sh, steps.sh, "{x}"], timeout: 30s}
                """, "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 complete, 1 pruned");
        for (JsonNode t : trials("pruning").values()) {
            boolean low = t.get("params").get("x").asDouble() < 1;
            assertThat(t.get("state").asText()).isEqualTo(low ? "COMPLETE" : "PRUNED");
            assertThat(t.get("intermediate_values").size()).isEqualTo(low ? 8 : 1);
            Thread.sleep(low ? 0 : 1200);
            assertThat(Files.exists(dir.resolve("finished-" + t.get("number").asInt()))).isEqualTo(low);
        }
    }

    @Test
    void aTrialPastItsTimeoutIsKilledWithItsChildrenAndFails() throws Exception {
        write("slow.sh", "sleep 30 &\necho $! > child.pid\nwait\necho 1\n");
        long start = System.nanoTime();
        Cli.Run r = optimize("""
                study: slow
                trials: 1
                space: {x: {type: float, low: 0, high: 1}}
                objective: {command: [sh, slow.sh], timeout: 500ms}
                """, "--quiet");

        assertThat((System.nanoTime() - start) / 1e9).isLessThan(10);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("trial 0 failed: the command timed out after 500ms and was killed")
                .contains("no trial of this run completed");
        long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).strip());
        assertThat(killed(child)).as("the command's child process %d was killed", child).isTrue();
        JsonNode t = trials("slow").get(0);
        assertThat(t.get("state").asText()).isEqualTo("FAIL");
        assertThat(t.get("system_attrs").get("fail_reason").asText()).contains("timed out");
    }

    /** Whether a process is gone or a zombie (killed, waiting for a parent that may never reap it). */
    private static boolean killed(long pid) throws InterruptedException {
        for (int i = 0; i < 40; i++) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return true;
            }
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                    return true;
                }
            } catch (IOException e) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void crashesSilentCommandsAndBadOutputFailTheirTrialsWithTheReason() throws Exception {
        write("bad.sh", """
                case "$1" in
                  crash) echo "Traceback: boom" >&2; exit 3 ;;
                  words) echo "hello" ;;
                  nan) echo NaN ;;
                  two) echo "1 2" ;;
                  silent) ;;
                  inject) echo "$2" > arg.txt; echo 0.5 ;;
                esac
                """);
        Cli.Run r = optimize("""
                study: bad
                trials: 6
                sampler: {type: grid}
                space:
                  mode: {type: categorical, choices: [crash, words, nan, two, silent, inject]}
                  payload: {type: categorical, choices: ["x; touch pwned"]}
                objective: {command: [sh, bad.sh, "{mode}", "{payload}"]}
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, String> reasons = new HashMap<>();
        Map<String, JsonNode> byMode = new HashMap<>();
        for (JsonNode t : trials("bad").values()) {
            String mode = t.get("params").get("mode").asText();
            byMode.put(mode, t);
            JsonNode reason = t.get("system_attrs").get("fail_reason");
            reasons.put(mode, reason == null ? null : reason.asText());
        }
        assertThat(reasons.get("crash")).isEqualTo("the command exited with code 3; stderr: Traceback: boom");
        assertThat(byMode.get("crash").get("user_attrs").get(CommandObjective.STDERR_ATTR).asText())
                .contains("Traceback: boom");
        assertThat(reasons.get("words")).contains("printed no number").contains("hello");
        assertThat(reasons.get("nan")).contains("non-finite");
        assertThat(reasons.get("two")).contains("printed 2 value(s)");
        assertThat(reasons.get("silent")).contains("printed no value");
        assertThat(byMode.get("inject").get("state").asText()).isEqualTo("COMPLETE");
        assertThat(Files.readString(dir.resolve("arg.txt")).strip()).isEqualTo("x; touch pwned");
        assertThat(dir.resolve("pwned")).doesNotExist();
        assertThat(r.err()).contains("trial ").contains(" failed: the command exited with code 3");
    }

    /** A Java objective named by class in a spec. */
    public static final class Quadratic implements Objective {
        /** Creates the objective. */
        public Quadratic() {
        }

        @Override
        public double evaluate(Trial trial) {
            double x = trial.suggestFloat("x", -3, 3);
            return x * x;
        }
    }

    @Test
    void aJavaClassObjectiveRunsOnThreadsAndALoadedStudyGrows() throws Exception {
        String spec = "study: java\ntrials: 6\nthreads: 2\nsampler: {type: random, seed: 3}\n"
                + "objective: {class: " + Quadratic.class.getName() + "}\n";
        Cli.Run first = optimize(spec, "--quiet");
        Cli.Run second = optimize(spec, "--quiet");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(trials("java")).hasSize(12);
        JsonNode best = JSON.readTree(run("best-trial", "--study-name", "java", "--storage", url).out());
        double x = best.get("params").get("x").asDouble();
        assertThat(best.get("values").asDouble()).isEqualTo(x * x);
    }

    @Test
    void theProgressBarShowsTrialsAndBestValue() throws Exception {
        write("one.sh", "echo $1\n");
        Cli.Run r = optimize("trials: 4\nsampler: {type: random, seed: 0}\nspace: {x: {type: int, low: 1, high: 9}}\n"
                + "objective: {command: [sh, one.sh, \"{x}\"]}\n");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("trials [").contains("4/4").contains("best ").contains("study 'study'");
    }

    @Test
    void aTimeoutBoundedRunPrintsOneLinePerTrial() throws Exception {
        write("nap.sh", "sleep 0.2\necho $1\n");
        long start = System.nanoTime();
        Cli.Run r = optimize("timeout: 1s\nsampler: {type: random, seed: 0}\n"
                + "space: {x: {type: int, low: 1, high: 9}}\nobjective: {command: [sh, nap.sh, \"{x}\"]}\n");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(8);
        assertThat(r.out()).contains("trial 0 COMPLETE").contains("trial 1 COMPLETE").doesNotContain("trials [");
    }

    @Test
    void aMultiObjectiveCommandReportsValuesAndTheParetoFront() throws Exception {
        write("two.sh", "awk -v x=\"$1\" 'BEGIN { printf \"{\\\"values\\\": [%s, %s]}\\n\", x, x * x }'\n");
        Cli.Run r = optimize("study: mo\ntrials: 5\ndirections: [minimize, maximize]\n"
                + "sampler: {type: nsga2, seed: 0, population_size: 4}\n"
                + "space: {x: {type: float, low: 0, high: 1}}\nobjective: {command: [sh, two.sh, \"{x}\"]}\n",
                "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("5 complete");
        JsonNode front = JSON.readTree(run("best-trial", "--study-name", "mo", "--storage", url).out());
        assertThat(front.isArray()).isTrue();
        for (JsonNode t : front) {
            double x = t.get("params").get("x").asDouble();
            assertThat(t.get("values").get(1).asDouble()).isCloseTo(x * x, org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(front.size()).isEqualTo(5);
    }
}
