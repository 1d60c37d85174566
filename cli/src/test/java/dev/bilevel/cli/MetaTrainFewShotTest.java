package dev.bilevel.cli;

import static dev.bilevel.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meta-train} on N-way K-shot tasks over small synthetic data sets written from code.
 *
 * <p>The data are separable by construction: every class has a template (a Gaussian mean with
 * σ = 3 per coordinate for the CSV blobs, a random binary 6×6 pattern for the IDX images) and its
 * examples are the template plus small noise (σ = 0.3; uniform ±20 gray levels). The oracle that
 * knows the templates (nearest template) is right on essentially every query (accuracy ≈ 1), and
 * chance is 1/N = 0.2; a learner that beats chance by a clear margin (≥ 0.6) has learned
 * something from the support sets of classes it never saw in meta-training.
 */
class MetaTrainFewShotTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLASSES = 16;
    private static final int PER_CLASS = 20;

    @TempDir
    Path dir;

    private static String spec(String algorithm, String dataset, String model, String extra) {
        return "algorithm: " + algorithm + "\n"
                + "tasks:\n"
                + "  type: fewshot\n"
                + "  dataset: " + dataset + "\n"
                + "  ways: 5\n"
                + "  shots: 2\n"
                + "  queries: 5\n"
                + "  train_classes: [0, 1, 2, 3, 4, 5]\n"
                + "  validation_classes: [6, 7, 8, 9, 10]\n"
                + "  test_classes: [11, 12, 13, 14, 15]\n"
                + "model: " + model + "\n"
                + "meta_lr: 0.01\n"
                + "iterations: 20\n"
                + "meta_batch: 2\n"
                + "seed: 1\n"
                + "validation: {every: 10, tasks: 5}\n"
                + "evaluation: {tasks: 40}\n"
                + extra;
    }

    /** 16 classes × 20 examples of 8 features, class means ~ N(0, 3²), noise σ = 0.3. */
    private void writeCsv(Path file) throws IOException {
        Random r = new Random(11);
        StringBuilder sb = new StringBuilder("f0,f1,f2,f3,f4,f5,f6,f7,label\n");
        for (int c = 0; c < CLASSES; c++) {
            double[] mean = new double[8];
            for (int j = 0; j < 8; j++) {
                mean[j] = 3 * r.nextGaussian();
            }
            for (int i = 0; i < PER_CLASS; i++) {
                for (int j = 0; j < 8; j++) {
                    sb.append(mean[j] + 0.3 * r.nextGaussian()).append(',');
                }
                sb.append(c).append('\n');
            }
        }
        Files.writeString(file, sb);
    }

    /** IDX images {@code [320, side, side]}: a random binary pattern per class (20 or 200) plus ±20 noise. */
    private void writeIdx(Path images, Path labels, int side) throws IOException {
        Random r = new Random(5);
        int n = CLASSES * PER_CLASS;
        int pixels = side * side;
        try (DataOutputStream x = idx(images, 0x0803, n, side, side); DataOutputStream y = idx(labels, 0x0801, n)) {
            for (int c = 0; c < CLASSES; c++) {
                boolean[] on = new boolean[pixels];
                for (int p = 0; p < pixels; p++) {
                    on[p] = r.nextBoolean();
                }
                for (int i = 0; i < PER_CLASS; i++) {
                    for (int p = 0; p < pixels; p++) {
                        x.writeByte((on[p] ? 200 : 20) + r.nextInt(41) - 20);
                    }
                    y.writeByte(c);
                }
            }
        }
    }

    private static DataOutputStream idx(Path file, int magic, int... dims) throws IOException {
        OutputStream raw = new GZIPOutputStream(Files.newOutputStream(file));
        DataOutputStream out = new DataOutputStream(raw);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        return out;
    }

    private JsonNode train(String yaml) throws IOException {
        Path file = dir.resolve("meta.yaml");
        Files.writeString(file, yaml);
        Cli.Run r = run("meta-train", "--spec", file.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void protoNetOnCsvBlobsBeatsChanceOnTestClasses() throws Exception {
        writeCsv(dir.resolve("blobs.csv"));

        JsonNode r = train(spec("protonet", "{format: csv, path: blobs.csv, label_column: label}",
                "{type: mlp, hidden: [32, 16], activation: relu}", ""));

        JsonNode e = r.get("evaluation");
        assertThat(e.get("metric").asText()).isEqualTo("accuracy");
        assertThat(e.get("tasks").asInt()).isEqualTo(40);
        assertThat(e.get("accuracy").asDouble()).isGreaterThan(0.6);
        assertThat(e.get("accuracy_ci95").asDouble()).isBetween(0.0, 0.2);
        assertThat(r.get("validations")).hasSize(2);
    }

    @Test
    void anilOnIdxImagesBeatsChanceOnTestClassesAndPrintsTheEvaluation() throws Exception {
        writeIdx(dir.resolve("img.gz"), dir.resolve("lab.gz"), 6);
        String yaml = spec("anil", "{format: idx, images: img.gz, labels: lab.gz}",
                "{type: mlp, hidden: [32], activation: relu}", "inner_lr: 0.5\ninner_steps: 5\n");

        JsonNode r = train(yaml);
        Cli.Run text = run("meta-train", "--spec", dir.resolve("meta.yaml").toString(), "--quiet");

        assertThat(r.get("evaluation").get("accuracy").asDouble()).isGreaterThan(0.6);
        assertThat(r.get("evaluation").get("steps").asInt()).isEqualTo(5);
        assertThat(text.out()).containsPattern("test accuracy [01]\\.\\d{4} ± 0\\.\\d{4} \\(5-way 2-shot, 40 held-out"
                + " tasks, 5 steps, best-validation θ");
    }

    @Test
    void learnedOptimizerTrainsConv4WithSupportBatchStatisticsAndFloat32Convolutions() throws Exception {
        writeIdx(dir.resolve("img.gz"), dir.resolve("lab.gz"), 16);
        String yaml = spec("learned-optimizer", "{format: idx, images: img.gz, labels: lab.gz}",
                "{type: conv4, channels: 2, batch_norm: support, precision: float32}",
                "learned_optimizer: {hidden: 4, unroll: 2, output_scale: 0.05}\n")
                .replace("iterations: 20", "iterations: 2").replace("{every: 10, tasks: 5}", "{every: 1, tasks: 2}")
                .replace("{tasks: 40}", "{tasks: 4}");

        JsonNode r = train(yaml);

        assertThat(r.get("iterations").asLong()).isEqualTo(2);
        assertThat(r.get("evaluation").get("steps").asInt()).isEqualTo(2);
        assertThat(r.get("evaluation").get("accuracy").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void sinusoidRegressionReportsMseWithConfidenceInterval() throws Exception {
        JsonNode r = train("algorithm: maml\ntasks: {type: sinusoid, support: 5, query: 5}\nmodel: {hidden: [8]}\n"
                + "iterations: 3\nmeta_batch: 2\nevaluation: {tasks: 10}\n");

        JsonNode e = r.get("evaluation");
        assertThat(e.get("metric").asText()).isEqualTo("mse");
        assertThat(e.get("loss").asDouble()).isPositive();
        assertThat(e.get("loss_ci95").asDouble()).isPositive();
        assertThat(e.get("accuracy").isNull()).isTrue();
    }

    @Test
    void overlappingClassSplitsNameFileAndLine() throws Exception {
        writeCsv(dir.resolve("blobs.csv"));
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, spec("protonet", "{format: csv, path: blobs.csv, label_column: label}",
                "{type: mlp, hidden: [8]}", "").replace("test_classes: [11,", "test_classes: [3,"));

        Cli.Run r = run("meta-train", "--spec", file.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("bilevel: " + file + ":10: class 3 is in train_classes and test_classes");
    }

    @Test
    void tooFewExamplesForShotsPlusQueriesNamesFileAndLine() throws Exception {
        writeCsv(dir.resolve("blobs.csv"));
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, spec("protonet", "{format: csv, path: blobs.csv, label_column: label}",
                "{type: mlp, hidden: [8]}", "").replace("queries: 5", "queries: 19"));

        Cli.Run r = run("meta-train", "--spec", file.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("bilevel: " + file + ":2: FewShotTasks: class 0 has 20 examples, fewer than"
                + " K + Q = 2 + 19");
    }

    @Test
    void specMistakesAboutDataAndModelsNameFileAndLine() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, spec("protonet", "{format: idx, images: missing.gz, labels: lab.gz}",
                "{type: mlp}", ""));
        Cli.Run missing = run("meta-train", "--spec", file.toString());
        Files.writeString(file, "algorithm: protonet\ntasks: {type: sinusoid}\n");
        Cli.Run regression = run("meta-train", "--spec", file.toString());
        Files.writeString(file, "tasks: {type: sinusoid}\nmodel: {type: conv4}\n");
        Cli.Run conv = run("meta-train", "--spec", file.toString());
        Files.writeString(file, spec("protonet", "{format: idx, images: img.gz, labels: lab.gz}",
                "{type: conv4, precision: float16}", ""));
        Cli.Run precision = run("meta-train", "--spec", file.toString());

        assertThat(missing.err()).startsWith("bilevel: " + file + ":4: cannot read the idx dataset: no such file");
        assertThat(regression.err()).startsWith("bilevel: " + file + ":1: protonet needs classification tasks");
        assertThat(conv.err()).startsWith("bilevel: " + file + ":2: conv4 needs image classification tasks");
        assertThat(precision.err()).startsWith("bilevel: " + file + ":11: precision must be float64 or float32, got"
                + " 'float16'");
    }
}
