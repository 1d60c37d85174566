package dev.bilevel.cli;

import static dev.bilevel.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecErrorsCommandTest {
    @TempDir
    Path dir;

    @Test
    void anInvalidSpecFailsWithFileAndLineAndLeavesStoredStudiesUntouched() throws Exception {
        String url = Cli.sqlite(dir, "keep.db");
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "study: keep\ntrials: 3\nsampler: {type: random, seed: 0}\n"
                + "space: {x: {type: int, low: 0, high: 9}}\nobjective: {command: [echo, \"{x}\"]}\n");
        assertThat(run("optimize", "--spec", good.toString(), "--storage", url, "-q").exitCode()).isZero();
        String before = run("trials", "--study-name", "keep", "--storage", url, "-f", "csv").out();

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "study: keep\ntrials: 3\nspace:\n  x: {type: int, low: 9, high: 0}\n"
                + "objective: {command: [echo, \"{x}\"]}\n");
        Cli.Run r = run("optimize", "--spec", bad.toString(), "--storage", url);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("bilevel: " + bad + ":4: parameter 'x'");
        assertThat(run("trials", "--study-name", "keep", "--storage", url, "-f", "csv").out()).isEqualTo(before);
    }

    @Test
    void anUnreachableStorageInTheSpecNamesItsLine() throws Exception {
        Path spec = dir.resolve("s.yaml");
        Files.writeString(spec, "trials: 1\nstorage: sqlite:///" + dir.resolve("missing/dir/x.db")
                + "\nobjective: {command: [echo, 1]}\n");

        Cli.Run r = run("optimize", "--spec", spec.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("bilevel: " + spec + ":2: cannot open storage sqlite:///");
    }

    @Test
    void aMissingSpecFileIsAClearFailure() {
        Cli.Run r = run("optimize", "--spec", dir.resolve("nope.yaml").toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("nope.yaml: cannot read the spec");
    }
}
