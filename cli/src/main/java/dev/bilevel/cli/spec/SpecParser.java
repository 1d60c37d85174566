package dev.bilevel.cli.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bilevel.hpo.MultiObjective;
import dev.bilevel.hpo.Objective;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.DistributionJson;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a study spec; every error names the file and the line of the entry.
 *
 * <pre>{@code
 * study: lr-search                  # default: the file name without extension
 * directions: [minimize]            # or direction: maximize
 * storage: sqlite:///runs.db        # --storage on the command line wins; default: the CLI default
 * trials: 50                        # trials and/or timeout
 * timeout: 10m
 * threads: 2
 * sampler: {type: tpe, seed: 0, n_startup_trials: 10}
 * pruner: {type: median, n_warmup_steps: 2}
 * space:
 *   lr: {type: float, low: 1.0e-4, high: 0.1, log: true}
 *   layers: {type: int, low: 1, high: 4}
 *   activation: {type: categorical, choices: [relu, tanh]}
 * objective:
 *   command: [python3, train.py, --lr, "{lr}", --layers, "{layers}"]
 *   params_as: args                 # args | env | json-stdin
 *   timeout: 60s
 *   shell: false
 * # or: objective: {class: com.example.MyObjective}
 * }</pre>
 *
 * The command runs in the spec file's directory unless {@code workdir} says otherwise.
 */
public final class SpecParser {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER =
            new ObjectMapper(YAML).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> TOP = Set.of("study", "direction", "directions", "storage", "trials", "timeout",
            "threads", "sampler", "pruner", "space", "objective");
    private static final Set<String> OBJECTIVE = Set.of("class", "command", "params_as", "timeout", "shell", "workdir");

    private final Path file;
    private final Map<String, Integer> lines = new HashMap<>();

    private SpecParser(Path file) {
        this.file = file;
    }

