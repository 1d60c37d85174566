package dev.bilevel.cli.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The options of a sampler or pruner entry, read by name with a type check each; {@link #finish}
 * rejects names nobody read, listing the known ones, so a typo never passes silently.
 */
final class ComponentOptions {
    private final String what;
    private final Map<String, Object> values;
    private final TreeSet<String> known = new TreeSet<>();

    ComponentOptions(String what, Map<String, Object> values) {
        this.what = what;
        this.values = new LinkedHashMap<>(values);
    }

    boolean has(String key) {
        known.add(key);
        return values.get(key) != null;
    }

    Object raw(String key) {
        known.add(key);
        return values.get(key);
    }

    Integer integer(String key, Integer fallback) {
        Object v = numeric(raw(key));
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw new IllegalArgumentException(what + ": option '" + key + "' must be an integer, got " + v);
    }

    double real(String key, double fallback) {
        Object v = numeric(raw(key));
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(what + ": option '" + key + "' must be a number, got " + v);
    }

    boolean flag(String key, boolean fallback) {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(what + ": option '" + key + "' must be true or false, got " + v);
    }

    long seed() {
        Object v = numeric(raw("seed"));
        if (v == null) {
            return new java.util.SplittableRandom().nextLong();
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        throw new IllegalArgumentException(what + ": option 'seed' must be an integer, got " + v);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(what + ": option '" + key + "' must be a mapping, got " + v);
    }

    /** YAML 1.1 reads {@code 1e-4} (no dot) as a string: accept numbers written that way. */
    static Object numeric(Object v) {
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return v;
            }
        }
        return v;
    }

    void finish() {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(what + ": unknown option '" + key + "' (known: "
                        + String.join(", ", List.copyOf(known)) + ")");
            }
        }
    }
}
