package dev.bilevel.cli;

import static dev.bilevel.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaTrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String spec(long iterations) {
        return "algorithm: maml\ninner_lr: 0.01\ninner_steps: 1\ntasks: {type: sinusoid, support: 5, query: 5}\n"
                + "model: {hidden: [8], activation: tanh}\nmeta_lr: 0.01\niterations: " + iterations + "\n"
                + "meta_batch: 2\nseed: 4\nvalidation: {every: 10, tasks: 4}\ncheckpoint: {every: 10, path: m.ckpt}\n";
    }

    @Test
    void trainsValidatesCheckpointsAndResumesBitIdentically() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Files.writeString(a.resolve("meta.yaml"), spec(20));
        Files.writeString(b.resolve("meta.yaml"), spec(30));

        Cli.Run first = run("meta-train", "--spec", a.resolve("meta.yaml").toString(), "--json");
        Files.writeString(a.resolve("meta.yaml"), spec(30));
        Cli.Run resumed = run("meta-train", "--spec", a.resolve("meta.yaml").toString(), "--json", "--resume");
        Cli.Run straight = run("meta-train", "--spec", b.resolve("meta.yaml").toString(), "--json");

        assertThat(first.exitCode()).as(first.err()).isZero();
        JsonNode r1 = JSON.readTree(first.out());
        assertThat(r1.get("iterations").asLong()).isEqualTo(20);
        assertThat(r1.get("validations")).hasSize(2);
        assertThat(a.resolve("m.ckpt")).exists();
        JsonNode r2 = JSON.readTree(resumed.out());
        JsonNode r3 = JSON.readTree(straight.out());
        assertThat(r2.get("iterations").asLong()).isEqualTo(30);
        assertThat(r2.get("validations")).hasSize(1);
        assertThat(r2.get("last_meta_loss").asDouble()).isEqualTo(r3.get("last_meta_loss").asDouble());
        assertThat(r2.get("best_validation_loss").asDouble()).isEqualTo(r3.get("best_validation_loss").asDouble());
    }

    @Test
    void theProgressBarCountsMetaIterations() throws Exception {
        Files.writeString(dir.resolve("meta.yaml"), spec(8).replace("validation: {every: 10, tasks: 4}\n", ""));

        Cli.Run r = run("meta-train", "--spec", dir.resolve("meta.yaml").toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("meta-iterations [").contains("8/8").contains("maml: 8 meta-iterations");
    }

    @Test
    void anInvalidSpecNamesFileAndLine() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "iterations: 10\nalgorithm: maml++\n");

        Cli.Run r = run("meta-train", "--spec", file.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("bilevel: " + file + ":2: unknown algorithm 'maml++'");
    }
}