    /**
     * Reads, parses and validates a spec file.
     *
     * @param file the YAML file
     * @return the spec
     * @throws SpecException naming the file and line of the first problem
     */
    public static StudySpec parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SpecException(file, 0, "cannot read the spec: " + e);
        }
        return new SpecParser(file).read(text);
    }

    /**
     * Parses a search space alone (what {@code bilevel ask --search-space} takes): a mapping from
     * parameter names to {@code {type: float, low: 0, high: 1}} entries as in a spec, or to
     * Optuna's distribution JSON ({@code {"name": "FloatDistribution", "attributes": {...}}}).
     *
     * @param text YAML or JSON
     * @param origin where the text came from, for messages
     * @return the space, in order
     * @throws SpecException for a malformed entry
     */
    public static Map<String, Distribution> parseSpace(String text, Path origin) {
        SpecParser parser = new SpecParser(origin);
        return parser.space(parser.tree(text), "");
    }

    private StudySpec read(String text) {
        JsonNode root = tree(text);
        if (root == null || !root.isObject()) {
            throw fail("", "the spec must be a mapping with at least an objective");
        }
        checkKeys(root, "", TOP);
        return readRest(root);
    }

    private JsonNode tree(String text) {
        try (JsonParser p = MAPPER.createParser(text)) {
            while (p.nextToken() != null) {
                lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.getTokenLocation().getLineNr());
            }
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new SpecException(file, line, "malformed YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SpecException(file, 0, "cannot read the spec: " + e);
        }
    }

    private StudySpec readRest(JsonNode root) {
        String name = root.has("study") ? text(root, "/study") : baseName();
        List<StudyDirection> directions = directions(root);
        String storage = root.has("storage") ? text(root, "/storage") : null;
        Integer trials = root.has("trials") ? integer(root, "/trials", 1) : null;
        Duration timeout = root.has("timeout") ? duration(root, "/timeout") : null;
        if (trials == null && timeout == null) {
            throw fail("", "give trials, a timeout, or both");
        }
        int threads = root.has("threads") ? integer(root, "/threads", 1) : 1;
        Map<String, Distribution> space = space(root.get("space"), "/space");
        SamplerSpec sampler = new SamplerSpec("tpe", Map.of());
        if (root.has("sampler")) {
            sampler = component(root.get("sampler"), "/sampler", SamplerSpec::new);
            try {
                sampler.create(space);
            } catch (RuntimeException e) {
                throw fail("/sampler", e.getMessage());
            }
        }
        PrunerSpec pruner = new PrunerSpec("none", Map.of());
        if (root.has("pruner")) {
            pruner = component(root.get("pruner"), "/pruner", PrunerSpec::new);
            try {
                pruner.create();
            } catch (RuntimeException e) {
                throw fail("/pruner", e.getMessage());
            }
            if (directions.size() > 1 && !pruner.type().equals("none")) {
                throw fail("/pruner", "pruning needs a single objective; this study has " + directions.size());
            }
        }
        if (!root.has("objective")) {
            throw fail("", "the spec has no objective (objective: {command: [...]} or {class: ...})");
        }
        ObjectiveSpec objective = objective(root.get("objective"), space, directions.size());
        return new StudySpec(file, name, directions, storage, line("/storage"), trials, timeout, threads, sampler,
                pruner, space, objective);
    }

    private String baseName() {
        String f = file.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    private List<StudyDirection> directions(JsonNode root) {
        if (root.has("direction") && root.has("directions")) {
            throw fail("/directions", "give direction or directions, not both");
        }
        String at = root.has("directions") ? "/directions" : "/direction";
        JsonNode node = root.at(at);
        if (node.isMissingNode()) {
            return List.of(StudyDirection.MINIMIZE);
        }
        List<StudyDirection> out = new ArrayList<>();
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        for (int i = 0; i < items.size(); i++) {
            String d = items.get(i).asText().toLowerCase(Locale.ROOT);
            String where = node.isArray() ? at + "/" + i : at;
            switch (d) {
                case "minimize", "min" -> out.add(StudyDirection.MINIMIZE);
                case "maximize", "max" -> out.add(StudyDirection.MAXIMIZE);
                default -> throw fail(where, "direction must be minimize or maximize, got '" + items.get(i).asText()
                        + "'");
            }
        }
        if (out.isEmpty()) {
            throw fail(at, "at least one direction is needed");
        }
        return out;
    }

    private Map<String, Distribution> space(JsonNode node, String prefix) {
        Map<String, Distribution> space = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return space;
        }
        if (!node.isObject()) {
            throw fail(prefix, "the space must map parameter names to {type: float|int|categorical, ...}");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            String at = prefix + "/" + name;
            JsonNode p = node.get(name);
            if (p.isObject() && p.has("name") && p.has("attributes")) {
                try {
                    space.put(name, DistributionJson.fromJson(p.toString()));
                } catch (RuntimeException e) {
                    throw fail(at, "parameter '" + name + "': " + e.getMessage());
                }
                continue;
            }
            if (!p.isObject() || !p.has("type")) {
                throw fail(at, "parameter '" + name + "' needs a type: float, int or categorical");
            }
            String type = p.get("type").asText();
            try {
                space.put(name, switch (type) {
                    case "float" -> {
                        checkKeys(p, at, Set.of("type", "low", "high", "log", "step"));
                        double low = number(p, at + "/low");
                        double high = number(p, at + "/high");
                        Double step = p.has("step") ? number(p, at + "/step") : null;
                        yield new FloatDistribution(low, high, bool(p, "log"), step);
                    }
                    case "int" -> {
                        checkKeys(p, at, Set.of("type", "low", "high", "log", "step"));
                        long low = (long) integer(p, at + "/low", Integer.MIN_VALUE);
                        long high = (long) integer(p, at + "/high", Integer.MIN_VALUE);
                        long step = p.has("step") ? integer(p, at + "/step", 1) : 1;
                        yield new IntDistribution(low, high, bool(p, "log"), step);
                    }
                    case "categorical" -> {
                        checkKeys(p, at, Set.of("type", "choices"));
                        JsonNode choices = p.get("choices");
                        if (choices == null || !choices.isArray() || choices.isEmpty()) {
                            throw fail(at, "parameter '" + name + "' needs a non-empty list of choices");
                        }
                        List<Object> values = new ArrayList<>();
                        for (JsonNode c : choices) {
                            values.add(MAPPER.treeToValue(c, Object.class));
                        }
                        yield new CategoricalDistribution(values);
                    }
                    default -> throw fail(at + "/type", "parameter '" + name + "': unknown type '" + type
                            + "' (float, int or categorical)");
                });
            } catch (SpecException e) {
                throw e;
            } catch (IllegalArgumentException | JsonProcessingException e) {
                throw fail(at, "parameter '" + name + "': " + e.getMessage());
            }
        }
        return space;
    }

    private ObjectiveSpec objective(JsonNode node, Map<String, Distribution> space, int nObjectives) {
        if (!node.isObject()) {
            throw fail("/objective", "objective must be {command: [...]} or {class: com.example.MyObjective}");
        }
        checkKeys(node, "/objective", OBJECTIVE);
        if (node.has("class") == node.has("command")) {
            throw fail("/objective", "objective needs exactly one of class and command");
        }
        if (node.has("class")) {
            String name = text(node, "/objective/class");
            Class<?> type;
            try {
                type = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw fail("/objective/class", "class " + name + " is not on the classpath");
            }
            Class<?> wanted = nObjectives == 1 ? Objective.class : MultiObjective.class;
            if (!wanted.isAssignableFrom(type)) {
                throw fail("/objective/class", "class " + name + " does not implement " + wanted.getName());
            }
            try {
                type.getConstructor();
            } catch (NoSuchMethodException e) {
                throw fail("/objective/class", "class " + name + " has no public no-argument constructor");
            }
            return new ObjectiveSpec.JavaClass(type);
        }
        JsonNode cmd = node.get("command");
        boolean shell = bool(node, "shell");
        List<String> command = new ArrayList<>();
        if (cmd.isArray()) {
            cmd.forEach(c -> command.add(c.asText()));
        } else if (cmd.isTextual() && shell) {
            command.add(cmd.asText());
        } else {
            throw fail("/objective/command", "command must be a list of arguments, e.g. [python3, train.py, "
                    + "--lr, \"{lr}\"] (a single string only with shell: true)");
        }
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw fail("/objective/command", "the command is empty");
        }
        for (int i = 0; i < command.size(); i++) {
            for (String ref : placeholders(command.get(i))) {
                if (!space.containsKey(ref)) {
                    throw fail("/objective/command" + (cmd.isArray() ? "/" + i : ""),
                            "placeholder {" + ref + "} names no parameter of the space " + space.keySet());
                }
            }
        }
        ObjectiveSpec.ParamsAs paramsAs = ObjectiveSpec.ParamsAs.ARGS;
        if (node.has("params_as")) {
            String v = text(node, "/objective/params_as");
            paramsAs = switch (v) {
                case "args" -> ObjectiveSpec.ParamsAs.ARGS;
                case "env" -> ObjectiveSpec.ParamsAs.ENV;
                case "json-stdin", "json_stdin" -> ObjectiveSpec.ParamsAs.JSON_STDIN;
                default -> throw fail("/objective/params_as", "params_as must be args, env or json-stdin, got '"
                        + v + "'");
            };
        }
        Duration timeout = node.has("timeout") ? duration(node, "/objective/timeout") : null;
        Path dir = file.toAbsolutePath().getParent();
        if (node.has("workdir")) {
            dir = dir.resolve(text(node, "/objective/workdir"));
        }
        return new ObjectiveSpec.Command(command, paramsAs, timeout, shell, dir);
    }

    /** The parameter names referenced as {@code {name}} in an argument. */
    static List<String> placeholders(String arg) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([A-Za-z0-9_.\\-]+)}").matcher(arg);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private interface ComponentFactory<T> {
        T make(String type, Map<String, Object> options);
    }

    @SuppressWarnings("unchecked")
    private <T> T component(JsonNode node, String at, ComponentFactory<T> factory) {
        if (node.isTextual()) {
            return factory.make(node.asText(), Map.of());
        }
        if (!node.isObject() || !node.has("type")) {
            throw fail(at, at.substring(1) + " must be a name or {type: NAME, option: value, ...}");
        }
        Map<String, Object> options;
        try {
            options = new LinkedHashMap<>(MAPPER.treeToValue(node, Map.class));
        } catch (JsonProcessingException e) {
            throw fail(at, e.getOriginalMessage());
        }
        options.remove("type");
        return factory.make(node.get("type").asText(), options);
    }

    private void checkKeys(JsonNode node, String at, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw fail(at + "/" + key, "unknown key '" + key + "' (known: " + String.join(", ",
                        new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private String text(JsonNode root, String at) {
        JsonNode n = root.at(at.substring(at.lastIndexOf('/')));
        if (!n.isValueNode() || n.isNull() || n.asText().isBlank()) {
            throw fail(at, "'" + at.substring(at.lastIndexOf('/') + 1) + "' must be a non-empty string");
        }
        return n.asText();
    }

    private double number(JsonNode parent, String at) {
        JsonNode n = parent.get(at.substring(at.lastIndexOf('/') + 1));
        Object v = n == null ? null : ComponentOptions.numeric(n.isNumber() ? (Object) n.doubleValue() : n.asText());
        if (!(v instanceof Double d)) {
            throw fail(at, "'" + at.substring(at.lastIndexOf('/') + 1) + "' must be a number"
                    + (n == null ? " (missing)" : ", got '" + n.asText() + "'"));
        }
        return d;
    }

    private int integer(JsonNode parent, String at, int min) {
        double v = number(parent, at);
        if (v != Math.rint(v) || v < min || v > Integer.MAX_VALUE) {
            throw fail(at, "'" + at.substring(at.lastIndexOf('/') + 1) + "' must be an integer"
                    + (min > Integer.MIN_VALUE ? " >= " + min : "") + ", got " + v);
        }
        return (int) v;
    }

    private boolean bool(JsonNode parent, String key) {
        JsonNode n = parent.get(key);
        return n != null && n.asBoolean();
    }

    private Duration duration(JsonNode parent, String at) {
        JsonNode n = parent.get(at.substring(at.lastIndexOf('/') + 1));
        try {
            return DurationText.parse(n.asText());
        } catch (IllegalArgumentException e) {
            throw fail(at, e.getMessage());
        }
    }

    private int line(String pointer) {
        String p = pointer;
        while (true) {
            Integer l = lines.get(p);
            if (l != null || p.isEmpty()) {
                return l == null ? 0 : l;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    private SpecException fail(String pointer, String message) {
        return new SpecException(file, line(pointer), message);
    }
}
