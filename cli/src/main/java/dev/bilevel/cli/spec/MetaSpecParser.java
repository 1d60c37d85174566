package dev.bilevel.cli.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bilevel.meta.LearnedOptimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a meta-training spec; every error names the file and line.
 *
 * <pre>{@code
 * algorithm: maml          # maml | fomaml | reptile | meta-sgd | imaml | anil | protonet | learned-optimizer
 * inner_lr: 0.01
 * inner_steps: 1
 * imaml_lambda: 1.0        # iMAML only
 * first_order: false       # ANIL only
 * temperature: 1.0         # protonet only
 * learned_optimizer: {hidden: 20, unroll: 5, input_scale: 1.0, output_scale: 0.01, second_order: false}
 * tasks: {type: sinusoid, support: 10, query: 10}
 * # or N-way K-shot classification (paths relative to the spec's directory):
 * # tasks: {type: fewshot, ways: 5, shots: 1, queries: 15, rotations: false,
 * #         dataset: {format: idx, images: imgs.gz, labels: labels.gz},   # | {format: csv, path: t.csv,
 * #         train_classes: [..], validation_classes: [..], test_classes: [..]}  # label_column: y} | image-folder
 * model: {type: mlp, hidden: [40, 40], activation: relu}     # or {type: conv4, channels: 32, batch_norm: transductive,
 *                                                          #     precision: float64}   (float32: float32 convolutions)
 * optimizer: adam          # adam | sgd
 * meta_lr: 0.001
 * iterations: 2000
 * meta_batch: 5
 * threads: 1
 * seed: 0
 * validation: {every: 100, tasks: 50, patience: 0}
 * checkpoint: {every: 500, path: maml.ckpt}   # relative to the spec's directory
 * evaluation: {tasks: 600, steps: 1}          # final held-out evaluation (tasks: 0 for none)
 * }</pre>
 */
public final class MetaSpecParser {
    private static final ObjectMapper MAPPER =
            new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> TOP = Set.of("algorithm", "inner_lr", "inner_steps", "imaml_lambda",
            "first_order", "temperature", "learned_optimizer", "tasks", "model", "optimizer", "meta_lr", "iterations",
            "meta_batch", "threads", "seed", "validation", "checkpoint", "evaluation");

    /** The hidden activations a spec may name. */
    public static final Set<String> ACTIVATIONS =
            Set.of("relu", "tanh", "sigmoid", "gelu", "softplus", "leaky_relu", "identity");

    private final Path file;
    private final Map<String, Integer> lines = new HashMap<>();

    private MetaSpecParser(Path file) {
        this.file = file;
    }

