package dev.bilevel.hpo.distributions;

import dev.bilevel.hpo.storage.OptunaJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON codec of distributions, byte-for-byte the text of Optuna's {@code distribution_to_json}
 * (which is what Optuna's RDB storage keeps in {@code trial_params.distribution_json}).
 *
 * <p>Written forms (attribute order as Optuna's constructors set them):
 *
 * <pre>
 * {"name": "FloatDistribution", "attributes": {"step": null, "low": 0.0, "high": 1.0, "log": false}}
 * {"name": "IntDistribution", "attributes": {"log": false, "step": 1, "low": 0, "high": 10}}
 * {"name": "CategoricalDistribution", "attributes": {"choices": ["a", 1, null]}}
 * </pre>
 *
 * <p>Read forms: the above (with {@code log} and {@code step} optional), Optuna's legacy classes
 * {@code UniformDistribution(low, high)}, {@code LogUniformDistribution(low, high)}, {@code
 * DiscreteUniformDistribution(low, high, q)}, {@code IntUniformDistribution(low, high, step)},
 * {@code IntLogUniformDistribution(low, high, step)} (mapped to the current records, as Optuna
 * itself treats them), and the abbreviated form {@code {"type": "float"|"int"|"categorical", ...}}.
 */
public final class DistributionJson {

  private DistributionJson() {}

  /**
   * Serializes a distribution as Optuna's {@code distribution_to_json}.
   *
   * @param distribution the distribution
   * @return JSON text
   */
  public static String toJson(Distribution distribution) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    String name;
    if (distribution instanceof FloatDistribution f) {
      name = "FloatDistribution";
      attributes.put("step", f.step());
      attributes.put("low", f.low());
      attributes.put("high", f.high());
      attributes.put("log", f.log());
    } else if (distribution instanceof IntDistribution i) {
      name = "IntDistribution";
      attributes.put("log", i.log());
      attributes.put("step", i.step());
      attributes.put("low", i.low());
      attributes.put("high", i.high());
    } else {
      name = "CategoricalDistribution";
      attributes.put("choices", ((CategoricalDistribution) distribution).choices());
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("name", name);
    root.put("attributes", attributes);
    return OptunaJson.dumps(root);
  }

  /**
   * Parses any form Optuna's {@code json_to_distribution} accepts.
   *
   * @param json JSON text
   * @return the distribution
   * @throws IllegalArgumentException for unknown names or types, missing attributes, or invalid
   *     parameters (as the record constructors report them)
   */
  public static Distribution fromJson(String json) {
    if (!(OptunaJson.loads(json) instanceof Map<?, ?> root)) {
      throw new IllegalArgumentException("A distribution must be a JSON object: " + json);
    }
    if (root.containsKey("name")) {
      Object name = root.get("name");
      if (!(root.get("attributes") instanceof Map<?, ?> attrs)) {
        throw new IllegalArgumentException("Missing \"attributes\" object in " + json);
      }
      if (!(name instanceof String n)) {
        throw new IllegalArgumentException("Distribution name must be a string in " + json);
      }
      return switch (n) {
        case "FloatDistribution" -> floatFrom(attrs, bool(attrs, "log", false), "step");
        case "UniformDistribution" -> floatFrom(attrs, false, null);
        case "LogUniformDistribution" -> floatFrom(attrs, true, null);
        case "DiscreteUniformDistribution" -> floatFrom(attrs, false, "q");
        case "IntDistribution" -> intFrom(attrs, bool(attrs, "log", false));
        case "IntUniformDistribution" -> intFrom(attrs, false);
        case "IntLogUniformDistribution" -> intFrom(attrs, true);
        case "CategoricalDistribution" -> categoricalFrom(attrs);
        default -> throw new IllegalArgumentException("Unknown distribution class: " + n);
      };
    }
    Object type = root.get("type");
    if ("float".equals(type)) {
      return floatFrom(root, bool(root, "log", false), "step");
    }
    if ("int".equals(type)) {
      return intFrom(root, bool(root, "log", false));
    }
    if ("categorical".equals(type)) {
      return categoricalFrom(root);
    }
    throw new IllegalArgumentException("Unknown distribution type: " + type);
  }

  private static FloatDistribution floatFrom(Map<?, ?> attrs, boolean log, String stepKey) {
    Double step = null;
    if (stepKey != null && attrs.get(stepKey) != null) {
      step = number(attrs, stepKey).doubleValue();
    }
    return new FloatDistribution(
        number(attrs, "low").doubleValue(), number(attrs, "high").doubleValue(), log, step);
  }

  private static IntDistribution intFrom(Map<?, ?> attrs, boolean log) {
    long step = attrs.get("step") == null ? 1 : integer(attrs, "step");
    return new IntDistribution(integer(attrs, "low"), integer(attrs, "high"), log, step);
  }

  private static CategoricalDistribution categoricalFrom(Map<?, ?> attrs) {
    if (!(attrs.get("choices") instanceof List<?> choices)) {
      throw new IllegalArgumentException("Categorical distribution needs a \"choices\" array");
    }
    return new CategoricalDistribution(new ArrayList<Object>(choices));
  }

  private static Number number(Map<?, ?> attrs, String key) {
    if (!(attrs.get(key) instanceof Number n)) {
      throw new IllegalArgumentException(
          "Distribution attribute \"" + key + "\" must be a number, got " + attrs.get(key));
    }
    return n;
  }

  private static long integer(Map<?, ?> attrs, String key) {
    Number n = number(attrs, key);
    if (n instanceof Double d) {
      if (d != Math.rint(d)) {
        throw new IllegalArgumentException(
            "Distribution attribute \"" + key + "\" must be an integer, got " + d);
      }
      return d.longValue();
    }
    return n.longValue();
  }

  private static boolean bool(Map<?, ?> attrs, String key, boolean fallback) {
    Object v = attrs.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw new IllegalArgumentException(
          "Distribution attribute \"" + key + "\" must be a boolean, got " + v);
    }
    return b;
  }
}
