package dev.bilevel.cli.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a meta-training spec; every error names the file and line.
 *
 * <pre>{@code
 * algorithm: maml          # maml | fomaml | reptile | meta-sgd | imaml
 * inner_lr: 0.01
 * inner_steps: 1
 * imaml_lambda: 1.0        # iMAML only
 * tasks: {type: sinusoid, support: 10, query: 10}
 * model: {hidden: [40, 40], activation: relu}
 * optimizer: adam          # adam | sgd
 * meta_lr: 0.001
 * iterations: 2000
 * meta_batch: 5
 * threads: 1
 * seed: 0
 * validation: {every: 100, tasks: 50, patience: 0}
 * checkpoint: {every: 500, path: maml.ckpt}   # relative to the spec's directory
 * }</pre>
 */
public final class MetaSpecParser {
    private static final ObjectMapper MAPPER =
            new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> TOP = Set.of("algorithm", "inner_lr", "inner_steps", "imaml_lambda", "tasks",
            "model", "optimizer", "meta_lr", "iterations", "meta_batch", "threads", "seed", "validation", "checkpoint");

    /** The hidden activations a spec may name. */
    public static final Set<String> ACTIVATIONS =
            Set.of("relu", "tanh", "sigmoid", "gelu", "softplus", "leaky_relu", "identity");

    private final Path file;
    private final Map<String, Integer> lines = new HashMap<>();

    private MetaSpecParser(Path file) {
        this.file = file;
    }

    /**
     * Reads, parses and validates a meta-training spec.
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
        if (!tasks.isMissingNode()) {
            keys(tasks, "/tasks", Set.of("type", "support", "query"));
            if (!tasks.path("type").asText("sinusoid").equals("sinusoid")) {
                throw fail("/tasks/type", "unknown task family '" + tasks.path("type").asText()
                        + "' (meta-train from the command line knows: sinusoid)");
            }
        }
        JsonNode model = root.path("model");
        List<Integer> hidden = new ArrayList<>(List.of(40, 40));
        if (!model.isMissingNode()) {
            keys(model, "/model", Set.of("hidden", "activation"));
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
        }
        String activation = model.path("activation").asText("relu");
        if (!ACTIVATIONS.contains(activation)) {
            throw fail("/model/activation", "unknown activation '" + activation + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(ACTIVATIONS)) + ")");
        }
        String optimizer = root.path("optimizer").asText("adam");
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw fail("/optimizer", "optimizer must be adam or sgd, got '" + optimizer + "'");
        }
        JsonNode val = root.path("validation");
        if (!val.isMissingNode()) {
            keys(val, "/validation", Set.of("every", "tasks", "patience"));
        }
        JsonNode ckpt = root.path("checkpoint");
        Path checkpoint = null;
        int checkpointEvery = 0;
        if (!ckpt.isMissingNode()) {
            keys(ckpt, "/checkpoint", Set.of("every", "path"));
            if (!ckpt.hasNonNull("path")) {
                throw fail("/checkpoint", "checkpoint needs a path");
            }
            checkpoint = file.toAbsolutePath().getParent().resolve(ckpt.get("path").asText());
            checkpointEvery = natural(ckpt.path("every"), "/checkpoint/every", 0);
        }
        return new MetaSpec(file, algorithm, rate(root.path("inner_lr"), "/inner_lr", 0.01),
                positiveOr(root.path("inner_steps"), "/inner_steps", 1), rate(root.path("imaml_lambda"),
                "/imaml_lambda", 1.0), positiveOr(tasks.path("support"), "/tasks/support", 10),
                positiveOr(tasks.path("query"), "/tasks/query", 10), hidden, activation, optimizer,
                rate(root.path("meta_lr"), "/meta_lr", 1e-3), positiveOr(root.path("iterations"), "/iterations", 1000),
                positiveOr(root.path("meta_batch"), "/meta_batch", 5), positiveOr(root.path("threads"), "/threads", 1),
                natural(root.path("seed"), "/seed", 0), natural(val.path("every"), "/validation/every", 0),
                positiveOr(val.path("tasks"), "/validation/tasks", 50), natural(val.path("patience"),
                "/validation/patience", 0), checkpointEvery, checkpoint);
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