    /**
     * Reads, parses and validates a meta-training spec (the data set of few-shot tasks is read
     * later, by {@link FewShotLoader}).
     *
     * @param file the YAML file
     * @return the spec
     * @throws SpecException naming the file and line of the first problem
     */
    public static MetaSpec parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SpecException(file, 0, "cannot read the spec: " + e);
        }
        return new MetaSpecParser(file).read(text);
    }

    private MetaSpec read(String text) {
        JsonNode root;
        try (JsonParser p = MAPPER.createParser(text)) {
            while (p.nextToken() != null) {
                lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.getTokenLocation().getLineNr());
            }
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SpecException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "malformed YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SpecException(file, 0, "cannot read the spec: " + e);
        }
        if (root == null || !root.isObject()) {
            throw fail("", "the spec must be a mapping (algorithm, tasks, iterations, ...)");
        }
        keys(root, "", TOP);
        String algorithm = root.path("algorithm").asText("maml");
        if (!MetaSpec.ALGORITHMS.contains(algorithm)) {
            throw fail("/algorithm", "unknown algorithm '" + algorithm + "' (known: "
                    + String.join(", ", MetaSpec.ALGORITHMS) + ")");
        }
        JsonNode tasks = root.path("tasks");
        String type = tasks.path("type").asText("sinusoid");
        FewShotSpec fewShot = null;
        if (!tasks.isMissingNode()) {
            if (type.equals("fewshot")) {
                fewShot = fewShot(tasks);
            } else if (type.equals("sinusoid")) {
                keys(tasks, "/tasks", Set.of("type", "support", "query"));
            } else {
                throw fail("/tasks/type", "unknown task family '" + type + "' (known: sinusoid, fewshot)");
            }
        }
        if (algorithm.equals("protonet") && fewShot == null) {
            throw fail("/algorithm", "protonet needs classification tasks (tasks: {type: fewshot, ...})");
        }
        ModelSpec model = model(root.path("model"), fewShot != null);
        String optimizer = root.path("optimizer").asText("adam");
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw fail("/optimizer", "optimizer must be adam or sgd, got '" + optimizer + "'");
        }
        JsonNode val = root.path("validation");
        if (!val.isMissingNode()) {
            keys(val, "/validation", Set.of("every", "tasks", "patience"));
        }
        int validateEvery = natural(val.path("every"), "/validation/every", 0);
        if (validateEvery > 0 && fewShot != null && fewShot.validationClasses().isEmpty()) {
            throw fail("/validation", "validation needs meta-validation classes (tasks.validation_classes)");
        }
        JsonNode ckpt = root.path("checkpoint");
        Path checkpoint = null;
        int checkpointEvery = 0;
        if (!ckpt.isMissingNode()) {
            keys(ckpt, "/checkpoint", Set.of("every", "path"));
            if (!ckpt.hasNonNull("path")) {
                throw fail("/checkpoint", "checkpoint needs a path");
            }
            checkpoint = resolve(ckpt.get("path").asText());
            checkpointEvery = natural(ckpt.path("every"), "/checkpoint/every", 0);
        }
        int innerSteps = positiveOr(root.path("inner_steps"), "/inner_steps", 1);
        LearnedOptimizer.Config lo = learnedOptimizer(root.path("learned_optimizer"));
        JsonNode eval = root.path("evaluation");
        if (!eval.isMissingNode()) {
            keys(eval, "/evaluation", Set.of("tasks", "steps"));
        }
        int evalTasks = natural(eval.path("tasks"), "/evaluation/tasks", 600);
        if (evalTasks == 1) {
            throw fail("/evaluation/tasks", "the evaluation needs 0 (none) or at least 2 tasks for a confidence"
                    + " interval");
        }
        int evalSteps = natural(eval.path("steps"), "/evaluation/steps",
                algorithm.equals("learned-optimizer") ? lo.unroll() : innerSteps);
        return new MetaSpec(file, algorithm, rate(root.path("inner_lr"), "/inner_lr", 0.01), innerSteps,
                rate(root.path("imaml_lambda"), "/imaml_lambda", 1.0), bool(root.path("first_order"), "/first_order"),
                rate(root.path("temperature"), "/temperature", 1.0), lo,
                positiveOr(tasks.path("support"), "/tasks/support", 10),
                positiveOr(tasks.path("query"), "/tasks/query", 10), fewShot, model, optimizer,
                rate(root.path("meta_lr"), "/meta_lr", 1e-3), positiveOr(root.path("iterations"), "/iterations", 1000),
                positiveOr(root.path("meta_batch"), "/meta_batch", 5), positiveOr(root.path("threads"), "/threads", 1),
                natural(root.path("seed"), "/seed", 0), validateEvery,
                positiveOr(val.path("tasks"), "/validation/tasks", 50), natural(val.path("patience"),
                "/validation/patience", 0), checkpointEvery, checkpoint, evalTasks, evalSteps);
    }

    private FewShotSpec fewShot(JsonNode t) {
        keys(t, "/tasks", Set.of("type", "dataset", "ways", "shots", "queries", "train_classes",
                "validation_classes", "test_classes", "rotations"));
        JsonNode d = t.path("dataset");
        if (d.isMissingNode()) {
            throw fail("/tasks", "few-shot tasks need a dataset ({format: idx | csv | image-folder, ...})");
        }
        if (!d.isObject()) {
            throw fail("/tasks/dataset", "dataset must be a mapping ({format: idx | csv | image-folder, ...})");
        }
        String format = d.path("format").asText("");
        DatasetSpec dataset = switch (format) {
            case "idx" -> {
                keys(d, "/tasks/dataset", Set.of("format", "images", "labels"));
                yield new DatasetSpec(format, path(d, "images"), path(d, "labels"), null, null, List.of(), null, 0,
                        line("/tasks/dataset"));
            }
            case "csv" -> {
                keys(d, "/tasks/dataset", Set.of("format", "path", "label_column", "ignore"));
                if (!d.hasNonNull("label_column")) {
                    throw fail("/tasks/dataset", "a csv dataset needs label_column (the column holding the class)");
                }
                List<String> ignore = new ArrayList<>();
                JsonNode ig = d.path("ignore");
                if (!ig.isMissingNode()) {
                    if (!ig.isArray()) {
                        throw fail("/tasks/dataset/ignore", "ignore must be a list of column names");
                    }
                    ig.forEach(n -> ignore.add(n.asText()));
                }
                yield new DatasetSpec(format, null, null, path(d, "path"), d.get("label_column").asText(), ignore,
                        null, 0, line("/tasks/dataset"));
            }
            case "image-folder" -> {
                keys(d, "/tasks/dataset", Set.of("format", "root", "image_size"));
                yield new DatasetSpec(format, null, null, null, null, List.of(), path(d, "root"),
                        natural(d.path("image_size"), "/tasks/dataset/image_size", 0), line("/tasks/dataset"));
            }
            default -> throw fail(d.has("format") ? "/tasks/dataset/format" : "/tasks/dataset", "unknown dataset format '"
                    + format + "' (known: " + String.join(", ", DatasetSpec.FORMATS) + ")");
        };
        int ways = positiveOr(t.path("ways"), "/tasks/ways", 5);
        List<Integer> train = classes(t, "train_classes", true);
        List<Integer> validation = classes(t, "validation_classes", false);
        List<Integer> test = classes(t, "test_classes", true);
        Set<Integer> seen = new HashSet<>();
        Map<Integer, String> owner = new HashMap<>();
        for (String part : List.of("train_classes", "validation_classes", "test_classes")) {
            List<Integer> cs = part.equals("train_classes") ? train : part.equals("validation_classes") ? validation
                    : test;
            for (int i = 0; i < cs.size(); i++) {
                int c = cs.get(i);
                if (!seen.add(c)) {
                    throw fail("/tasks/" + part + "/" + i, "class " + c + " is in " + owner.get(c) + " and " + part
                            + " (the class splits must not overlap)");
                }
                owner.put(c, part);
            }
        }
        boolean rotations = bool(t.path("rotations"), "/tasks/rotations");
        for (String part : List.of("train_classes", "validation_classes", "test_classes")) {
            int n = (part.equals("train_classes") ? train : part.equals("validation_classes") ? validation : test)
                    .size() * (rotations ? 4 : 1);
            if (n > 0 && n < ways) {
                throw fail("/tasks/" + part, ways + "-way tasks need at least " + ways + " classes, " + part + " has "
                        + n + (rotations ? " (with rotations)" : ""));
            }
        }
        return new FewShotSpec(dataset, ways, positiveOr(t.path("shots"), "/tasks/shots", 1),
                positiveOr(t.path("queries"), "/tasks/queries", 15), train, validation, test, rotations,
                line("/tasks"));
    }

    private List<Integer> classes(JsonNode t, String key, boolean required) {
        String at = "/tasks/" + key;
        JsonNode n = t.path(key);
        if (n.isMissingNode() || n.isNull()) {
            if (required) {
                throw fail("/tasks", "few-shot tasks need " + key + " (a non-empty list of class labels)");
            }
            return List.of();
        }
        if (!n.isArray() || (required && n.isEmpty())) {
            throw fail(at, key + " must be a " + (required ? "non-empty " : "") + "list of class labels");
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            int c = natural(n.get(i), at + "/" + i, 0);
            if (out.contains(c)) {
                throw fail(at + "/" + i, "class " + c + " is listed twice in " + key);
            }
            out.add(c);
        }
        return out;
    }

    private ModelSpec model(JsonNode model, boolean classification) {
        String type = model.path("type").asText("mlp");
        if (!model.isMissingNode()) {
            if (!model.isObject()) {
                throw fail("/model", "model must be a mapping ({type: mlp | conv4, ...})");
            }
            if (!ModelSpec.TYPES.contains(type)) {
                throw fail("/model/type", "unknown model type '" + type + "' (known: "
                        + String.join(", ", ModelSpec.TYPES) + ")");
            }
            keys(model, "/model", type.equals("mlp") ? Set.of("type", "hidden", "activation")
                    : Set.of("type", "channels", "batch_norm", "precision"));
        }
        if (type.equals("conv4")) {
            if (!classification) {
                throw fail("/model/type", "conv4 needs image classification tasks (tasks: {type: fewshot, ...})");
            }
            String bn = model.path("batch_norm").asText("transductive");
            if (!bn.equals("transductive") && !bn.equals("support")) {
                throw fail("/model/batch_norm", "batch_norm must be transductive or support, got '" + bn + "'");
            }
            String precision = model.path("precision").asText("float64");
            if (!precision.equals("float64") && !precision.equals("float32")) {
                throw fail("/model/precision", "precision must be float64 or float32, got '" + precision + "'");
            }
            return new ModelSpec(type, List.of(), "relu", positiveOr(model.path("channels"), "/model/channels", 32),
                    bn, precision, line("/model"));
        }
        List<Integer> hidden = new ArrayList<>(List.of(40, 40));
        if (model.has("hidden")) {
            hidden.clear();
            JsonNode h = model.get("hidden");
            if (!h.isArray() || h.isEmpty()) {
                throw fail("/model/hidden", "hidden must be a non-empty list of layer widths");
            }
            for (int i = 0; i < h.size(); i++) {
                hidden.add(positive(h.get(i), "/model/hidden/" + i));
            }
        }
        String activation = model.path("activation").asText("relu");
        if (!ACTIVATIONS.contains(activation)) {
            throw fail("/model/activation", "unknown activation '" + activation + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(ACTIVATIONS)) + ")");
        }
        return new ModelSpec(type, hidden, activation, 0, null, null, line("/model"));
    }

    private LearnedOptimizer.Config learnedOptimizer(JsonNode n) {
        if (!n.isMissingNode()) {
            keys(n, "/learned_optimizer", Set.of("hidden", "unroll", "input_scale", "output_scale", "second_order"));
        }
        return new LearnedOptimizer.Config(positiveOr(n.path("hidden"), "/learned_optimizer/hidden", 20),
                positiveOr(n.path("unroll"), "/learned_optimizer/unroll", 5),
                rate(n.path("input_scale"), "/learned_optimizer/input_scale", 1.0),
                rate(n.path("output_scale"), "/learned_optimizer/output_scale", 0.01),
                bool(n.path("second_order"), "/learned_optimizer/second_order"));
    }

    private Path path(JsonNode d, String key) {
        if (!d.hasNonNull(key) || d.get(key).asText().isBlank()) {
            throw fail("/tasks/dataset", "a " + d.path("format").asText() + " dataset needs " + key);
        }
        return resolve(d.get(key).asText());
    }

    private Path resolve(String p) {
        return file.toAbsolutePath().getParent().resolve(p);
    }

    private boolean bool(JsonNode n, String at) {
        if (n.isMissingNode()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw fail(at, at.substring(at.lastIndexOf('/') + 1) + " must be true or false, got '" + n.asText() + "'");
        }
        return n.booleanValue();
    }

    private int line(String pointer) {
        return lines.getOrDefault(pointer, 0);
    }

    private void keys(JsonNode node, String at, Set<String> known) {
        if (!node.isObject()) {
            throw fail(at, at.substring(1) + " must be a mapping");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw fail(at + "/" + key, "unknown key '" + key + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private double rate(JsonNode n, String at, double fallback) {
        if (n.isMissingNode()) {
            return fallback;
        }
        Object v = ComponentOptions.numeric(n.isNumber() ? (Object) n.doubleValue() : n.asText());
        if (!(v instanceof Double d) || !(d > 0) || d.isInfinite()) {
            throw fail(at, at.substring(at.lastIndexOf('/') + 1) + " must be a positive number, got '" + n.asText()
                    + "'");
        }
        return d;
    }

    private int positive(JsonNode n, String at) {
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1) {
            throw fail(at, at.substring(at.lastIndexOf('/') + 1) + " must be an integer >= 1, got '" + n.asText()
                    + "'");
        }
        return n.asInt();
    }

    private int positiveOr(JsonNode n, String at, int fallback) {
        return n.isMissingNode() ? fallback : positive(n, at);
    }

    private int natural(JsonNode n, String at, int fallback) {
        if (n.isMissingNode()) {
            return fallback;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
            throw fail(at, at.substring(at.lastIndexOf('/') + 1) + " must be an integer >= 0, got '" + n.asText()
                    + "'");
        }
        return n.asInt();
    }

    private SpecException fail(String pointer, String message) {
        String p = pointer;
        Integer line = lines.get(p);
        while (line == null && !p.isEmpty()) {
            p = p.substring(0, p.lastIndexOf('/'));
            line = lines.get(p);
        }
        return new SpecException(file, line == null ? 0 : line, message);
    }
}
